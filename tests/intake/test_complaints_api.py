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
    response = http.post(
        "/api/v1/complaints",
        json={
            "description": COMPLAINT,
            "reporter": {"name": "Sri", "phone": "0812-3456-7890", "email": "sri@example.org"},
            "location": {"lat": -7.8166, "lon": 112.0114, "address": "Jl. Pahlawan Kusuma Bangsa"},
        },
    )
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
    relaxed = http.get(
        f"/api/v1/complaints/{number.replace('-', '').lower()}", params={"token": body["tracking_token"]}
    )
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


@pytest.mark.parametrize(
    "body, content_type, status, code, field",
    [
        ("this is not json", "application/json", 400, "malformed_json", None),
        ('{"description": "x"}', "text/plain", 415, "unsupported_media_type", None),
        ("[1, 2]", "application/json", 400, "malformed_json", None),
        ("{}", "application/json", 422, "invalid_fields", "description"),
        ('{"description": "   "}', "application/json", 422, "invalid_fields", "description"),
        (
            '{"description": "x", "location": {"lat": 200, "lon": 1}}',
            "application/json",
            422,
            "invalid_fields",
            "location",
        ),
        (
            '{"description": "x", "category": "no-such-category"}',
            "application/json",
            422,
            "invalid_fields",
            "category",
        ),
        ('{"description": 12345}', "application/json", 422, "invalid_fields", "description"),
        (
            '{"description": "x", "anonymous": "perhaps"}',
            "application/json",
            422,
            "invalid_fields",
            "anonymous",
        ),
        (
            '{"description": "x", "reporter": {"phone": "not a phone"}}',
            "application/json",
            422,
            "invalid_fields",
            "reporter",
        ),
        ('{"description": "x", "colour": "red"}', "application/json", 422, "invalid_fields", "colour"),
    ],
)
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
    response = http.post("/api/v1/complaints", data=payload, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert ticket_count(app) == 0


def test_explicit_category_is_kept(http, app):
    response = http.post("/api/v1/complaints", json={"description": "Sampah menumpuk", "category": "sampah"})
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


def test_idempotency_key_makes_a_retried_complaint_one_ticket(http, app):
    """A client whose connection died after we committed retries with the same key and gets
    the ticket filed the first time (same number, same working token), never a second one."""
    body = {"description": COMPLAINT, "reporter": {"phone": "0812-3456-7890"}}
    key = {"Idempotency-Key": "3f1c9a2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b"}
    first = http.post("/api/v1/complaints", json=body, headers=key)
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers
    again = http.post("/api/v1/complaints", json=body, headers=key)
    assert again.status_code == 201, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["ticket_number"] == first.json()["ticket_number"]
    assert again.json()["tracking_token"] == first.json()["tracking_token"]
    assert again.headers["Location"] == first.headers["Location"]
    assert ticket_count(app) == 1
    tracked = http.get(
        f"/api/v1/complaints/{first.json()['ticket_number']}",
        params={"token": again.json()["tracking_token"]},
    )
    assert tracked.status_code == 200

    # The key belongs to that complaint: another text under it is refused, not merged.
    reused = http.post("/api/v1/complaints", json={"description": COMPLAINT + " juga"}, headers=key)
    assert reused.status_code == 409
    assert reused.json()["error"]["code"] == "idempotency_key_reused"
    # Another key is another complaint, with a token of its own.
    other = http.post(
        "/api/v1/complaints", json=body, headers={"Idempotency-Key": "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"}
    )
    assert other.status_code == 201
    assert other.json()["ticket_number"] != first.json()["ticket_number"]
    assert other.json()["tracking_token"] != first.json()["tracking_token"]
    assert ticket_count(app) == 2


@pytest.mark.parametrize(
    "bad", ["short", "fifteen-chars-x", "x" * 201, "has space inside", "ünïcode-key-1234"]
)
def test_bad_idempotency_key_is_a_clear_422(http, app, bad):
    response = http.post(
        "/api/v1/complaints",
        json={"description": COMPLAINT},
        headers={"Idempotency-Key": bad.encode().decode("latin-1")},
    )
    assert response.status_code == 422, response.text
    assert "Idempotency-Key" in response.json()["error"]["fields"]
    assert ticket_count(app) == 0


def test_concurrent_retries_with_one_key_store_one_ticket(http, app):
    from concurrent.futures import ThreadPoolExecutor

    import requests

    body = {"description": COMPLAINT}
    key = {"Idempotency-Key": "race-0b9c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d"}
    with ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(
                lambda _: requests.post(
                    http.base_url + "/api/v1/complaints", json=body, headers=key, timeout=10
                ),
                range(8),
            )
        )
    assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
    assert len({a.json()["ticket_number"] for a in answers}) == 1
    assert len({a.json()["tracking_token"] for a in answers}) == 1
    assert ticket_count(app) == 1
