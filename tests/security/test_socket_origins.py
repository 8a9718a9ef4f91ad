"""Issue 13 item 10: Socket.IO checked no origin (`cors_allowed_origins=[]` switches Engine.IO's
check off), so any web page could open a socket from a visitor's browser. Now a socket is
accepted from the server's own origin or an origin in `CORS_ALLOWED_ORIGINS`; a client that
sends no Origin (not a browser) is judged by its token alone. Real Socket.IO clients against
real gunicorn, over polling and websocket."""

from __future__ import annotations

import threading

import pytest
import socketio

from tests.support.private_server import private_web_server

WALL_SITE = "https://wall.kedirikota.go.id"


@pytest.fixture(scope="module")
def listing_server(process_env, run_dir):
    with private_web_server(
        process_env, run_dir, "socket-origins", CORS_ALLOWED_ORIGINS=f"https://other.example, {WALL_SITE}"
    ) as web:
        yield web


def wall_connects(base_url: str, token: str, origin: str | None, transport: str) -> bool:
    """Whether a /wall socket opened with this Origin gets its snapshot."""
    # websocket-client writes an Origin of its own (the URL's): set it through its options,
    # not as a second header.
    if transport == "websocket":
        options = {"origin": origin} if origin else {"suppress_origin": True}
        client = socketio.Client(reconnection=False, websocket_extra_options=options)
        headers = {}
    else:
        client = socketio.Client(reconnection=False)
        headers = {"Origin": origin} if origin else {}
    snapshot = threading.Event()
    client.on("snapshot", lambda *_: snapshot.set(), namespace="/wall")
    try:
        client.connect(
            base_url,
            namespaces=["/wall"],
            auth={"token": token},
            headers=headers,
            transports=[transport],
            wait_timeout=10,
        )
    except socketio.exceptions.ConnectionError:
        return False
    try:
        return snapshot.wait(10)
    finally:
        client.disconnect()


@pytest.mark.parametrize("transport", ["polling", "websocket"])
def test_a_foreign_origin_is_refused_and_the_own_origin_accepted(live_server, token_for, transport):
    token = token_for("wall")
    base = live_server.base_url
    assert not wall_connects(base, token, "https://evil.example", transport)
    assert not wall_connects(base, token, base.replace("127.0.0.1", "127.0.0.1.evil.example"), transport)
    assert wall_connects(base, token, base, transport)
    assert wall_connects(base, token, None, transport)


def test_an_origin_listed_in_cors_allowed_origins_is_accepted(listing_server, token_for):
    token = token_for("wall")
    assert wall_connects(listing_server.base_url, token, WALL_SITE, "polling")
    assert wall_connects(listing_server.base_url, token, WALL_SITE, "websocket")
    assert not wall_connects(listing_server.base_url, token, "https://evil.example", "websocket")
