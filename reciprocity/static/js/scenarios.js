/* The network view of a quota scenario (planning): net per country under the current plan and
   under the scenario, drawn from the figures of the table beside it (Apache ECharts, vendored).
   Without JavaScript the table remains. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var node = document.getElementById("scenario-network-data");
  var element = document.getElementById("chart-scenario-network");
  if (!node || !element) { return; }
  var data = JSON.parse(node.textContent);
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function esc(value) {
    return String(value === null || value === undefined ? "" : value)
      .replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }
  var chart = echarts.init(element, null, { renderer: "svg" });
  chart.setOption({
    aria: { enabled: true }, animation: false, legend: { top: 0 },
    tooltip: { trigger: "axis", formatter: function (params) {
      var lines = [esc(params[0].name)];
      params.forEach(function (p) { lines.push(p.marker + esc(p.seriesName) + ": " + esc(p.value)); });
      return lines.join("<br>");
    } },
    grid: { left: 50, right: 20, top: 40, bottom: 60 },
    xAxis: { type: "category", data: data.countries, axisLabel: { rotate: 30 } },
    yAxis: { type: "value" },
    series: [
      { name: data.labels.current, type: "bar", color: "#9e9e9e", data: data.current },
      { name: data.labels.scenario, type: "bar", color: "#1f5fa8", data: data.scenario }
    ]
  });
})();
