"""The body's link and the registry: an altered link is refused (403), an expired or recalled
one is gone (410), each as a page that says so and never a 500; the page's forms refuse what
does not fit; staff list the bodies; forwarding is the command centre's, to a registered body."""

from __future__ import annotations

import re
import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from tests.support.tickets import bearer

LINK = re.compile(r"https?://\S+/instansi/([A-Za-z0-9_.\-]+)")


def forward(http, staff, number: str, body: str = "PLN-UP3-KDR"):
    return http.post(
        f"/api/v1/tickets/{number}/actions",
        json={"action": "forward_external", "body": body, "note": "Mohon ditindaklanjuti"},
        headers=bearer(staff["operator"]),
    )


def mailed_token(app_ctx, number: str) -> str:
    from ticketing.extensions import db
    from ticketing.models import OutboxMessage, Ticket

    db.session.rollback()
    ticket = db.session.scalar(select(Ticket).where(Ticket.ticket_number == number))
    body = db.session.scalar(
        select(OutboxMessage.body).where(
            OutboxMessage.ticket_id == ticket.id, OutboxMessage.channel == "email"
        )
    )
    db.session.rollback()
    return LINK.search(body).group(1)


@pytest.fixture
def handed_off(http, staff, make_ticket, app_ctx):
    ticket = make_ticket("in_progress")
    assert forward(http, staff, ticket.ticket_number).status_code == 200
    return ticket.ticket_number, mailed_token(app_ctx, ticket.ticket_number)


def test_the_link_opens_the_page_and_an_altered_one_is_refused(http, handed_off):
    number, token = handed_off
    page = http.get(f"/instansi/{token}")
    assert page.status_code == 200 and number in page.text
    assert "script-src" not in page.headers["Content-Security-Policy"]  # no script at all
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (altered, "x", "a" * 500, token.replace(".", "")):
        answer = http.get(f"/instansi/{bad}")
        assert answer.status_code == 403 and "Tautan tidak valid" in answer.text, bad
        posted = http.post(f"/instansi/{bad}/selesai", data={"note": "x"}, allow_redirects=False)
        assert posted.status_code == 403
    # Nothing happened to the ticket.
    assert "Konfirmasi penerimaan" in http.get(f"/instansi/{token}").text


def test_an_expired_link_is_gone(http, handed_off, settings_env, app_ctx):
    from ticketing.extensions import db
    from ticketing.models import ExternalHandoff
    from ticketing.services.handoff_mail import TOKEN_SALT

    class MonthAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 31 * 24 * 3600

    handoff_id = db.session.scalar(select(ExternalHandoff.id))
    db.session.rollback()
    old = URLSafeTimedSerializer(settings_env["SECRET_KEY"], salt=TOKEN_SALT, signer=MonthAgo).dumps(
        {"h": handoff_id}
    )
    answer = http.get(f"/instansi/{old}")
    assert answer.status_code == 410 and "kedaluwarsa" in answer.text
    assert http.post(f"/instansi/{old}/terima", allow_redirects=False).status_code == 410
    # Signed with another key (another deployment, a guess): not ours.
    forged = URLSafeTimedSerializer("another-secret", salt=TOKEN_SALT).dumps({"h": handoff_id})
    assert http.get(f"/instansi/{forged}").status_code == 403


def test_a_recalled_hand_off_closes_its_link(http, staff, handed_off):
    number, token = handed_off
    recalled = http.post(
        f"/api/v1/tickets/{number}/actions",
        json={"action": "recall_external"},
        headers=bearer(staff["operator"]),
    )
    assert recalled.status_code == 200, recalled.text
    detail = recalled.json()
    assert detail["status"] == "triage" and detail["external_body"] is None
    answer = http.get(f"/instansi/{token}")
    assert answer.status_code == 410 and "ditarik kembali" in answer.text
    assert (
        http.post(f"/instansi/{token}/selesai", data={"note": "x"}, allow_redirects=False).status_code == 410
    )
    detail = http.get(f"/api/v1/tickets/{number}", headers=bearer(staff["operator"])).json()
    assert detail["status"] == "triage"


def test_the_forms_refuse_what_does_not_fit_without_an_error_page(http, handed_off):
    number, token = handed_off
    for step, data in (
        ("kabar", {}),  # nothing to say
        ("kabar", {"expected_date": "kemarin"}),
        ("kabar", {"expected_date": "2020-01-01"}),  # in the past
        ("kabar", {"reference": "x" * 65}),
        ("lainnya", {"note": "x"}),  # no such step
    ):
        answer = http.post(f"/instansi/{token}/{step}", data=data, allow_redirects=False)
        assert answer.status_code == 303, (step, data)
        assert "problem=invalid" in answer.headers["Location"]
    page = http.get(f"/instansi/{token}?problem=invalid")
    assert "Isian belum lengkap" in page.text
    # Acknowledging twice records it once.
    for _ in range(2):
        assert http.post(f"/instansi/{token}/terima", allow_redirects=False).status_code == 303
    done = http.post(f"/instansi/{token}/selesai", data={"note": "Sudah"}, allow_redirects=False)
    assert "ok=external_done" in done.headers["Location"]
    again = http.post(f"/instansi/{token}/selesai", data={"note": "Lagi"}, allow_redirects=False)
    assert again.status_code == 410  # the hand-off is finished: its link acts no more
    page = http.get(f"/instansi/{token}")
    assert page.status_code == 200 and "sudah ditandai selesai" in page.text


def test_staff_list_the_bodies_and_only_the_command_centre_forwards(http, staff, make_ticket):
    listed = http.get("/api/v1/external-bodies", headers=bearer(staff["wall"]))
    assert listed.status_code == 200
    bodies = {b["code"]: b for b in listed.json()["items"]}
    assert {"PLN-UP3-KDR", "BPJN-JATIM", "POLRES-KDR", "PDAM-KDR", "DEV-GRIYA"} <= set(bodies)
    assert bodies["BPJN-JATIM"]["region"] == "35" and bodies["PLN-UP3-KDR"]["kind"] == "utility"
    assert http.get("/api/v1/external-bodies").status_code == 401

    ticket = make_ticket("assigned")
    number = ticket.ticket_number
    refused = forward(http, staff, number, body="PLN-TIDAK-ADA")
    assert refused.status_code == 422 and "body" in refused.json()["error"]["fields"]
    officer = http.post(
        f"/api/v1/tickets/{number}/actions",
        json={"action": "forward_external", "body": "PLN-UP3-KDR"},
        headers=bearer(staff["officer"]),
    )
    assert officer.status_code == 403
    # A province's body serves its cities' tickets.
    assert forward(http, staff, number, body="bpjn-jatim").json()["external_body"] == "BPJN-JATIM"
    assert forward(http, staff, number).status_code == 409  # already with a body
    resolved = make_ticket("resolved")
    assert forward(http, staff, resolved.ticket_number).status_code == 409


def test_the_registry_from_the_command_line(app, app_ctx):
    runner = app.test_cli_runner()
    added = runner.invoke(
        args=[
            "add-external-body",
            "--code",
            "TELKOM-KDR",
            "--name",
            "Telkom Kediri",
            "--kind",
            "utility",
            "--email",
            "gangguan@telkom.example.org",
        ]
    )
    assert added.exit_code == 0, added.output
    assert "TELKOM-KDR (35.71) added" in added.output
    bad = runner.invoke(
        args=[
            "add-external-body",
            "--code",
            "X",
            "--name",
            "X",
            "--kind",
            "utility",
            "--email",
            "bukan-surel",
        ]
    )
    assert bad.exit_code != 0 and "email" in bad.output
    listed = runner.invoke(args=["list-external-bodies"])
    assert "TELKOM-KDR" in listed.output


def test_the_openapi_document_shows_the_hand_off(http):
    document = http.get("/openapi.json").json()
    assert "/api/v1/external-bodies" in document["paths"]
    text = str(document["components"]["schemas"])
    for name in ("external_body", "external_reference", "external_expected_at"):
        assert name in text
