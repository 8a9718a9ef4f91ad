"""Officer actions through the console follow the lifecycle table; photos are checked."""

from __future__ import annotations

from tests.support.console import png_bytes


def logged_in(console_client, username):
    browser = console_client()
    assert browser.login(username).status_code == 302
    return browser


def test_actions_the_state_machine_refuses_are_explained_not_applied(console_client, make_user, make_ticket):
    make_user("petugas.pupr", "officer", "PUPR")
    ticket = make_ticket("assigned", opd="PUPR")
    officer = logged_in(console_client, "petugas.pupr")
    page = officer.get(f"/console/tickets/{ticket.ticket_number}").text
    # The buttons are the lifecycle's allowed actions for an officer on an assigned ticket.
    assert "Terima tiket" in page and "Kembalikan ke triase" in page
    assert "Selesaikan tiket" not in page and "Tolak tiket" not in page
    token = officer.csrf(f"/console/tickets/{ticket.ticket_number}")
    action = f"/console/tickets/{ticket.ticket_number}/actions"
    early = officer.post(action, data={"action": "resolve", "note": "x", "csrf_token": token})
    assert early.status_code == 303
    assert (
        "Tidak tersimpan: Tindakan ini tidak bisa"
        in officer.get(f"/console/tickets/{ticket.ticket_number}").text
    )
    no_reason = officer.post(action, data={"action": "return", "csrf_token": token})
    assert no_reason.status_code == 303
    assert "Periksa isian: Catatan" in officer.get(f"/console/tickets/{ticket.ticket_number}").text
    returned = officer.post(
        action, data={"action": "return", "note": "Ini saluran milik PDAM", "csrf_token": token}
    )
    assert returned.status_code == 303 and returned.headers["Location"].endswith("/console/queue")
    gone = officer.get(f"/console/tickets/{ticket.ticket_number}")
    assert gone.status_code == 404


def test_comments_are_internal_or_public(console_client, make_user, make_ticket, http):
    make_user("petugas.pupr", "officer", "PUPR")
    ticket = make_ticket("in_progress", opd="PUPR")
    officer = logged_in(console_client, "petugas.pupr")
    token = officer.csrf(f"/console/tickets/{ticket.ticket_number}")
    action = f"/console/tickets/{ticket.ticket_number}/actions"
    officer.post(
        action,
        data={
            "action": "comment",
            "note": "Menunggu alat berat",
            "visibility": "internal",
            "csrf_token": token,
        },
    )
    officer.post(
        action,
        data={
            "action": "comment",
            "note": "Tim sudah ke lokasi",
            "visibility": "public",
            "csrf_token": token,
        },
    )
    notes = [
        e["note"]
        for e in http.get(
            f"/api/v1/complaints/{ticket.ticket_number}", params={"token": ticket.tracking_token}
        ).json()["history"]
    ]
    assert "Tim sudah ke lokasi" in notes and "Menunggu alat berat" not in notes


def test_photos_are_size_limited_and_must_be_images(console_client, make_user, make_ticket, app_ctx):
    from ticketing.extensions import db
    from ticketing.models import Ticket, TicketPhoto

    make_user("petugas.pupr", "officer", "PUPR")
    make_user("petugas.dlhkp", "officer", "DLHKP")
    ticket = make_ticket("in_progress", opd="PUPR")
    officer = logged_in(console_client, "petugas.pupr")
    token = officer.csrf(f"/console/tickets/{ticket.ticket_number}")
    action = f"/console/tickets/{ticket.ticket_number}/actions"
    fields = {"action": "resolve", "note": "Selesai", "csrf_token": token}

    fake = officer.post(action, data=fields, files={"photo": ("x.jpg", b"MZ not an image", "image/jpeg")})
    assert fake.status_code == 303
    assert "JPEG, PNG atau WebP" in officer.get(f"/console/tickets/{ticket.ticket_number}").text
    huge = officer.post(
        action, data=fields, files={"photo": ("x.png", png_bytes() + b"\0" * (9 * 1024 * 1024), "image/png")}
    )
    assert huge.status_code == 413 and "terlalu besar" in huge.text.lower()
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).status == "in_progress"

    done = officer.post(action, data=fields, files={"photo": ("after.png", png_bytes(), "image/png")})
    assert done.status_code == 303
    db.session.expire_all()
    photo = db.session.query(TicketPhoto).filter_by(ticket_id=ticket.id).one()
    url = f"/console/tickets/{ticket.ticket_number}/media/staff/{photo.id}"
    served = officer.get(url)
    assert served.status_code == 200 and served.content == png_bytes()
    assert served.headers["Content-Type"] == "image/png"
    other = logged_in(console_client, "petugas.dlhkp")
    assert other.get(url).status_code == 404
