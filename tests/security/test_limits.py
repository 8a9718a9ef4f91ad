"""Request size limits on every route that takes a body: an oversized body is refused with
413 wherever the body is read (a few routes refuse earlier, each with its one listed status),
never stored, never a 500."""

from __future__ import annotations

import re

BIG = b'{"description": "' + b"x" * (2 * 1024 * 1024) + b'"}'  # 2 MiB > MAX_CONTENT_LENGTH


def body_routes(app) -> list[tuple[str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH"}):
            path = re.sub(
                r"<(?:int:)?[^>]+>", lambda m: "1" if "int:" in m.group(0) else "AAAA-BBBB", rule.rule
            )
            routes.append((method, path))
    return routes


# The routes that refuse before reading a body, and the one status each gives: no such ticket
# or format (looked up first), an unsigned webhook. Every other route reads the body and must
# answer 413 to a caller it would otherwise serve (a staff token, a console session).
REFUSED_UNREAD = {
    "/api/v1/complaints/AAAA-BBBB/photos": 404,
    "/open311/v2/requests.AAAA-BBBB": 404,
    "/webhooks/whatsapp": 403,
    "/webhooks/sms/gateway": 403,
    "/webhooks/sms/gateway/outbox": 403,
    "/webhooks/telegram": 403,
    "/console/outbox/1/AAAA-BBBB": 404,
    "/console/incidents/1/AAAA-BBBB": 404,  # not a step: no route (the steps read forms like the rest)
    "/instansi/AAAA-BBBB/AAAA-BBBB": 403,  # an outside body's link that does not verify
    "/skm/AAAA-BBBB": 404,  # no such service: its survey form is not read
    "/lacak/AAAA-BBBB/tambah": 404,
    "/lacak/AAAA-BBBB/nilai": 404,
    "/lacak/AAAA-BBBB/buka-kembali": 404,
    "/lacak/AAAA-BBBB/keberatan": 404,
}


def oversized_body(app, path: str) -> bytes:
    """A body 1 MiB over the route's own limit: the photo routes take more than
    MAX_CONTENT_LENGTH (a phone photo), so 2 MiB alone would not test them."""
    from ticketing.citizen.views import FORM_OVERHEAD_BYTES
    from ticketing.services.citizen import PHOTOS_PER_COMPLAINT

    limit = app.config["MAX_CONTENT_LENGTH"]
    if path.startswith(("/lapor", "/lacak/")):
        limit = PHOTOS_PER_COMPLAINT * app.config["CITIZEN_PHOTO_MAX_BYTES"] + FORM_OVERHEAD_BYTES
    elif path.startswith("/console/tickets/"):
        limit = app.config["CONSOLE_PHOTO_MAX_BYTES"] + 256 * 1024
    elif path.startswith("/api/v1/tickets/") and path.endswith("/photos"):  # proof of fix
        from ticketing.tickets.views import PHOTO_PART_OVERHEAD

        limit = app.config["CONSOLE_PHOTO_MAX_BYTES"] + PHOTO_PART_OVERHEAD
    elif path.endswith("/photos"):
        limit = app.config["CITIZEN_PHOTO_MAX_BYTES"] + 64 * 1024
    elif path.endswith("/documents"):
        from ticketing.tickets.views import DOCUMENT_PART_OVERHEAD

        limit = app.config.get("DOCUMENT_MAX_BYTES", 10 * 1024 * 1024) + DOCUMENT_PART_OVERHEAD
    return BIG if limit < len(BIG) else b'{"description": "' + b"x" * (limit + 2**20) + b'"}'


def test_every_body_route_refuses_an_oversized_body(app, http, token_for, make_user, console_client):
    from ticketing.extensions import db
    from ticketing.models import Ticket

    routes = body_routes(app)
    assert len(routes) > 15, routes
    admin = token_for("admin")
    make_user("big-body-admin", "admin")
    console = console_client()
    assert console.login("big-body-admin").status_code == 302
    for method, path in routes:
        answers = []
        body = oversized_body(app, path)
        # `Connection: close`: after an early answer gunicorn would otherwise read and throw away
        # the rest of the 2 MiB to keep the connection, which on a loaded machine can take
        # longer than its worker timeout.
        for headers in (
            {"Content-Type": "application/json"},
            {"Content-Type": "application/json", "Authorization": f"Bearer {admin}"},
            {"Content-Type": "application/x-www-form-urlencoded"},
        ):
            answers.append(
                http.request(
                    method,
                    path,
                    data=body,
                    timeout=30,
                    allow_redirects=False,
                    headers={**headers, "Connection": "close"},
                )
            )
        if path.startswith("/console/"):
            answers.append(
                console.post(
                    path,
                    data=body,
                    timeout=30,
                    headers={"Content-Type": "application/x-www-form-urlencoded", "Connection": "close"},
                )
            )
        statuses = [response.status_code for response in answers]
        for response in answers:
            assert response.status_code < 500, (method, path, statuses, response.text[:200])
            assert not 200 <= response.status_code < 300, (method, path, statuses)
            if response.status_code in (302, 303):  # only the console's way to its login page
                assert "/console/login" in response.headers["Location"], (path, statuses)
        if path in REFUSED_UNREAD:
            assert set(statuses) == {REFUSED_UNREAD[path]}, (method, path, statuses)
            continue
        # Read and refused as too large, in the route's own error shape.
        assert 413 in statuses, (method, path, statuses)
        response = answers[statuses.index(413)]
        if path.startswith(("/console/", "/lapor", "/lacak/")):
            assert response.headers["Content-Type"].startswith("text/html")  # its own page
        elif path.startswith("/open311/"):
            assert response.json()[0]["code"] == 413  # GeoReport's own error list
        else:
            assert response.json()["error"]["code"] == "payload_too_large"
    with app.app_context():
        assert db.session.query(Ticket).count() == 0


def test_open_complaint_endpoint_says_413_in_the_error_shape(http):
    response = http.post("/api/v1/complaints", data=BIG, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
