/* Charts of the cockpit (Apache ECharts, vendored). The numbers come from the page's JSON
   (the same selector as the figures); a click on a chart opens the drill-down behind it. */
(function () {
  var node = document.getElementById("cockpit-data");
  if (!node || !window.echarts) return;
  var data = JSON.parse(node.textContent);
  var charts = [];
  var narrow = window.matchMedia("(max-width: 47.99rem)").matches;
  // On a phone the tables behind the charts start folded; the figures and charts come first.
  if (narrow) document.querySelectorAll("details.cockpit-more").forEach(function (d) { d.open = false; });

  function chart(id, option, onClick) {
    var el = document.getElementById(id);
    if (!el) return;
    var c = echarts.init(el, null, {renderer: "canvas"});
    c.setOption(option);
    if (onClick) c.on("click", onClick);
    el.dataset.rendered = "1";
    charts.push(c);
  }

  function go(key, query) { window.location.href = "d/" + key + "/?" + query; }

  var t = data.trend, s = t.series;
  var lines = [
    ["incidents_total", "事件", "bar"], ["incidents_closed", "已办结事件", "bar"], ["cases_total", "案件", "bar"],
    ["cases_decided", "处罚决定", "bar"], ["inspections_total", "检查", "line"], ["alerts_raised", "预警", "line"]
  ].filter(function (l) { return s[l[0]]; });
  var series = lines.map(function (l) { return {name: l[1], type: l[2], data: s[l[0]], key: l[0]}; });
  series.push({name: "事件按期反馈率", type: "line", yAxisIndex: 1, data: t.incidents_on_time_share, connectNulls: true,
               key: "incidents_on_time"});
  chart("trend-chart", {
    tooltip: {trigger: "axis"},
    legend: {type: "scroll", top: 0},
    grid: {left: 36, right: 40, bottom: 28, top: 36, containLabel: true},
    xAxis: {type: "category", data: t.months, axisLabel: {rotate: narrow ? 45 : 0}},
    yAxis: [{type: "value", minInterval: 1}, {type: "value", min: 0, max: 100, axisLabel: {formatter: "{value}%"}}],
    series: series
  }, function (p) { go(series[p.seriesIndex].key, "month=" + t.months[p.dataIndex]); });

  var towns = data.townships;
  chart("township-chart", {
    tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
    legend: {top: 0},
    grid: {left: 8, right: 16, bottom: 8, top: 36, containLabel: true},
    xAxis: {type: "value", minInterval: 1},
    yAxis: {type: "category", data: towns.map(function (r) { return r.name; }), inverse: true,
            axisLabel: {fontSize: narrow ? 10 : 12}},
    series: [
      {name: "事件", type: "bar", data: towns.map(function (r) { return r.incidents_total; }), key: "incidents_total"},
      {name: "已办结", type: "bar", data: towns.map(function (r) { return r.incidents_closed; }), key: "incidents_closed"},
      {name: "当前超期", type: "bar", data: towns.map(function (r) { return r.incidents_overdue; }), key: "incidents_overdue"}
    ]
  }, function (p) {
    var keys = ["incidents_total", "incidents_closed", "incidents_overdue"];
    go(keys[p.seriesIndex], "township=" + towns[p.dataIndex].id);
  });
  var el = document.getElementById("township-chart");
  if (el && towns.length > 8) el.style.height = Math.max(300, towns.length * 34 + 60) + "px";
  charts.forEach(function (c) { c.resize(); });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
