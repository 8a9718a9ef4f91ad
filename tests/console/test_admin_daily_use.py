"""Issue 22, admin friction: usernames without spaces, and an audit log that shows sign-ins and
ticket actions too, filters by user and kind, and reads in words rather than codes."""

from __future__ import annotations

import html
import re
from datetime import UTC


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
    refused = admin.post(
        "/console/admin/users",
        data={"username": "budi santoso", "password": "rahasia-123", "role": "operator", "csrf_token": token},
    )
    assert refused.status_code == 303
    message = _flash(admin.get("/console/admin/users").text)
    assert "tidak boleh berisi spasi" in message and "budi.santoso" in message
    assert "(A user" not in message
    db.session.expire_all()
    assert db.session.query(User).filter_by(username="budi santoso").count() == 0

    accepted = admin.post(
        "/console/admin/users",
        data={"username": "budi.santoso", "password": "rahasia-123", "role": "operator", "csrf_token": token},
    )
    assert accepted.status_code == 303
    assert "Pengguna budi.santoso dibuat" in admin.get("/console/admin/users").text


def test_the_audit_log_shows_sign_ins_and_ticket_actions_in_words_and_filters(
    console_client, make_user, app_ctx, http
):
    from ticketing.services.intake import find_ticket
    from ticketing.services.routing import route_ticket

    make_user("admin1", "admin")
    make_user("petugas.pupr", "officer", "PUPR")
    filed = http.post(
        "/api/v1/complaints", json={"description": "Jalan berlubang di Jl. Dhoho", "category": "jalan-rusak"}
    ).json()
    number = filed["ticket_number"]
    route_ticket(find_ticket(number).id)

    officer = console_client()
    officer.login("petugas.pupr")
    token = officer.csrf(f"/console/tickets/{number}")
    accepted = officer.post(
        f"/console/tickets/{number}/actions", data={"action": "accept", "csrf_token": token}
    )
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
    tickets_only = html.unescape(admin.get("/console/admin/audit", params={"kind": "tiket"}).text)
    assert f"tiket {number}: Diterima OPD" in tickets_only and "masuk ke Aduan" not in tickets_only
    sign_ins = html.unescape(admin.get("/console/admin/audit", params={"kind": "masuk"}).text)
    assert "masuk ke Aduan" in sign_ins and f"tiket {number}" not in sign_ins
    assert "<td>petugas.pupr</td>" in sign_ins and "<td>admin1</td>" in sign_ins


def test_sla_is_entered_in_days_says_what_they_count_and_previews_the_deadline(
    console_client, make_user, app_ctx
):
    from datetime import datetime

    from ticketing.extensions import db
    from ticketing.models import Category
    from ticketing.services import administration, sla

    make_user("admin1", "admin")
    admin = console_client()
    admin.login("admin1")
    page = html.unescape(admin.get("/console/admin/categories").text)
    # Stored 48 office hours: shown as 6 working days, the unit said in words, with a preview.
    sampah = page[page.index('aria-label="Ubah kategori sampah"') :]
    sampah = sampah[: sampah.index("</form>")]
    assert 'name="sla_amount"' in sampah and 'value="6"' in sampah
    assert '<option value="hari_kerja" selected>hari kerja' in sampah
    assert "Aduan yang masuk" in sampah and "jatuh tempo" in sampah and "WIB" in sampah
    assert "Jam SLA" not in page

    token = admin.csrf("/console/admin/categories")
    saved = admin.post(
        "/console/admin/categories/sampah",
        data={
            "code": "sampah",
            "name": "Sampah dan kebersihan",
            "opd": "DLHKP",
            "sla_amount": "1,5",
            "sla_unit": "hari_kerja",
            "active": "1",
            "csrf_token": token,
        },
    )
    assert saved.status_code == 303
    flash = html.unescape(admin.get("/console/admin/categories").text)
    assert "Kategori sampah tersimpan: 1,5 hari kerja. Aduan yang masuk" in flash
    db.session.expire_all()
    category = db.session.get(Category, ("35.71", "sampah"))
    assert (category.sla_hours, category.sla_24x7) == (12, False)

    fire = admin.post(
        "/console/admin/categories/kebakaran",
        data={
            "code": "kebakaran",
            "name": "Kebakaran dan penyelamatan",
            "opd": "DAMKAR",
            "sla_amount": "2",
            "sla_unit": "jam",
            "active": "1",
            "csrf_token": token,
        },
    )
    assert fire.status_code == 303
    db.session.expire_all()
    category = db.session.get(Category, ("35.71", "kebakaran"))
    assert (category.sla_hours, category.sla_24x7) == (2, True)

    # The live preview as the admin types: Friday 15:00 WIB + 1 working day = Monday 15:00.
    friday = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    with sla.frozen_clock(friday):
        assert administration.sla_preview(8, False) == (
            "Aduan yang masuk Jumat, 4 Desember 2026 pukul 15.00 WIB jatuh tempo "
            "Senin, 7 Desember 2026 pukul 15.00 WIB."
        )
        assert administration.sla_preview(24, True) == (
            "Aduan yang masuk Jumat, 4 Desember 2026 pukul 15.00 WIB jatuh tempo "
            "Sabtu, 5 Desember 2026 pukul 15.00 WIB."
        )
    preview = admin.get("/console/admin/sla-preview", params={"sla_amount": "2", "sla_unit": "hari"}).json()
    assert preview["sla_hours"] == 48 and preview["sla_24x7"] is True
    assert preview["text"].startswith("2 hari (24 jam). Aduan yang masuk")
    refused = admin.get("/console/admin/sla-preview", params={"sla_amount": "0", "sla_unit": "hari_kerja"})
    assert refused.status_code == 422 and "lebih dari nol" in refused.json()["text"]


def test_the_sla_preview_follows_what_the_admin_types(make_user, open_page):
    from playwright.sync_api import expect

    from tests.support.console import login

    make_user("admin1", "admin")
    page = open_page()
    login(page, "admin1")
    page.goto("/console/admin/categories")
    form = page.get_by_role("form", name="Ubah kategori sampah")
    preview = form.locator(".sla-preview")
    expect(preview).to_contain_text("jatuh tempo")
    form.get_by_label("Batas waktu SLA").fill("2")
    form.get_by_label("Dihitung dalam").select_option("jam")
    expect(preview).to_contain_text("2 jam (24 jam). Aduan yang masuk")
    form.get_by_label("Batas waktu SLA").fill("1,5")
    form.get_by_label("Dihitung dalam").select_option("hari_kerja")
    expect(preview).to_contain_text("1,5 hari kerja. Aduan yang masuk")
