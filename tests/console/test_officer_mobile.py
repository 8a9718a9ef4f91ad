"""The officer on a phone (390×844): first ticket above the fold, every tap target ≥ 44 px,
the queue by time left, `tel:` links, and a resolution note that survives a session expiry."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from tests.support.console import login

PHONE_390 = {"width": 390, "height": 844}
MIN_TARGET = 44


def small_targets(page) -> list[str]:
    """Visible controls and links smaller than 44 px on a side. Links inside a sentence are
    exempt (WCAG 2.5.8's inline exception); a checkbox or radio counts with its label.

    Measured after the page's `load`: a page reached by a click may already show its heading
    while its stylesheet is still on the way, and unstyled controls are all browser-default
    small (CI: every control of the ticket page measured at its default size)."""
    page.wait_for_load_state("load")
    return page.evaluate(
        """(min) => Array.from(document.querySelectorAll(
        'a[href], button, input:not([type=hidden]), select, textarea, summary'))
      .filter(el => el.offsetParent !== null && !el.closest('.skip'))
      .filter(el => {
        if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return true;
        const parentText = el.parentElement.textContent.replace(/\\s+/g, ' ').trim();
        return parentText === el.textContent.replace(/\\s+/g, ' ').trim();
      })
      .map(el => {
        let box = el.getBoundingClientRect();
        if ((el.type === 'checkbox' || el.type === 'radio') && el.labels && el.labels.length) {
          const label = el.labels[0].getBoundingClientRect();
          box = {width: label.right - Math.min(box.left, label.left),
                 height: Math.max(box.height, label.height)};
        }
        return {el, box};
      })
      .filter(({box}) => box.width < min || box.height < min)
      .map(({el, box}) => `${Math.round(box.width)}x${Math.round(box.height)} `
                          + el.outerHTML.slice(0, 100))""",
        MIN_TARGET,
    )


def test_officer_queue_and_ticket_on_a_390px_phone(app_ctx, make_user, make_ticket, open_page, shots):
    from ticketing.models.base import utcnow

    make_user("petugas.pupr", "officer", "PUPR")
    now = utcnow()
    later = make_ticket(
        status="assigned", sla_due_at=now + timedelta(days=5), description="Trotoar rusak di Jl. Hayam Wuruk"
    )
    soonest = make_ticket(
        status="assigned",
        sla_due_at=now + timedelta(hours=3),
        description="Jalan amblas di depan SDN 2 Banjaran",
        reporter_phone="+6281234567891",
    )
    middle = make_ticket(
        status="assigned", sla_due_at=now + timedelta(days=1), description="Lubang di Jl. Dhoho"
    )

    page = open_page(PHONE_390)
    login(page, "petugas.pupr")
    rows = page.locator("#section-assigned li.ticket")
    expect(rows).to_have_count(3)
    # Least time left first.
    assert [rows.nth(i).get_attribute("data-ticket") for i in range(3)] == [
        soonest.ticket_number,
        middle.ticket_number,
        later.ticket_number,
    ]
    first = rows.first.bounding_box()
    assert first["y"] + first["height"] <= PHONE_390["height"], first  # above the fold
    assert small_targets(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]
    page.screenshot(path=shots / "officer-queue-390.png")

    rows.first.click()  # anywhere on the card
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Tiket {soonest.ticket_number}")
    expect(page.locator('a[href="tel:+6281234567891"]')).to_be_visible()
    assert small_targets(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]
    page.screenshot(path=shots / "officer-ticket-390.png", full_page=True)


def test_a_resolution_being_written_survives_a_session_expiry(app_ctx, make_user, make_ticket, open_page):
    make_user("petugas.pupr", "officer", "PUPR")
    # A category without `needs_proof` (issue #18): there the photo is required and the browser
    # would hold the form back before any request; this test is about the session, not proof.
    ticket = make_ticket(status="in_progress", category="lainnya")
    page = open_page(PHONE_390)
    login(page, "petugas.pupr")
    page.goto(f"/console/tickets/{ticket.ticket_number}")
    note = "Lubang sudah ditambal aspal dingin, besok diratakan."
    page.get_by_label("Catatan publik untuk pelapor").fill(note)
    page.context.clear_cookies()  # the session ends while the officer writes
    page.get_by_role("button", name="Selesaikan tiket").click()
    page.wait_for_url("**/console/login**")
    page.get_by_label("Nama pengguna").fill("petugas.pupr")
    page.get_by_label("Kata sandi").fill("password123")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"**/console/tickets/{ticket.ticket_number}")
    expect(page.get_by_label("Catatan publik untuk pelapor")).to_have_value(note)
    expect(page.locator(".draft-restored")).to_be_visible()
    page.get_by_role("button", name="Selesaikan tiket").click()
    expect(page.locator(".flash-success")).to_contain_text("diselesaikan")
    page.reload()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('aduan.draft.'))") == []


def test_a_large_photo_is_shrunk_in_the_browser_and_an_oversize_one_is_explained(
    app_ctx, make_user, make_ticket, open_page
):
    from tests.support.console import png_bytes

    make_user("petugas.pupr", "officer", "PUPR")
    ticket = make_ticket(status="in_progress")
    page = open_page(PHONE_390)
    login(page, "petugas.pupr")
    page.goto(f"/console/tickets/{ticket.ticket_number}")
    photo = page.locator("#resolve-photo")
    photo.set_input_files({"name": "kamera.png", "mimeType": "image/png", "buffer": png_bytes(3200, 2400)})
    page.wait_for_function(
        "() => { const f = document.getElementById('resolve-photo').files[0];"
        " return f && f.type === 'image/jpeg'; }"
    )
    page.get_by_label("Catatan publik untuk pelapor").fill("Sudah ditambal.")
    page.get_by_role("button", name="Selesaikan tiket").click()
    expect(page.locator(".flash-success")).to_contain_text("diselesaikan")
    page.wait_for_function(
        "() => { const img = document.querySelector('img.after');"
        " return img && img.complete && img.naturalWidth === 1600; }"
    )

    other = make_ticket(status="in_progress")
    page.goto(f"/console/tickets/{other.ticket_number}")
    # A limit this small cannot be met even after shrinking: the officer is told, nothing sent.
    page.evaluate("document.getElementById('resolve-photo').dataset.maxBytes = '1000'")
    page.locator("#resolve-photo").set_input_files(
        {"name": "kamera.png", "mimeType": "image/png", "buffer": png_bytes(3200, 2400)}
    )
    expect(page.locator("#photo-message")).to_contain_text("Foto terlalu besar")
    assert page.evaluate("document.getElementById('resolve-photo').files.length") == 0
