#!/usr/bin/env bash
# Refresh the browser libraries the wall serves from its own origin (no CDN, no build step at
# run time): pinned npm packages, unpacked with `npm pack`, copied into ticketing/static/vendor.
# Change a version here, run `make vendor`, look at /wall, commit the result.
set -euo pipefail

# socket.io-client 4.x speaks Socket.IO protocol 5, the one python-socketio 5 serves.
SOCKET_IO_CLIENT_VERSION=4.8.1
LEAFLET_VERSION=1.9.4
LEAFLET_MARKERCLUSTER_VERSION=1.5.3

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/ticketing/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

fetch() {  # fetch <package> <version> → unpacked into $WORK/<package>/package
    local package="$1" version="$2"
    mkdir -p "$WORK/$package"
    (cd "$WORK/$package" && npm pack --silent "$package@$version" >/dev/null && tar -xzf ./*.tgz)
}

fetch socket.io-client "$SOCKET_IO_CLIENT_VERSION"
fetch leaflet "$LEAFLET_VERSION"
fetch leaflet.markercluster "$LEAFLET_MARKERCLUSTER_VERSION"

# Only our own folders: others vendor into ticketing/static/vendor too (swagger-ui).
rm -rf "$DEST/socket.io-client" "$DEST/leaflet" "$DEST/leaflet.markercluster"
mkdir -p "$DEST/socket.io-client" "$DEST/leaflet/images" "$DEST/leaflet.markercluster"

SIO="$WORK/socket.io-client/package"
cp "$SIO/dist/socket.io.min.js" "$SIO/dist/socket.io.min.js.map" "$SIO/LICENSE" \
   "$DEST/socket.io-client/"

LEAFLET="$WORK/leaflet/package"
cp "$LEAFLET/dist/leaflet.js" "$LEAFLET/dist/leaflet.css" "$LEAFLET/LICENSE" "$DEST/leaflet/"
cp "$LEAFLET"/dist/images/*.png "$DEST/leaflet/images/"

CLUSTER="$WORK/leaflet.markercluster/package"
cp "$CLUSTER/dist/leaflet.markercluster.js" "$CLUSTER/dist/MarkerCluster.css" \
   "$CLUSTER/dist/MarkerCluster.Default.css" "$CLUSTER/MIT-LICENCE.txt" \
   "$DEST/leaflet.markercluster/"

echo "$SOCKET_IO_CLIENT_VERSION" > "$DEST/socket.io-client/VERSION"
echo "$LEAFLET_VERSION" > "$DEST/leaflet/VERSION"
echo "$LEAFLET_MARKERCLUSTER_VERSION" > "$DEST/leaflet.markercluster/VERSION"
echo "vendored into $DEST: socket.io-client $SOCKET_IO_CLIENT_VERSION, leaflet $LEAFLET_VERSION," \
     "leaflet.markercluster $LEAFLET_MARKERCLUSTER_VERSION"
