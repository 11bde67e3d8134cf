// Bar charts of a survey's results: one per choice or rating question. The
// figures come from the page (json_script), computed by surveys.selectors.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("survey-charts");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var charts = [];
  JSON.parse(source.textContent).forEach(function (data) {
    var holder = document.getElementById(data.id);
    if (!holder) {
      return;
    }
    var chart = echarts.init(holder);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", inverse: true, data: data.labels },
      series: [{ type: "bar", data: data.counts, label: { show: true, position: "right" } }],
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
});
