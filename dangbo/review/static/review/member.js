// Live total of the self-assessment points (review/member.html), read as dangbo.core.numbers.parse reads
// them ("8,5" and "8.5" alike), with a warning when it exceeds the maximum of the criteria.
(function () {
  const out = document.querySelector("[data-testid=live-total]");
  if (!out) return;
  const over = document.querySelector("[data-testid=over-total]");
  const inputs = document.querySelectorAll("input[data-points]");
  function parse(text) {
    let s = (text || "").replace(/\s/g, "");
    if (s.includes(",") && s.includes(".")) {
      s = s.lastIndexOf(",") > s.lastIndexOf(".") ? s.replace(/\./g, "").replace(",", ".") : s.replace(/,/g, "");
    } else {
      s = s.replace(",", ".");
    }
    return /^[+-]?\d+(\.\d+)?$/.test(s) ? parseFloat(s) : NaN;
  }
  const max = parse(out.dataset.max);
  function sum() {
    let t = 0;
    inputs.forEach(i => { const v = parse(i.value); if (!isNaN(v)) t += v; });
    out.textContent = (Math.round(t * 100) / 100).toLocaleString("vi-VN");
    const exceeded = !isNaN(max) && t > max + 1e-9;
    if (over) over.classList.toggle("d-none", !exceeded);
    out.classList.toggle("text-danger", exceeded);
  }
  inputs.forEach(i => i.addEventListener("input", sum));
  sum();
})();
