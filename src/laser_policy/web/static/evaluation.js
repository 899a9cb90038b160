/* 政策效果评估: the event-study chart (effect by year relative to support, with its 95 %
   interval). Loaded with defer after ECharts; data from <script id="page-data"> (CSP). */
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("chart-event");
    var src = document.getElementById("page-data");
    if (!el || !src || typeof echarts === "undefined") return;
    var data = JSON.parse(src.textContent);
    if (data.page !== "evaluation" || !data.events.length) return;
    var rows = data.events;
    var labels = data.labels;
    var round = function (v) { return v == null ? null : Math.round(v * 10) / 10; };
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: { trigger: "axis", formatter: function (params) {
        var r = rows[params[0].dataIndex];
        var pct = function (v) { return v == null ? "—" : round(v) + "%"; };
        return labels.relative_year + " " + params[0].name + "<br>" + labels.estimate + " " +
          pct(r.estimate_pct) + "<br>" + labels.interval + " " + pct(r.ci_low_pct) + " – " +
          pct(r.ci_high_pct);
      } },
      legend: { top: 0, data: [labels.estimate, labels.interval] },
      grid: { left: 60, right: 30, top: 40, bottom: 50 },
      xAxis: { type: "category", name: labels.relative_year, nameLocation: "middle", nameGap: 30,
               data: rows.map(function (r) { return (r.relative_year > 0 ? "+" : "") + r.relative_year; }) },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      series: [
        { name: labels.interval, type: "candlestick", barMaxWidth: 26,
          itemStyle: { color: "rgba(31, 78, 140, 0.18)", color0: "rgba(31, 78, 140, 0.18)",
                       borderColor: "#8fa7c9", borderColor0: "#8fa7c9" },
          data: rows.map(function (r) {
            if (r.ci_low_pct == null || r.ci_high_pct == null) return "-";
            var lo = round(r.ci_low_pct), hi = round(r.ci_high_pct);
            return [lo, hi, lo, hi];
          }) },
        { name: labels.estimate, type: "line", itemStyle: { color: "#1f4e8c" }, z: 3,
          data: rows.map(function (r) { return round(r.estimate_pct); }),
          markLine: { symbol: "none", silent: true, label: { show: false },
                      lineStyle: { color: "#b5191f", type: "dashed" },
                      data: [{ yAxis: 0 }, { xAxis: "0" }] } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
    document.querySelectorAll('button.tab[data-target="event"]').forEach(function (b) {
      b.addEventListener("click", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
