"""Issue #17 in a real browser: the console's buttons come from the transition table (by role,
status and kind). A PPID extends and decides an information request with a PDF; the requester
objects through the API; the atasan PPID decides the objection; an officer holds, resumes and
closes a complaint unresolved, and answers an aspirasi."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.support.console import DESK, login, unlabelled_controls
from ticketing.models.base import utcnow

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _status(app_ctx, number: str) -> str:
    from ticketing.extensions import db
    from ticketing.services.intake import find_ticket

    db.session.rollback()  # read what the web process committed
    return find_ticket(number).status


def test_ppid_extends_and_decides_and_the_superior_decides_the_objection(
    http, app_ctx, make_user, make_ticket, open_page, shots, tmp_path
):
    from ticketing.services import sla

    make_user("ppid.kominfo", "ppid", "DISKOMINFO")
    make_user("atasan.ppid", "atasan_ppid")
    received = utcnow()
    request = make_ticket(
        status="assigned",
        opd="DISKOMINFO",
        kind="informasi",
        description="Minta salinan laporan realisasi anggaran Diskominfo 2025",
        due_at=sla.add_working_days(received, 10),
        sla_due_at=sla.add_working_days(received, 10),
    )
    number = request.ticket_number

    page = open_page(DESK)
    login(page, "ppid.kominfo")
    expect(page.locator("#section-assigned")).to_contain_text(number)
    page.get_by_role("link", name=number).click()
    expect(page.locator("[data-role=kind]")).to_contain_text("Permintaan informasi")
    # A request is decided, never "resolved": the table's kinds decide the buttons.
    expect(page.locator("#decide-form")).to_be_visible()
    expect(page.locator("#do-resolve")).to_have_count(0)
    assert unlabelled_controls(page) == []
    page.get_by_label("Alasan (dikirim ke pemohon)").fill("Data masih direkap bidang keuangan.")
    page.locator("#do-extend").click()
    expect(page.locator(".flash-success")).to_contain_text("diperpanjang")
    expect(page.locator("#extend-form")).to_have_count(0)  # once only
    expect(page.locator("[data-role=kind]")).to_contain_text("sudah diperpanjang")

    document = tmp_path / "jawaban.pdf"
    document.write_bytes(PDF)
    page.locator("#decide-decision").select_option("partial")
    page.locator("#decide-exemption").select_option("h")
    page.locator("#decide-note").fill("Data gaji per orang tidak dibuka.")
    page.locator("#decide-document").set_input_files(str(document))
    page.screenshot(path=shots / "ppid-decide.png", full_page=True)
    page.locator("#do-decide").click()
    expect(page.locator(".flash-success")).to_contain_text("Keputusan")
    assert _status(app_ctx, number) == "resolved"

    objected = http.post(
        f"/api/v1/complaints/{number}/objection",
        params={"token": request.tracking_token},
        json={"reason": "Data gaji pejabat adalah informasi publik", "ground": "d"},
    )
    assert objected.status_code == 200, objected.text

    superior = open_page(DESK)
    login(superior, "atasan.ppid")
    expect(superior).to_have_url(re.compile(r".*/console/queue\?status=objection"))
    expect(superior.locator("#section-objection")).to_contain_text(number)
    superior.get_by_role("link", name=number).click()
    expect(superior.get_by_role("heading", name="Putusan atas keberatan")).to_be_visible()
    # What the requester objects to, on what ground, beside the form that answers it.
    facts = superior.locator("#objection-facts")
    expect(facts).to_contain_text("Pasal 35 ayat 1 huruf d, permintaan informasi ditanggapi tidak")
    expect(facts).to_contain_text("Data gaji pejabat adalah informasi publik")
    superior.locator("#decide-decision").select_option("granted")
    superior.locator("#decide-note").fill("Keberatan diterima; seluruh data diberikan.")
    superior.locator("#do-decide").click()
    expect(superior.locator(".flash-success")).to_contain_text("Keputusan")
    assert _status(app_ctx, number) == "resolved"
    history = superior.locator(".history, #history, [aria-labelledby=h-history]").first
    expect(history).to_contain_text("Keberatan diajukan")


def test_officer_holds_resumes_closes_unresolved_and_answers_an_aspirasi(
    app_ctx, make_user, make_ticket, open_page, shots
):
    make_user("petugas.pupr", "officer", "PUPR")
    complaint = make_ticket(status="in_progress")
    aspirasi = make_ticket(status="assigned", kind="aspirasi", sla_due_at=None, description="Usul taman baca")

    page = open_page(DESK)
    login(page, "petugas.pupr")
    page.goto(f"/console/tickets/{complaint.ticket_number}")
    expect(page.locator("#decide-form")).to_have_count(0)
    page.get_by_label("Alasan penundaan (dikirim ke pelapor)").fill("Menunggu jadwal pengaspalan")
    page.get_by_label("Sampai tanggal (opsional)").fill((utcnow() + timedelta(days=10)).date().isoformat())
    page.locator("#do-hold").click()
    expect(page.locator(".flash-success")).to_contain_text("ditunda")
    assert _status(app_ctx, complaint.ticket_number) == "on_hold"
    expect(page.locator("#hold-form")).to_have_count(0)
    page.screenshot(path=shots / "officer-on-hold.png", full_page=True)
    page.locator("#do-resume").click()
    expect(page.locator(".flash-success")).to_contain_text("dilanjutkan")
    assert _status(app_ctx, complaint.ticket_number) == "in_progress"
    page.locator("#cu-reason").select_option("planned_later")
    page.locator("#do-close-unresolved").click()
    expect(page.locator(".flash-success")).to_contain_text("tanpa penyelesaian")
    assert _status(app_ctx, complaint.ticket_number) == "closed_unresolved"

    page.goto(f"/console/tickets/{aspirasi.ticket_number}")
    expect(page.locator("[data-role=kind]")).to_contain_text("Aspirasi")
    expect(page.locator("#do-resolve")).to_have_count(0)
    page.get_by_label("Tanggapan untuk pelapor").fill("Usulan dicatat untuk musrenbang kelurahan.")
    page.locator("#do-answer").click()
    expect(page.locator(".flash-success")).to_contain_text("aspirasi")
    assert _status(app_ctx, aspirasi.ticket_number) == "resolved"
