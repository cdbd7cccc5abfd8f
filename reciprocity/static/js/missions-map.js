/* The catalogue's map (Apache ECharts and the world outlines, both vendored): the number of
   published missions per host country, the same figures as the table beside it, which stays
   the reference (and all there is without JavaScript or when the outlines cannot load). A
   click on a country lists its missions. */
(function () {
  "use strict";
  var script = document.getElementById("missions-map-script");
  var element = document.getElementById("chart-missions-map");
  var node = document.getElementById("missions-map-data");
  if (typeof echarts === "undefined" || !script || !element || !node) { return; }
  var data = JSON.parse(node.textContent);
  var url = script.getAttribute("data-world");
  if (!url || typeof fetch === "undefined" || !data.rows.length) { return; }

  // Names come from the data: escaped before they reach the tooltip's HTML.
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function esc(value) {
    return String(value === null || value === undefined ? "" : value)
      .replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }

  fetch(url).then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
    .then(function (geo) {
      echarts.registerMap("world", geo);
      var max = Math.max.apply(null, data.rows.map(function (r) { return r[2]; }).concat([1]));
      var chart = echarts.init(element, null, { renderer: "svg" });
      chart.setOption({
        aria: { enabled: true }, animation: false,
        tooltip: { trigger: "item", formatter: function (p) {
          var r = p.data && data.rows[p.data.link];
          return r ? esc(r[0]) + ": " + esc(data.headings[1]) + " " + esc(r[2]) + ", "
            + esc(data.headings[2]) + " " + esc(r[3]) : esc(p.name);
        } },
        visualMap: { min: 0, max: max, left: 10, bottom: 10, calculable: true,
          inRange: { color: ["#dbe7f5", "#1f5fa8"] }, text: [String(max), "0"] },
        series: [{ type: "map", map: "world", roam: true, nameProperty: "name",
          emphasis: { label: { show: false } },
          data: data.rows.map(function (r, i) { return { name: r[1], value: r[2], link: i }; }) }]
      });
      chart.on("click", function (p) {
        if (p.data && typeof p.data.link === "number" && data.links[p.data.link]) {
          window.location.href = data.links[p.data.link];
        }
      });
      window.addEventListener("resize", function () { chart.resize(); });
      element.setAttribute("data-rendered", "true");
    })
    .catch(function () { element.setAttribute("data-fallback", "table"); });
})();
