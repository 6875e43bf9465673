/*
 * Reports page: one Chart.js chart per <canvas data-chart="key">, from the reports embedded as JSON in
 * <script id="report-data"> ([{key, chart, labels, series: [{label, data, axis, kind}], stacked}]).
 * A series on axis "y2" gets a second scale on the right; a series with kind "line" is drawn over bars.
 */
(function () {
  'use strict';
  var source = document.getElementById('report-data');
  if (!source || !window.Chart) return;
  var palette = ['#0d6efd', '#198754', '#fd7e14', '#6f42c1', '#dc3545', '#20c997', '#ffc107', '#6c757d'];

  function dataset(series, index) {
    var colour = palette[index % palette.length];
    return {
      label: series.label, data: series.data, yAxisID: series.axis, type: series.kind || undefined,
      backgroundColor: colour, borderColor: colour, spanGaps: false, tension: 0.2
    };
  }

  function scales(report) {
    var result = { x: { stacked: report.stacked }, y: { beginAtZero: true, stacked: report.stacked } };
    if (report.series.some(function (s) { return s.axis === 'y2'; })) {
      result.y2 = { beginAtZero: true, position: 'right', grid: { drawOnChartArea: false } };
    }
    return result;
  }

  JSON.parse(source.textContent).forEach(function (report) {
    var canvas = document.querySelector('canvas[data-chart="' + report.key + '"]');
    if (!canvas) return;
    new window.Chart(canvas, {
      type: report.chart,
      data: { labels: report.labels, datasets: report.series.map(dataset) },
      options: { responsive: true, maintainAspectRatio: false, scales: scales(report),
                 interaction: { mode: 'index', intersect: false } }
    });
  });
})();
