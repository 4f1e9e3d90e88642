/* Live pages (progressive enhancement): one EventSource per page, opened only when the page
   asks for live topics. Pages stay complete without it: a reload shows the same. */
(function () {
  "use strict";
  if (!window.EventSource) { return; }
  var regions = Array.prototype.slice.call(document.querySelectorAll("[data-live-topics]"));
  var topics = [];
  regions.forEach(function (region) {
    region.getAttribute("data-live-topics").split(",").forEach(function (t) {
      if (t && topics.indexOf(t) < 0) { topics.push(t); }
    });
  });
  var bell = document.querySelector('a[href="/me/notifications"]');
  if (document.body.hasAttribute("data-live-me")) { topics.push("me"); }
  if (!topics.length) { return; }

  function fill(template, data) {
    return template.replace(/\{(\w+)\}/g, function (_, key) {
      return data[key] === undefined ? "" : String(data[key]);
    });
  }

  function show(region, data) {
    var count = Number(region.getAttribute("data-live-count") || "0") + 1;
    region.setAttribute("data-live-count", String(count));
    region.textContent = "";
    var text = document.createElement("span");
    text.textContent = fill(region.getAttribute("data-live-message") || "", data) +
      (count > 1 ? " (" + count + ")" : "");
    region.appendChild(text);
    var action = region.getAttribute("data-live-action");
    if (action) {
      var link = document.createElement("a");
      link.href = data.url || window.location.href;
      link.textContent = action;
      link.addEventListener("click", function () {
        if (link.pathname === window.location.pathname) { window.location.reload(); }
      });
      region.appendChild(document.createTextNode(" "));
      region.appendChild(link);
    }
    region.hidden = false;
  }

  var source = new EventSource("/api/v1/events?topics=" + encodeURIComponent(topics.join(",")));
  regions.forEach(function (region) {
    var kind = region.getAttribute("data-live-kind");
    if (!kind) { return; }
    source.addEventListener(kind, function (event) {
      var data = JSON.parse(event.data);
      var wanted = region.getAttribute("data-live-topics").split(",");
      if (wanted.indexOf(data.topic) >= 0) { show(region, data); }
    });
  });
  if (bell) {
    source.addEventListener("notifications.unread", function (event) {
      var unread = JSON.parse(event.data).unread;
      var label = bell.textContent.replace(/\s*\(\d+\)\s*$/, "");
      bell.textContent = unread ? label + " (" + unread + ")" : label;
      bell.setAttribute("data-unread", String(unread));
    });
  }
})();
