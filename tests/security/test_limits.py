"""Request size limits on every route that takes a body: an oversized body is refused with
413 (or refused earlier, for lack of a login or a signature), never stored, never a 500."""
from __future__ import annotations

import re

BIG = b'{"description": "' + b"x" * (2 * 1024 * 1024) + b'"}'  # 2 MiB > MAX_CONTENT_LENGTH


def body_routes(app) -> list[tuple[str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH"}):
            path = re.sub(r"<(?:int:)?[^>]+>", lambda m: "1" if "int:" in m.group(0) else "AAAA-BBBB",
                          rule.rule)
            routes.append((method, path))
    return routes


def test_every_body_route_refuses_an_oversized_body(app, http, token_for):
    from ticketing.extensions import db
    from ticketing.models import Ticket

    routes = body_routes(app)
    assert len(routes) > 15, routes
    admin = token_for("admin")
    answers = {}
    for method, path in routes:
        for headers in ({"Content-Type": "application/json"},
                        {"Content-Type": "application/json", "Authorization": f"Bearer {admin}"},
                        {"Content-Type": "application/x-www-form-urlencoded"}):
            response = http.request(method, path, data=BIG, headers=headers, timeout=30)
            answers[(method, path, headers["Content-Type"], "Authorization" in headers)] = response.status_code
            assert response.status_code < 500, (method, path, response.status_code, response.text[:200])
            assert not 200 <= response.status_code < 300, (method, path, response.status_code)
            if response.status_code == 413 and path.startswith(("/console/", "/lapor", "/lacak/")):
                assert response.headers["Content-Type"].startswith("text/html")  # its own page
            elif response.status_code == 413 and path.startswith("/open311/"):
                assert response.json()[0]["code"] == 413  # GeoReport's own error list
            elif response.status_code == 413:
                assert response.json()["error"]["code"] == "payload_too_large"
    assert sum(1 for status in answers.values() if status == 413) >= len(routes) // 2, answers
    with app.app_context():
        assert db.session.query(Ticket).count() == 0


def test_open_complaint_endpoint_says_413_in_the_error_shape(http):
    response = http.post("/api/v1/complaints", data=BIG, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
