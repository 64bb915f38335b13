// Admissions by month against the target (admission/targets.html).
(function () {
  const el = document.getElementById("admissions-chart");
  if (!el || !window.Chart) return;
  const d = JSON.parse(document.getElementById("chart-data").textContent);
  const datasets = [
    {type: "bar", label: el.dataset.labelMonthly, data: d.monthly, backgroundColor: "#c8102e"},
    {type: "line", label: el.dataset.labelCumulative, data: d.cumulative, borderColor: "#1f4e79"},
  ];
  if (d.target) datasets.push({type: "line", label: el.dataset.labelTarget, data: d.labels.map(() => d.target), borderColor: "#f0a500", borderDash: [6, 4], pointRadius: 0});
  new Chart(el, {data: {labels: d.labels, datasets}, options: {responsive: true}});
})();
