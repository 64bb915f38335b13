// Supervision by quarter (inspection/home.html).
(function () {
  const el = document.getElementById("supervision-chart");
  if (!el || !window.Chart) return;
  const d = JSON.parse(document.getElementById("supervision-data").textContent);
  const datasets = [
    {type: "bar", label: el.dataset.labelCommittee, data: d.committee, backgroundColor: "#c8102e"},
    {type: "bar", label: el.dataset.labelCommission, data: d.commission, backgroundColor: "#1f4e79"},
    {type: "line", label: el.dataset.labelCommitteeOrgs, data: d.committee_orgs, borderColor: "#f0a500", yAxisID: "orgs"},
    {type: "line", label: el.dataset.labelCommissionOrgs, data: d.commission_orgs, borderColor: "#2e8b57", yAxisID: "orgs"},
  ];
  new Chart(el, {data: {labels: d.labels, datasets}, options: {responsive: true, scales: {orgs: {position: "right", beginAtZero: true, grid: {drawOnChartArea: false}}, y: {beginAtZero: true}}}});
})();
