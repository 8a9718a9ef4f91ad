// Aduan staff console: confirmations, SLA countdowns, keyboard triage, the map pin, and live
// tickets for officers over the `/opd` Socket.IO namespace. Plain JS, no build step; every
// page works without it (forms post normally), this only makes it quicker.
(function () {
  "use strict";
  var body = document.body;

  // Confirmations: any form with data-confirm asks first (also for requestSubmit()).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // SLA countdowns -----------------------------------------------------------------------------
  function duration(ms) {
    var minutes = Math.round(Math.abs(ms) / 60000);
    var days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60);
    // In words, as ticketing/formatting.py writes them: "30 hari 23 jam", "5 jam 3 menit".
    if (days) return days + " hari" + (hours ? " " + hours + " jam" : "");
    if (hours) return hours + " jam" + (minutes % 60 ? " " + (minutes % 60) + " menit" : "");
    return (minutes % 60) + " menit";
  }
  function tickSla() {
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var left = new Date(el.dataset.due).getTime() - Date.now();
      if (isNaN(left)) return;
      el.textContent = left >= 0 ? "Sisa " + duration(left) : "Terlambat " + duration(left);
      el.classList.toggle("late", left < 0);
    });
  }
  tickSla();
  setInterval(tickSla, 30000);

  // SLA preview on the categories page: the deadline a complaint filed now would get, as the
  // admin types the amount and picks what it counts (the server computes it on its calendar).
  document.querySelectorAll("[data-sla-preview]").forEach(function (output) {
    var form = output.closest("form");
    var amount = form && form.querySelector('[name="sla_amount"]');
    var unit = form && form.querySelector('[name="sla_unit"]');
    if (!amount || !unit) return;
    var timer = null;
    function refresh() {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var url = output.dataset.slaPreview + "?sla_amount=" + encodeURIComponent(amount.value) +
          "&sla_unit=" + encodeURIComponent(unit.value);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.json(); })
          .then(function (data) { if (data && data.text) output.textContent = data.text; })
          .catch(function () { /* offline: the text shown stays, the server checks on save */ });
      }, 250);
    }
    amount.addEventListener("input", refresh);
    unit.addEventListener("change", refresh);
  });

  // Triage by keyboard: 1–3 pick the router's suggestion, Enter sends, J/K move ----------------
  var cards = Array.prototype.slice.call(document.querySelectorAll(".triage-card"));
  function typing(target) {
    var tag = target.tagName;
    return tag === "TEXTAREA" || tag === "SELECT" ||
      (tag === "INPUT" && target.type !== "radio" && target.type !== "checkbox");
  }
  if (cards.length) {
    if (!location.hash && document.activeElement === body) cards[0].focus();
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      var card = event.target.closest && event.target.closest(".triage-card");
      var key = event.key;
      if (key === "j" || key === "k") {
        var index = card ? cards.indexOf(card) : -1;
        var next = cards[Math.min(cards.length - 1, Math.max(0, index + (key === "j" ? 1 : -1)))];
        if (next) { next.focus(); event.preventDefault(); }
        return;
      }
      if (!card) return;
      if (/^[1-9]$/.test(key)) {
        var radio = card.querySelector('input[data-key="' + key + '"]');
        if (radio) {
          radio.checked = true;
          announce("Dipilih: " + radio.labels[0].textContent.replace(/\s+/g, " ").trim());
          event.preventDefault();
        }
      } else if (key === "s" || key === "d") {
        // S: reject as spam. D: merge into the linked original, or fill in a duplicate rejection.
        var merge = card.querySelector("form[data-merge]");
        if (key === "d" && merge) { event.preventDefault(); merge.requestSubmit(); return; }
        var reject = card.querySelector("form[data-reject]");
        if (!reject) return;
        event.preventDefault();
        var details = reject.closest("details");
        if (details) details.open = true;
        reject.querySelector("select[name=reason]").value = key === "s" ? "spam" : "duplicate";
        if (key === "s") reject.requestSubmit();
        else reject.querySelector("input[name=duplicate_of]").focus();
      } else if (key === "Enter") {
        var tag = event.target.tagName;
        if (tag === "BUTTON" || tag === "A" || tag === "SUMMARY") return;
        var form = card.querySelector("form[data-dispose]");
        if (form && form.querySelector("input[name=opd]:checked, select[name=opd]")) {
          event.preventDefault();
          form.requestSubmit();
        }
      }
    });
  }

  // Drafts: a note being written survives a reload or an expired session (kept in this browser
  // until the ticket page reports the action done) ------------------------------------------------
  var draftTicket = body.dataset.ticket;
  if (draftTicket) {
    var prefix = "aduan.draft." + draftTicket + ".";
    if (document.querySelector(".flash-success")) {
      Object.keys(localStorage).forEach(function (k) { if (k.indexOf(prefix) === 0) localStorage.removeItem(k); });
    }
    document.querySelectorAll("textarea[data-draft]").forEach(function (area) {
      var key = prefix + area.id;
      if (!area.value && localStorage.getItem(key)) {
        area.value = localStorage.getItem(key);
        var saved = area.parentElement.querySelector(".draft-restored");
        if (saved) saved.hidden = false;
      }
      area.addEventListener("input", function () { localStorage.setItem(key, area.value); });
    });
  }

  // Photos shrunk in the browser before upload: a phone's 12 MP photo becomes ~1600 px JPEG -----
  document.querySelectorAll("input[type=file][data-shrink]").forEach(function (input) {
    var message = document.getElementById(input.dataset.message);
    input.addEventListener("change", function () {
      var limit = parseInt(input.dataset.maxBytes, 10);
      var file = input.files && input.files[0];
      if (message) { message.textContent = ""; message.hidden = true; }
      if (!file || !/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap) return;
      createImageBitmap(file).then(function (bitmap) {
        var scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
        if (scale === 1 && file.size <= limit) return;
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale); canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          if (!blob || blob.size > limit) {
            input.value = "";
            if (message) { message.textContent = input.dataset.tooBig; message.hidden = false; }
            return;
          }
          var transfer = new DataTransfer();
          transfer.items.add(new File([blob], file.name.replace(/\.[^.]+$/, "") + ".jpg", { type: "image/jpeg" }));
          input.files = transfer.files;
        }, "image/jpeg", 0.82);
      }).catch(function () { /* not decodable here: the server checks it */ });
    });
  });

  // OPD pickers: a search box narrows the grouped list (OPD, kecamatan, kelurahan) -------------
  document.querySelectorAll("input[data-filter-for]").forEach(function (box) {
    var select = document.getElementById(box.dataset.filterFor);
    if (!select) return;
    box.hidden = false;
    var label = document.querySelector('label[for="' + box.id + '"]');
    if (label) label.hidden = false;
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) return;
        var text = option.textContent.toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) !== -1; });
        option.hidden = !match;
        if (match && !first) first = option;
      });
      select.querySelectorAll("optgroup").forEach(function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      if (first && words.length) select.value = first.value;
    });
  });

  // Live region for screen readers ---------------------------------------------------------------
  function announce(text) {
    var live = document.getElementById("live");
    if (live) { live.textContent = ""; setTimeout(function () { live.textContent = text; }, 50); }
  }

  // Map pin (vendored Leaflet, when the page has a location) -------------------------------------
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("map");
    if (!el || !window.L) { if (el) el.hidden = true; return; }
    var point = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
    var map = window.L.map(el, { keyboard: true }).setView(point, 17);
    window.L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
      { maxZoom: 19, attribution: "© OpenStreetMap" }).addTo(map);
    window.L.marker(point, { title: "Lokasi pengaduan", alt: "Lokasi pengaduan" }).addTo(map);
  });

  // Live triage for operators: a moving counter, a sound and a reload prompt -------------------
  (function liveTriage() {
    var triageToken = body.dataset.triageToken;
    if (!triageToken) return;
    var waiting = {};
    document.querySelectorAll(".triage-card").forEach(function (card) { waiting[card.dataset.ticket] = true; });
    var counter = document.getElementById("count-triage");
    var banner = document.getElementById("triage-new");
    var conn = document.getElementById("triage-conn");
    var muteButton = document.getElementById("triage-mute");
    var muted = localStorage.getItem("aduan.console.mute") === "1";
    var fresh = 0, audio = null;
    function showMute() {
      muteButton.setAttribute("aria-pressed", muted ? "true" : "false");
      muteButton.textContent = muted ? "Bunyi: mati" : "Bunyi: aktif";
    }
    showMute();
    muteButton.addEventListener("click", function () {
      muted = !muted;
      localStorage.setItem("aduan.console.mute", muted ? "1" : "0");
      showMute();
    });
    function chime() {
      if (muted) return;
      try {
        audio = audio || new (window.AudioContext || window.webkitAudioContext)();
        var osc = audio.createOscillator(), gain = audio.createGain();
        osc.frequency.value = 660; gain.gain.value = 0.15;
        osc.connect(gain); gain.connect(audio.destination);
        osc.start(); osc.stop(audio.currentTime + 0.2);
      } catch (e) { /* no audio device: the counter still moves */ }
    }
    function count(delta) {
      counter.textContent = Math.max(0, parseInt(counter.textContent, 10) + delta);
      counter.classList.remove("bump"); void counter.offsetWidth; counter.classList.add("bump");
    }
    function handle(event) {
      var t = event && event.ticket;
      if (!t) return;
      var inTriage = t.status === "triage" || t.status === "received";
      if (inTriage && !waiting[t.ticket_number]) {
        waiting[t.ticket_number] = true;
        count(1); fresh += 1;
        banner.querySelector("span").textContent = fresh + " tiket baru masuk triase.";
        banner.hidden = false;
        announce("Tiket baru di triase: " + t.ticket_number);
        chime();
      } else if (!inTriage && waiting[t.ticket_number]) {
        delete waiting[t.ticket_number];
        count(-1);
        var card = document.querySelector('.triage-card[data-ticket="' + t.ticket_number + '"]');
        if (card) card.classList.add("done");
      }
    }
    var script = document.createElement("script");
    script.src = body.dataset.socketUrl;
    script.onload = function () {
      var socket = window.io("/wall", { auth: { token: triageToken } });
      socket.on("connect", function () { conn.dataset.state = "on"; conn.textContent = "Langsung: tersambung"; });
      socket.on("disconnect", function () { conn.dataset.state = "off"; conn.textContent = "Langsung: terputus, menyambung ulang…"; });
      ["ticket.created", "ticket.routed", "ticket.updated"].forEach(function (name) { socket.on(name, handle); });
    };
    document.head.appendChild(script);
  })();

  // Live tickets for officers -------------------------------------------------------------------
  var token = body.dataset.socketToken;
  if (!token) return;
  var muteButton = document.getElementById("mute");
  var muted = localStorage.getItem("aduan.console.mute") === "1";
  function showMute() {
    muteButton.setAttribute("aria-pressed", muted ? "true" : "false");
    muteButton.textContent = muted ? "Bunyi: mati" : "Bunyi: aktif";
  }
  showMute();
  muteButton.addEventListener("click", function () {
    muted = !muted;
    localStorage.setItem("aduan.console.mute", muted ? "1" : "0");
    showMute();
  });
  var audio = null;
  function beep() {
    if (muted) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume();
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = 880; gain.gain.value = 0.15;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + 0.25);
    } catch (e) { /* no audio device: the visual cue remains */ }
  }

  var lastEventId = parseInt(body.dataset.lastEvent || "0", 10);
  // The catalogue's status words, as the server renders them (one vocabulary everywhere).
  var labelsMeta = document.querySelector('meta[name="aduan-status-labels"]');
  var labels = labelsMeta ? JSON.parse(labelsMeta.content) : {};
  var channels = { web: "Web", sms: "SMS", whatsapp: "WhatsApp", open311: "Open311", telegram: "Telegram", phone: "Telepon", counter: "Loket" };
  function bump(id, delta) {
    var el = document.getElementById(id);
    if (el) el.textContent = Math.max(0, parseInt(el.textContent, 10) + delta);
  }
  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }
  function addTicket(t) {
    var list = document.getElementById("section-assigned");
    if (!list) return;
    var item = element("li", "ticket fresh");
    item.dataset.ticket = t.ticket_number;
    var link = element("a", "number", t.ticket_number);
    link.href = body.dataset.ticketUrl.replace("__N__", encodeURIComponent(t.ticket_number));
    var badge = element("span", "badge badge-assigned", labels.assigned);
    badge.dataset.role = "status";
    item.append(link, " ", badge, element("p", "summary", t.summary),
                element("p", "meta", (t.category || "tanpa kategori") + " · " + (channels[t.channel] || t.channel) + " · baru masuk"));
    list.prepend(item);
    var empty = list.parentElement.querySelector(".empty");
    if (empty) empty.remove();
    bump("count-assigned", 1);
    bump("section-count-assigned", 1);
    announce("Tiket baru " + t.ticket_number + ": " + t.summary);
    beep();
  }
  function handle(payload) {
    if (!payload || !payload.ticket) return;
    if (payload.event_id <= lastEventId) return;  // already seen (catch-up overlaps live)
    lastEventId = payload.event_id;
    var t = payload.ticket;
    var existing = document.querySelector('li.ticket[data-ticket="' + t.ticket_number + '"]');
    if (!existing && t.status === "assigned") { addTicket(t); return; }
    if (existing) {
      var badge = existing.querySelector('[data-role="status"]');
      if (badge && labels[t.status]) { badge.textContent = labels[t.status]; badge.className = "badge badge-" + t.status; }
    }
  }
  function catchUp() {
    // After a reconnect, events missed while away come from the API with the same token.
    fetch("/api/v1/events?since=" + lastEventId, { headers: { Authorization: "Bearer " + token } })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (data) { (data.items || []).forEach(handle); })
      .catch(function () {});
  }
  var conn = document.getElementById("conn");
  function state(name, text) { if (conn) { conn.dataset.state = name; conn.textContent = text; } }
  var script = document.createElement("script");
  script.src = body.dataset.socketUrl;
  script.onload = function () {
    var socket = window.io("/opd", { auth: { token: token } });
    var connectedOnce = false;
    socket.on("connect", function () {
      state("on", "Langsung: tersambung");
      if (connectedOnce) catchUp();
      connectedOnce = true;
    });
    socket.on("disconnect", function () { state("off", "Langsung: terputus, menyambung ulang…"); });
    socket.on("connect_error", function () { state("off", "Langsung: gagal tersambung"); });
    ["ticket.created", "ticket.routed", "ticket.updated"].forEach(function (name) {
      socket.on(name, handle);
    });
  };
  document.head.appendChild(script);
})();
