"""Admins manage the SKM services in the console; changes are audited and the survey follows."""

from __future__ import annotations


def test_admin_adds_and_changes_a_service(console_client, make_user, app_ctx, skm_services, http):
    from ticketing.extensions import db
    from ticketing.models import AuditEntry

    make_user("admin-skm", "admin")
    admin = console_client()
    assert admin.login("admin-skm").status_code == 302
    page = admin.get("/console/admin/skm")
    assert page.status_code == 200 and "KTP-EL" in page.text and "Layanan SKM" in page.text
    token = admin.csrf("/console/admin/skm")
    created = admin.post(
        "/console/admin/skm",
        data={
            "code": "akta-lahir",
            "name": "Akta kelahiran",
            "opd": "DISPENDUKCAPIL",
            "mode": "online",
            "population": "4000",
            "not_applicable": ["u4", "u9"],
            "active": "1",
            "csrf_token": token,
        },
    )
    assert created.status_code == 303
    assert "Layanan AKTA-LAHIR tersimpan" in admin.get("/console/admin/skm").text
    form = http.get("/skm/AKTA-LAHIR")
    assert form.status_code == 200 and 'id="q-u4"' not in form.text and 'id="q-u9"' not in form.text
    assert 'id="q-u3"' in form.text

    refused = admin.post(
        "/console/admin/skm",
        data={"code": "X1", "name": "Tanpa OPD", "opd": "TIDAKADA", "mode": "counter", "csrf_token": token},
    )
    assert refused.status_code == 303 and "Gagal menyimpan" in admin.get("/console/admin/skm").text
    # Switched off: the survey is gone, its past answers stay in the results.
    switched = admin.post(
        "/console/admin/skm/AKTA-LAHIR",
        data={"name": "Akta kelahiran", "opd": "DISPENDUKCAPIL", "mode": "online", "csrf_token": token},
    )
    assert switched.status_code == 303
    assert "Layanan AKTA-LAHIR tersimpan" in admin.get("/console/admin/skm").text
    assert http.get("/skm/AKTA-LAHIR").status_code == 404
    db.session.rollback()
    actions = [e.action for e in AuditEntry.query.filter_by(target_type="skm_service").all()]
    assert actions == ["skm_service.create", "skm_service.update"]

    officer = console_client()
    make_user("officer-skm", "officer", "PUPR")
    officer.login("officer-skm")
    assert officer.get("/console/admin/skm").status_code == 403
