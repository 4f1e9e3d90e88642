// The question editor shows only the fields of the chosen kind of question. Without this
// script every field is shown: the CSS hides fields only once data-kind is set here.
(function () {
  "use strict";
  function sync(editor) {
    var select = editor.querySelector(".kind-select");
    if (select) { editor.setAttribute("data-kind", select.value); }
  }
  document.querySelectorAll(".question-editor").forEach(function (editor) {
    sync(editor);
    var select = editor.querySelector(".kind-select");
    if (select) { select.addEventListener("change", function () { sync(editor); }); }
  });
})();
