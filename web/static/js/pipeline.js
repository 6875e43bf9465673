/*
 * Opportunity pipeline board: drag a card onto another stage column to move the opportunity there.
 * POSTs {"stage": n} to the card's data-move-url with window.crmFetch.json; on success updates the
 * card's probability and weighted amount and every column's totals, on failure puts the card back.
 */
(function () {
  'use strict';
  var _ = window.crmGettext;
  var board = document.getElementById('pipeline');
  if (!board) return;
  // Reads like the server's crm.formatting.money: the deployment's currency, two decimals, separators; renminbi
  // as ¥ in every language (Intl's English symbol would be CN¥), other currencies with the language's symbol.
  var currency = board.dataset.currency || 'CNY';
  var money = new Intl.NumberFormat(board.dataset.locale || 'en', {
    style: 'currency', currency: currency, currencyDisplay: currency === 'CNY' ? 'narrowSymbol' : 'symbol',
    minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var dragged = null;

  board.addEventListener('dragstart', function (event) {
    dragged = event.target.closest('.crm-opp');
    if (!dragged) return;
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', dragged.dataset.id);
    dragged.classList.add('opacity-50');
  });
  board.addEventListener('dragend', function () {
    if (dragged) dragged.classList.remove('opacity-50');
    board.querySelectorAll('.crm-stage').forEach(function (s) { s.classList.remove('crm-drop-target'); });
  });
  board.addEventListener('dragover', function (event) {
    var stage = event.target.closest('.crm-stage');
    if (!stage || !dragged) return;
    event.preventDefault();
    stage.classList.add('crm-drop-target');
  });
  board.addEventListener('dragleave', function (event) {
    var stage = event.target.closest('.crm-stage');
    if (stage && !stage.contains(event.relatedTarget)) stage.classList.remove('crm-drop-target');
  });
  board.addEventListener('drop', function (event) {
    var stage = event.target.closest('.crm-stage');
    if (!stage || !dragged) return;
    event.preventDefault();
    var card = dragged;
    var from = card.closest('.crm-stage');
    if (from === stage) return;
    stage.querySelector('.crm-stage-drop').prepend(card);
    window.crmFetch.json(card.dataset.moveUrl, { json: { stage: Number(stage.dataset.stage) } })
      .then(function (data) {
        card.querySelector('[data-probability]').textContent = data.probability;
        card.querySelector('[data-weighted]').textContent = money.format(Number(data.weighted_amount));
        updateColumns(data.columns);
      })
      .catch(function (err) {
        from.querySelector('.crm-stage-drop').prepend(card);
        window.alert(_('The opportunity was not moved: %(reason)s', {reason: err.message}));
      });
  });

  function updateColumns(columns) {
    var total = 0;
    var weighted = 0;
    columns.forEach(function (column) {
      var section = board.querySelector('.crm-stage[data-stage="' + column.stage + '"]');
      section.querySelector('[data-count]').textContent = column.count;
      section.querySelector('[data-total]').textContent = money.format(Number(column.total));
      section.querySelector('header [data-weighted]').textContent = money.format(Number(column.weighted));
      total += Number(column.total);
      weighted += Number(column.weighted);
    });
    document.querySelector('[data-pipeline-total]').textContent = money.format(total);
    document.querySelector('[data-pipeline-weighted]').textContent = money.format(weighted);
  }
})();
