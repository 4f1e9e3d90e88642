/* Tisserand meetups: maps (Leaflet), the map picker, city search and local times.
   Every page works without this script: it only enhances lists and forms that are already there. */
(function () {
  "use strict";

  function config() {
    var el = document.querySelector("[data-meetups-config]");
    var data = el ? el.dataset : {};
    return {
      tiles: data.tiles || "",
      basemap: data.basemap || "/static/plugins/meetups/basemap/",
      attribution: data.attribution || "",
      labels: {
        meetup: data.labelMeetup || "Meet-up",
        achievement: data.labelAchievement || "Achievement",
        member: data.labelMember || "Member",
        use: data.labelUse || "Use this place",
        none: data.labelNone || "No place found.",
        picked: data.labelPicked || "Place picked on the map."
      }
    };
  }

  // The offline basemap's data, fetched once per page from this site (never from outside).
  var basemapData = null;

  function basemapFetch(cfg) {
    if (!basemapData) {
      var get = function (name) {
        return fetch(cfg.basemap + name, { credentials: "same-origin" }).then(function (r) {
          if (!r.ok) { throw new Error(name); }
          return r.json();
        });
      };
      basemapData = Promise.all([get("countries-50m.json"), get("cities.json")]);
    }
    return basemapData;
  }

  // Country outlines and city names shipped with Tisserand, drawn as vectors: the map works
  // with no tile server and no internet ([plugins.meetups] tile_url = "", the default).
  function vectorBasemap(map, el, cfg) {
    el.classList.add("meetups-basemap");
    map.createPane("basemap-labels").setAttribute("aria-hidden", "true");
    var renderer = L.canvas({ padding: 0.5 });
    var labels = L.layerGroup().addTo(map);
    var cities = [];
    function drawLabels() {
      if (!map._loaded) { return; }  // no view yet: the first "moveend" draws them
      labels.clearLayers();
      var zoom = map.getZoom();
      var maxRank = zoom < 4 ? 0 : zoom < 6 ? 1 : 2;
      var bounds = map.getBounds().pad(0.1);
      var shown = 0;
      var taken = {};  // a coarse grid of the screen: a label never covers a bigger city's
      for (var i = 0; i < cities.length && shown < 150; i += 1) {
        var c = cities[i];
        if (c[3] > maxRank || !bounds.contains([c[1], c[2]])) { continue; }
        var at = map.latLngToContainerPoint([c[1], c[2]]);
        var col = Math.floor(at.x / 90);
        var row = Math.floor(at.y / 24);
        if (taken[(col - 1) + ":" + row] || taken[col + ":" + row] || taken[(col + 1) + ":" + row]) { continue; }
        taken[col + ":" + row] = true;
        shown += 1;
        L.marker([c[1], c[2]], {
          pane: "basemap-labels", interactive: false, keyboard: false,
          icon: L.divIcon({ className: "basemap-city basemap-city-" + c[3], html: "", iconSize: null })
        }).addTo(labels).getElement().textContent = c[0];
      }
    }
    if (typeof topojson === "undefined") { return; }
    basemapFetch(cfg).then(function (data) {
      var world = data[0];
      L.geoJSON(topojson.feature(world, world.objects.countries), {
        renderer: renderer, interactive: false,
        style: { color: "#8c959f", weight: 1, fillColor: "#f3efe6", fillOpacity: 1 }
      }).addTo(map);
      cities = data[1].cities || [];
      map.on("moveend", drawLabels);
      drawLabels();
      el.dataset.basemap = "drawn";
    }).catch(function () {
      var notice = el.parentNode.querySelector("[data-map-notice]");
      if (notice) { notice.hidden = false; }
    });
    map.attributionControl.addAttribution(cfg.attribution);
  }

  function baseMap(el, cfg) {
    el.hidden = false;
    var map = L.map(el, { scrollWheelZoom: false, worldCopyJump: true, maxZoom: cfg.tiles ? 19 : 12 });
    // A view from the start: layers (the basemap's canvas, the marker clusters) added before
    // the markers' bounds are known need one; fit() moves it when they arrive.
    map.setView([47, -30], 2);
    if (!cfg.tiles) {
      vectorBasemap(map, el, cfg);
      return map;
    }
    var layer = L.tileLayer(cfg.tiles, { attribution: cfg.attribution, maxZoom: 19 });
    var notice = el.parentNode.querySelector("[data-map-notice]");
    var loaded = 0;
    var failed = 0;
    layer.on("tileload", function () { loaded += 1; });
    layer.on("tileerror", function () {
      failed += 1;
      // Tiles come from an outside server: when none loads, say so; markers still work.
      if (notice && loaded === 0 && failed >= 2) { notice.hidden = false; }
    });
    layer.addTo(map);
    return map;
  }

  function popup(feature, cfg) {
    var p = feature.properties || {};
    var box = document.createElement("div");
    var kind = document.createElement("p");
    kind.className = "map-popup-kind";
    kind.textContent = cfg.labels[p.kind] || "";
    box.appendChild(kind);
    var title = document.createElement(p.url ? "a" : "strong");
    if (p.url) { title.href = p.url; }
    title.textContent = p.title || "";
    box.appendChild(title);
    [p.when, p.place, p.seats, p.community].forEach(function (text) {
      if (text) {
        var line = document.createElement("p");
        line.textContent = text;
        box.appendChild(line);
      }
    });
    return box;
  }

  var STYLES = {
    achievement: { radius: 9, color: "#8a4b00", fillColor: "#f5a623", fillOpacity: 0.9, weight: 2 },
    member: { radius: 6, color: "#1d5e9b", fillColor: "#54aeff", fillOpacity: 0.7, weight: 1 }
  };

  function addFeatures(group, features, cfg) {
    features.forEach(function (feature) {
      var c = feature.geometry && feature.geometry.coordinates;
      if (!c) { return; }
      var kind = (feature.properties || {}).kind;
      var latlng = [c[1], c[0]];
      var title = (feature.properties || {}).title || "";
      var marker = STYLES[kind] ? L.circleMarker(latlng, STYLES[kind])
                                : L.marker(latlng, { title: title, alt: title, keyboard: true });
      marker.bindPopup(popup(feature, cfg));
      marker.addTo(group);
    });
  }

  function fit(map, group) {
    var bounds = group.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds.pad(0.2), { maxZoom: 14 });
    } else {
      map.setView([47, -30], 2);
    }
  }

  function displayMap(el, cfg) {
    var map = baseMap(el, cfg);
    // Nearby markers merge into numbered clusters (Leaflet.markercluster, vendored).
    var group = (L.markerClusterGroup ? L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 })
                                      : L.featureGroup()).addTo(map);
    if (el.dataset.points) {
      var points = JSON.parse(el.dataset.points);
      addFeatures(group, points.map(function (p) {
        return { geometry: { coordinates: [p.lon, p.lat] }, properties: { kind: "meetup", title: p.title } };
      }), cfg);
      fit(map, group);
    }
    var url = el.dataset.geojson;
    if (!url) { return; }
    var first = true;
    function load(bbox) {
      var target = url + (bbox ? (url.indexOf("?") < 0 ? "?" : "&") + "bbox=" + bbox : "");
      fetch(target, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { features: [] }; })
        .then(function (data) {
          group.clearLayers();
          addFeatures(group, data.features || [], cfg);
          el.dataset.count = String(group.getLayers().length);
          if (first) { fit(map, group); first = false; }
          if (data.truncated && !map._meetupsWatching) {
            map._meetupsWatching = true;
            map.on("moveend", function () { load(map.getBounds().toBBoxString()); });
          }
        })
        .catch(function () { if (first) { fit(map, group); first = false; } });
    }
    load("");
  }

  function pickerMap(el, cfg) {
    var form = el.closest("form") || document;
    var lat = form.querySelector("input[name=latitude]");
    var lon = form.querySelector("input[name=longitude]");
    if (!lat || !lon) { return; }
    var map = baseMap(el, cfg);
    var marker = null;
    function place(latlng, zoom) {
      if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
      if (zoom) { map.setView(latlng, zoom); }
    }
    var start = [parseFloat(lat.value), parseFloat(lon.value)];
    if (!isNaN(start[0]) && !isNaN(start[1])) { place(start, 12); } else { map.setView([47, -30], 2); }
    map.on("click", function (e) {
      lat.value = e.latlng.lat.toFixed(5);
      lon.value = e.latlng.lng.toFixed(5);
      place(e.latlng, null);
    });
    el._meetupsPlace = place;
    var details = el.closest("details");
    if (details) {
      details.addEventListener("toggle", function () { map.invalidateSize(); });
    }
  }

  function placeSearch(box, cfg) {
    var input = box.querySelector("input[name=city]");
    var results = box.querySelector("[data-place-results]");
    if (!input || !results) { return; }
    var timer = null;
    var picked = false;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (picked) {
        // The coordinates belonged to the place picked before: a new name needs new ones.
        var form = box.closest("form") || document;
        var lat = form.querySelector("input[name=latitude]");
        var lon = form.querySelector("input[name=longitude]");
        if (lat && lon) { lat.value = ""; lon.value = ""; }
        picked = false;
      }
      var q = input.value.trim();
      if (q.length < 2) { results.textContent = ""; return; }
      timer = setTimeout(function () {
        fetch("/places/search?q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.json(); })
          .then(function (data) { show(data.items || []); })
          .catch(function () { results.textContent = ""; });
      }, 300);
    });
    function show(items) {
      results.textContent = "";
      if (!items.length) {
        var none = document.createElement("p");
        none.className = "hint";
        none.textContent = cfg.labels.none;
        results.appendChild(none);
        return;
      }
      var list = document.createElement("ul");
      list.className = "place-suggestions";
      items.forEach(function (item) {
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "link-button";
        button.textContent = item.label;
        button.addEventListener("click", function () { use(item); });
        li.appendChild(button);
        list.appendChild(li);
      });
      results.appendChild(list);
    }
    function use(item) {
      var form = box.closest("form") || document;
      var lat = form.querySelector("input[name=latitude]");
      var lon = form.querySelector("input[name=longitude]");
      input.value = item.label;
      if (lat && lon) { lat.value = item.latitude; lon.value = item.longitude; picked = true; }
      form.querySelectorAll("input[name=place_id]").forEach(function (radio) { radio.checked = false; });
      var picker = form.querySelector("[data-pick-map]");
      if (picker && picker._meetupsPlace) { picker._meetupsPlace([item.latitude, item.longitude], 12); }
      results.textContent = "";
      var done = document.createElement("p");
      done.className = "hint";
      done.textContent = item.label + " (" + item.latitude + ", " + item.longitude + ")";
      results.appendChild(done);
      input.focus();
    }
  }

  function localTimes() {
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    document.querySelectorAll("[data-local-time]").forEach(function (el) {
      if (!zone || zone === el.dataset.zone) { return; }
      var when = new Date(el.dataset.localTime);
      var text = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        dateStyle: "full", timeStyle: "short", timeZone: zone
      }).format(when);
      el.textContent = "";
      el.appendChild(document.createElement("br"));
      el.appendChild(document.createTextNode(el.dataset.label + " " + text + " (" + zone + ")"));
    });
  }

  function start() {
    localTimes();
    if (typeof L === "undefined") { return; }
    var cfg = config();
    document.querySelectorAll("[data-map]").forEach(function (el) { displayMap(el, cfg); });
    document.querySelectorAll("[data-pick-map]").forEach(function (el) { pickerMap(el, cfg); });
    document.querySelectorAll("[data-place-search]").forEach(function (el) { placeSearch(el, cfg); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
