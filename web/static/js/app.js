/*
 * Small site-wide helpers. No bundler; loaded by base.html after bootstrap.bundle.min.js.
 *
 *   crmFetch(url, options) -> Promise<Response>
 *     fetch() with credentials 'same-origin' and, for same-origin URLs, the header
 *     X-CSRFToken taken from <meta name="csrf-token"> (what Flask-WTF's CSRFProtect checks).
 *     Extra option `json`: a value to send as a JSON body (sets Content-Type and defaults method to POST).
 *   crmFetch.json(url, options) -> Promise<any>
 *     Same, with Accept: application/json; parses the JSON answer and rejects with an Error
 *     (err.status, err.data) when the response is not ok.
 *   crmCsrfToken() -> string
 *   crmGettext(message, values) -> string
 *     `message` in the page's language (the frontend catalog, which base.html loads before this script as window.crmMessages), with
 *     %(name)s placeholders filled from `values`. Scripts write `var _ = window.crmGettext;` and mark
 *     every user-visible string `_('Text')` so `make messages` extracts it (i18n/catalogs.py).
 *
 *   "/" (outside a field) focuses the navbar's search box.
 *
 *   <button data-confirm="Really cancel this process?">  (also <a> and <form data-confirm>)
 *     asks for confirmation before the click/submit goes ahead.
 *   <form data-ask-reason="Why?"> with <input name="reason">
 *     asks for a reason before submitting (cancel stops the submit) and sends it as `reason`.
 *   <input type="checkbox" data-check-all="instance">
 *     ticks or clears every enabled checkbox named `instance`.
 *
 * The Content-Security-Policy allows no inline script: templates use these attributes, never on...= handlers.
 */
(function () {
  'use strict';

  function gettext(message, values) {
    var messages = window.crmMessages || {};
    var text = Object.prototype.hasOwnProperty.call(messages, message) ? messages[message] : message;
    if (!values) return text;
    return text.replace(/%\((\w+)\)[sd]/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }
  window.crmGettext = gettext;

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') || '' : '';
  }

  function isSameOrigin(url) {
    try {
      return new URL(url, window.location.href).origin === window.location.origin;
    } catch (e) {
      return false;
    }
  }

  function crmFetch(url, options) {
    var opts = Object.assign({}, options || {});
    var headers = new Headers(opts.headers || {});

    if (Object.prototype.hasOwnProperty.call(opts, 'json')) {
      opts.body = JSON.stringify(opts.json);
      delete opts.json;
      if (!headers.has('Content-Type')) headers.set('Content-Type', 'application/json');
      if (!opts.method) opts.method = 'POST';
    }

    var target = (typeof Request !== 'undefined' && url instanceof Request) ? url.url : String(url);
    if (isSameOrigin(target)) {
      var token = csrfToken();
      if (token && !headers.has('X-CSRFToken')) headers.set('X-CSRFToken', token);
      if (!headers.has('X-Requested-With')) headers.set('X-Requested-With', 'XMLHttpRequest');
    }

    opts.headers = headers;
    if (!opts.credentials) opts.credentials = 'same-origin';
    return window.fetch(url, opts);
  }

  crmFetch.json = function (url, options) {
    var opts = Object.assign({}, options || {});
    var headers = new Headers(opts.headers || {});
    if (!headers.has('Accept')) headers.set('Accept', 'application/json');
    opts.headers = headers;
    return crmFetch(url, opts).then(function (resp) {
      var type = resp.headers.get('Content-Type') || '';
      var body = type.indexOf('json') !== -1
        ? resp.json().catch(function () { return null; })
        : resp.text();
      return body.then(function (data) {
        if (!resp.ok) {
          var message = (data && typeof data === 'object' && (data.message || data.error)) ||
            gettext('Request failed: %(status)s %(text)s', {status: resp.status, text: resp.statusText});
          var err = new Error(message);
          err.status = resp.status;
          err.data = data;
          throw err;
        }
        return data;
      });
    });
  };

  window.crmFetch = crmFetch;
  window.crmCsrfToken = csrfToken;

  // ---- confirmations --------------------------------------------------------
  // Capture phase so the confirmation runs before other click handlers.
  document.addEventListener('click', function (event) {
    var trigger = event.target.closest && event.target.closest('[data-confirm]');
    if (!trigger || trigger.tagName === 'FORM') return;
    if (trigger.disabled || trigger.getAttribute('aria-disabled') === 'true') return;
    if (!window.confirm(trigger.getAttribute('data-confirm') || gettext('Are you sure?'))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    } else if (trigger.form && trigger.form.hasAttribute('data-confirm')) {
      // Already confirmed via the button; don't ask again in the form's submit handler.
      trigger.form.dataset.crmConfirmed = '1';
    }
  }, true);

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form || !form.hasAttribute || !form.hasAttribute('data-confirm')) return;
    if (form.dataset.crmConfirmed === '1') {
      delete form.dataset.crmConfirmed;
      return;
    }
    if (!window.confirm(form.getAttribute('data-confirm') || gettext('Are you sure?'))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form || !form.hasAttribute || !form.hasAttribute('data-ask-reason') || event.defaultPrevented) return;
    var reason = window.prompt(form.getAttribute('data-ask-reason'));
    if (reason === null) {
      event.preventDefault();
      return;
    }
    form.elements.reason.value = reason;
  });

  document.addEventListener('change', function (event) {
    var box = event.target;
    if (!box || !box.hasAttribute || !box.hasAttribute('data-check-all')) return;
    var name = box.getAttribute('data-check-all');
    document.querySelectorAll('input[type=checkbox]:not(:disabled)').forEach(function (other) {
      if (other.name === name) other.checked = box.checked;
    });
  });

  // ---- "/" focuses the navbar's search box (or opens the search page on narrow screens) ----
  document.addEventListener('keydown', function (event) {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var box = document.getElementById('crm-search-q');
    if (box && box.offsetParent !== null) {
      event.preventDefault();
      box.focus();
    } else {
      var link = document.getElementById('crm-search-link');
      if (link) { event.preventDefault(); window.location.href = link.href; }
    }
  });

  // ---- Bootstrap niceties ----------------------------------------------------
  document.addEventListener('DOMContentLoaded', function () {
    if (!window.bootstrap) return;
    document.querySelectorAll('[data-bs-toggle="tooltip"]').forEach(function (node) {
      window.bootstrap.Tooltip.getOrCreateInstance(node);
    });
  });
})();
