/* The citizen pages' service worker: the complaint form opens without a connection, and a
   complaint kept while offline is sent when the connection returns (Background Sync where the
   browser has it; the open page sends it on "online" otherwise). It answers only for the
   citizen pages and their files: the console, the wall and the API go straight to the network. */
"use strict";
importScripts("/static/citizen/outbox.js");

var CACHE = "lapor-v1";
var SHELL = ["/lapor", "/static/citizen/citizen.css", "/static/citizen/app.js",
             "/static/citizen/outbox.js", "/static/citizen/lapor.js",
             "/static/citizen/icon-192.png", "/lapor/manifest.webmanifest"];
// The page and its own files: from the network when there is one (so a new release never pairs
// a fresh page with an old script), else the kept copy. Leaflet changes only with `make vendor`:
// the kept copy at once.
var NETWORK_FIRST = ["/lapor", "/static/citizen/", "/lapor/manifest.webmanifest", "/lapor/wilayah.json"];
var CACHE_FIRST = ["/static/vendor/leaflet/"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("lapor-") === 0 && n !== CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var starts = function (prefix) {
    return prefix === "/lapor" ? url.pathname === "/lapor" : url.pathname.indexOf(prefix) === 0;
  };
  if (NETWORK_FIRST.some(starts)) {
    event.respondWith(networkFirst(request, url.pathname === "/lapor" ? "/lapor" : request));
  } else if (CACHE_FIRST.some(starts)) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(request).then(function (hit) {
        return hit || fetch(request).then(function (response) {
          if (response.ok) cache.put(request, response.clone());
          return response;
        });
      });
    }));
  }
});

/* The network's answer, or the kept copy when the network fails or (on a patchy connection)
   takes longer than SLOW_NETWORK_MS and a copy exists. */
var SLOW_NETWORK_MS = 4000;
function networkFirst(request, key) {
  var network = fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(key, copy); });
    }
    return response;
  });
  var kept = function () { return caches.match(key); };
  var slow = new Promise(function (resolve) { setTimeout(resolve, SLOW_NETWORK_MS); }).then(kept);
  return Promise.race([network.catch(kept), slow.then(function (hit) { return hit || network; })])
    .then(function (response) { return response || network; });
}

self.addEventListener("sync", function (event) {
  if (event.tag === "aduan-outbox") event.waitUntil(AduanOutbox.flush());
});
