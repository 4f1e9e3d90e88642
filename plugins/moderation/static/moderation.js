// Moderation pages, made a little nicer: ask before destructive buttons, and show the
// "until a date" field only when that duration is chosen. Everything works without it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm]");
    if (!button) return;
    var onlyFor = button.getAttribute("data-confirm-kind");
    if (onlyFor) {
      var kind = button.form && button.form.elements.kind;
      if (!kind || kind.value !== onlyFor) return;
    }
    if (!window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
  });

  function syncUntil(select) {
    var box = select.form && select.form.querySelector(".custom-until");
    if (!box) return;
    var custom = select.value === "custom";
    box.hidden = !custom;
    var input = box.querySelector("input");
    if (input) input.required = custom;
  }

  document.querySelectorAll("select[name=duration]").forEach(function (select) {
    syncUntil(select);
    select.addEventListener("change", function () { syncUntil(select); });
  });
})();
