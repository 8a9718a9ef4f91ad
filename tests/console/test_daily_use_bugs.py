"""Issue 22's numbered console bugs, one real-browser test each (headless Chromium)."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.support.console import DESK, login


def _late(make_ticket, **fields):
    """A ticket at PUPR whose deadline passed, flagged by the SLA sweep."""
    from ticketing.models.base import utcnow
    from ticketing.services.sla_sweep import sla_sweep

    ticket = make_ticket(status="assigned", sla_due_at=utcnow() - timedelta(hours=2), **fields)
    sla_sweep()
    return ticket


def _routed_to_triage(description, candidates, is_complaint=True):
    from ticketing.extensions import db
    from ticketing.services.events import record_event
    from ticketing.services.intake import create_ticket

    ticket = create_ticket(description=description, channel="web").ticket
    ticket.status = "triage"
    record_event(
        ticket,
        type="ticket.routed",
        action="route",
        actor_label="router",
        from_status="received",
        public=True,
        data={
            "method": "model",
            "is_complaint": is_complaint,
            "confidence": candidates[0]["confidence"],
            "candidates": candidates,
        },
    )
    db.session.commit()
    return ticket


def _link_duplicate(ticket, original):
    from ticketing.extensions import db
    from ticketing.models import PossibleDuplicate

    db.session.add(
        PossibleDuplicate(ticket_id=ticket.id, original_id=original.id, distance_m=4.0, similarity=0.6)
    )
    db.session.commit()


def _reload(number):
    from ticketing.extensions import db
    from ticketing.services.intake import find_ticket

    db.session.expire_all()
    return find_ticket(number)


def test_bug1_the_current_opd_is_not_offered_and_a_late_ticket_stays_breached(
    app_ctx, make_user, make_ticket, open_page, shots
):
    make_user("operator1", "operator")
    ticket = _late(make_ticket)
    number = ticket.ticket_number
    page = open_page(DESK)
    login(page, "operator1")
    page.goto(f"/console/tickets/{number}")
    picker = page.locator(f"#dispose-opd-{number}")
    expect(picker).to_have_value("")  # nothing pre-selected, least of all PUPR
    assert picker.locator('option[value="PUPR"]').count() == 0
    reason = page.get_by_label("Alasan pengalihan (wajib)")
    assert reason.get_attribute("required") is not None
    picker.select_option("DLHKP")
    reason.fill("Saluran tersumbat sampah, urusan DLHKP")
    page.get_by_role("button", name="Teruskan", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("diteruskan ke DLHKP")
    expect(page.locator('[data-role="breached"]')).to_contain_text("SLA terlewat")
    page.screenshot(path=shots / "bug1-reassigned-breached.png", full_page=True)
    moved = _reload(number)
    assert moved.opd_code == "DLHKP" and moved.sla_breached_at is not None


def test_bug2_a_greeting_is_not_preselected_and_reject_is_offered_first(app_ctx, make_user, open_page, shots):
    make_user("operator1", "operator")
    greeting = _routed_to_triage(
        "Selamat pagi",
        [
            {"category": "kesehatan", "opd": "DINKES", "confidence": 0.0},
            {"category": "sampah", "opd": "DLHKP", "confidence": 0.0},
        ],
        is_complaint=False,
    )
    page = open_page(DESK)
    login(page, "operator1")
    card = page.locator(f'.triage-card[data-ticket="{greeting.ticket_number}"]')
    expect(card).to_be_focused()
    expect(card.locator("input[name=opd]:checked")).to_have_count(0)
    first_form = card.locator("form").first
    expect(first_form.locator("select[name=reason]")).to_have_value("spam")
    page.keyboard.press("Enter")  # nothing chosen: Enter sends nothing
    expect(page.locator(".flash")).to_have_count(0)
    assert _reload(greeting.ticket_number).status == "triage"
    page.screenshot(path=shots / "bug2-greeting.png", full_page=True)
    page.keyboard.press("s")  # reject as spam, confirmed
    expect(page.locator(".flash-success")).to_contain_text("ditolak")
    assert _reload(greeting.ticket_number).rejection_reason == "spam"


def test_bug4_possible_duplicates_show_everywhere_and_merge_in_one_action(
    app_ctx, make_user, make_ticket, open_page, shots
):
    make_user("operator1", "operator")
    make_user("petugas.pupr", "officer", "PUPR")
    original = make_ticket(status="in_progress")
    at_opd = make_ticket(status="assigned", description="Jalan berlubang depan pasar lagi")
    in_triage = _routed_to_triage(
        "Lubang di jalan depan pasar", [{"category": "jalan-rusak", "opd": "PUPR", "confidence": 0.3}]
    )
    _link_duplicate(at_opd, original)
    _link_duplicate(in_triage, original)

    officer = open_page(DESK)
    login(officer, "petugas.pupr")
    expect(officer.locator(f'li.ticket[data-ticket="{at_opd.ticket_number}"]')).to_contain_text(
        f"Mungkin duplikat dari {original.ticket_number}"
    )

    page = open_page(DESK)
    login(page, "operator1")
    card = page.locator(f'.triage-card[data-ticket="{in_triage.ticket_number}"]')
    expect(card.locator(".duplicates")).to_contain_text(original.ticket_number)
    page.screenshot(path=shots / "bug4-triage-duplicate.png", full_page=True)

    page.goto(f"/console/tickets/{at_opd.ticket_number}")
    expect(page.locator(".duplicates")).to_contain_text(original.ticket_number)
    page.get_by_role("button", name=f"Gabungkan sebagai duplikat {original.ticket_number}").click()
    expect(page.locator(".flash-success")).to_contain_text("ditolak")
    expect(page.locator('[data-role="reject-reason"]')).to_contain_text(
        f"duplikat dari {original.ticket_number}"
    )
    merged = _reload(at_opd.ticket_number)
    assert merged.status == "rejected" and merged.duplicate_of_id == original.id


def test_bug5_duplicate_errors_differ_keep_the_typed_number_and_the_reason_is_shown(
    http, app_ctx, make_user, make_ticket, open_page, shots
):
    make_user("operator1", "operator")
    original = make_ticket(status="assigned")
    duplicate = make_ticket(status="triage", opd=None)
    number = duplicate.ticket_number
    page = open_page(DESK)
    login(page, "operator1")
    page.goto(f"/console/tickets/{number}")

    def reject(typed):
        page.locator(f"#reject-reason-{number}").select_option("duplicate")
        page.locator(f"#reject-dup-{number}").fill(typed)
        page.get_by_role("button", name="Tolak").click()

    reject("")
    expect(page.locator(".flash-error")).to_contain_text("Isi nomor tiket asli")
    reject("ZZZZ-9999")
    expect(page.locator(".flash-error")).to_contain_text("Tidak ada tiket bernomor ZZZZ-9999")
    expect(page.locator(f"#reject-dup-{number}")).to_have_value("ZZZZ-9999")  # kept
    expect(page.locator(f"#reject-reason-{number}")).to_have_value("duplicate")
    reject(number)
    expect(page.locator(".flash-error")).to_contain_text("tiket ini sendiri")
    page.screenshot(path=shots / "bug5-self-reference.png", full_page=True)
    reject(original.ticket_number)
    expect(page.locator(".flash-success")).to_contain_text("ditolak")
    latest = page.locator(".history li").first
    expect(latest).to_contain_text(f"duplikat dari {original.ticket_number}")
    expect(latest).not_to_contain_text("Ditolak → Ditolak")
    tracking = http.get(f"/api/v1/complaints/{number}", params={"token": duplicate.tracking_token})
    assert original.ticket_number in tracking.json()["history"][-1]["note"]


def test_bug6_reassigning_from_the_escalation_list_takes_the_new_opds_category(
    app_ctx, make_user, make_ticket, open_page, shots
):
    make_user("operator1", "operator")
    ticket = _late(make_ticket)  # jalan-rusak at PUPR: 7 days
    number = ticket.ticket_number
    page = open_page(DESK)
    login(page, "operator1")
    page.locator(f"#re-opd-{number}").select_option("PDAM")
    page.locator(f"#re-note-{number}").fill("Pipa PDAM bocor di bawah jalan")
    page.get_by_role("button", name=f"Alihkan tiket {number}").click()
    expect(page.locator(".flash-success")).to_contain_text("diteruskan ke PDAM")
    moved = _reload(number)
    assert moved.opd_code == "PDAM" and moved.category_code == "air-bersih"  # 24 working hours
    assert moved.sla_due_at - moved.assigned_at < timedelta(days=7)


def test_bug7_a_reopened_ticket_shows_why_with_the_rating_and_the_first_deadline(
    app_ctx, make_user, make_ticket, open_page, shots
):
    from ticketing.services.lifecycle import record_feedback, reopen_by_citizen

    make_user("petugas.pupr", "officer", "PUPR")
    ticket = make_ticket(status="resolved")
    first_due = ticket.sla_due_at
    record_feedback(ticket, 2, "Cuma ditimbun tanah", "web")
    reopen_by_citizen(ticket, note="Lubangnya muncul lagi setelah hujan")
    page = open_page(DESK)
    login(page, "petugas.pupr")
    item = page.locator(f'li.ticket[data-ticket="{ticket.ticket_number}"]')
    expect(item.locator('[data-role="reopened"]')).to_have_text("Dibuka kembali")
    item.click()  # the whole card opens the ticket, not only its number
    expect(page.get_by_role("heading", name="Dibuka kembali oleh warga")).to_be_visible()
    section = page.locator("section.reopened")
    expect(section).to_contain_text("Lubangnya muncul lagi setelah hujan")
    expect(section.locator('[data-role="rating"]')).to_have_text("2/5")
    expect(section).to_contain_text("Cuma ditimbun tanah")
    from ticketing.console.views import local_time

    expect(section).to_contain_text(local_time(first_due))
    page.screenshot(path=shots / "bug7-reopened.png", full_page=True)


def test_bug10_reloading_after_creating_an_api_key_makes_no_second_key(app_ctx, make_user, open_page, shots):
    from ticketing.services.api_keys import list_api_keys

    make_user("admin1", "admin")
    page = open_page(DESK)
    login(page, "admin1")
    page.goto("/console/admin/api-keys")
    page.get_by_label("Nama pemakai (aplikasi/mitra)").fill("Aplikasi Kediri Smart City")
    page.get_by_role("button", name="Buat kunci").click()
    key = page.get_by_label("Kunci API").input_value()
    assert len(key) > 20
    page.reload()
    expect(page.get_by_label("Kunci API")).to_have_count(0)  # shown once only
    assert re.search(r"/console/admin/api-keys$", page.url)
    assert len(list_api_keys()) == 1
