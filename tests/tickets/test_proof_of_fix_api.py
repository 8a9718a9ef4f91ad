"""Proof of fix is the lifecycle's rule (issue #18): a ticket whose category is marked
`needs_proof` keeps an "after" photo through POST /api/v1/tickets/<n>/photos, checked for place and
time as the console checks it, and its resolve names the photo. shared/API.md's `resolve {note}`
still resolves without one by default (integrations rely on it); with PROOF_REQUIRED_FOR_API on,
the API is held to the console's rule and answers a 422 that says so."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.incidents.conftest import jpeg_with_exif
from tests.support.private_server import Client, private_web_server
from tests.support.proof import proof_photo
from tests.support.tickets import bearer

PLACE = (-7.8166, 112.0114)
TWO_KM_NORTH = (-7.7986, 112.0114)


def act(http, token, number, **body):
    return http.post(f"/api/v1/tickets/{number}/actions", json=body, headers=bearer(token))


def upload(http, token, number, content: bytes, **form):
    return http.post(
        f"/api/v1/tickets/{number}/photos",
        files={"photo": ("sesudah.jpg", content, "image/jpeg")},
        data=form,
        headers=bearer(token),
    )


def test_the_contracts_resolve_with_a_note_alone_still_resolves_a_needs_proof_ticket(
    http, staff, make_ticket
):
    ticket = make_ticket(status="in_progress", category="jalan-rusak", lat=PLACE[0], lon=PLACE[1])
    done = act(http, staff["officer"], ticket.ticket_number, action="resolve", note="Sudah ditambal.")
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "resolved"
    # A photo named is still checked: an id that is not this ticket's kept photo proves nothing.
    other = make_ticket(status="in_progress", category="jalan-rusak", lat=PLACE[0], lon=PLACE[1])
    unknown = act(http, staff["officer"], other.ticket_number, action="resolve", note="x", photo=999_999)
    assert unknown.status_code == 422 and set(unknown.json()["error"]["fields"]) == {"photo"}


def test_with_proof_required_for_api_a_resolve_without_a_photo_is_refused_with_a_clear_422(
    http, staff, make_ticket, process_env, run_dir
):
    ticket = make_ticket(status="in_progress", category="jalan-rusak", lat=PLACE[0], lon=PLACE[1])
    with private_web_server(process_env, run_dir, "proof", PROOF_REQUIRED_FOR_API="true") as server:
        strict = Client(server.base_url)
        refused = strict.post(
            f"/api/v1/tickets/{ticket.ticket_number}/actions",
            json={"action": "resolve", "note": "Sudah ditambal."},
            headers=bearer(staff["officer"]),
        )
        assert refused.status_code == 422, refused.text
        error = refused.json()["error"]
        assert error["code"] == "proof_required"
        assert "foto bukti" in error["message"]
        assert error["fields"] == {"photo": [error["message"]]}
        # A category without the rule resolves with a note alone there too.
        plain = make_ticket(status="in_progress", category="pohon", lat=PLACE[0], lon=PLACE[1])
        done = strict.post(
            f"/api/v1/tickets/{plain.ticket_number}/actions",
            json={"action": "resolve", "note": "Pohon sudah dipotong."},
            headers=bearer(staff["officer"]),
        )
        assert done.status_code == 200, done.text
    detail = http.get(f"/api/v1/tickets/{ticket.ticket_number}", headers=bearer(staff["officer"])).json()
    assert detail["status"] == "in_progress" and detail["resolved_at"] is None


def test_a_photo_from_the_place_kept_through_the_api_resolves_and_is_tied_to_the_resolution(
    http, staff, make_ticket, db_query
):
    from ticketing.models import TicketEvent, TicketPhoto

    ticket = make_ticket(status="in_progress", category="jalan-rusak", lat=PLACE[0], lon=PLACE[1])
    number = ticket.ticket_number
    now = datetime.now(UTC) + timedelta(minutes=1)  # EXIF keeps whole seconds: after the filing

    far = upload(http, staff["officer"], number, jpeg_with_exif(*TWO_KM_NORTH, now))
    assert far.status_code == 422 and far.json()["error"]["code"] == "proof_refused", far.text
    assert "batas 150 m" in far.json()["error"]["message"]
    before = ticket.created_at - timedelta(days=2)
    old = upload(http, staff["officer"], number, jpeg_with_exif(*PLACE, before))
    assert old.status_code == 422 and "sebelum pengaduan masuk" in old.json()["error"]["message"]
    # No EXIF position: the device's position sent beside it judges the photo.
    no_gps = jpeg_with_exif(None, None, None)
    away = upload(http, staff["officer"], number, no_gps, geo_lat="-7.7986", geo_lon="112.0114")
    assert away.status_code == 422 and "batas 150 m" in away.json()["error"]["message"]
    # Who may not resolve it may not add its proof either.
    assert upload(http, staff["operator"], number, no_gps).status_code == 403
    assert upload(http, staff["officer_other"], number, no_gps).status_code == 404
    not_text = http.post(
        f"/api/v1/tickets/{number}/photos",
        files={"photo": ("x.jpg", b"not an image at all", "image/jpeg")},
        headers=bearer(staff["officer"]),
    )
    assert not_text.status_code == 415

    kept = upload(http, staff["officer"], number, jpeg_with_exif(PLACE[0] + 0.0005, PLACE[1], now))
    assert kept.status_code == 201, kept.text
    body = kept.json()
    assert body["ticket_number"] == number and body["content_type"] == "image/jpeg"
    resolved = act(
        http,
        staff["officer"],
        number,
        action="resolve",
        note="Lubang ditambal.",
        public=True,
        photo=body["id"],
    )
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "resolved"
    entry = resolved.json()["history"][-1]
    assert entry["action"] == "resolve" and entry["data"]["photo"] == body["id"]

    event_id, photo_event = db_query(
        lambda db: (
            db.session.scalar(
                select(TicketEvent.id).where(
                    TicketEvent.ticket_id == ticket.id, TicketEvent.action == "resolve"
                )
            ),
            db.session.get(TicketPhoto, body["id"]).event_id,
        )
    )
    assert photo_event == event_id  # shown beside the resolution, as the console's photo is

    # A used photo proves no later resolution (after a reopen a new one is needed).
    other = make_ticket(status="in_progress", category="jalan-rusak")
    reused = act(http, staff["officer"], other.ticket_number, action="resolve", note="x", photo=body["id"])
    assert reused.status_code == 422 and "photo" in reused.json()["error"]["fields"]


def test_a_category_without_needs_proof_resolves_as_before_and_a_photo_there_is_optional(
    http, staff, make_ticket
):
    plain = make_ticket(status="in_progress", opd="DLHKP", category="pohon")
    done = act(http, staff["officer_other"], plain.ticket_number, action="resolve", note="Pohon dipotong.")
    assert done.status_code == 200 and done.json()["status"] == "resolved", done.text
    with_photo = make_ticket(status="in_progress", opd="DLHKP", category="pohon")
    photo = proof_photo(http, staff["officer_other"], with_photo.ticket_number)
    done = act(
        http,
        staff["officer_other"],
        with_photo.ticket_number,
        action="resolve",
        note="Dipotong.",
        photo=photo,
    )
    assert done.status_code == 200 and done.json()["history"][-1]["data"]["photo"] == photo


def test_the_photo_is_kept_only_while_the_ticket_can_be_resolved(http, staff, make_ticket):
    assigned = make_ticket(status="assigned", category="jalan-rusak")
    answer = upload(http, staff["officer"], assigned.ticket_number, jpeg_with_exif(None, None, None))
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "invalid_transition"
    missing = http.post(
        f"/api/v1/tickets/{assigned.ticket_number}/photos", data={"x": "1"}, headers=bearer(staff["officer"])
    )
    assert missing.status_code == 415  # not multipart
