/* Forum enhancements; every feature also works without this script.
   - "Preview" renders in place instead of reloading the page;
   - "Reply" and "Quote" fill the reply box at the bottom (quoting the selected text if any);
   - reactions toggle without a reload; "React" opens the page's one menu of reactions next to
     the post (without this script, it opens a page listing the reactions);
   - deleting asks for confirmation. */
(function () {
  "use strict";

  function csrf(form) {
    var input = form && form.querySelector("input[name=csrf_token]");
    return input ? input.value : "";
  }

  function composer() { return document.querySelector("#reply .composer"); }

  function setReplyTo(form, id, name) {
    var hidden = form.querySelector("input[name=reply_to]");
    var note = form.querySelector(".replying-to");
    if (!hidden || !note) { return; }
    hidden.value = id || "";
    note.hidden = !id;
    if (id) {
      var link = note.querySelector("a");
      link.textContent = name || ("#" + id);
      link.href = "#p" + id;
    }
  }

  function insert(textarea, text) {
    var start = textarea.selectionStart || textarea.value.length;
    var before = textarea.value.slice(0, start);
    if (before && !/\n\n$/.test(before)) { before += before.slice(-1) === "\n" ? "\n" : "\n\n"; }
    textarea.value = before + text + textarea.value.slice(start);
    textarea.focus();
    textarea.selectionStart = textarea.selectionEnd = (before + text).length;
  }

  // The page's one menu of reactions (#react-picker): a post's "React" link moves it next to
  // itself, points its form at the post and shows which reactions the member gave.
  var menu = document.getElementById("react-picker");
  var menuLink = null;

  function closeMenu(focusLink) {
    if (!menu || menu.hidden) { return; }
    menu.hidden = true;
    if (menuLink) {
      menuLink.setAttribute("aria-expanded", "false");
      if (focusLink) { menuLink.focus(); }
    }
    menuLink = null;
  }

  function openMenu(link) {
    var mine = (link.getAttribute("data-mine") || "").split(" ");
    menu.querySelector("form").setAttribute("action", link.getAttribute("href"));
    menu.querySelectorAll("button[name=kind]").forEach(function (button) {
      var on = mine.indexOf(button.value) >= 0;
      button.classList.toggle("mine", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
    link.parentNode.insertBefore(menu, link.nextSibling);
    menuLink = link;
    menu.hidden = false;
    link.setAttribute("aria-expanded", "true");
    menu.querySelector("button[name=kind]").focus();
  }

  function setMine(post, kind, on) {
    var link = post.querySelector("a.react-link");
    if (!link) { return; }
    var kinds = (link.getAttribute("data-mine") || "").split(" ").filter(function (k) { return k && k !== kind; });
    if (on) { kinds.push(kind); }
    link.setAttribute("data-mine", kinds.join(" "));
  }

  if (menu) {
    document.querySelectorAll("a.react-link").forEach(function (link) {
      link.setAttribute("role", "button");
      link.setAttribute("aria-controls", "react-picker");
      link.setAttribute("aria-expanded", "false");
    });
  }

  document.addEventListener("click", function (event) {
    var react = menu && event.target.closest("a.react-link");
    if (react) {
      event.preventDefault();
      if (menuLink === react) { closeMenu(true); } else { closeMenu(false); openMenu(react); }
      return;
    }
    var target = event.target.closest("a.reply-link, a.quote-link, button.preview-button, .cancel-reply, button[data-confirm]");
    if (!target) { return; }
    if (target.matches("button[data-confirm]")) {
      if (!window.confirm(target.getAttribute("data-confirm"))) { event.preventDefault(); }
      return;
    }
    if (target.matches(".cancel-reply")) {
      setReplyTo(target.closest("form"), "", "");
      return;
    }
    if (target.matches("button.preview-button")) {
      var form = target.closest("form");
      var url = form.getAttribute("data-preview-url");
      if (!url || !window.fetch) { return; }
      event.preventDefault();
      var body = new URLSearchParams();
      body.set("body", form.querySelector("textarea[name=body]").value);
      body.set("csrf_token", csrf(form));
      fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { "X-CSRF-Token": csrf(form) } })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response); })
        .then(function (html) {
          var section = form.querySelector(".preview");
          section.querySelector(".preview-body").innerHTML = html;
          section.hidden = false;
        })
        .catch(function () { form.submit(); });
      return;
    }
    var box = composer();
    if (!box) { return; }
    var textarea = box.querySelector("textarea[name=body]");
    event.preventDefault();
    setReplyTo(box, target.getAttribute("data-reply-to"), target.getAttribute("data-name"));
    if (target.matches("a.quote-link")) {
      var post = target.closest("article");
      var selection = window.getSelection ? String(window.getSelection()) : "";
      if (selection && post && post.contains(window.getSelection().anchorNode)) {
        var lines = selection.trim().split("\n").map(function (l) { return "> " + l; }).join("\n");
        insert(textarea, "> " + target.getAttribute("data-name") + "\n>\n" + lines + "\n\n");
        return;
      }
      fetch(target.getAttribute("data-quote-url"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response); })
        .then(function (text) { insert(textarea, text); })
        .catch(function () { window.location = target.href; });
    } else {
      textarea.focus();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.matches(".delete-form")) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      return;
    }
    if (!form.matches(".react-form") || !window.fetch || !event.submitter) { return; }
    event.preventDefault();
    var data = new URLSearchParams(new FormData(form, event.submitter));
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin",
                         headers: { "Accept": "application/json", "X-CSRF-Token": csrf(form) } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
      .then(function (result) {
        var post = form.closest(".post");
        post.querySelectorAll(".react-form button[value='" + result.kind + "']").forEach(function (button) {
          button.classList.toggle("mine", result.on);
          button.setAttribute("aria-pressed", result.on ? "true" : "false");
          var count = button.querySelector(".count");
          if (count) { count.textContent = result.count; }
          var who = document.getElementById(button.getAttribute("aria-describedby") || "-");
          if (who && typeof result.who === "string") { who.textContent = result.who; }
        });
        setMine(post, result.kind, result.on);
        if (!post.querySelector(".reactions button[value='" + result.kind + "']") && result.count) {
          window.location.reload();
        }
        if (form.matches(".picker")) { closeMenu(true); }
      })
      .catch(function () {
        var kind = document.createElement("input");
        kind.type = "hidden"; kind.name = "kind"; kind.value = event.submitter.value;
        form.appendChild(kind);
        form.submit();
      });
  });
  // Who reacted shows on hover and focus; Escape hides it until the pointer or focus moves on.
  document.addEventListener("keydown", function (event) {
    if (event.key === " " && event.target.matches && event.target.matches("a.react-link[role=button]")) {
      event.preventDefault();  // a button opens on Space too
      event.target.click();
      return;
    }
    if (event.key !== "Escape") { return; }
    if (menu && !menu.hidden && menu.contains(document.activeElement)) {
      closeMenu(true);
      return;
    }
    var item = document.activeElement && document.activeElement.closest(".reaction-item");
    if (item) { item.classList.add("who-hidden"); }
  });
  ["focusout", "mouseout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var item = event.target.closest && event.target.closest(".reaction-item");
      if (item) { item.classList.remove("who-hidden"); }
    });
  });
})();
