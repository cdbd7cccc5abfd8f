/* Charts of the balance pages (Apache ECharts, vendored). The server prints every figure in a
   table beside its chart; this script only draws those same figures, and a click on a figure
   opens the placements behind it. Without JavaScript the tables remain. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }
  var script = document.getElementById("balance-script");
  // A figure withheld from readers outside the organisations (balance/disclosure.py) arrives as
  // its text ("< 3", "withheld"), never its value: it is not drawn (an empty bar, a gap in a
  // line, no flow, no colour) and the tooltip shows the text. point() keeps both: the value
  // drawn, the text shown. A bar is drawn at 0 rather than left out, because ECharts shows no
  // axis tooltip at all for a category whose only value is missing.
  function num(value) { return typeof value === "number" ? value : null; }
  function point(value, extra, gap) {
    var p = { value: typeof value === "number" ? value : (gap ? null : 0), shown: value };
    for (var key in extra || {}) { p[key] = extra[key]; }
    return p;
  }
  var BLUE = "#1f5fa8", ORANGE = "#d9822b", RED = "#b3261e", GREEN = "#2e7d32";

  // Tooltips are HTML: every string that comes from the data (names, references, values) goes
  // through esc(), so an agreement called `<img src=x onerror=...>` is shown as text.
  var ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function esc(value) {
    return String(value === null || value === undefined ? "" : value)
      .replace(/[&<>"']/g, function (c) { return ENTITIES[c]; });
  }

  // The axis tooltip, written here rather than left to ECharts so that what reaches the HTML is
  // escaped by us: the category, then one line per series (marker, name when several, value).
  function axisTooltip(params) {
    var list = Array.isArray(params) ? params : [params];
    if (!list.length) { return ""; }
    var lines = [esc(list[0].name)];
    list.forEach(function (p) {
      var value = p.data !== null && typeof p.data === "object" && "shown" in p.data ? p.data.shown
        : (p.value !== null && typeof p.value === "object" ? p.value.value : p.value);
      lines.push(p.marker + (list.length > 1 ? esc(p.seriesName) + ": " : "") + esc(value));
    });
    return lines.join("<br>");
  }
  var AXIS_TOOLTIP = { trigger: "axis", formatter: axisTooltip };

  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function draw(element, option, links) {
    var chart = echarts.init(element, null, { renderer: "svg" });
    option.aria = { enabled: true };
    option.animation = false;
    chart.setOption(option);
    if (links) {
      chart.on("click", function (params) {
        var index = params.data && params.data.link !== undefined ? params.data.link : params.dataIndex;
        if (typeof index === "number" && links[index]) { window.location.href = links[index]; }
      });
    }
    window.addEventListener("resize", function () { chart.resize(); });
    element.setAttribute("data-rendered", "true");
    return chart;
  }

  function sankey(element, data) {
    // Origins on the left, hosts on the right: the same country may be both, so the two
    // sides are distinct nodes ("o:" and "h:"), labelled with the country's name.
    var rows = data.rows.slice(0, 40), names = {}, nodes = [], seen = {};
    var links = rows.map(function (row, i) {
      var source = "o:" + row[1], target = "h:" + row[3];
      names[source] = row[0]; names[target] = row[2];
      [source, target].forEach(function (n) { if (!seen[n]) { seen[n] = true; nodes.push({ name: n }); } });
      return { source: source, target: target, value: num(row[4]), link: i };
    }).filter(function (l) { return l.value > 0; });
    return draw(element, {
      tooltip: { trigger: "item", formatter: function (p) {
        if (p.dataType === "edge") { return esc(names[p.data.source]) + " → " + esc(names[p.data.target]) + ": " + esc(p.data.value); }
        return esc(names[p.name]);
      } },
      series: [{ type: "sankey", data: nodes, links: links, nodeAlign: "justify",
        label: { formatter: function (p) { return names[p.name]; } },
        lineStyle: { color: "gradient", opacity: 0.4 } }]
    }, data.links);
  }

  function bars(element, data, labelCol, valueCol, color) {
    var rows = data.rows.slice(0, 15).reverse();
    var n = data.rows.slice(0, 15).length;
    return draw(element, {
      tooltip: AXIS_TOOLTIP, grid: { left: 120, right: 30, top: 10, bottom: 30 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: rows.map(function (r) { return r[labelCol]; }) },
      series: [{ type: "bar", color: color || BLUE,
        data: rows.map(function (r, i) { return point(r[valueCol], { link: n - 1 - i }); }) }]
    }, data.links);
  }

  function series(element, data) {
    var years = data.rows.map(function (r) { return String(r[0]); });
    return draw(element, {
      tooltip: AXIS_TOOLTIP, legend: { top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: years }, yAxis: { type: "value" },
      series: [
        { name: data.headings[1], type: "line", color: BLUE, data: data.rows.map(function (r) { return point(r[1], null, true); }) },
        { name: data.headings[2], type: "line", color: ORANGE, data: data.rows.map(function (r) { return point(r[2], null, true); }) }
      ]
    }, data.links);
  }

  function schemes(element, data) {
    var labels = data.rows.map(function (r) { return r[0]; });
    return draw(element, {
      tooltip: AXIS_TOOLTIP, legend: { top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: labels }, yAxis: { type: "value" },
      series: [
        { name: data.headings[1], type: "bar", color: BLUE, data: data.rows.map(function (r) { return point(r[1]); }) },
        { name: data.headings[2], type: "bar", color: ORANGE, data: data.rows.map(function (r) { return point(r[2]); }) }
      ]
    }, data.links);
  }

  function agreements(element, data) {
    // Position (column 7) against the tolerance (column 8).
    return draw(element, {
      tooltip: AXIS_TOOLTIP, grid: { left: 110, right: 30, top: 10, bottom: 30 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: data.rows.map(function (r) { return r[0]; }) },
      series: [{ type: "bar", data: data.rows.map(function (r) {
        return { value: r[7], itemStyle: { color: r[9] ? GREEN : RED } };
      }) }]
    }, data.links);
  }

  function worldMap(element, data) {
    var url = script && script.getAttribute("data-world");
    function fallback() {
      // No map outline available: the same figures as bars per country.
      element.setAttribute("data-fallback", "bars");
      return bars(element, data, 0, 4, BLUE);
    }
    if (!url || typeof fetch === "undefined") { return fallback(); }
    fetch(url).then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (geo) {
        echarts.registerMap("world", geo);
        // The scale stops at the second largest net, so that one very large country (the
        // coordinator's) does not wash out all the others; beyond it, the extreme colour.
        var nets = data.rows.map(function (r) { return Math.abs(num(r[4]) || 0); }).sort(function (a, b) { return b - a; });
        var max = Math.max(1, nets.length > 1 ? nets[1] : (nets[0] || 1));
        draw(element, {
          tooltip: { trigger: "item", formatter: function (p) {
            var r = p.data && data.rows[p.data.link];
            return r ? esc(r[0]) + ": " + esc(data.headings[2]) + " " + esc(r[2]) + ", " + esc(data.headings[3]) + " " + esc(r[3]) + ", " + esc(data.headings[4]) + " " + esc(r[4]) : esc(p.name);
          } },
          visualMap: { min: -max, max: max, calculable: true, left: 10, bottom: 10,
            inRange: { color: [ORANGE, "#f5f5f5", BLUE] }, text: [data.headings[2], data.headings[3]] },
          series: [{ type: "map", map: "world", roam: true, nameProperty: "name",
            emphasis: { label: { show: false } },
            data: data.rows.map(function (r, i) { return { name: r[1], value: num(r[4]), link: i }; }) }]
        }, data.links);
      })
      .catch(fallback);
  }

  function position(element, data) {
    return draw(element, {
      tooltip: AXIS_TOOLTIP, legend: { top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "category", data: data.years.map(String) }, yAxis: { type: "value" },
      series: [
        { name: data.labels.position, type: "bar", color: BLUE, data: data.position,
          markLine: { symbol: "none", lineStyle: { color: RED, type: "dashed" },
            data: [{ yAxis: data.tolerance }, { yAxis: -data.tolerance }] } },
        { name: data.labels.forecast, type: "line", color: ORANGE, data: data.forecast }
      ]
    });
  }

  var all = readJSON("balance-data") || {};
  document.querySelectorAll(".chart[data-kind]").forEach(function (element) {
    var kind = element.getAttribute("data-kind"), data = all[element.getAttribute("data-dataset")];
    if (kind === "sankey") { sankey(element, data); }
    else if (kind === "map") { worldMap(element, data); }
    else if (kind === "series") { series(element, data); }
    else if (kind === "bars") { bars(element, data, 0, 2, BLUE); }
    else if (kind === "schemes") { schemes(element, data); }
    else if (kind === "agreements") { agreements(element, data); }
    else if (kind === "position") { position(element, readJSON("agreement-data")); }
    else if (kind === "annual") {
      var rows = (readJSON("annual-data") || []).map(function (r) { return [r[1], r[0], r[2]]; });
      bars(element, { rows: rows, links: [] }, 0, 2, BLUE);
    }
  });
})();
