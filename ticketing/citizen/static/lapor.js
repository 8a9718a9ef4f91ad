/* The complaint form, enhanced: the router's category guess as the citizen types, a map to tap,
   "use my location", the kelurahan search, photos shrunk on the phone, and an outbox that keeps
   a complaint written offline and sends it when the connection returns. Without this script
   the same form posts as a plain HTML form. */
(function () {
  "use strict";
  var form = document.getElementById("complaint-form");
  var config = document.getElementById("lapor-config");
  if (!form || !config || !window.indexedDB || !window.fetch) return;
  var $ = function (id) { return document.getElementById(id); };
  var settings = JSON.parse(config.getAttribute("data-map"));
  var texts = JSON.parse(config.getAttribute("data-texts"));
  /* The catalogue's words (ticketing/messages.py, "web.js.*"), with {name} filled in. */
  function t(key, values) {
    return (texts[key] || key).replace(/\{(\w+)\}/g, function (_, name) {
      return values && name in values ? String(values[name]) : "";
    });
  }
  var maxPhotos = parseInt(config.getAttribute("data-max-photos"), 10) || 3;
  var MAX_SIDE = 1600, QUALITY = 0.8;
  var status = $("outbox-status");
  var photos = [];
  var map = null, marker = null;

  function say(text, kind) {
    status.textContent = "";
    status.className = "notice " + (kind || "wait");
    status.hidden = !text;
    if (text) status.appendChild(document.createTextNode(text));
  }

  function sayFiled(records) {
    if (!records.length) return;
    status.textContent = "";
    status.className = "notice ok";
    status.hidden = false;
    records.forEach(function (r) {
      var p = document.createElement("p");
      p.appendChild(document.createTextNode(t("sent", { ticket_number: r.ticket_number }) + " "));
      var a = document.createElement("a");
      a.href = receiptUrl(r);
      a.className = "receipt-link";
      a.textContent = t("receipt");
      p.appendChild(a);
      status.appendChild(p);
    });
  }

  function receiptUrl(r) {
    return "/lapor/terkirim/" + encodeURIComponent(r.ticket_number) + "?token=" + encodeURIComponent(r.tracking_token);
  }

  /* -- category guess ------------------------------------------------------------------ */
  var guessTimer = null, guessed = "";
  var guessHint = $("category-guess"), category = $("category");
  var autoOption = category.options[0], autoLabel = autoOption.textContent;
  function guessSoon() {
    clearTimeout(guessTimer);
    guessTimer = setTimeout(guess, 700);
  }
  $("description").addEventListener("input", guessSoon);
  /* The guess is the router of the region the complaint will be filed in: the city picked,
     else the one the map point falls in (the server applies the filing rule). */
  if ($("region")) $("region").addEventListener("change", guessSoon);
  function guessRequest(text) {
    var request = { description: text.slice(0, 4000) };
    if ($("region") && $("region").value) request.region = $("region").value;
    var lat = parseFloat($("lat").value), lon = parseFloat($("lon").value);
    if (!isNaN(lat) && !isNaN(lon)) request.location = { lat: lat, lon: lon };
    return JSON.stringify(request);
  }
  function guess() {
    var text = $("description").value.trim();
    if (text.length < 12 || !navigator.onLine) return;
    var request = guessRequest(text);
    if (request === guessed) return;
    guessed = request;
    fetch(config.getAttribute("data-guess-url"), {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: request
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (body) {
      if (request !== guessed) return;  /* a later guess is on its way */
      if (!body) { guessed = ""; return; }  /* the next word typed asks again */
      if (body.category) {
        autoOption.textContent = t("auto_category", { category: body.category_name });
        guessHint.textContent = t("guess", { category: body.category_name });
        guessHint.setAttribute("data-category", body.category);
      } else {
        autoOption.textContent = autoLabel;
        guessHint.textContent = t("guess_none");
        guessHint.removeAttribute("data-category");
      }
    }).catch(function () {
      /* A hint only: the form works without it; the next word typed asks again. */
      if (request === guessed) guessed = "";
    });
  }

  /* -- where: map, my location, kelurahan ------------------------------------------------ */
  $("map-tools").hidden = false;
  $("kelurahan-search").hidden = false;
  Array.prototype.forEach.call(document.querySelectorAll(".js-only"), function (el) { el.hidden = false; });

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
      $("map").hidden = false;
      if (!map) {
        map = L.map("map").setView(center || settings.center, zoom || settings.zoom);
        if (settings.tile_url) L.tileLayer(settings.tile_url, { attribution: settings.attribution, maxZoom: 19 }).addTo(map);
        map.on("click", function (e) { setPoint(e.latlng.lat, e.latlng.lng, "peta"); });
      } else if (center) {
        map.setView(center, zoom || map.getZoom());
      }
      return map;
    });
  }

  function setPoint(lat, lon, source) {
    $("lat").value = lat.toFixed(6);
    $("lon").value = lon.toFixed(6);
    $("map-status").textContent = t("point", { lat: lat.toFixed(5), lon: lon.toFixed(5) });
    $("map-status").setAttribute("data-source", source);
    guessSoon();  // the point may place it in another city
    if (map) {
      if (marker) marker.setLatLng([lat, lon]);
      else marker = window.L.marker([lat, lon], { keyboard: false }).addTo(map);
    }
  }

  $("open-map").addEventListener("click", function () {
    showMap().then(function () {
      var lat = parseFloat($("lat").value), lon = parseFloat($("lon").value);
      if (!isNaN(lat) && !isNaN(lon)) setPoint(lat, lon, "peta");
    }).catch(function () { $("map-status").textContent = t("map_failed"); });
  });

  $("use-location").addEventListener("click", function () {
    if (!navigator.geolocation) { $("map-status").textContent = t("no_geolocation"); return; }
    $("map-status").textContent = t("locating");
    navigator.geolocation.getCurrentPosition(function (pos) {
      var lat = pos.coords.latitude, lon = pos.coords.longitude;
      showMap([lat, lon], 17).then(function () { setPoint(lat, lon, "lokasi saya"); }, function () { setPoint(lat, lon, "lokasi saya"); });
    }, function () {
      $("map-status").textContent = t("location_failed");
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });

  // The search offers the same kelurahan as the plain select (built here: no second copy in
  // the page's bytes).
  Array.prototype.forEach.call($("kelurahan").options, function (o) {
    if (!o.value) return;
    var item = document.createElement("option");
    item.value = o.textContent.replace(/\s*\(.*$/, "");
    $("kelurahan-list").appendChild(item);
  });

  function kelurahanOption(name) {
    var wanted = name.trim().toLowerCase();
    return Array.prototype.find.call($("kelurahan").options, function (o) {
      return o.value && o.textContent.toLowerCase().indexOf(wanted) === 0;
    });
  }
  $("kelurahan-search").addEventListener("change", function () {
    var option = kelurahanOption(this.value);
    if (!option) return;
    $("kelurahan").value = option.value;
    showMap([parseFloat(option.getAttribute("data-lat")), parseFloat(option.getAttribute("data-lon"))], 16)
      .then(function () { $("map-status").textContent = t("kelurahan", { name: option.textContent.replace(/\s*\(.*$/, "") }); })
      .catch(function () {});
  });

  /* -- photos, shrunk before upload ------------------------------------------------------- */
  function shrink(file) {
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", QUALITY); });
    });
  }

  $("photo").addEventListener("change", function () {
    var files = Array.prototype.slice.call(this.files || [], 0, maxPhotos);
    if ((this.files || []).length > maxPhotos) say(t("photo_count", { count: maxPhotos }), "wait");
    var previews = $("photo-previews");
    previews.textContent = "";
    photos = [];
    Promise.all(files.map(function (f) { return shrink(f).catch(function () { return null; }); })).then(function (blobs) {
      blobs.forEach(function (blob, i) {
        if (!blob) return;
        photos.push(blob);
        var img = document.createElement("img");
        img.src = URL.createObjectURL(blob);
        img.alt = t("preview", { number: i + 1 });
        previews.appendChild(img);
      });
      form.setAttribute("data-photos", String(photos.length));
    });
  });

  /* -- sending, or keeping for later ----------------------------------------------------- */
  function complaint() {
    var value = function (id) { return $(id).value.trim(); };
    var body = {
      description: value("description"),
      anonymous: $("anonymous").checked, confidential: $("confidential").checked,
      reporter: { name: value("name") || null, phone: value("phone") || null }
    };
    if (value("category")) body.category = value("category");
    if ($("region") && value("region")) body.region = value("region");  // province mode's city
    var place = $("kelurahan").selectedIndex > 0 ? $("kelurahan").options[$("kelurahan").selectedIndex].textContent : "";
    var address = [value("address"), place && "Kelurahan " + place.replace(/\s*\(.*$/, "")].filter(Boolean).join(", ");
    var lat = parseFloat(value("lat")), lon = parseFloat(value("lon"));
    if (!isNaN(lat) && !isNaN(lon)) body.location = { lat: lat, lon: lon, address: address || null };
    else if (address) body.location = { address: address };
    return body;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var description = $("description");
    if (!description.value.trim()) {
      description.setAttribute("aria-invalid", "true");
      say(description.getAttribute("data-required-text"), "error");
      description.focus();
      return;
    }
    var item = { key: AduanOutbox.newKey(), complaint: complaint(), at: Date.now(),
                 photos: photos.map(function (blob) { return { blob: blob, sent: false }; }) };
    $("submit").disabled = true;
    say(t("sending"), "wait");
    AduanOutbox.add(item).then(function () {
      return AduanOutbox.flush();
    }).then(function (records) {
      var mine = records.filter(function (r) { return r.key === item.key; })[0];
      if (mine) {
        // Shown now as the receipt, so not again as a "sent while you were away" note.
        return AduanOutbox.takeSent().then(function () { window.location.assign(receiptUrl(mine)); });
      }
      return AduanOutbox.pending().then(function (items) {
        var failed = items.filter(function (i) { return i.key === item.key && i.failed; })[0];
        if (failed) { say(t("refused", { status: failed.failed }), "error"); $("submit").disabled = false; }
        else waiting();
      });
    }).catch(waiting);

    function waiting() {
      form.reset();
      photos = [];
      $("photo-previews").textContent = "";
      $("submit").disabled = false;
      say(t("offline"), "wait");
      if (navigator.serviceWorker && window.SyncManager) {
        navigator.serviceWorker.ready.then(function (reg) { return reg.sync.register("aduan-outbox"); }).catch(function () {});
      }
    }
  });

  function flushWaiting() {
    AduanOutbox.pending().then(function (items) {
      if (!items.some(function (i) { return !i.failed; })) return AduanOutbox.takeSent().then(sayFiled);
      say(t("sending_pending"), "wait");
      return AduanOutbox.flush().then(function () { return AduanOutbox.takeSent(); }).then(sayFiled);
    }).catch(function () { /* still offline: the next "online" tries again */ });
  }
  window.addEventListener("online", flushWaiting);
  flushWaiting();
  // The form is usable from here on: bench/citizen_page.py measures the time to this mark.
  if (window.performance && performance.mark) performance.mark("lapor-ready");
})();
