/*
 * Opens the Bootstrap tab named in the address (#contacts opens the button #tab-contacts), so a redirect
 * to /customers/7#contacts lands on what just changed. Needs bootstrap.bundle.
 */
(function () {
  'use strict';

  function show() {
    var tab = document.getElementById('tab-' + location.hash.slice(1));
    if (tab && window.bootstrap) window.bootstrap.Tab.getOrCreateInstance(tab).show();
  }

  document.addEventListener('DOMContentLoaded', show);
  window.addEventListener('hashchange', show);
})();
