// Rules broken by month (meetings/compliance.html).
(function () {
  const el = document.getElementById("compliance-chart");
  if (!el || !window.Chart) return;
  const d = JSON.parse(document.getElementById("chart-data").textContent);
  const colors = ["#dc3545", "#fd7e14", "#ffc107", "#6f42c1", "#0dcaf0", "#6c757d"];
  d.datasets.forEach((s, i) => { s.backgroundColor = colors[i % colors.length]; });
  new Chart(el, {type: "bar", data: d, options: {responsive: true, scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true}}}});
})();
