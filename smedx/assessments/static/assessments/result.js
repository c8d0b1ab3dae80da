// Radar chart of the result page: dimensions and scene categories in % of their maximum.
(function () {
  "use strict";
  var box = document.getElementById("result-radar");
  var data = document.getElementById("result-radar-data");
  if (!box || !data || typeof echarts === "undefined") return;
  var radar = JSON.parse(data.textContent);
  var chart = echarts.init(box);
  chart.setOption({
    tooltip: { trigger: "item" },
    radar: { indicator: radar.indicators, radius: "65%", axisName: { color: "#495057" } },
    series: [{
      type: "radar",
      name: box.dataset.seriesName,
      areaStyle: { opacity: 0.25 },
      data: [{ value: radar.values, name: box.dataset.seriesName }]
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
