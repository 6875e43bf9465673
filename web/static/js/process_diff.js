/*
 * Version diff page: shows each version's diagram (CrmDiagram from diagram.js) and colours the elements
 * listed in data-markers ({"css-class": [element ids]}) on containers with class js-diff-diagram.
 */
(function () {
  'use strict';

  function colour(viewer, markers) {
    var canvas = viewer.get('canvas');
    var registry = viewer.get('elementRegistry');
    Object.keys(markers).forEach(function (cssClass) {
      markers[cssClass].forEach(function (id) {
        if (registry.get(id)) canvas.addMarker(id, cssClass);
      });
    });
  }

  document.querySelectorAll('.js-diff-diagram').forEach(function (node) {
    node.style.height = node.dataset.height || '50vh';
    var markers = JSON.parse(node.dataset.markers || '{}');
    var changed = Object.keys(markers).reduce(function (ids, key) { return ids.concat(markers[key]); }, []);
    window.CrmDiagram.show(node, node.dataset.xmlUrl, { focus: changed }).then(function (viewer) {
      if (viewer) colour(viewer, markers);
    });
  });
})();
