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
var CACHED_FILES = ["/static/citizen/", "/static/vendor/leaflet/", "/lapor/manifest.webmanifest",
                    "/lapor/wilayah.json"];

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
  if (url.pathname === "/lapor") {
    // The form from the network when there is one (fresh categories), else the kept copy.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put("/lapor", copy); });
      }
      return response;
    }).catch(function () { return caches.match("/lapor"); }));
    return;
  }
  if (CACHED_FILES.some(function (prefix) { return url.pathname.indexOf(prefix) === 0; })) {
    // Files: the kept copy at once, refreshed in the background for next time.
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(request).then(function (hit) {
        var fresh = fetch(request).then(function (response) {
          if (response.ok) cache.put(request, response.clone());
          return response;
        });
        return hit || fresh;
      });
    }));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "aduan-outbox") event.waitUntil(AduanOutbox.flush());
});
