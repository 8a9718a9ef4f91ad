"""CSRF on every console form, the login slow-down, logout and the idle timeout."""

from __future__ import annotations

import time


def test_a_form_posted_without_its_csrf_token_is_refused_with_a_clear_page(
    console_client, make_user, make_ticket
):
    make_user("petugas.pupr", "officer", "PUPR")
    ticket = make_ticket("assigned", opd="PUPR")
    browser = console_client()

    refused = browser.post("/console/login", data={"username": "petugas.pupr", "password": "password123"})
    assert refused.status_code == 400
    assert refused.headers["Content-Type"].startswith("text/html")
    assert "token keamanannya (CSRF)" in refused.text

    assert browser.login("petugas.pupr").status_code == 302
    action = f"/console/tickets/{ticket.ticket_number}/actions"
    refused = browser.post(action, data={"action": "accept"})
    assert refused.status_code == 400 and "CSRF" in refused.text
    forged = browser.post(action, data={"action": "accept", "csrf_token": "forged"})
    assert forged.status_code == 400
    page = browser.get(f"/console/tickets/{ticket.ticket_number}")
    assert "badge-assigned" in page.text  # nothing happened

    token = browser.csrf(f"/console/tickets/{ticket.ticket_number}")
    accepted = browser.post(action, data={"action": "accept", "csrf_token": token})
    assert accepted.status_code == 303
    assert "badge-in_progress" in browser.get(f"/console/tickets/{ticket.ticket_number}").text


def test_the_json_api_needs_no_csrf_token(http, token_for, make_ticket):
    ticket = make_ticket("assigned", opd="PUPR")
    token = token_for("officer", "PUPR")
    response = http.post(
        f"/api/v1/tickets/{ticket.ticket_number}/actions",
        json={"action": "accept"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text


def test_five_wrong_passwords_slow_further_attempts(console_client, make_user):
    make_user("operator1", "operator")
    browser = console_client()
    for _ in range(7):
        wrong = browser.login("operator1", "salah-sandi")
        assert wrong.status_code in (401, 429)
    assert "Nama pengguna atau kata sandi salah" in browser.login("operator2", "salah").text
    # This address and name are slowed now; a wrong guess waits like any other.
    slowed = console_client().login("operator1", "salah-lagi")
    assert slowed.status_code == 429
    assert int(slowed.headers["Retry-After"]) >= 1
    assert "Terlalu banyak percobaan" in slowed.text
    # A short lock lets the right password through (a colleague who mistyped, not a guesser).
    assert console_client().login("operator1", "password123").status_code == 302


def test_logout_ends_the_session_and_cookies_are_http_only_and_lax(console_client, make_user):
    make_user("operator1", "operator")
    browser = console_client()
    response = browser.login("operator1")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert browser.get("/console/triage", allow_redirects=False).status_code == 200
    token = browser.csrf("/console/triage")
    assert browser.post("/console/logout", data={"csrf_token": token}).status_code == 302
    after = browser.get("/console/triage", allow_redirects=False)
    assert after.status_code == 302 and "/console/login" in after.headers["Location"]


def test_an_idle_session_times_out(app, client, make_user):
    make_user("operator1", "operator")
    page = client.get("/console/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    app.config["PERMANENT_SESSION_LIFETIME"] = 3
    try:
        assert (
            client.post(
                "/console/login",
                data={"username": "operator1", "password": "password123", "csrf_token": token},
            ).status_code
            == 302
        )
        assert client.get("/console/triage").status_code == 200
        time.sleep(2)
        # Activity renews the lifetime: an idle timeout, not a fixed one.
        assert client.get("/console/triage").status_code == 200
        time.sleep(4.5)
        expired = client.get("/console/triage")
        assert expired.status_code == 302 and "/console/login" in expired.headers["Location"]
    finally:
        app.config["PERMANENT_SESSION_LIFETIME"] = lifetime


def test_a_wall_account_cannot_use_the_console(console_client, make_user):
    make_user("wall1", "wall")
    response = console_client().login("wall1")
    assert response.status_code == 403 and "Akun layar dinding" in response.text
