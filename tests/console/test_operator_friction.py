"""Issue 22's operator friction in a real browser: live triage, search, the OPD picker, the
return reason on the card, the D key, and failed messages handled in words."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.console import DESK, login


def test_triage_updates_live_with_a_moving_counter(app_ctx, make_user, make_ticket, open_page, triage_ticket):
    from ticketing.extensions import db
    from ticketing.models import User
    from ticketing.services.intake import find_ticket
    from ticketing.services.lifecycle import apply_action

    make_user("operator1", "operator")
    page = open_page(DESK)
    login(page, "operator1")
    expect(page.locator("#triage-conn")).to_have_attribute("data-state", "on")
    expect(page.locator("#count-triage")).to_have_text("0")
    number = triage_ticket([{"category": "sampah", "opd": "DLHKP", "confidence": 0.3}])
    # Without a reload: the counter moves and the page offers to show the newcomer.
    expect(page.locator("#triage-new")).to_be_visible()
    expect(page.locator("#triage-new")).to_contain_text("tiket baru masuk triase")
    expect(page.locator("#count-triage")).not_to_have_text("0")
    page.get_by_role("link", name="Muat ulang daftar").click()
    card = page.locator(f'.triage-card[data-ticket="{number}"]')
    expect(card).to_be_visible()
    expect(page.locator("#triage-conn")).to_have_attribute("data-state", "on")
    operator = db.session.query(User).filter_by(username="operator1").one()
    apply_action(find_ticket(number), operator, "dispose", opd="DLHKP")
    expect(card).to_have_class("card triage-card done")  # someone else sent it on


def test_return_reason_on_the_card_and_the_d_key_merges_a_linked_duplicate(
    app_ctx, make_user, make_ticket, open_page
):
    from ticketing.extensions import db
    from ticketing.models import PossibleDuplicate, User
    from ticketing.services.intake import find_ticket
    from ticketing.services.lifecycle import apply_action

    make_user("operator1", "operator")
    make_user("petugas.pupr", "officer", "PUPR")
    officer = db.session.query(User).filter_by(username="petugas.pupr").one()
    returned = make_ticket(status="assigned")
    apply_action(returned, officer, "return", note="Ini saluran irigasi, bukan jalan kota")
    original = make_ticket(status="in_progress")
    repeat = make_ticket(status="triage", opd=None, description="Jalan berlubang depan pasar lagi")
    db.session.add(
        PossibleDuplicate(ticket_id=repeat.id, original_id=original.id, distance_m=4.0, similarity=0.7)
    )
    db.session.commit()

    page = open_page(DESK)
    login(page, "operator1")
    card = page.locator(f'.triage-card[data-ticket="{returned.ticket_number}"]')
    expect(card.locator(".return-note")).to_contain_text("Ini saluran irigasi, bukan jalan kota")
    page.locator(f'.triage-card[data-ticket="{repeat.ticket_number}"]').focus()
    page.keyboard.press("d")
    expect(page.locator(".flash-success")).to_contain_text("ditolak")
    db.session.expire_all()
    merged = find_ticket(repeat.ticket_number)
    assert merged.rejection_reason == "duplicate" and merged.duplicate_of_id == original.id


def test_operator_search_and_the_grouped_searchable_opd_picker(app_ctx, make_user, make_ticket, open_page):
    make_user("operator1", "operator")
    closed = make_ticket(status="closed", description="Pohon tumbang menutup Jl. Semeru")
    triage = make_ticket(status="triage", opd=None)
    page = open_page(DESK)
    login(page, "operator1")
    page.get_by_role("link", name="Cari tiket").click()
    page.get_by_label("Nomor tiket atau kata dalam pengaduan").fill(closed.ticket_number)
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.locator(f'li.ticket[data-ticket="{closed.ticket_number}"]')).to_be_visible()
    page.get_by_label("Nomor tiket atau kata dalam pengaduan").fill("semeru")
    page.get_by_role("button", name="Cari", exact=True).click()
    expect(page.locator("li.ticket")).to_have_count(1)

    page.goto(f"/console/tickets/{triage.ticket_number}")
    picker = page.locator(f"#dispose-opd-{triage.ticket_number}")
    assert picker.locator('optgroup[label="OPD (dinas dan badan)"] option').count() >= 10
    page.get_by_label("Cari OPD, kecamatan atau kelurahan").fill("pdam")
    expect(picker).to_have_value("PDAM")
    page.get_by_role("button", name="Teruskan", exact=True).click()
    expect(page.locator(".flash-success")).to_contain_text("diteruskan ke PDAM")


def test_failed_messages_link_their_ticket_retry_or_are_marked_handled(
    app_ctx, make_user, make_ticket, open_page
):
    from ticketing.extensions import db
    from ticketing.models import OutboxMessage

    make_user("operator1", "operator")
    ticket = make_ticket(status="assigned", channel="whatsapp")
    rows = [
        OutboxMessage(
            ticket_id=ticket.id,
            channel="whatsapp",
            recipient="+6281234567890",
            kind="routed",
            body="Pengaduan diteruskan ke Dinas PUPR.",
            idempotency_key=f"test-failed-{n}",
            state="failed",
            attempts=4,
            last_error=error,
        )
        for n, error in enumerate(
            ("whatsapp answered 400: template not approved", "whatsapp unreachable: ConnectTimeout")
        )
    ]
    db.session.add_all(rows)
    db.session.commit()
    refused, unreachable = rows

    page = open_page(DESK)
    login(page, "operator1")
    page.get_by_role("link", name="Pesan gagal").click()
    first = page.locator(f'[data-outbox="{refused.id}"]')
    expect(first.locator('[data-role="why"]')).to_contain_text("Penyedia menolak pesan ini")
    expect(page.locator(f'[data-outbox="{unreachable.id}"] [data-role="why"]')).to_contain_text(
        "tidak bisa dihubungi"
    )
    expect(first.get_by_role("link", name=ticket.ticket_number)).to_be_visible()

    first.get_by_role("button", name="Sudah ditangani").click()
    expect(page.locator(".flash-success")).to_contain_text("ditandai sudah ditangani")
    expect(page.locator(f'[data-outbox="{refused.id}"]')).to_have_count(0)
    page.locator(f'[data-outbox="{unreachable.id}"]').get_by_role("button", name="Kirim ulang").click()
    expect(page.locator(".flash-success")).to_contain_text("dikirim ulang")
    db.session.expire_all()
    assert db.session.get(OutboxMessage, refused.id).state == "handled"
    assert db.session.get(OutboxMessage, unreachable.id).state in ("queued", "sending", "sent")
