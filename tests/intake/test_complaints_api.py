"""Web intake through real HTTP: valid complaints, tracking, and every kind of bad input."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

COMPLAINT = "Jalan di depan Pasar Setono Betek berlubang besar, bahaya untuk motor"


def ticket_count(app) -> int:
    from ticketing.extensions import db
    from ticketing.models import Ticket

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Ticket))


def test_complaint_is_stored_and_tracked(http, app):
    response = http.post("/api/v1/complaints", json={
        "description": COMPLAINT, "reporter": {"name": "Sri", "phone": "0812-3456-7890",
                                               "email": "sri@example.org"},
        "location": {"lat": -7.8166, "lon": 112.0114, "address": "Jl. Pahlawan Kusuma Bangsa"},
    })
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"ticket_number", "tracking_token", "status", "created_at"}
    assert body["status"] == "received"
    assert response.headers["Location"].endswith(f"/api/v1/complaints/{body['ticket_number']}")
    number = body["ticket_number"]
    assert len(number) == 9 and number[4] == "-"
    assert not set(number.replace("-", "")) & set("01OI")

    tracked = http.get(f"/api/v1/complaints/{number}", params={"token": body["tracking_token"]})
    assert tracked.status_code == 200
    view = tracked.json()
    assert view["ticket_number"] == number and view["status"] == "received"
    assert view["history"][0]["note"] == "Pengaduan diterima."
    text = json.dumps(view)
    for personal in ("Sri", "3456", "sri@example.org", "Pahlawan"):
        assert personal not in text

    # Typed as people type it: lower case, no dash.
    relaxed = http.get(f"/api/v1/complaints/{number.replace('-', '').lower()}",
                       params={"token": body["tracking_token"]})
    assert relaxed.status_code == 200

    from ticketing.extensions import db
    from ticketing.models import Ticket

    with app.app_context():
        ticket = db.session.scalar(select(Ticket).where(Ticket.ticket_number == number))
        assert ticket.reporter_phone == "+6281234567890"
        assert body["tracking_token"] not in ticket.tracking_token_hash


def test_wrong_or_missing_token_is_404(http):
    body = http.post("/api/v1/complaints", json={"description": COMPLAINT}).json()
    for params in ({"token": "wrong"}, {}):
        response = http.get(f"/api/v1/complaints/{body['ticket_number']}", params=params)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert http.get("/api/v1/complaints/AAAA-AAAA", params={"token": "x"}).status_code == 404


@pytest.mark.parametrize("body, content_type, status, code, field", [
    ("this is not json", "application/json", 400, "malformed_json", None),
    ('{"description": "x"}', "text/plain", 415, "unsupported_media_type", None),
    ("[1, 2]", "application/json", 400, "malformed_json", None),
    ("{}", "application/json", 422, "invalid_fields", "description"),
    ('{"description": "   "}', "application/json", 422, "invalid_fields", "description"),
    ('{"description": "x", "location": {"lat": 200, "lon": 1}}', "application/json", 422,
     "invalid_fields", "location"),
    ('{"description": "x", "category": "no-such-category"}', "application/json", 422,
     "invalid_fields", "category"),
    ('{"description": 12345}', "application/json", 422, "invalid_fields", "description"),
    ('{"description": "x", "anonymous": "perhaps"}', "application/json", 422, "invalid_fields",
     "anonymous"),
    ('{"description": "x", "reporter": {"phone": "not a phone"}}', "application/json", 422,
     "invalid_fields", "reporter"),
    ('{"description": "x", "colour": "red"}', "application/json", 422, "invalid_fields", "colour"),
])
def test_bad_input_is_refused_and_nothing_stored(http, app, body, content_type, status, code, field):
    response = http.post("/api/v1/complaints", data=body.encode(), headers={"Content-Type": content_type})
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"]
    if field:
        assert field in error["fields"]
    assert ticket_count(app) == 0


def test_two_megabyte_body_is_413(http, app):
    payload = json.dumps({"description": "x" * (2 * 1024 * 1024)})
    response = http.post("/api/v1/complaints", data=payload,
                         headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert ticket_count(app) == 0


def test_explicit_category_is_kept(http, app):
    response = http.post("/api/v1/complaints", json={"description": "Sampah menumpuk",
                                                     "category": "sampah"})
    assert response.status_code == 201
    from ticketing.extensions import db
    from ticketing.models import Ticket

    with app.app_context():
        ticket = db.session.scalar(select(Ticket))
        assert ticket.category_code == "sampah" and ticket.category_chosen


def test_taken_ticket_number_is_drawn_again_inside_the_callers_transaction(app_ctx, monkeypatch):
    """A number collision neither fails the complaint nor aborts the caller's transaction
    (channels store the inbound message in the same one): the next draw is used."""
    from ticketing.extensions import db
    from ticketing.models import Ticket
    from ticketing.services import intake

    first = intake.create_ticket(description=COMPLAINT, channel="web")
    draws = iter([first.ticket_number, first.ticket_number, "XYZW-2345"])
    monkeypatch.setattr(intake, "new_ticket_number", lambda: next(draws))
    second = intake.create_ticket(description=COMPLAINT + " lagi", channel="sms", commit=False)
    assert second.ticket.ticket_number == "XYZW-2345"
    db.session.commit()
    numbers = db.session.scalars(select(Ticket.ticket_number).order_by(Ticket.id)).all()
    assert numbers == [first.ticket_number, "XYZW-2345"]
