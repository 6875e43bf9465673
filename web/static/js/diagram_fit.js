/*
 * Open a BPMN diagram fitted to its content, at a readable size (issue 13 item 5).
 *
 * bpmn-js's own 'fit-viewport' fits the whole drawing, pools and lanes included: a 9,260 px pool around
 * 3,600 px of tasks came out zoomed out to unreadable. This fits the bounding box of the flow elements
 * (tasks, events, gateways, flows and their labels) instead and never goes below MIN_ZOOM: a diagram too
 * big for the box opens at that zoom at its start (or centred on the focused elements, e.g. the current
 * task) and the reader scrolls or drags to the rest.
 *
 *   crmFitDiagram(diagram, focusIds) -> scale   (diagram: a bpmn-js viewer or modeler, already imported)
 *
 * Plain script (no bundler): loaded before diagram.js by _macros.html bpmn_viewer_js() and by the modeler
 * page before its bundle.
 */
(function () {
  'use strict';

  var MIN_ZOOM = 0.7;   // a 100 px task is 70 px wide on screen: its label stays readable
  var MAX_ZOOM = 1.2;   // a small diagram does not balloon
  var PADDING = 24;     // screen pixels around the content
  var CONTAINERS = /^bpmn:(Participant|Lane|Process|Collaboration)$/;

  /** The box around the given elements (shapes, labels and connection waypoints), or null. */
  function boundsOf(elements) {
    var box = null;
    function add(x, y, width, height) {
      if (![x, y, width, height].every(isFinite)) return;
      if (!box) box = { x1: x, y1: y, x2: x + width, y2: y + height };
      box.x1 = Math.min(box.x1, x); box.y1 = Math.min(box.y1, y);
      box.x2 = Math.max(box.x2, x + width); box.y2 = Math.max(box.y2, y + height);
    }
    elements.forEach(function (element) {
      if (element.waypoints) {
        element.waypoints.forEach(function (point) { add(point.x, point.y, 0, 0); });
      } else {
        add(element.x, element.y, element.width, element.height);
      }
    });
    return box && { x: box.x1, y: box.y1, width: box.x2 - box.x1, height: box.y2 - box.y1 };
  }

  function isContent(element, root) {
    var shown = element.labelTarget || element;
    return element !== root && !CONTAINERS.test(shown.type || '');
  }

  /** Start of the visible window along one axis: centred when the content fits, else at its start
   * (or centred on the focus, kept inside the content). */
  function start(contentStart, contentSize, visibleSize, focusCentre) {
    if (contentSize <= visibleSize) return contentStart + contentSize / 2 - visibleSize / 2;
    if (focusCentre == null) return contentStart;
    var wanted = focusCentre - visibleSize / 2;
    return Math.max(contentStart, Math.min(wanted, contentStart + contentSize - visibleSize));
  }

  function fit(diagram, focusIds) {
    var canvas = diagram.get('canvas');
    var registry = diagram.get('elementRegistry');
    canvas.resized();
    var outer = canvas.viewbox().outer;
    if (!outer.width || !outer.height) return canvas.zoom();  // hidden: fitted again when shown
    var root = canvas.getRootElement();
    var content = boundsOf(registry.filter(function (element) { return isContent(element, root); }));
    if (!content) {
      canvas.zoom('fit-viewport', 'auto');
      return canvas.zoom();
    }
    var scale = Math.min((outer.width - 2 * PADDING) / content.width,
      (outer.height - 2 * PADDING) / content.height, MAX_ZOOM);
    scale = Math.max(scale, MIN_ZOOM);
    var padded = PADDING / scale;
    var box = {
      x: content.x - padded, y: content.y - padded,
      width: content.width + 2 * padded, height: content.height + 2 * padded
    };
    var focus = boundsOf((focusIds || []).map(function (id) { return registry.get(id); }).filter(Boolean));
    var visibleWidth = outer.width / scale;
    var visibleHeight = outer.height / scale;
    canvas.viewbox({
      x: start(box.x, box.width, visibleWidth, focus && focus.x + focus.width / 2),
      y: start(box.y, box.height, visibleHeight, focus && focus.y + focus.height / 2),
      width: visibleWidth,
      height: visibleHeight
    });
    return canvas.zoom();
  }

  window.crmFitDiagram = fit;
})();
