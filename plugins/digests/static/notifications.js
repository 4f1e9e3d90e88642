// Notifications page: mark read without reloading, and keep the header bell's count right.
// Without JavaScript the same forms post and redirect back.
(function () {
  "use strict";
  var list = document.querySelector(".digests-inbox");
  if (!list || !window.fetch) return;

  function bellLabel(count) {
    var bell = document.querySelector('.site-nav a[href="/me/notifications"]');
    if (!bell) return;
    var base = bell.textContent.replace(/\s*\(\d+\)\s*$/, "");
    bell.textContent = count > 0 ? base + " (" + count + ")" : base;
  }

  function post(form) {
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    });
  }

  function updateCount(count) {
    list.setAttribute("data-unread", String(count));
    bellLabel(count);
    var status = document.getElementById("digests-unread");
    if (status) {
      status.textContent = count === 0 ? status.getAttribute("data-none")
        : status.getAttribute("data-some").replace("{count}", String(count));
    }
  }

  list.addEventListener("submit", function (event) {
    var form = event.target;
    var single = form.hasAttribute("data-digests-read");
    var all = form.hasAttribute("data-digests-read-all");
    if (!single && !all) return;
    event.preventDefault();
    post(form).then(function (data) {
      var items = single ? [form.closest(".digests-item")] : list.querySelectorAll(".digests-item.unread");
      Array.prototype.forEach.call(items, function (item) {
        if (!item) return;
        item.classList.remove("unread");
        var dot = item.querySelector(".digests-dot");
        if (dot) dot.remove();
        var hidden = item.querySelector(".sr-only");
        if (hidden && !hidden.closest("button")) hidden.remove();
        var f = item.querySelector("form[data-digests-read]");
        if (f) f.remove();
      });
      if (all || data.unread === 0) {
        var allForm = list.querySelector("form[data-digests-read-all]");
        if (allForm) allForm.remove();
      }
      updateCount(data.unread);
      var title = document.querySelector(".digests-heading h1");
      if (title) { title.setAttribute("tabindex", "-1"); }
    }).catch(function () { form.submit(); });
  });
})();
