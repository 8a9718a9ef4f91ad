"""The console side of outside bodies: an admin keeps the registry (audited), an operator
forwards a ticket from its page and takes it back, all through the console's own forms."""

from __future__ import annotations

from sqlalchemy import select


def test_admin_keeps_the_registry_and_an_operator_forwards_from_the_ticket_page(
    console_user, make_ticket, app_ctx
):
    from ticketing.extensions import db
    from ticketing.models import AuditEntry, ExternalBody, OutboxMessage

    admin = console_user("admin-h5", "admin")
    token = admin.csrf("/console/admin/external-bodies")
    added = admin.post(
        "/console/admin/external-bodies",
        data={
            "code": "pgn-kdr",
            "name": "PGN Kediri",
            "kind": "utility",
            "email": "gangguan@pgn.example.org",
            "active": "1",
            "csrf_token": token,
        },
    )
    assert added.status_code == 303
    page = admin.get("/console/admin/external-bodies").text
    assert "Instansi luar PGN-KDR ditambahkan" in page and "PLN UP3 Kediri" in page
    refused = admin.post(
        "/console/admin/external-bodies",
        data={"code": "X", "name": "X", "kind": "utility", "email": "bukan surel", "csrf_token": token},
    )
    assert refused.status_code == 303
    assert "Gagal menyimpan" in admin.get("/console/admin/external-bodies").text
    # Switched off: kept, audited, offered to nobody.
    admin.post(
        "/console/admin/external-bodies",
        data={
            "code": "PGN-KDR",
            "region": "35.71",
            "name": "PGN Kediri",
            "kind": "utility",
            "email": "gangguan@pgn.example.org",
            "csrf_token": token,
        },
    )
    db.session.rollback()
    assert db.session.get(ExternalBody, ("35.71", "PGN-KDR")).active is False
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.target_type == "external_body")
    ).all()
    assert sorted(actions) == ["external_body.create", "external_body.update"]

    ticket = make_ticket("triage", opd=None)
    operator = console_user("operator-h5", "operator")
    path = f"/console/tickets/{ticket.ticket_number}"
    page = operator.get(path).text
    assert 'id="forward-external-form"' in page and "PLN UP3 Kediri" in page and "PGN Kediri" not in page
    token = operator.csrf(path)
    sent = operator.post(
        f"{path}/actions",
        data={"action": "forward_external", "body": "POLRES-KDR", "note": "Parkir liar", "csrf_token": token},
    )
    assert sent.status_code == 303
    page = operator.get(path).text
    assert "diteruskan ke instansi luar" in page and 'id="recall-external-form"' in page
    db.session.rollback()
    [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "email")).all()
    assert mail.recipient == "spkt.polreskedirikota@example.org" and "Parkir liar" in mail.body
    db.session.rollback()
    operator.post(f"{path}/actions", data={"action": "recall_external", "csrf_token": token})
    assert "ditarik kembali ke triase" in operator.get(path).text
