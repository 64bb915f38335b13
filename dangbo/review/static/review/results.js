// Members by level, year on year (review/results.html).
(function () {
  const el = document.getElementById("levels-chart");
  if (!el || !window.Chart) return;
  const d = JSON.parse(document.getElementById("chart-data").textContent);
  const colors = ["#10b981", "#3b82f6", "#f0b429", "#b3151b"];
  const datasets = d.series.map((s, i) => ({type: "bar", label: s.label, data: s.values, backgroundColor: colors[i]}));
  new Chart(el, {data: {labels: d.labels, datasets}, options: {responsive: true, scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true}}}});
})();
