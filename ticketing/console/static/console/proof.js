// Proof of fix (issue #18): the officer's position when the photo is chosen rides along with the
// upload (geo_lat/geo_lon), so a photo whose EXIF was stripped (or shrunk here) is still judged
// by where it was taken. Refused or unavailable geolocation sends nothing: the server decides.
(function () {
  "use strict";
  var input = document.querySelector("input[type=file][data-proof]");
  if (!input || !navigator.geolocation) return;
  input.addEventListener("change", function () {
    navigator.geolocation.getCurrentPosition(function (position) {
      document.getElementById("geo-lat").value = position.coords.latitude.toFixed(6);
      document.getElementById("geo-lon").value = position.coords.longitude.toFixed(6);
    }, function () { /* denied or unavailable */ }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
  });
})();
