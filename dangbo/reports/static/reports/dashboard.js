// Dashboard charts (reports/dashboard.html): one canvas per key of the json_script block.
(function () {
  if (!window.Chart) return;
  const data = JSON.parse(document.getElementById("chart-data").textContent);
  const colors = ["#b3151b", "#f0b429", "#3b82f6", "#10b981", "#8b5cf6", "#6b7280", "#ef4444", "#14b8a6"];
  const kinds = {by_status: "doughnut", by_sex: "pie", by_age: "bar", by_kind: "bar", by_ethnicity: "bar", by_qualification: "bar", by_theory: "bar"};
  for (const [id, d] of Object.entries(data)) {
    const el = document.getElementById(id);
    if (!el) continue;
    new Chart(el, {
      type: kinds[id],
      data: {labels: d.labels, datasets: [{data: d.values, backgroundColor: kinds[id] === "bar" ? colors[0] : colors}]},
      options: {plugins: {legend: {display: kinds[id] !== "bar", position: "bottom"}}, scales: kinds[id] === "bar" ? {y: {beginAtZero: true}} : {}},
    });
  }
})();
