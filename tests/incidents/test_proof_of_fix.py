"""Proof of fix in a real browser and through the real webhook (issue #18): a photo taken 2 km
away, or before the complaint, is refused with the reason; a photo from the place resolves; the
citizen's "belum" reopens the ticket to the same OPD with their words and counts in /stats."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from tests.incidents.conftest import jpeg_with_exif
from tests.support.console import login, png_bytes
from tests.support.tickets import bearer

PLACE = (-7.8166, 112.0114)
TWO_KM_NORTH = (-7.7986, 112.0114)  # 0.018° of latitude ≈ 2.0 km


def open_ticket(page, number: str) -> None:
    page.goto(f"/console/tickets/{number}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Tiket {number}")


def resolve(page, photo: bytes, name: str = "bukti.jpg", mime: str = "image/jpeg") -> None:
    page.get_by_label("Catatan publik untuk pelapor").fill("Lubang sudah ditambal aspal.")
    page.get_by_label(re.compile("Foto sesudah")).set_input_files(
        {"name": name, "mimeType": mime, "buffer": photo}
    )
    page.get_by_role("button", name="Selesaikan tiket").click()


def test_a_photo_from_2_km_away_or_before_the_complaint_is_refused_and_the_citizens_belum_reopens(
    app, http, make_user, make_ticket, open_page, channels, db_query, staff
):
    from ticketing.models import OutboxMessage, Ticket

    make_user("petugas.pupr", "officer", "PUPR")
    ticket = make_ticket(
        "in_progress",
        opd="PUPR",
        category="jalan-rusak",
        channel="whatsapp",
        reporter_phone="+6281355500001",
        lat=PLACE[0],
        lon=PLACE[1],
    )
    number, filed = ticket.ticket_number, ticket.created_at
    page = open_page()
    login(page, "petugas.pupr")
    open_ticket(page, number)

    resolve(page, jpeg_with_exif(*TWO_KM_NORTH, datetime.now(UTC)))
    expect(page.locator(".flashes .flash-error")).to_contain_text(
        re.compile(r"Foto ditolak: diambil sekitar 2\.0\d\d m")
    )
    expect(page.locator(".flashes .flash-error")).to_contain_text("batas 150 m")
    resolve(page, jpeg_with_exif(*PLACE, filed - timedelta(days=2)))
    expect(page.locator(".flashes .flash-error")).to_contain_text("sebelum pengaduan masuk")
    assert (
        db_query(lambda db: db.session.scalar(select(Ticket.status).where(Ticket.ticket_number == number)))
        == "in_progress"
    )

    near = (PLACE[0] + 0.0005, PLACE[1])  # ~55 m: at the place
    resolve(page, jpeg_with_exif(*near, datetime.now(UTC) + timedelta(minutes=1)))
    expect(page.locator(".flashes .flash-success")).to_contain_text("diselesaikan")

    # The citizen is asked, on WhatsApp, whether it is really fixed.
    asked = db_query(
        lambda db: db.session.scalars(
            select(OutboxMessage.body).where(
                OutboxMessage.recipient == "+6281355500001", OutboxMessage.kind == "resolved"
            )
        ).all()
    )
    assert len(asked) == 1 and "SUDAH BERES" in asked[0] and "BELUM" in asked[0]
    # The photo's link serves that photo (signed: no number or token to guess).
    with app.app_context():
        from ticketing.services.proof import _serializer

        signed = _serializer().dumps(number)
    photo = http.get(f"/bukti/{signed}")
    assert photo.status_code == 200 and photo.headers["Content-Type"] == "image/jpeg"
    assert http.get(f"/bukti/{signed[:-2]}xx").status_code == 404

    answer = channels.meta_text("belum, lubangnya masih menganga", sender_digits="6281355500001")
    assert answer.status_code == 200
    reopened = http.get(f"/api/v1/tickets/{number}", headers=bearer(staff["operator"])).json()
    assert reopened["status"] == "assigned" and reopened["opd"] == "PUPR" and reopened["reopen_count"] == 1
    last = reopened["history"][-1]
    assert last["action"] == "reopen" and "lubangnya masih menganga" in last["note"]
    assert last["actor"] == "citizen:whatsapp"
    stats = http.get("/api/v1/stats", headers=bearer(staff["operator"])).json()
    assert {row["opd"]: row.get("reopened_by_citizen") for row in stats["opds"]}["PUPR"] == 1


def test_the_browsers_position_judges_a_photo_without_exif(make_user, make_ticket, open_page, db_query):
    from ticketing.models import Ticket

    make_user("petugas.pupr", "officer", "PUPR")
    ticket = make_ticket("in_progress", opd="PUPR", category="pju", lat=PLACE[0], lon=PLACE[1])
    page = open_page(geolocation={"latitude": TWO_KM_NORTH[0], "longitude": TWO_KM_NORTH[1]})
    login(page, "petugas.pupr")
    open_ticket(page, ticket.ticket_number)
    page.get_by_label("Catatan publik untuk pelapor").fill("Lampu sudah diganti.")
    page.get_by_label(re.compile("Foto sesudah")).set_input_files(
        {"name": "lampu.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    expect(page.locator("#geo-lat")).not_to_have_value("")
    page.get_by_role("button", name="Selesaikan tiket").click()
    expect(page.locator(".flashes .flash-error")).to_contain_text("Foto ditolak: diambil sekitar 2.0")
    # Without any photo a needs_proof category is refused too (the browser's `required` aside).
    status = db_query(lambda db: db.session.scalar(select(Ticket.status).where(Ticket.id == ticket.id)))
    assert status == "in_progress"


def test_sudah_beres_by_sms_closes_the_ticket(make_ticket, channels, db_query):
    from ticketing.models import Ticket

    ticket = make_ticket(
        "resolved", opd="PUPR", category="drainase", channel="sms", reporter_phone="+6281355500002"
    )
    assert channels.twilio("YA", sender="+6281355500002").status_code == 200
    status = db_query(lambda db: db.session.scalar(select(Ticket.status).where(Ticket.id == ticket.id)))
    assert status == "closed"
