// The monthly chart and the progress bars of the statistics dashboard. The figures
// come from the page (json_script), which came from the same selector as the API.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".progress-bar[data-width]").forEach(function (bar) {
    bar.style.width = Math.min(100, Number(bar.dataset.width)) + "%";
  });
  var holder = document.getElementById("month-chart");
  var source = document.getElementById("month-data");
  if (!holder || !source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var labels = JSON.parse(holder.dataset.labels);
  var chart = echarts.init(holder);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 24 },
    xAxis: { type: "category", data: data.months.map(function (m) { return m.month; }) },
    yAxis: { type: "value" },
    series: data.domains.map(function (domain) {
      return {
        name: labels[domain],
        type: "bar",
        stack: "total",
        data: data.months.map(function (m) { return m[domain]; }),
      };
    }),
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
