/*
 * Page-visit tracking for the company website (not loaded by the CRM's own pages):
 *
 *   <script src="https://crm.example.com/static/js/crm-track.js" async></script>
 *
 * A contact who followed a tracked link arrives with ?crm_t=<visitor token>; the token is kept in
 * localStorage and each page view is sent to <CRM>/t/visit with the page address. Visitors without a
 * token are not tracked. The website's origin must be listed in the CRM's CRM_TRACKING_ORIGINS.
 */
(function () {
  'use strict';
  var KEY = 'crm_t';
  var script = document.currentScript;
  if (!script) return;
  var endpoint = new URL('/t/visit', script.src).href;
  var params = new URLSearchParams(window.location.search);
  var token = params.get(KEY);
  try {
    if (token) window.localStorage.setItem(KEY, token);
    else token = window.localStorage.getItem(KEY);
  } catch (e) { /* storage blocked: this page view only */ }
  if (!token) return;
  var body = JSON.stringify({token: token, url: window.location.href.split('#')[0]});
  if (navigator.sendBeacon) {
    navigator.sendBeacon(endpoint, new Blob([body], {type: 'text/plain'}));
  } else {
    window.fetch(endpoint, {method: 'POST', body: body, mode: 'cors', credentials: 'omit', keepalive: true});
  }
})();
