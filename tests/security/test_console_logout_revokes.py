"""Issue 13 item 10: the officer queue embeds an access token for its `/opd` socket; it kept
working for hours after the officer logged out (a shared PC at the kelurahan office). Now the
token names its console session and logging out revokes it, on the API and the socket alike,
while the officer's other sign-ins stay valid. Real HTTP and a real Socket.IO client."""

from __future__ import annotations

import re

import socketio

from tests.support.private_server import Client


def console_sign_in(base_url: str, username: str) -> Client:
    browser = Client(base_url)
    page = browser.get("/console/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    signed_in = browser.post(
        "/console/login",
        allow_redirects=False,
        data={"username": username, "password": "password123", "csrf_token": token},
    )
    assert signed_in.status_code == 302, signed_in.text[:300]
    return browser


def opd_socket_accepts(base_url: str, token: str) -> bool:
    client = socketio.Client(reconnection=False)
    try:
        client.connect(
            base_url, namespaces=["/opd"], auth={"token": token}, transports=["polling"], wait_timeout=10
        )
    except socketio.exceptions.ConnectionError:
        return False
    client.disconnect()
    return True


def test_logging_out_of_the_console_revokes_the_token_its_pages_embed(live_server, clean_state, make_user):
    make_user("petugas.pupr", "officer", "PUPR")
    base = live_server.base_url
    desk = console_sign_in(base, "petugas.pupr")
    queue = desk.get("/console/queue")
    embedded = re.search(r'data-socket-token="([^"]+)"', queue.text).group(1)
    bearer = {"Authorization": f"Bearer {embedded}"}
    assert desk.get("/api/v1/tickets", headers=bearer).status_code == 200
    assert opd_socket_accepts(base, embedded)

    phone = Client(base).post(
        "/api/v1/auth/token", json={"username": "petugas.pupr", "password": "password123"}
    )
    phone_token = phone.json()["access_token"]
    other_desk = console_sign_in(base, "petugas.pupr")
    other_embedded = re.search(r'data-socket-token="([^"]+)"', other_desk.get("/console/queue").text).group(1)

    csrf = re.search(r'name="csrf_token" value="([^"]+)"', queue.text).group(1)
    assert desk.post("/console/logout", data={"csrf_token": csrf}, allow_redirects=False).status_code == 302

    refused = Client(base).get("/api/v1/tickets", headers=bearer)
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
    assert not opd_socket_accepts(base, embedded)
    # A logout is not a password change: the officer's phone and other desk stay signed in.
    assert (
        Client(base).get("/api/v1/tickets", headers={"Authorization": f"Bearer {phone_token}"}).status_code
        == 200
    )
    assert opd_socket_accepts(base, other_embedded)
    assert other_desk.get("/console/queue", allow_redirects=False).status_code == 200
