"""Real-browser journeys through the console (headless Chromium against the gunicorn server)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.console import DESK, PHONE, login, png_bytes, unlabelled_controls, visible_controls


def file_complaint(http, category="jalan-rusak"):
    response = http.post(
        "/api/v1/complaints",
        json={
            "description": "Jalan berlubang dalam di depan SDN 2 Banjaran, motor sering jatuh",
            "category": category,
            "reporter": {"name": "Siti", "phone": "081234567890"},
            "location": {"lat": -7.8166, "lon": 112.0114, "address": "Jl. Banjaran"},
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_officer_on_a_phone_accepts_and_resolves_with_photo_and_the_citizen_sees_the_note(
    http, app_ctx, make_user, open_page, shots
):
    from ticketing.services.intake import find_ticket
    from ticketing.services.routing import route_ticket

    make_user("petugas.pupr", "officer", "PUPR")
    filed = file_complaint(http)
    number, token = filed["ticket_number"], filed["tracking_token"]
    route_ticket(find_ticket(number).id)  # citizen chose the category: straight to PUPR

    page = open_page(PHONE)
    login(page, "petugas.pupr")
    expect(page.locator("#section-assigned")).to_contain_text(number)
    expect(page.locator("#count-assigned")).to_have_text("1")
    assert unlabelled_controls(page) == []
    page.screenshot(path=shots / "officer-queue-360.png", full_page=True)
    # Nothing wider than the phone: no sideways scrolling at 360 px.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Tiket {number}")
    page.get_by_role("button", name="Terima tiket").click()
    expect(page.locator(".flash-success")).to_contain_text("diterima")
    expect(page.locator(".badge-in_progress").first).to_be_visible()

    note = "Lubang sudah ditambal dan diaspal ulang oleh tim UPT Jalan."
    page.get_by_label("Catatan publik untuk pelapor").fill(note)
    photo_input = page.get_by_label(re.compile("Foto sesudah"))
    assert photo_input.get_attribute("capture") == "environment"
    assert photo_input.get_attribute("accept") == "image/*"
    photo_input.set_input_files({"name": "sesudah.png", "mimeType": "image/png", "buffer": png_bytes()})
    page.get_by_role("button", name="Selesaikan tiket").click()
    expect(page.locator(".flash-success")).to_contain_text("diselesaikan")
    photo = page.get_by_alt_text("Foto sesudah penanganan")
    expect(photo).to_be_visible()
    # The stored file is the one uploaded, served back to the officer's browser.
    page.wait_for_function(
        "() => { const img = document.querySelector('img.after');"
        " return img && img.complete && img.naturalWidth === 64; }"
    )
    assert unlabelled_controls(page) == []
    page.wait_for_load_state("load")  # reached by a form post: measured once its stylesheet applies
    page.screenshot(path=shots / "officer-resolved-360.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    tracking = http.get(f"/api/v1/complaints/{number}?token={token}")
    assert tracking.status_code == 200
    view = tracking.json()
    assert view["status"] == "resolved"
    assert note in [entry["note"] for entry in view["history"]]


def test_operator_disposes_by_keyboard_and_the_open_officer_page_shows_it_live(
    http, app_ctx, make_user, open_page, triage_ticket, shots
):
    make_user("operator1", "operator")
    make_user("petugas.pupr", "officer", "PUPR")
    make_user("petugas.dlhkp", "officer", "DLHKP")
    number = triage_ticket(
        [
            {"category": "pju", "opd": "DISHUB", "confidence": 0.41},
            {"category": "jalan-rusak", "opd": "PUPR", "confidence": 0.37},
            {"category": "sampah", "opd": "DLHKP", "confidence": 0.08},
        ]
    )

    officer = open_page(DESK)
    login(officer, "petugas.pupr")
    expect(officer.locator("#conn")).to_have_attribute("data-state", "on")
    expect(officer.locator("#section-assigned")).not_to_contain_text(number)
    officer.get_by_role("button", name="Bunyi: aktif").click()  # mute, and it says so
    expect(officer.locator("#mute")).to_have_attribute("aria-pressed", "true")

    operator = open_page(DESK)
    operator.goto("/console/login")
    # Keyboard only from here: the login form has focus, the first triage card gets it next.
    # (`autofocus` applies at the page's next rendering, which can come after its load event.)
    expect(operator.locator("#username")).to_be_focused()
    operator.keyboard.type("operator1")
    operator.keyboard.press("Tab")
    operator.keyboard.type("password123")
    operator.keyboard.press("Enter")
    operator.wait_for_url("**/console/triage")
    card = operator.locator(f'.triage-card[data-ticket="{number}"]')
    expect(card).to_be_focused()
    expect(card).to_contain_text("DISHUB")
    expect(card).to_contain_text("41%")
    expect(card).to_contain_text("PUPR")
    # 41 % is below the pre-selection floor: Enter alone sends nothing until a key picks one.
    expect(card.locator("input[name=opd]:checked")).to_have_count(0)
    assert unlabelled_controls(operator) == []
    operator.screenshot(path=shots / "operator-triage-1920.png", full_page=True)
    operator.keyboard.press("2")
    expect(card.locator('input[data-key="2"]')).to_be_checked()
    operator.keyboard.press("Enter")
    expect(operator.locator(".flash-success")).to_contain_text(f"Tiket {number} diteruskan ke PUPR")

    # The officer's page, open since before the dispose, shows it without a reload.
    row = officer.locator(f'#section-assigned li.ticket[data-ticket="{number}"]')
    expect(row).to_be_visible()
    expect(row).to_contain_text("Lampu jalan mati")
    expect(row).to_contain_text("jalan-rusak")  # the suggestion's category came along
    # At least ours: Redis pub/sub ignores the db number, so a neighbour's test server on the
    # same Redis can add its own PUPR tickets to this page too.
    expect(officer.locator("#count-assigned")).not_to_have_text("0")
    officer.screenshot(path=shots / "officer-live-1920.png", full_page=True)

    detail = http.get(f"/console/tickets/{number}")  # not logged in: to the login form
    assert "/console/login" in detail.url

    other = open_page(PHONE)
    login(other, "petugas.dlhkp")
    response = other.goto(f"/console/tickets/{number}")
    assert response.status == 404
    expect(other.get_by_role("heading", level=1)).to_contain_text("Tidak ditemukan")
    other.screenshot(path=shots / "other-opd-404-360.png", full_page=True)


def test_admin_pages_render_labelled_at_both_widths(app_ctx, make_user, open_page, shots):
    make_user("admin1", "admin")
    for viewport, suffix in ((DESK, "1920"), (PHONE, "360")):
        page = open_page(viewport)
        login(page, "admin1")
        for path, name in (
            ("/console/admin/users", "users"),
            ("/console/admin/categories", "categories"),
            ("/console/admin/api-keys", "api-keys"),
            ("/console/triage", "triage-empty"),
        ):
            answer = page.goto(path)
            # The page asked for, not a login form or an error page with nothing to label.
            assert answer.status == 200 and answer.url.endswith(path), (path, answer.url)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert visible_controls(page) >= 1, path  # there was something to check
            assert unlabelled_controls(page) == [], path
            page.screenshot(path=shots / f"admin-{name}-{suffix}.png", full_page=name != "categories")
        if viewport is PHONE:
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
