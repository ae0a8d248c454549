/* The one-screen cockpit: the trend chart (Apache ECharts, vendored) from the page's JSON, the
   map's layer switch, and the refresh every ``data-refresh-seconds``: the screen's content is
   fetched again (the server recomputes figures older than that) and swapped in, with the data
   time it was computed at. A failed fetch keeps the figures and marks their time as stale. */
(function () {
  var charts = [];
  var timer = null, ticker = null, due = 0;

  function go(key, query) { window.location.href = "/cockpit/d/" + key + "/?" + query; }

  function draw(root) {
    charts.forEach(function (c) { c.dispose(); });
    charts = [];
    var node = root.querySelector("#cockpit-data");
    var el = root.querySelector("#trend-chart");
    if (!node || !el || !window.echarts) return;
    var data = JSON.parse(node.textContent);
    var t = data.trend, s = t.series;
    var narrow = window.matchMedia("(max-width: 47.99em)").matches;
    var lines = [
      ["incidents_total", "事件", "bar"], ["incidents_closed", "已办结", "bar"], ["cases_total", "案件", "bar"],
      ["cases_decided", "处罚决定", "bar"], ["inspections_total", "检查", "line"], ["alerts_raised", "预警", "line"]
    ].filter(function (l) { return s[l[0]]; });
    var series = lines.map(function (l) { return {name: l[1], type: l[2], data: s[l[0]], key: l[0]}; });
    series.push({name: "按期反馈率", type: "line", yAxisIndex: 1, data: t.incidents_on_time_share, connectNulls: true,
                 key: "incidents_on_time"});
    var size = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    var text = {color: "#c9d6e3", fontSize: Math.round(size * 0.7)};
    var c = echarts.init(el, null, {renderer: "canvas"});
    c.setOption({
      textStyle: text,
      tooltip: {trigger: "axis"},
      legend: {type: "scroll", top: 0, textStyle: text, pageTextStyle: text},
      grid: {left: size * 0.5, right: size * 0.5, bottom: size * 0.3, top: size * 1.8, containLabel: true},
      xAxis: {type: "category", data: t.months, axisLabel: {rotate: narrow ? 45 : 0, color: text.color, fontSize: text.fontSize}},
      yAxis: [{type: "value", minInterval: 1, axisLabel: text, splitLine: {lineStyle: {color: "#1f3a5c"}}},
              {type: "value", min: 0, max: 100, axisLabel: {formatter: "{value}%", color: text.color, fontSize: text.fontSize},
               splitLine: {show: false}}],
      series: series
    });
    c.on("click", function (p) { go(series[p.seriesIndex].key, "month=" + t.months[p.dataIndex]); });
    el.dataset.rendered = "1";
    charts.push(c);
  }

  function layers(root) {
    root.querySelectorAll(".map-toggle button").forEach(function (button) {
      button.addEventListener("click", function () {
        var layer = button.dataset.layer;
        root.querySelectorAll(".map-toggle button").forEach(function (b) { b.classList.toggle("is-on", b === button); });
        root.querySelectorAll(".map-layer").forEach(function (g) { g.classList.toggle("is-off", g.dataset.layer !== layer); });
        var svg = root.querySelector(".township-map");
        if (svg) svg.classList.toggle("show-cases", layer === "cases");
      });
    });
  }

  function screen() { return document.getElementById("cockpit-screen"); }

  function schedule() {
    var root = screen();
    if (!root) return;
    var seconds = parseInt(root.dataset.refreshSeconds, 10) || 60;
    due = Date.now() + seconds * 1000;
    clearTimeout(timer);
    timer = setTimeout(refresh, seconds * 1000);
  }

  function tick() {
    var root = screen();
    var out = root && root.querySelector(".screen-countdown");
    if (out) out.textContent = "（" + Math.max(0, Math.ceil((due - Date.now()) / 1000)) + " 秒后刷新）";
  }

  function refresh() {
    var root = screen();
    fetch(root.dataset.screenUrl, {headers: {"X-Requested-With": "fetch"}, credentials: "same-origin"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
      .then(function (html) {
        var holder = document.createElement("div");
        holder.innerHTML = html.trim();
        var fresh = holder.firstElementChild;
        if (!fresh || fresh.id !== "cockpit-screen") throw new Error("unexpected content");
        root.replaceWith(fresh);
        layers(fresh);
        draw(fresh);
        document.dispatchEvent(new CustomEvent("cockpit:refreshed"));
      })
      .catch(function () {
        var stamp = screen().querySelector(".screen-stamp");
        if (stamp) stamp.classList.add("is-stale");
      })
      .then(schedule);
  }

  var root = screen();
  if (!root) return;
  layers(root);
  draw(root);
  schedule();
  ticker = setInterval(tick, 1000);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
