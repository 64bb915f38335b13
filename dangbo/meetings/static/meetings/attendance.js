// Roll call (meetings/attendance.html): the reason box only for an excused absence, and the live count.
(function () {
  const form = document.querySelector("[data-testid=attendance-form]");
  if (!form) return;
  const summary = form.querySelector("[data-testid=attendance-summary]");
  const rows = form.querySelectorAll(".attendance-row");
  function update() {
    let present = 0;
    rows.forEach(row => {
      const checked = row.querySelector("input[type=radio]:checked");
      const value = checked ? checked.value : "";
      if (value === "present") present += 1;
      const reason = row.querySelector(".attendance-reason");
      if (reason) reason.classList.toggle("d-none", value !== "excused");
    });
    if (summary) summary.textContent = `${present}/${rows.length} ${summary.dataset.label}`;
  }
  form.addEventListener("change", event => {
    update();
    if (event.target.matches("input[type=radio][value=excused]")) {
      const box = event.target.closest(".attendance-row").querySelector(".attendance-reason input");
      if (box) box.focus();
    }
  });
  update();
})();
