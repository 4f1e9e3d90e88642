/* Tisserand default theme: small enhancements; every page works without them. */
(function () {
  "use strict";
  // Ask before destructive actions (forms with data-confirm).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
  // Suggest a community address from its name until the address is edited by hand.
  document.querySelectorAll("[data-slug-from]").forEach(function (slug) {
    var source = document.getElementById(slug.getAttribute("data-slug-from"));
    if (!source) { return; }
    var touched = slug.value !== "";
    slug.addEventListener("input", function () { touched = slug.value !== ""; });
    source.addEventListener("input", function () {
      if (touched) { return; }
      slug.value = source.value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
        .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 64);
    });
  });
  // Role selects submit themselves; their button stays for keyboard and no-JS users.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.requestSubmit(); });
  });
  // Wide tables scroll sideways inside .table-scroll (phones): make each box reachable with the
  // keyboard (Tab, then arrows) and name it after its table's caption or the heading before it.
  document.querySelectorAll(".table-scroll").forEach(function (box) {
    if (!box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); }
    if (box.hasAttribute("aria-label") || box.hasAttribute("aria-labelledby")) { return; }
    var caption = box.querySelector("caption");
    var heading = null;
    for (var node = box; node && !heading; node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) { heading = prev; break; }
      }
    }
    var name = (caption || heading || {}).textContent;
    if (name) {
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", name.trim().replace(/\s+/g, " "));
    }
  });
  // On a phone the community's sections scroll sideways: bring the current one into view.
  var tabs = document.querySelector(".tabs");
  var current = tabs && tabs.querySelector("[aria-current=page]");
  if (current && tabs.scrollWidth > tabs.clientWidth) {
    tabs.scrollLeft = Math.max(0, current.parentElement.offsetLeft - tabs.offsetLeft - 24);
  }
  // Move focus to the error summary so screen readers announce it.
  var errors = document.getElementById("form-errors");
  if (errors) { errors.focus(); }
})();
