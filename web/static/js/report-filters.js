/*
 * Report filter bar: only the inputs of the chosen period are shown (month, quarter, year or from/to);
 * without JavaScript every input shows and the server reads the one the period names.
 */
(function () {
  'use strict';
  var form = document.getElementById('report-filters');
  if (!form) return;
  var period = form.querySelector('select[name="period"]');

  function show() {
    form.querySelectorAll('[data-period]').forEach(function (box) {
      box.hidden = box.dataset.period !== period.value;
    });
  }

  period.addEventListener('change', show);
  show();
})();
