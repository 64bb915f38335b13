// <div data-search-select data-search-url="...">: the <select> inside (which lists only a few options) becomes
// a combobox that asks the server as the user types (core.forms.SearchSelect). Keyboard: arrows, Enter, Escape.
(function () {
  let counter = 0;
  function enhance(box) {
    if (box.dataset.enhanced) return;
    const select = box.querySelector("select");
    const url = box.dataset.searchUrl;
    if (!select || !url) return;
    box.dataset.enhanced = "1";
    box.querySelectorAll("[data-search-fallback]").forEach(el => el.remove());
    const base = (select.id || "search-select-" + (++counter));
    const input = document.createElement("input");
    input.type = "text";
    input.id = base + "_search";
    input.className = select.className.replace("form-select", "form-control");
    input.autocomplete = "off";
    input.placeholder = box.dataset.placeholder || "";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", base + "_listbox");
    if (select.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", select.getAttribute("aria-invalid"));
    const label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label) label.htmlFor = input.id;
    const chosen = select.options[select.selectedIndex];
    if (chosen && chosen.value) input.value = chosen.text.trim();
    const list = document.createElement("ul");
    list.id = base + "_listbox";
    list.className = "list-group search-select-list shadow-sm";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    const status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    select.classList.add("d-none");
    select.tabIndex = -1;
    select.setAttribute("aria-hidden", "true");
    select.after(input, list, status);

    let items = [], active = -1, timer = null, seq = 0;
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function move(i) {
      const lis = list.querySelectorAll("[role=option]");
      if (!lis.length) return;
      active = (i + lis.length) % lis.length;
      lis.forEach((li, k) => {
        li.setAttribute("aria-selected", k === active ? "true" : "false");
        li.classList.toggle("active", k === active);
      });
      input.setAttribute("aria-activedescendant", lis[active].id);
      lis[active].scrollIntoView({ block: "nearest" });
    }
    function render(results) {
      items = results;
      active = -1;
      list.replaceChildren();
      results.forEach((r, i) => {
        const li = document.createElement("li");
        li.id = list.id + "_" + i;
        li.className = "list-group-item list-group-item-action py-1";
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.index = String(i);
        li.textContent = r.label;
        list.append(li);
      });
      if (!results.length) {
        const li = document.createElement("li");
        li.className = "list-group-item text-muted py-1";
        li.textContent = box.dataset.noneText || "";
        list.append(li);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = results.length ? results.length + " " + (box.dataset.countText || "") : (box.dataset.noneText || "");
    }
    function pick(i) {
      const r = items[i];
      if (!r) return;
      const value = String(r.id);
      let opt = Array.from(select.options).find(o => o.value === value);
      if (!opt) {
        opt = new Option(r.label, value);
        select.add(opt);
      }
      select.value = value;
      input.value = r.label;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      close();
    }
    function search(q) {
      const mine = ++seq;
      const sep = url.indexOf("?") >= 0 ? "&" : "?";
      fetch(url + sep + "q=" + encodeURIComponent(q), { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(r => (r.ok ? r.json() : { results: [] }))
        .catch(() => ({ results: [] }))
        .then(data => { if (mine === seq) render(data.results || []); });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      select.value = "";
      const q = input.value.trim();
      if (q.length < 2) {
        seq++;
        close();
        status.textContent = q ? (box.dataset.shortText || "") : "";
        return;
      }
      timer = setTimeout(() => search(q), 200);
    });
    input.addEventListener("keydown", function (ev) {
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        if (list.hidden) {
          if (input.value.trim().length >= 2) search(input.value.trim());
          return;
        }
        move(active + (ev.key === "ArrowDown" ? 1 : -1));
      } else if (ev.key === "Enter") {
        if (!list.hidden && active >= 0) {
          ev.preventDefault();
          pick(active);
        }
      } else if (ev.key === "Escape") {
        if (!list.hidden) {
          ev.preventDefault();
          close();
        }
      }
    });
    list.addEventListener("mousedown", function (ev) {
      ev.preventDefault(); // keep the focus in the input
      const li = ev.target.closest("[role=option]");
      if (li) pick(Number(li.dataset.index));
    });
    input.addEventListener("blur", () => setTimeout(close, 100));
  }
  function all(root) {
    const boxes = Array.from(root.querySelectorAll("[data-search-select]"));
    if (root.matches && root.matches("[data-search-select]")) boxes.push(root);
    boxes.forEach(enhance);
  }
  if (window.htmx) window.htmx.onLoad(all);
  else document.addEventListener("DOMContentLoaded", () => all(document));
})();
