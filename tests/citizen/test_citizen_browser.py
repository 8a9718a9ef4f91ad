"""The citizen's page in a real browser on a 390×844 phone: file with a map point and a photo,
follow it to the wall and the OPD, track it, rate it; the same without JavaScript; and a
complaint written offline that is sent once when the connection returns."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.browser import FIRST_GUESS_TIMEOUT_MS
from tests.support.citizen import png_bytes, script_errors
from tests.support.processes import wait_for
from tests.support.proof import proof_photo
from tests.support.tickets import bearer
from tests.wall.test_wall_browser import wait_for_worker

DESCRIPTION = "Jalan berlubang besar di Jl. Dhoho dekat alun-alun, sudah dua motor jatuh minggu ini"


def stored_tickets(app_ctx) -> list:
    from ticketing.extensions import db
    from ticketing.models import Ticket

    db.session.rollback()  # see what the live server committed
    tickets = Ticket.query.order_by(Ticket.id).all()
    db.session.rollback()
    return tickets


def test_complaint_with_map_point_and_photo_reaches_wall_and_opd_then_is_rated(
    http, live_server, worker, redis_client, app_ctx, phone, staff, socket_recorder, tmp_path, artifacts_dir
):
    wait_for_worker(redis_client, worker)
    wall = socket_recorder("/wall", staff["wall"])
    opd = socket_recorder("/opd", staff["officer"])
    photo = tmp_path / "lubang.png"
    photo.write_bytes(png_bytes(640, 480))

    page = phone.page()
    page.goto(live_server.base_url + "/lapor")
    page.fill("#description", DESCRIPTION)
    expect(page.locator("#category-guess")).to_contain_text("Jalan", timeout=FIRST_GUESS_TIMEOUT_MS)
    page.click("#open-map")
    expect(page.locator("#map.leaflet-container")).to_be_visible()
    page.locator("#map").click(position={"x": 195, "y": 130})
    expect(page.locator("#map-status")).to_contain_text("Lokasi ditandai")
    page.set_input_files("#photo", str(photo))
    expect(page.locator("#photo-previews img")).to_have_count(1)
    page.screenshot(path=str(artifacts_dir / "citizen-form.png"), full_page=True)
    page.click("#submit")
    page.wait_for_url(re.compile(r"/lapor/terkirim/"))
    number = page.locator("#ticket-number").inner_text().strip()
    expect(page.locator(".qr svg")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "citizen-receipt.png"), full_page=True)

    # Like any other complaint: on the wall with its map point, and at the OPD it was routed to.
    wall.wait_for(
        lambda r: any(e["type"] == "ticket.routed" for e in r.tickets(number)),
        message="ticket.routed on /wall",
    )
    created = next(e for e in wall.tickets(number) if e["type"] == "ticket.created")
    assert created["ticket"]["channel"] == "web" and created["ticket"]["location"] is not None
    routed = opd.wait_for(
        lambda r: [e for e in r.tickets(number) if e["type"] == "ticket.routed"],
        message="ticket.routed on /opd",
    )
    assert routed[0]["ticket"]["opd"] == "PUPR"
    [ticket] = stored_tickets(app_ctx)
    assert ticket.lat is not None and -8 < ticket.lat < -7 and 111 < ticket.lon < 113
    from ticketing.models import TicketPhoto

    [stored] = TicketPhoto.query.filter_by(ticket_id=ticket.id).all()
    assert stored.kind == "citizen" and stored.content_type == "image/jpeg"  # shrunk on the phone

    # The receipt's link opens the tracking page.
    page.click("#tracking-link")
    page.wait_for_url(re.compile(rf"/lacak/{number}\?token="))
    expect(page.locator("#status")).to_have_text("Diteruskan ke OPD")
    expect(page.locator("#opd")).to_contain_text("Dinas Pekerjaan Umum")

    # The officer works it through the staff API (a road: the resolve names its proof-of-fix
    # photo, issue #18); the citizen sees the result and rates it.
    for action in (
        {"action": "accept"},
        {"action": "resolve", "note": "Lubang sudah ditambal.", "public": True},
    ):
        if action["action"] == "resolve":
            action["photo"] = proof_photo(http, staff["officer"], number)
        response = http.post(
            f"/api/v1/tickets/{number}/actions", json=action, headers=bearer(staff["officer"])
        )
        assert response.status_code == 200, response.text
    page.reload()
    expect(page.locator("#status")).to_have_text("Selesai ditindaklanjuti")
    expect(page.locator("#timeline")).to_contain_text("Lubang sudah ditambal.")
    page.click("label[for=rating-5]")
    page.fill("#rate-comment", "Terima kasih, cepat sekali")
    page.click("#rate-form button[type=submit]")
    expect(page.locator(".notice.ok")).to_contain_text("5/5")
    page.screenshot(path=str(artifacts_dir / "citizen-tracking.png"), full_page=True)
    assert ticket_rating(app_ctx, number) == 5
    assert script_errors(page) == []


def ticket_rating(app_ctx, number: str) -> int | None:
    return next(t.feedback_rating for t in stored_tickets(app_ctx) if t.ticket_number == number)


def test_without_javascript_the_plain_form_files_a_complaint(live_server, app_ctx, phone, tmp_path):
    photo = tmp_path / "sampah.png"
    photo.write_bytes(png_bytes(32, 24))
    page = phone.page(phone.context(java_script_enabled=False))
    page.goto(live_server.base_url + "/lapor")
    expect(page.locator("#map-tools")).to_be_hidden()
    page.fill("#description", "Sampah menumpuk di pinggir jalan dekat pasar, baunya menyengat")
    page.select_option("#kelurahan", "bandar-lor")
    page.fill("#address", "Jl. Hayam Wuruk, depan pasar")
    page.set_input_files("#photo", str(photo))
    page.check("#confidential")
    page.click("#submit")
    page.wait_for_url(re.compile(r"/lapor/terkirim/"))
    number = page.locator("#ticket-number").inner_text().strip()
    [ticket] = stored_tickets(app_ctx)
    assert ticket.ticket_number == number and ticket.confidential
    assert ticket.address == "Jl. Hayam Wuruk, depan pasar, Kelurahan Bandar Lor"
    page.click("#tracking-link")
    expect(page.locator("#status")).to_have_text("Diterima")


def test_complaint_written_offline_is_sent_once_when_back_online(live_server, app_ctx, phone):
    context = phone.context()
    page = phone.page(context)
    page.goto(live_server.base_url + "/lapor")
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    context.set_offline(True)
    page.reload()  # the form opens without a connection: the service worker kept it
    expect(page.locator("#map-tools")).to_be_visible()
    page.fill("#description", "Lampu penerangan jalan mati sepanjang Jl. Kawi sejak tiga hari")
    page.fill("#phone", "081234567890")
    page.click("#submit")
    expect(page.locator("#outbox-status")).to_contain_text("offline")
    assert stored_tickets(app_ctx) == []
    assert page.evaluate("AduanOutbox.pending().then(items => items.length)") == 1

    context.set_offline(False)
    link = page.locator("#outbox-status a.receipt-link")
    expect(link).to_be_visible(timeout=15_000)
    assert page.evaluate("AduanOutbox.pending().then(items => items.length)") == 0
    page.reload()  # a second chance to send changes nothing: the key files it once
    wait_for(
        lambda: page.evaluate("AduanOutbox.pending().then(items => items.length)") == 0,
        message="an empty outbox",
    )
    [ticket] = stored_tickets(app_ctx)
    assert ticket.reporter_phone == "+6281234567890"
    assert ticket.idempotency_key_hash is not None
    assert script_errors(page) == []
