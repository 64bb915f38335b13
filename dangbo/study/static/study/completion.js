// Completion by unit (study/completion.html): data from the json_script block, labels from the canvas.
(function () {
  const el = document.getElementById("completion-chart");
  if (!el || !window.Chart) return;
  const d = JSON.parse(document.getElementById("chart-data").textContent);
  new Chart(el, {type: "bar", data: {labels: d.labels, datasets: [
    {label: el.dataset.labelCompleted, data: d.completed, backgroundColor: "#198754"},
    {label: el.dataset.labelInProgress, data: d.in_progress, backgroundColor: "#f0a500"},
    {label: el.dataset.labelNotStarted, data: d.not_started, backgroundColor: "#ced4da"},
  ]}, options: {indexAxis: "y", responsive: true, scales: {x: {stacked: true}, y: {stacked: true}}}});
})();
