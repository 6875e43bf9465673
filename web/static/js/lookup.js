/*
 * Autocomplete for reference fields of generated forms.
 *
 *   <input name="customer_id" data-lookup="/api/lookup/customer" data-reference="customer">  (forms/wtf.py)
 *
 * The input becomes hidden and keeps the submitted id; a search box takes its place (and its id, so the
 * label still points at what the user types in). Typing asks GET <lookup>?q=text for [{id, label}];
 * choosing a suggestion (click, or arrow keys + Enter) stores its id. A value already set is labelled
 * with GET <lookup>?id=N. Typing a bare number without choosing keeps it as the id (server validates).
 * Needs crmFetch from app.js.
 */
(function () {
  'use strict';
  var _ = window.crmGettext;

  var DELAY_MS = 200;
  var counter = 0;

  function enhance(input) {
    var url = input.getAttribute('data-lookup');
    var listId = 'crm-lookup-' + (++counter);
    var search = document.createElement('input');
    search.type = 'search';
    search.className = input.className;
    search.id = input.id;
    search.autocomplete = 'off';
    search.placeholder = _('Type to search…');
    search.readOnly = input.readOnly;
    search.setAttribute('role', 'combobox');
    search.setAttribute('aria-autocomplete', 'list');
    search.setAttribute('aria-expanded', 'false');
    search.setAttribute('aria-controls', listId);
    ['aria-describedby', 'required'].forEach(function (name) {
      if (input.hasAttribute(name)) search.setAttribute(name, input.getAttribute(name));
    });
    input.id = input.id + '-value';
    input.type = 'hidden';

    var list = document.createElement('ul');
    list.id = listId;
    // In the flow of the page: an open list pushes the next field down instead of covering it.
    list.className = 'list-group w-100 shadow-sm mt-1 crm-lookup-list';
    list.style.maxHeight = '16rem';
    list.style.overflowY = 'auto';
    list.setAttribute('role', 'listbox');
    list.hidden = true;

    var wrapper = document.createElement('div');
    // .is-invalid on the wrapper keeps Bootstrap's ".is-invalid ~ .invalid-feedback" message visible.
    wrapper.className = 'position-relative crm-lookup' + (input.classList.contains('is-invalid') ? ' is-invalid' : '');
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(search);
    wrapper.appendChild(input);
    wrapper.appendChild(list);

    var items = [];
    var active = -1;
    var timer = null;
    var chosen = Boolean(input.value);

    function close() {
      list.hidden = true;
      search.setAttribute('aria-expanded', 'false');
      search.removeAttribute('aria-activedescendant');
      active = -1;
    }

    function choose(item) {
      clearTimeout(timer);
      chosen = true;
      input.value = String(item.id);
      search.value = item.label;
      close();
    }

    function highlight(index) {
      var nodes = list.querySelectorAll('[role="option"]');
      nodes.forEach(function (node, i) {
        node.classList.toggle('active', i === index);
        node.setAttribute('aria-selected', i === index ? 'true' : 'false');
      });
      active = index;
      if (nodes[index]) search.setAttribute('aria-activedescendant', nodes[index].id);
    }

    function render(found) {
      items = found;
      list.innerHTML = '';
      if (!found.length) {
        var empty = document.createElement('li');
        empty.className = 'list-group-item small text-body-secondary';
        empty.textContent = _('No match.');
        list.appendChild(empty);
      }
      found.forEach(function (item, i) {
        var option = document.createElement('li');
        option.id = listId + '-' + i;
        option.className = 'list-group-item list-group-item-action d-flex justify-content-between';
        option.setAttribute('role', 'option');
        option.textContent = item.label;
        var small = document.createElement('small');
        small.className = 'text-body-secondary ms-2';
        small.textContent = '#' + item.id;
        option.appendChild(small);
        option.addEventListener('mousedown', function (event) {
          event.preventDefault();  // keep focus; blur would close the list first
          choose(item);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      search.setAttribute('aria-expanded', 'true');
      active = -1;
    }

    function query() {
      var text = search.value.trim();
      window.crmFetch.json(url + '?q=' + encodeURIComponent(text))
        .then(function (found) {
          // Only for what is still being typed: not after a choice, a change or leaving the field.
          if (search.value.trim() === text && !chosen && document.activeElement === search) render(found);
        })
        .catch(function () { close(); });
    }

    search.addEventListener('input', function () {
      chosen = false;
      input.value = /^\d+$/.test(search.value.trim()) ? search.value.trim() : '';
      clearTimeout(timer);
      timer = setTimeout(query, DELAY_MS);
    });
    search.addEventListener('focus', function () {
      if (!search.readOnly && !chosen) query();
    });
    search.addEventListener('keydown', function (event) {
      // Esc closes the list and keeps the choice (a search box would otherwise clear itself).
      if (event.key === 'Escape') {
        event.preventDefault();
        close();
        return;
      }
      if (list.hidden) return;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        var step = event.key === 'ArrowDown' ? 1 : -1;
        highlight(Math.max(0, Math.min(items.length - 1, active + step)));
      } else if (event.key === 'Enter' && active >= 0) {
        event.preventDefault();
        choose(items[active]);
      }
    });
    search.addEventListener('blur', close);

    if (input.value) {
      window.crmFetch.json(url + '?id=' + encodeURIComponent(input.value)).then(function (found) {
        search.value = found.length ? found[0].label : '#' + input.value;
      }).catch(function () { search.value = '#' + input.value; });
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('input[data-lookup]').forEach(enhance);
  });
})();
