"""The wall page over HTTP: headers, no inline script, vendored libraries, the counters."""

from __future__ import annotations

import re


def test_wall_page_sends_security_headers_and_no_inline_script(http):
    response = http.get("/wall")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "https://tile.openstreetmap.org" in directives["img-src"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin"
    assert response.headers["X-Frame-Options"] == "DENY"

    html = response.text
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts, "the page loads its scripts"
    for attributes, content in scripts:
        assert 'src="/' in attributes and content.strip() == "", attributes  # own origin only
    assert "http://" not in html and "https://cdn" not in html
    assert not re.search(r"\son[a-z]+\s*=", html, flags=re.I)  # no inline event handlers
    assert "style=" not in html  # style-src 'self' allows no inline style either
    # Indonesian labels and one row per OPD of the demo city.
    assert 'lang="id"' in html and "Diterima hari ini" in html and "Kinerja OPD" in html
    assert len(re.findall(r'<tr data-opd="', html)) == 18


def test_vendored_libraries_are_served_from_the_app(http):
    for path, marker in (
        ("/static/vendor/socket.io-client/socket.io.min.js", "Socket.IO v4"),
        ("/static/vendor/leaflet/leaflet.js", "Leaflet 1.9.4"),
        ("/static/vendor/leaflet.markercluster/leaflet.markercluster.js", "markercluster"),
        ("/wall/static/wall.js", "/api/v1/events?since="),
    ):
        response = http.get(path)
        assert response.status_code == 200, path
        assert "javascript" in response.headers["Content-Type"], path
        assert marker in response.text, path
    assert http.get("/static/vendor/leaflet/leaflet.css").status_code == 200
    assert http.get("/wall/static/wall.css").status_code == 200


def test_wall_summary_needs_a_wall_token_and_counts_today(http, token_for):
    assert http.get("/wall/summary").status_code == 401
    officer = token_for("officer", "PUPR")
    assert http.get("/wall/summary", headers={"Authorization": f"Bearer {officer}"}).status_code == 403

    for channel_payload in (
        {"description": "Jalan rusak parah di Jl. Joyoboyo", "category": "jalan-rusak"},
        {"description": "Sampah belum diangkut tiga hari", "category": "sampah"},
    ):
        assert http.post("/api/v1/complaints", json=channel_payload).status_code == 201
    wall = token_for("wall")
    response = http.get("/wall/summary", headers={"Authorization": f"Bearer {wall}"})
    assert response.status_code == 200
    summary = response.json()
    assert summary["last_event_id"] >= 2
    assert summary["today"]["received"] == 2
    from ticketing.models import CHANNELS

    by_channel = summary["today"]["by_channel"]
    assert set(by_channel) == set(CHANNELS)  # every channel, counted or not
    assert {channel: n for channel, n in by_channel.items() if n} == {"web": 2}
    assert summary["today"]["routed_auto"] == 0  # no worker in this test: still received
    assert summary["counts"]["by_status"]["received"] == 2
    assert summary["counts"]["by_opd"]["-"]["open"] == 2


def test_snapshot_carries_today_counters(http, token_for):
    import socketio

    received = {}
    client = socketio.Client(reconnection=False)
    client.on("snapshot", lambda data: received.setdefault("snapshot", data), namespace="/wall")
    assert (
        http.post(
            "/api/v1/complaints", json={"description": "Lampu jalan mati total", "category": "pju"}
        ).status_code
        == 201
    )
    client.connect(http.base_url, namespaces=["/wall"], auth={"token": token_for("wall")}, wait_timeout=10)
    try:
        from tests.support.processes import wait_for

        wait_for(lambda: "snapshot" in received, message="snapshot")
    finally:
        client.disconnect()
    snapshot = received["snapshot"]
    assert {"last_event_id", "counts", "tickets", "today"} <= set(snapshot)
    assert snapshot["today"]["received"] == 1
    assert snapshot["tickets"][0]["summary"] == "Lampu jalan mati total"
