/* Complaints waiting to be sent, kept in IndexedDB so they survive a lost connection, a closed
   tab or a restarted phone. Shared by the page (lapor.js) and the service worker (sw.js).
   Each complaint carries its own Idempotency-Key: however often it is retried, and by whoever
   (the page on "online", the worker on "sync"), the server files it once. */
var AduanOutbox = (function () {
  "use strict";
  var DB_NAME = "aduan-lapor", PENDING = "pending", SENT = "sent", LOCK = "aduan-outbox";
  var COMPLAINTS_URL = "/api/v1/complaints";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(PENDING, { keyPath: "key" });
        request.result.createObjectStore(SENT, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode), result;
        var request = work(tx.objectStore(store));
        if (request) request.onsuccess = function () { result = request.result; };
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function newKey() {
    if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  /* A network failure (offline, server unreachable) or a server that asks to retry later. */
  function retryable(status) { return !status || status === 408 || status === 429 || status >= 500; }

  function sendOne(item) {
    var filed = item.filed ? Promise.resolve(item.filed) : fetch(COMPLAINTS_URL, {
      method: "POST", headers: { "Content-Type": "application/json", "Idempotency-Key": item.key },
      body: JSON.stringify(item.complaint), credentials: "omit"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (response.status !== 201) throw { status: response.status, body: body };
        item.filed = { ticket_number: body.ticket_number, tracking_token: body.tracking_token };
        return run(PENDING, "readwrite", function (s) { return s.put(item); }).then(function () { return item.filed; });
      });
    });
    return filed.then(function (done) { return sendPhotos(item, done); });
  }

  function sendPhotos(item, done) {
    var photos = item.photos || [];
    var chain = Promise.resolve();
    photos.forEach(function (photo, index) {
      chain = chain.then(function () {
        if (photo.sent) return;
        var form = new FormData();
        form.append("photo", photo.blob, "foto-" + (index + 1) + ".jpg");
        var url = COMPLAINTS_URL + "/" + encodeURIComponent(done.ticket_number) + "/photos?token=" + encodeURIComponent(done.tracking_token);
        return fetch(url, { method: "POST", body: form, credentials: "omit" }).then(function (response) {
          if (retryable(response.status) && response.status) throw { status: response.status };
          // Stored, or refused for good (wrong type, too large): either way not sent again.
          photo.sent = true;
          return run(PENDING, "readwrite", function (s) { return s.put(item); });
        });
      });
    });
    return chain.then(function () { return done; });
  }

  function flushLocked() {
    return run(PENDING, "readonly", function (s) { return s.getAll(); }).then(function (items) {
      var results = [];
      var chain = Promise.resolve();
      (items || []).filter(function (item) { return !item.failed; }).forEach(function (item) {
        chain = chain.then(function () {
          return sendOne(item).then(function (done) {
            var record = { key: item.key, ticket_number: done.ticket_number, tracking_token: done.tracking_token, at: Date.now() };
            results.push(record);
            return run(PENDING, "readwrite", function (s) { return s.delete(item.key); }).then(function () {
              return run(SENT, "readwrite", function (s) { return s.put(record); });
            });
          }, function (error) {
            if (error && error.status && !retryable(error.status)) {
              item.failed = error.status;
              return run(PENDING, "readwrite", function (s) { return s.put(item); });
            }
            throw error;
          });
        });
      });
      return chain.then(function () { return results; });
    });
  }

  /* Send everything waiting, one sender at a time across the page and the worker. */
  function flush() {
    if (self.navigator && navigator.locks) {
      return navigator.locks.request(LOCK, function () { return flushLocked(); });
    }
    return flushLocked();
  }

  return {
    newKey: newKey,
    add: function (item) { return run(PENDING, "readwrite", function (s) { return s.put(item); }); },
    pending: function () { return run(PENDING, "readonly", function (s) { return s.getAll(); }); },
    takeSent: function () {
      return run(SENT, "readonly", function (s) { return s.getAll(); }).then(function (records) {
        return run(SENT, "readwrite", function (s) { return s.clear(); }).then(function () { return records || []; });
      });
    },
    flush: flush
  };
})();
