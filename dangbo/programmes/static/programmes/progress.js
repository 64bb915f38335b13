// Per cent of target by unit (programmes/progress.html); the select picks the indicator.
(function () {
  const el = document.getElementById("progress-chart");
  if (!el || !window.Chart) return;
  const d = JSON.parse(document.getElementById("chart-data").textContent);
  if (!d.indicators.length) return;
  const chart = new Chart(el, {type: "bar", data: {labels: d.units, datasets: [{label: el.dataset.label, data: d.indicators[0].percent, backgroundColor: "#c8102e"}]}, options: {responsive: true, maintainAspectRatio: false, scales: {y: {suggestedMin: 0, suggestedMax: 100}}}});
  document.getElementById("indicator-select").addEventListener("change", function (ev) {
    chart.data.datasets[0].data = d.indicators[ev.target.value].percent;
    chart.update();
  });
})();
