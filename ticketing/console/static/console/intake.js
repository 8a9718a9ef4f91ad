/* Phone and walk-in intake (console/intake.py): keyboard first. The router's proposal comes
   from the citizen form's category-guess endpoint; Alt+U takes it, Ctrl+Enter files. The
   kelurahan search and the map fill the same fields the plain form posts. */
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var form = $("intake-form"), config = $("intake-config");
  if (!form || !config) return;
  var texts = JSON.parse(config.getAttribute("data-texts"));
  var settings = JSON.parse(config.getAttribute("data-map"));
  function t(key, values) {
    return (texts[key] || key).replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  /* The operator types first. `autofocus` alone is skipped when a busy browser renders the
     page late, so the script focuses the description too unless something else has focus. */
  if (!document.activeElement || document.activeElement === document.body) $("intake-description").focus();

  /* -- the router's proposal, live ---------------------------------------------------- */
  var timer = null, asked = "", proposal = null;
  $("intake-description").addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(guess, 400);
  });
  function guess() {
    var text = $("intake-description").value.trim();
    if (text.length < 12 || text === asked) return;
    asked = text;
    fetch(config.getAttribute("data-guess-url"), {
      method: "POST", headers: { "Content-Type": "application/json" },
      /* The operator's region's router: the proposal is one of the categories offered here. */
      body: JSON.stringify({ description: text.slice(0, 4000), region: config.getAttribute("data-region") || null })
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (body) {
      if (text !== asked) return;  /* a later proposal is on its way */
      if (!body) { asked = ""; return; }  /* the next key asks again */
      proposal = body.category || null;
      $("intake-guess").textContent = proposal ? t("guess", { category: body.category_name }) : t("guess_none");
      $("intake-guess").setAttribute("data-category", proposal || "");
    }).catch(function () { if (text === asked) asked = ""; /* a hint only */ });
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey && (event.key === "u" || event.key === "U") && proposal) {
      event.preventDefault();
      $("intake-category").value = proposal;
    } else if (event.ctrlKey && event.key === "Enter") {
      event.preventDefault();
      if (form.reportValidity()) form.submit();
    }
  });

  /* -- the place: kelurahan search and the map ------------------------------------------ */
  var search = $("intake-kelurahan-search"), select = $("intake-kelurahan");
  search.hidden = false;
  $("intake-open-map").hidden = false;
  Array.prototype.forEach.call(select.options, function (o) {
    if (!o.value) return;
    var item = document.createElement("option");
    item.value = o.textContent;
    $("intake-kelurahan-list").appendChild(item);
  });
  var map = null, marker = null;
  function loadLeaflet() {
    if (window.L) return Promise.resolve(window.L);
    return new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = config.getAttribute("data-leaflet-css");
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = config.getAttribute("data-leaflet-js");
      script.onload = function () { resolve(window.L); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  function showMap(center, zoom) {
    return loadLeaflet().then(function (L) {
      $("intake-map").hidden = false;
      if (!map) {
        map = L.map("intake-map").setView(center || settings.center, zoom || settings.zoom);
        if (settings.tile_url) L.tileLayer(settings.tile_url, { attribution: settings.attribution, maxZoom: 19 }).addTo(map);
        map.on("click", function (e) { setPoint(e.latlng.lat, e.latlng.lng); });
      } else if (center) {
        map.setView(center, zoom || map.getZoom());
      }
      return map;
    }).catch(function () { $("intake-map-status").textContent = t("map_failed"); });
  }
  function setPoint(lat, lon) {
    $("intake-lat").value = lat.toFixed(6);
    $("intake-lon").value = lon.toFixed(6);
    $("intake-map-status").textContent = t("point", { lat: lat.toFixed(5), lon: lon.toFixed(5) });
    if (marker) marker.setLatLng([lat, lon]);
    else if (map) marker = window.L.marker([lat, lon], { keyboard: false }).addTo(map);
  }
  $("intake-open-map").addEventListener("click", function () { showMap(); });
  search.addEventListener("change", function () {
    var wanted = this.value.trim().toLowerCase();
    var option = Array.prototype.find.call(select.options, function (o) {
      return o.value && o.textContent.toLowerCase().indexOf(wanted) === 0;
    });
    if (!option) return;
    select.value = option.value;
    var lat = parseFloat(option.getAttribute("data-lat")), lon = parseFloat(option.getAttribute("data-lon"));
    showMap([lat, lon], 16);
  });
})();
