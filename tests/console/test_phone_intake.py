"""Phone and walk-in intake in a real browser: an operator files a caller's report from the
keyboard, the router's proposal arrives as they type, the worker routes the ticket, and the
staff API shows it with channel `phone` and the caller's number for SMS updates."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from tests.support.browser import FIRST_GUESS_TIMEOUT_MS
from tests.support.console import DESK, login
from tests.support.processes import wait_for

CALL = "Saluran air di depan rumah tersumbat sampah, air meluap ke jalan setiap hujan deras"


def test_operator_files_a_phone_report_that_is_routed(
    app_ctx, make_user, open_page, http, token_for, ready_worker
):
    from ticketing.extensions import db
    from ticketing.models import OutboxMessage

    make_user("operator1", "operator")
    page = open_page(DESK)
    login(page, "operator1")
    page.get_by_role("link", name="Lapor telepon").click()
    expect(page.locator("#intake-description")).to_be_focused()
    page.keyboard.type(CALL)
    # The router's proposal, live; Alt+U takes it into the category field.
    expect(page.locator("#intake-guess")).to_contain_text("Usulan sistem", timeout=FIRST_GUESS_TIMEOUT_MS)
    proposed = page.locator("#intake-guess").get_attribute("data-category")
    page.keyboard.press("Alt+u")
    expect(page.locator("#intake-category")).to_have_value(proposed)
    page.locator("#intake-phone").fill("0812-3456-7001")
    page.locator("#intake-name").fill("Bu Sri")
    first_place = page.locator("#intake-kelurahan option").nth(1).text_content()
    page.locator("#intake-kelurahan-search").fill(first_place.split(" (")[0])
    page.locator("#intake-kelurahan-search").dispatch_event("change")
    expect(page.locator("#intake-kelurahan")).not_to_have_value("")
    page.locator("#intake-address").focus()
    page.keyboard.press("Control+Enter")
    expect(page.locator(".flash-success")).to_contain_text("tercatat")
    number = page.url.rstrip("/").rsplit("/", 1)[-1]

    token = token_for("operator")
    headers = {"Authorization": f"Bearer {token}"}
    listed = http.get("/api/v1/tickets", params={"channel": "phone"}, headers=headers).json()
    assert [item["ticket_number"] for item in listed["items"]] == [number]

    def routed():
        ticket = http.get(f"/api/v1/tickets/{number}", headers=headers).json()
        return ticket if ticket["status"] != "received" else None

    ticket = wait_for(routed, timeout=60, message="ticket routed by the worker")
    assert ticket["channel"] == "phone" and ticket["category"] == proposed
    assert ticket["status"] in ("assigned", "triage")
    # The caller hears by SMS, at the number they gave, in E.164.
    acks = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "ack")).all()
    assert [(a.recipient, number in a.body) for a in acks] == [("+6281234567001", True)]


def test_refused_intake_keeps_what_was_typed(app_ctx, make_user, console_client):
    make_user("operator1", "operator")
    client = console_client()
    client.login("operator1")
    token = client.csrf("/console/lapor")
    answer = client.post(
        "/console/lapor", data={"csrf_token": token, "channel": "phone", "description": CALL, "phone": "12ab"}
    )
    assert answer.status_code == 422
    assert "Nomor telepon tidak valid" in answer.text and "Saluran air di depan rumah" in answer.text
    walk_in = client.post("/console/lapor", data={"csrf_token": token, "channel": "sms", "description": CALL})
    assert walk_in.status_code == 422
