// The wiki's small enhancements; every page works without them.
(function () {
  "use strict";
  // Warn before leaving an edit form with unsaved text.
  document.querySelectorAll("form[data-wiki-form]").forEach(function (form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) { return; }
      event.preventDefault();
      event.returnValue = "";
    });
    // Ctrl/Cmd+S saves.
    form.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && event.key === "s") {
        event.preventDefault();
        var save = form.querySelector("button[value=save]");
        if (save) { dirty = false; save.click(); }
      }
    });
  });
  // History: keep "from" older than "to" by disabling impossible choices.
  var history = document.querySelector("form.wiki-history");
  if (history) {
    var sync = function () {
      var from = history.querySelector("input[name=from]:checked");
      var to = history.querySelector("input[name=to]:checked");
      history.querySelectorAll("input[name=from]").forEach(function (input) {
        input.disabled = to ? Number(input.value) >= Number(to.value) : false;
      });
      history.querySelectorAll("input[name=to]").forEach(function (input) {
        input.disabled = from ? Number(input.value) <= Number(from.value) : false;
      });
    };
    history.addEventListener("change", sync);
    sync();
  }
}());
