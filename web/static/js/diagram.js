/*
 * BPMN diagram viewer with state markers and heat overlays.
 *
 * Needs the global `BpmnJS` from vendor/bpmn-js/bpmn-navigated-viewer.production.min.js and `crmFitDiagram`
 * from diagram_fit.js (load both before this file; _macros.html bpmn_viewer_js() emits the three tags). The bpmn-js stylesheets are linked automatically
 * (relative to this script) when the page does not already link them (bpmn_viewer_css()).
 *
 * API
 *   CrmDiagram.show(containerEl, xmlUrl, markers)  -> Promise<viewer|null>
 *   CrmDiagram.showXml(containerEl, xml, markers)  -> Promise<viewer|null>
 *   CrmDiagram.applyMarkers(viewer, markers)       -> void (replaces earlier markers/overlays)
 *   CrmDiagram.renderAll(root = document)          -> Promise<Array<viewer|null>>
 *
 *   markers = {
 *     current:   ["Task_1", ...],   // CSS class crm-current
 *     completed: ["Start_1", ...],  // CSS class crm-completed
 *     error:     ["Task_9", ...],   // CSS class crm-error
 *     heat:      {"Task_1": 12, "Task_2": 3.5}  // numeric badge per element, coloured by value / max
 *     focus:     ["Task_1", ...]    // a diagram too big for its box opens centred on these (default: current)
 *   }
 *   All keys are optional; unknown element ids are ignored (logged to the console).
 *   On failure a readable message is shown inside the container and the promise resolves to null.
 *
 * Automatic rendering on DOMContentLoaded:
 *   <div class="js-bpmn-diagram" data-xml-url="/processes/3/diagram.bpmn"
 *        data-markers='{{ markers|tojson }}'></div>
 *   (single quotes around the attribute: Jinja's tojson escapes ', <, > and &.)
 *   Optional: data-height="400px" sets the container height (default from .crm-diagram in app.css).
 */
(function () {
  'use strict';
  var _ = window.crmGettext;

  var MARKER_CLASSES = { current: 'crm-current', completed: 'crm-completed', error: 'crm-error' };
  var VIEWER_KEY = '__crmViewer';
  var FOCUS_KEY = '__crmFocus';  // the elements a too-big diagram opens centred on (the current tasks)

  // The bpmn-js stylesheets, relative to this script (static/js/diagram.js -> static/vendor/...).
  // Injected once unless the page already links them (e.g. via the bpmn_viewer_css() macro).
  var SCRIPT_SRC = document.currentScript && document.currentScript.src;
  var VIEWER_CSS = [
    '../vendor/bpmn-js/assets/diagram-js.css',
    '../vendor/bpmn-js/assets/bpmn-js.css',
    '../vendor/bpmn-js/assets/bpmn-font/css/bpmn.css'
  ];

  function ensureViewerCss() {
    if (!SCRIPT_SRC) return;
    VIEWER_CSS.forEach(function (rel) {
      var href = new URL(rel, SCRIPT_SRC).href;
      var file = rel.split('/').pop();
      var present = Array.prototype.some.call(
        document.querySelectorAll('link[rel="stylesheet"]'),
        function (link) { return link.href.split('?')[0].slice(-file.length - 1) === '/' + file; }
      );
      if (!present) {
        var link = document.createElement('link');
        link.rel = 'stylesheet';
        link.href = href;
        document.head.appendChild(link);
      }
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function clearStatus(container) {
    container.querySelectorAll(':scope > .crm-diagram-loading, :scope > .crm-diagram-error')
      .forEach(function (n) { n.remove(); });
  }

  function showLoading(container) {
    clearStatus(container);
    var box = el('div', 'crm-diagram-loading text-body-secondary');
    box.appendChild(el('span', 'spinner-border spinner-border-sm me-2'));
    box.appendChild(el('span', null, _('Loading diagram…')));
    box.firstChild.setAttribute('aria-hidden', 'true');
    container.appendChild(box);
  }

  function showError(container, message) {
    clearStatus(container);
    var box = el('div', 'crm-diagram-error');
    var alert = el('div', 'alert alert-warning mb-0 d-flex align-items-start gap-2 text-start');
    alert.setAttribute('role', 'alert');
    var icon = el('i', 'bi bi-exclamation-triangle-fill flex-shrink-0');
    icon.setAttribute('aria-hidden', 'true');
    var body = el('div');
    body.appendChild(el('strong', null, _('The process diagram could not be shown.')));
    body.appendChild(el('div', 'small', message));
    alert.appendChild(icon);
    alert.appendChild(body);
    box.appendChild(alert);
    container.appendChild(box);
  }

  function describeError(err) {
    if (!err) return _('Unknown error.');
    var msg = err.message || String(err);
    if (/no diagram to display/i.test(msg)) {
      return _('The BPMN file contains no diagram layout (BPMNDiagram / DI information).');
    }
    if (/unparsable content|failed to parse/i.test(msg)) {
      return _('The BPMN file is not valid XML: %(problem)s', {problem: msg});
    }
    return msg;
  }

  function fitViewport(viewer) {
    try {
      window.crmFitDiagram(viewer, viewer[FOCUS_KEY]);
    } catch (e) {
      /* container not visible yet; the ResizeObserver retries */
    }
  }

  function addTools(container, viewer) {
    var old = container.querySelector(':scope > .crm-diagram-tools');
    if (old) old.remove();
    var group = el('div', 'crm-diagram-tools btn-group btn-group-sm shadow-sm');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', _('Diagram zoom'));
    var canvas = viewer.get('canvas');
    [
      ['zoom-in', _('Zoom in'), function () { canvas.zoom(canvas.zoom() * 1.2); }],
      ['zoom-out', _('Zoom out'), function () { canvas.zoom(canvas.zoom() / 1.2); }],
      ['arrows-fullscreen', _('Fit to view'), function () { fitViewport(viewer); }]
    ].forEach(function (def) {
      var btn = el('button', 'btn btn-light border');
      btn.type = 'button';
      btn.title = def[1];
      btn.setAttribute('aria-label', def[1]);
      var i = el('i', 'bi bi-' + def[0]);
      i.setAttribute('aria-hidden', 'true');
      btn.appendChild(i);
      btn.addEventListener('click', def[2]);
      group.appendChild(btn);
    });
    container.appendChild(group);
  }

  function watchSize(container, viewer) {
    if (!('ResizeObserver' in window)) return;
    var wasHidden = container.clientWidth === 0 || container.clientHeight === 0;
    var ro = new ResizeObserver(function () {
      var hidden = container.clientWidth === 0 || container.clientHeight === 0;
      if (wasHidden && !hidden) {
        // Became visible (e.g. a tab or collapse was opened): fit again.
        viewer.get('canvas').resized();
        fitViewport(viewer);
      }
      wasHidden = hidden;
    });
    ro.observe(container);
    viewer.on('diagram.destroy', function () { ro.disconnect(); });
  }

  function heatStyle(ratio) {
    // Pale yellow (low) -> orange -> deep red (high).
    var r = Math.max(0, Math.min(1, ratio));
    var hue = Math.round(52 - 52 * r);
    var light = Math.round(78 - 34 * r);
    return {
      background: 'hsl(' + hue + ', 90%, ' + light + '%)',
      color: light > 58 ? '#212529' : '#fff'
    };
  }

  var numberFormat = (window.Intl && Intl.NumberFormat)
    ? new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 })
    : { format: function (n) { return String(Math.round(n * 10) / 10); } };

  function applyMarkers(viewer, markers) {
    var canvas = viewer.get('canvas');
    var registry = viewer.get('elementRegistry');
    var overlays = viewer.get('overlays');
    markers = markers || {};

    // Remove what an earlier call added so the function can be re-applied (e.g. after polling).
    registry.forEach(function (element) {
      Object.keys(MARKER_CLASSES).forEach(function (key) {
        canvas.removeMarker(element, MARKER_CLASSES[key]);
      });
    });
    overlays.remove({ type: 'crm-heat' });

    var missing = [];
    Object.keys(MARKER_CLASSES).forEach(function (key) {
      (markers[key] || []).forEach(function (id) {
        var element = registry.get(id);
        if (element) {
          canvas.addMarker(element, MARKER_CLASSES[key]);
        } else {
          missing.push(id);
        }
      });
    });

    var heat = markers.heat || {};
    var ids = Object.keys(heat).filter(function (id) {
      var ok = registry.get(id) && isFinite(Number(heat[id]));
      if (!registry.get(id)) missing.push(id);
      return ok;
    });
    var max = ids.reduce(function (m, id) { return Math.max(m, Number(heat[id])); }, 0);
    ids.forEach(function (id) {
      var value = Number(heat[id]);
      var style = heatStyle(max > 0 ? value / max : 0);
      var badge = el('span', 'crm-heat', numberFormat.format(value));
      badge.style.background = style.background;
      badge.style.color = style.color;
      badge.title = id + ': ' + value;
      var element = registry.get(id);
      // Shapes: top-right corner. Sequence flows: the middle of their bounding box.
      var position = { top: -10, right: 18 };
      if (element.waypoints) {
        var xs = element.waypoints.map(function (p) { return p.x; });
        var ys = element.waypoints.map(function (p) { return p.y; });
        position = {
          top: Math.round((Math.max.apply(null, ys) - Math.min.apply(null, ys)) / 2) - 10,
          left: Math.round((Math.max.apply(null, xs) - Math.min.apply(null, xs)) / 2) - 12
        };
      }
      overlays.add(element, 'crm-heat', { position: position, html: badge });
    });

    if (missing.length && window.console) {
      console.warn('CrmDiagram: unknown element ids ignored:', missing);
    }
  }

  function createViewer(container) {
    ensureViewerCss();
    if (typeof window.BpmnJS !== 'function') {
      throw new Error('The BPMN viewer script (bpmn-navigated-viewer) is not loaded on this page.');
    }
    if (container[VIEWER_KEY]) {
      container[VIEWER_KEY].destroy();
      container[VIEWER_KEY] = null;
    }
    container.classList.add('crm-diagram');
    var viewer = new window.BpmnJS({ container: container });
    container[VIEWER_KEY] = viewer;
    return viewer;
  }

  function showXml(container, xml, markers) {
    if (!container) return Promise.resolve(null);
    container.classList.add('crm-diagram');
    var viewer;
    return Promise.resolve()
      .then(function () {
        viewer = createViewer(container);
        showLoading(container);
        return viewer.importXML(xml);
      })
      .then(function (result) {
        clearStatus(container);
        if (result && result.warnings && result.warnings.length && window.console) {
          console.warn('CrmDiagram: import warnings', result.warnings);
        }
        viewer[FOCUS_KEY] = (markers && (markers.focus || markers.current || markers.error)) || [];
        fitViewport(viewer);
        applyMarkers(viewer, markers);
        addTools(container, viewer);
        watchSize(container, viewer);
        container.dispatchEvent(new CustomEvent('crm:diagram-ready', { detail: { viewer: viewer }, bubbles: true }));
        return viewer;
      })
      .catch(function (err) {
        if (window.console) console.error('CrmDiagram:', err);
        showError(container, describeError(err));
        return null;
      });
  }

  function show(container, xmlUrl, markers) {
    if (!container) return Promise.resolve(null);
    container.classList.add('crm-diagram');
    showLoading(container);
    if (!xmlUrl) {
      showError(container, _('No diagram URL was given.'));
      return Promise.resolve(null);
    }
    return fetch(xmlUrl, { credentials: 'same-origin', headers: { Accept: 'application/xml, text/xml, */*' } })
      .then(function (resp) {
        if (!resp.ok) {
          throw new Error(_('The server answered %(status)s for %(url)s.',
            {status: resp.status + (resp.statusText ? ' ' + resp.statusText : ''), url: xmlUrl}));
        }
        return resp.text();
      }, function (err) {
        throw new Error(_('Network error while loading %(url)s (%(problem)s).',
          {url: xmlUrl, problem: (err && err.message) || err}));
      })
      .then(function (xml) { return showXml(container, xml, markers); })
      .catch(function (err) {
        if (window.console) console.error('CrmDiagram:', err);
        showError(container, describeError(err));
        return null;
      });
  }

  function renderAll(root) {
    var nodes = (root || document).querySelectorAll('.js-bpmn-diagram');
    return Promise.all(Array.prototype.map.call(nodes, function (node) {
      if (node.dataset.height) {
        node.style.height = node.dataset.height;
        node.style.minHeight = '0';
      }
      var markers = {};
      if (node.dataset.markers) {
        try {
          markers = JSON.parse(node.dataset.markers) || {};
        } catch (e) {
          node.classList.add('crm-diagram');
          showError(node, _('The diagram markers (data-markers) are not valid JSON.'));
          return Promise.resolve(null);
        }
      }
      return show(node, node.dataset.xmlUrl, markers);
    }));
  }

  window.CrmDiagram = {
    show: show,
    showXml: showXml,
    applyMarkers: applyMarkers,
    renderAll: renderAll,
    viewerOf: function (container) { return container ? container[VIEWER_KEY] || null : null; }
  };

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { renderAll(document); });
  } else {
    renderAll(document);
  }
})();
