"""Issue 22, admin friction: usernames without spaces, and an audit log that shows sign-ins and
ticket actions too, filters by user and kind, and reads in words rather than codes."""
from __future__ import annotations

import html
import re


def _flash(page: str) -> str:
    match = re.search(r'class="flash flash-error"[^>]*>(.*?)<', page, flags=re.S)
    return html.unescape(match.group(1)) if match else ""


def test_a_username_with_spaces_is_refused_in_indonesian(console_client, make_user, app_ctx):
    from ticketing.extensions import db
    from ticketing.models import User

    make_user("admin1", "admin")
    admin = console_client()
    admin.login("admin1")
    token = admin.csrf("/console/admin/users")
    refused = admin.post("/console/admin/users", data={
        "username": "budi santoso", "password": "rahasia-123", "role": "operator",
        "csrf_token": token})
    assert refused.status_code == 303
    message = _flash(admin.get("/console/admin/users").text)
    assert "tidak boleh berisi spasi" in message and "budi.santoso" in message
    assert "(A user" not in message
    db.session.expire_all()
    assert db.session.query(User).filter_by(username="budi santoso").count() == 0

    accepted = admin.post("/console/admin/users", data={
        "username": "budi.santoso", "password": "rahasia-123", "role": "operator",
        "csrf_token": token})
    assert accepted.status_code == 303
    assert "Pengguna budi.santoso dibuat" in admin.get("/console/admin/users").text


def test_the_audit_log_shows_sign_ins_and_ticket_actions_in_words_and_filters(
        console_client, make_user, app_ctx, http):
    from ticketing.services.intake import find_ticket
    from ticketing.services.routing import route_ticket

    make_user("admin1", "admin")
    make_user("petugas.pupr", "officer", "PUPR")
    filed = http.post("/api/v1/complaints", json={
        "description": "Jalan berlubang di Jl. Dhoho", "category": "jalan-rusak"}).json()
    number = filed["ticket_number"]
    route_ticket(find_ticket(number).id)

    officer = console_client()
    officer.login("petugas.pupr")
    token = officer.csrf(f"/console/tickets/{number}")
    accepted = officer.post(f"/console/tickets/{number}/actions",
                            data={"action": "accept", "csrf_token": token})
    assert accepted.status_code in (302, 303)

    admin = console_client()
    admin.login("admin1")
    log = html.unescape(admin.get("/console/admin/audit").text)
    assert "masuk ke Aduan" in log  # sign-ins are there
    assert f"tiket {number}: Diterima OPD" in log  # and ticket actions
    assert "auth.login" not in log and ">accept<" not in log  # words, not codes

    mine = html.unescape(admin.get("/console/admin/audit", params={"user": "petugas.pupr"}).text)
    assert f"tiket {number}" in mine and "masuk ke Aduan" in mine
    assert "<td>admin1</td>" not in mine
    tickets_only = html.unescape(admin.get("/console/admin/audit",
                                           params={"kind": "tiket"}).text)
    assert f"tiket {number}: Diterima OPD" in tickets_only and "masuk ke Aduan" not in tickets_only
    sign_ins = html.unescape(admin.get("/console/admin/audit", params={"kind": "masuk"}).text)
    assert "masuk ke Aduan" in sign_ins and f"tiket {number}" not in sign_ins
    assert "<td>petugas.pupr</td>" in sign_ins and "<td>admin1</td>" in sign_ins
