/* Files in Markdown editors: drop, paste or pick them; each is sent to /api/v1/uploads at once
   and its Markdown reference is put in the text. Without this script the file field is sent
   with the form instead. No inline script: this file is loaded by base.html. */
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) { return; }
  function csrf(form) {
    var input = form && form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function community() {
    var match = window.location.pathname.match(/^\/c\/([^\/]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function insert(textarea, text) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var before = textarea.value.slice(0, start), after = textarea.value.slice(end);
    var pad = before && !/\n$/.test(before) ? "\n" : "";
    textarea.value = before + pad + text + "\n" + after;
    var caret = (before + pad + text + "\n").length;
    textarea.setSelectionRange(caret, caret);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function send(box, textarea, file) {
    var status = box.querySelector(".attach-status");
    var altField = box.querySelector("input[name=attachment_alt]");
    var alt = altField ? altField.value : "";
    if (!alt && /^image\//.test(file.type)) {
      alt = window.prompt(box.getAttribute("data-alt-question") || "Describe the image", "") || "";
    }
    var data = new FormData();
    data.append("file", file, file.name || "image.png");
    if (alt) { data.append("alt", alt); }
    if (community()) { data.append("community", community()); }
    status.textContent = (box.getAttribute("data-sending") || "Sending") + " " + (file.name || "") + "…";
    return fetch("/api/v1/uploads", {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-CSRF-Token": csrf(textarea.form), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) { throw new Error(answer.error ? answer.error.message : response.statusText); }
        insert(textarea, answer.markdown);
        if (altField) { altField.value = ""; }
        status.textContent = box.getAttribute("data-done") || "";
      });
    }).catch(function (error) { status.textContent = error.message; });
  }

  function sendAll(box, textarea, files) {
    var chain = Promise.resolve();
    Array.prototype.forEach.call(files, function (file) {
      chain = chain.then(function () { return send(box, textarea, file); });
    });
    return chain;
  }

  document.querySelectorAll("[data-upload-into]").forEach(function (box) {
    var textarea = document.getElementById(box.getAttribute("data-upload-into"));
    var picker = box.querySelector("input[type=file]");
    if (!textarea || !picker) { return; }
    box.classList.add("enhanced");
    picker.addEventListener("change", function () {
      sendAll(box, textarea, picker.files).then(function () { picker.value = ""; });
    });
    textarea.addEventListener("paste", function (event) {
      var files = event.clipboardData && event.clipboardData.files;
      if (files && files.length) { event.preventDefault(); sendAll(box, textarea, files); }
    });
    textarea.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) {
        event.preventDefault();
        textarea.classList.add("dropping");
      }
    });
    textarea.addEventListener("dragleave", function () { textarea.classList.remove("dropping"); });
    textarea.addEventListener("drop", function (event) {
      textarea.classList.remove("dropping");
      var files = event.dataTransfer && event.dataTransfer.files;
      if (files && files.length) { event.preventDefault(); sendAll(box, textarea, files); }
    });
  });
})();
