// Live total of the self-assessment points (review/member.html).
(function () {
  const out = document.querySelector("[data-testid=live-total]");
  if (!out) return;
  const inputs = document.querySelectorAll("input[data-points]");
  function sum() {
    let t = 0;
    inputs.forEach(i => { const v = parseFloat(i.value.replace(",", ".")); if (!isNaN(v)) t += v; });
    out.textContent = (Math.round(t * 100) / 100).toLocaleString("vi-VN");
  }
  inputs.forEach(i => i.addEventListener("input", sum));
  sum();
})();
