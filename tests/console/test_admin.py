"""Admin edits users, categories and API keys in the console; each change is in the audit log."""

from __future__ import annotations

import re


def test_admin_changes_are_applied_and_audited(console_client, console_user, app_ctx):
    from ticketing.extensions import db
    from ticketing.models import AuditEntry, Category
    from ticketing.services.api_keys import verify_api_key

    admin = console_user("admin1", "admin")

    token = admin.csrf("/console/admin/users")
    created = admin.post(
        "/console/admin/users",
        data={
            "username": "petugas.baru",
            "password": "rahasia-123",
            "role": "officer",
            "opd": "PDAM",
            "csrf_token": token,
        },
    )
    assert created.status_code == 303
    assert "Pengguna petugas.baru dibuat" in admin.get("/console/admin/users").text
    newcomer = console_client()
    assert newcomer.login("petugas.baru", "rahasia-123").headers["Location"].endswith("/console/")

    refused = admin.post(
        "/console/admin/users",
        data={"username": "tanpa.opd", "password": "rahasia-123", "role": "officer", "csrf_token": token},
    )
    assert refused.status_code == 303
    assert "Gagal menyimpan" in admin.get("/console/admin/users").text

    changed = admin.post(
        "/console/admin/categories/sampah",
        data={
            "code": "sampah",
            "name": "Sampah dan kebersihan",
            "opd": "DLHKP",
            "sla_amount": "3",
            "sla_unit": "hari_kerja",
            "active": "1",
            "csrf_token": token,
        },
    )  # 3 x 8 office hours
    assert changed.status_code == 303
    db.session.expire_all()
    assert db.session.get(Category, ("35.71", "sampah")).sla_hours == 24

    issued = admin.post(
        "/console/admin/api-keys", data={"name": "Aplikasi Kediri Smart City", "csrf_token": token}
    )
    assert issued.status_code == 303  # Post/Redirect/Get: a reload cannot make a second key
    shown = admin.get("/console/admin/api-keys").text
    key = re.search(r'id="new-key" value="([^"]+)"', shown).group(1)
    assert 'id="new-key"' not in admin.get("/console/admin/api-keys").text  # shown once
    db.session.expire_all()
    row = verify_api_key(key)
    assert row is not None
    assert (
        admin.post(f"/console/admin/api-keys/{row.id}/revoke", data={"csrf_token": token}).status_code == 303
    )
    db.session.expire_all()
    assert verify_api_key(key) is None

    # Deactivating the new officer ends their console session at once.
    user_id = re.search(
        r'/console/admin/users/(\d+)" class="grid-form" aria-label="Ubah petugas.baru"',
        admin.get("/console/admin/users").text,
    ).group(1)
    assert (
        admin.post(
            f"/console/admin/users/{user_id}", data={"role": "officer", "opd": "PDAM", "csrf_token": token}
        ).status_code
        == 303
    )
    assert newcomer.get("/console/queue", allow_redirects=False).status_code == 302

    db.session.expire_all()
    actions = [
        (e.action, e.target_id, e.actor_label)
        for e in db.session.query(AuditEntry).order_by(AuditEntry.id)
        if e.action != "auth.login"
    ]
    logins = [
        e.actor_label
        for e in db.session.query(AuditEntry).filter_by(action="auth.login").order_by(AuditEntry.id)
    ]
    assert logins == ["admin1", "petugas.baru"]
    assert actions == [
        ("user.create", "petugas.baru", "admin1"),
        ("category.update", "sampah", "admin1"),
        ("api_key.create", row.key_prefix, "admin1"),
        ("api_key.revoke", row.key_prefix, "admin1"),
        ("user.update", "petugas.baru", "admin1"),
    ]
    sla_entry = db.session.query(AuditEntry).filter_by(action="category.update").one()
    assert sla_entry.changes == {"sla_hours": [48, 24]}
    password_entry = db.session.query(AuditEntry).filter_by(action="user.create").one()
    assert "rahasia-123" not in str(password_entry.changes)
    log = admin.get("/console/admin/audit").text
    assert "mengubah kategori" in log and "jam SLA: 48 → 24" in log


def test_only_admins_reach_admin_pages_and_only_staff_the_console(console_client, make_user):
    make_user("operator1", "operator")
    operator = console_client()
    operator.login("operator1")
    page = operator.get("/console/admin/users")
    assert page.status_code == 403 and "bukan untuk peran Anda" in page.text
    anonymous = console_client().get("/console/admin/users", allow_redirects=False)
    assert anonymous.status_code == 302 and "next=/console/admin/users" in anonymous.headers["Location"]
