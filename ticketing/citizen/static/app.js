/* Every citizen page: the offline worker, the parts that need JavaScript, copying a link. */
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll(".js-only"), function (el) { el.hidden = false; });
  var sw = document.body.getAttribute("data-sw");
  if (sw && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(sw, { scope: "/" }).catch(function () { /* pages work without it */ });
  }
  var copy = document.getElementById("copy-link");
  if (copy) {
    copy.addEventListener("click", function () {
      var text = copy.getAttribute("data-copy");
      var done = function () { copy.textContent = copy.getAttribute("data-copied"); };
      if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, function () {});
    });
  }
})();
