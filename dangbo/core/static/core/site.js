// Behaviours of the pages, by data attributes (the Content-Security-Policy allows no inline script
// and no on*= handler). Delegated on the document, so they also work in content swapped in by HTMX.
(function () {
  // <select data-submit-on-change>: choosing sends the form (language, judge).
  document.addEventListener("change", function (ev) {
    const el = ev.target.closest("[data-submit-on-change]");
    if (el && el.form) el.form.submit();
  });
  document.addEventListener("submit", function (ev) {
    const form = ev.target;
    // <form data-confirm="question">: asks before sending.
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      ev.preventDefault();
      return;
    }
    // <form data-busy>: the button is disabled and its spinner shown while the request runs.
    if (form.hasAttribute("data-busy")) {
      const button = form.querySelector("button");
      if (button) button.disabled = true;
      const spinner = form.querySelector(".spinner-border");
      if (spinner) spinner.classList.remove("d-none");
    }
  });
  document.addEventListener("click", function (ev) {
    // <button data-print>: prints the page.
    if (ev.target.closest("[data-print]")) window.print();
    // <button data-tree-toggle="open|close" data-target="selector">: opens or closes every <details>.
    const toggle = ev.target.closest("[data-tree-toggle]");
    if (toggle) {
      const open = toggle.dataset.treeToggle === "open";
      document.querySelectorAll(toggle.dataset.target + " details").forEach(d => { d.open = open; });
    }
  });
  // Progress bars: data-width="42.5" (per cent) sets the width (a style= attribute would need 'unsafe-inline').
  function widths(root) {
    const bars = Array.from(root.querySelectorAll("[data-width]"));
    if (root.matches && root.matches("[data-width]")) bars.push(root);
    bars.forEach(el => {
      const v = parseFloat(String(el.dataset.width).replace(",", "."));
      el.style.width = (isNaN(v) ? 0 : Math.max(0, Math.min(100, v))) + "%";
    });
  }
  if (window.htmx) window.htmx.onLoad(widths);
  else document.addEventListener("DOMContentLoaded", () => widths(document));
  // The notification bell (hx-trigger="every 60s") asks only while the tab is visible.
  document.addEventListener("htmx:beforeRequest", function (ev) {
    if (ev.target.id === "bell-badge" && document.visibilityState !== "visible") ev.preventDefault();
  });
})();
