/* Charts of 湖北省激光产业政策平台: Apache ECharts (vendored), Hubei map shipped locally.
   Page data comes from <script type="application/json" id="page-data"> (CSP: no inline JS). */
(function () {
  "use strict";
  var MAP_NAME = "hubei";
  var charts = {};

  function pageData() {
    var el = document.getElementById("page-data");
    return el ? JSON.parse(el.textContent) : null;
  }

  function init(id) {
    var el = document.getElementById("chart-" + id);
    if (!el || typeof echarts === "undefined") return null;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    charts[id] = chart;
    return chart;
  }

  function scaleChart(ov, labels) {
    var chart = init("scale");
    if (!chart) return;
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [labels.actual, labels.target] },
      grid: { left: 50, right: 20, bottom: 30, top: 40 },
      xAxis: { type: "category", data: ov.scale.years.map(String) },
      yAxis: { type: "value" },
      series: [
        { name: labels.actual, type: "bar", data: ov.scale.actual_yi, itemStyle: { color: "#1f4e8c" } },
        { name: labels.target, type: "line", data: ov.scale.target_yi, connectNulls: true,
          itemStyle: { color: "#b5191f" }, lineStyle: { type: "dashed" } }
      ]
    });
  }

  function mapOption(ov, labels, metric) {
    var values = ov.map.map(function (c) { return c[metric]; });
    var max = Math.max.apply(null, values.concat([1]));
    return {
      tooltip: { trigger: "item", formatter: function (p) {
        var c = ov.map.find(function (x) { return x.city === p.name; }) || {};
        return p.name + "<br>" + labels.count + ": " + (c.enterprises || 0) +
               "<br>" + labels.revenue + ": " + (c.laser_revenue_yi || 0);
      } },
      visualMap: { min: 0, max: max, left: 10, bottom: 10, calculable: true,
                   inRange: { color: ["#eef3fa", "#7fa6d6", "#1f4e8c"] } },
      series: [{ name: metric === "enterprises" ? labels.count : labels.revenue, type: "map",
                 map: MAP_NAME, roam: false, label: { show: true, fontSize: 10 },
                 emphasis: { itemStyle: { areaColor: "#f5d36b" } },
                 data: ov.map.map(function (c) { return { name: c.city, value: c[metric] }; }) }]
    };
  }

  function mapChart(ov, labels) {
    var chart = init("map");
    if (!chart) return;
    fetch("/static/vendor/hubei.geojson.json").then(function (r) { return r.json(); })
      .then(function (geo) {
        echarts.registerMap(MAP_NAME, geo);
        chart.setOption(mapOption(ov, labels, "enterprises"));
        var select = document.getElementById("map-metric");
        if (select) select.addEventListener("change", function () {
          chart.setOption(mapOption(ov, labels, select.value), { replaceMerge: ["series"] });
        });
      });
  }

  function ladderChart(ov, labels) {
    var chart = init("ladder");
    if (!chart) return;
    var rows = ov.ladder.rows.slice(0, 15).reverse();
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 200, right: 40, top: 20, bottom: 30 },
      xAxis: { type: "value", name: labels.revenue_yi },
      yAxis: { type: "category", data: rows.map(function (r) { return r.name; }),
               axisLabel: { width: 190, overflow: "truncate" } },
      series: [{ type: "bar", name: labels.revenue_yi, data: rows.map(function (r) { return r.revenue_yi; }),
                 itemStyle: { color: "#1f4e8c" },
                 markLine: { symbol: "none", lineStyle: { color: "#b5191f", type: "dashed" },
                             label: { formatter: "{c}" },
                             data: ov.ladder.thresholds_yi.map(function (t) { return { xAxis: t }; }) } }]
    });
  }

  function financialsChart(ent, labels) {
    var chart = init("fin");
    if (!chart) return;
    var f = ent.financials;
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [labels.revenue, labels.laser_revenue] },
      grid: { left: 70, right: 20, bottom: 30, top: 40 },
      xAxis: { type: "category", data: f.map(function (r) { return String(r.year); }) },
      yAxis: { type: "value" },
      series: [
        { name: labels.revenue, type: "bar", data: f.map(function (r) { return r.revenue_wan; }),
          itemStyle: { color: "#1f4e8c" } },
        { name: labels.laser_revenue, type: "line", data: f.map(function (r) { return r.laser_revenue_wan; }),
          itemStyle: { color: "#b5191f" } }
      ]
    });
  }

  function budgetChart(budget, labels) {
    var chart = init("budget");
    if (!chart) return;
    var payers = budget.payers.map(function (p) { return p.payer; });
    function series(name, key, color) {
      return { name: name, type: "bar", data: budget.payers.map(function (p) { return p[key]; }),
               itemStyle: { color: color } };
    }
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [labels.committed, labels.paid, labels.pending] },
      grid: { left: 70, right: 20, bottom: 50, top: 40 },
      xAxis: { type: "category", data: payers, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value" },
      series: [series(labels.committed, "committed_wan", "#1f4e8c"),
               series(labels.paid, "paid_wan", "#1d7a33"),
               series(labels.pending, "pending_wan", "#c9a227")]
    });
  }

  function whatifChart(whatif, labels) {
    var chart = init("whatif");
    if (!chart || !whatif) return;
    var payers = whatif.payers.map(function (p) { return p.payer; });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [labels.baseline, labels.scenario] },
      grid: { left: 70, right: 20, bottom: 50, top: 40 },
      xAxis: { type: "category", data: payers, axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value" },
      series: [
        { name: labels.baseline, type: "bar", itemStyle: { color: "#7fa6d6" },
          data: whatif.payers.map(function (p) { return p.baseline_wan; }) },
        { name: labels.scenario, type: "bar", itemStyle: { color: "#b5191f" },
          data: whatif.payers.map(function (p) { return p.scenario_wan; }) }
      ]
    });
  }

  function projectsChart(pj, labels) {
    var chart = init("projects");
    if (!chart) return;
    chart.setOption({
      tooltip: { trigger: "item" },
      series: [{ type: "pie", name: labels.count, radius: ["35%", "65%"],
                 data: pj.by_status.map(function (s) { return { name: s.status, value: s.count }; }) }]
    });
  }

  function supplyChart(ch, labels) {
    var chart = init("supply");
    if (!chart) return;
    var rows = ch.supply.slice().reverse();
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
      grid: { left: 190, right: 30, top: 20, bottom: 30 },
      xAxis: { type: "value", name: labels.local_rate, max: 100 },
      yAxis: { type: "category", data: rows.map(function (s) { return s.segment + " " + s.name_zh; }),
               axisLabel: { width: 180, overflow: "truncate" } },
      series: [{ type: "bar", name: labels.local_rate, itemStyle: { color: "#1f4e8c" },
                 data: rows.map(function (s) {
                   return s.local_rate == null ? null : Math.round(s.local_rate * 1000) / 10;
                 }),
                 markLine: { symbol: "none", lineStyle: { color: "#b5191f", type: "dashed" },
                             data: [{ xAxis: ch.weak_rate * 100 }] } }]
    });
  }

  /* 基金与担保: deployment per fund (bars, against size where the text gives one),
     by purpose (pie), guarantees by year (bars) with the default rate (line) */
  function fundsCharts(fd, labels) {
    var funds = init("funds");
    if (funds) funds.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 190, right: 30, top: 20, bottom: 30 },
      xAxis: { type: "value", name: labels.amount },
      yAxis: { type: "category", data: fd.funds.map(function (f) { return f.name; }),
               axisLabel: { width: 180, overflow: "truncate" } },
      series: [{ type: "bar", name: labels.amount, itemStyle: { color: "#1f4e8c" },
                 data: fd.funds.map(function (f) { return f.amount_wan; }) }]
    });
    var purpose = init("purpose");
    if (purpose) purpose.setOption({
      tooltip: { trigger: "item" },
      series: [{ type: "pie", name: labels.amount, radius: ["35%", "65%"],
                 data: fd.by_purpose.map(function (p) { return { name: p.label, value: p.amount_wan }; }) }]
    });
    var years = fd.guarantees.filter(function (g) { return g.year !== null; });
    var guar = init("guarantees");
    if (guar) guar.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 60, right: 60, top: 40, bottom: 30 },
      xAxis: { type: "category", data: years.map(function (g) { return String(g.year); }) },
      yAxis: [{ type: "value", name: labels.guaranteed }, { type: "value", name: labels.default_rate, max: 100 }],
      series: [
        { name: labels.guaranteed, type: "bar", itemStyle: { color: "#1f4e8c" },
          data: years.map(function (g) { return g.amount_wan; }) },
        { name: labels.default_rate, type: "line", yAxisIndex: 1, itemStyle: { color: "#b5191f" },
          data: years.map(function (g) { return g.default_rate == null ? null : Math.round(g.default_rate * 1000) / 10; }) }
      ]
    });
  }

  function forms() {
    var all = document.getElementById("select-all");
    if (all) all.addEventListener("change", function () {
      document.querySelectorAll("input.pick").forEach(function (c) { c.checked = all.checked; });
    });
    var compute = document.getElementById("compute-form");
    if (compute) compute.addEventListener("submit", function () {
      document.getElementById("compute").disabled = true;
      document.getElementById("compute-progress").hidden = false;
    });
  }

  function tabs() {
    document.querySelectorAll("button.tab").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var id = btn.getAttribute("data-target");
        var table = btn.getAttribute("data-view") === "table";
        document.getElementById("chart-" + id).hidden = table;
        document.getElementById("table-" + id).hidden = !table;
        btn.parentNode.querySelectorAll("button.tab").forEach(function (b) {
          b.classList.toggle("active", b === btn);
        });
        if (!table && charts[id]) charts[id].resize();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    tabs();
    forms();
    var data = pageData();
    if (!data) return;
    if (data.page === "overview") {
      scaleChart(data.ov, data.labels);
      mapChart(data.ov, data.labels);
      ladderChart(data.ov, data.labels);
    } else if (data.page === "enterprise") {
      financialsChart(data.ent, data.labels);
    } else if (data.page === "incentives") {
      budgetChart(data.budget, data.labels);
      whatifChart(data.whatif, data.labels);
    } else if (data.page === "projects") {
      projectsChart(data.pj, data.labels);
    } else if (data.page === "chain") {
      supplyChart(data.ch, data.labels);
    } else if (data.page === "funds") {
      fundsCharts(data.fd, data.labels);
    }
    window.addEventListener("resize", function () {
      Object.keys(charts).forEach(function (k) { charts[k].resize(); });
    });
  });
})();
