"""Issue 13 item 6: failed sign-ins slow one (address, username) pair down — not the account,
which anyone could lock for its owner, and the same for unknown names, so the answers do not
tell which usernames exist. The right password passes a short lock. Both doors: the API's
`/api/v1/auth/token` and the console's `/console/login`. Real gunicorn behind one trusted hop,
so each test client has an address of its own."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select, update

from tests.support.private_server import Client, private_web_server


@pytest.fixture(scope="module")
def server(process_env, run_dir):
    with private_web_server(process_env, run_dir, "lockout", TRUSTED_PROXY_HOPS="1") as web:
        yield web


def api_login(client: Client, username: str, password: str):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def console_login(client: Client, username: str, password: str):
    page = client.get("/console/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post(
        "/console/login",
        allow_redirects=False,
        data={"username": username, "password": password, "csrf_token": token},
    )


def answers(response) -> tuple:
    """What a guesser can see: status, body (less the per-session CSRF token and the seconds
    left, which tick), and whether to wait."""
    body = re.sub(r'name="csrf_token" value="[^"]+"', "", response.text)
    body = re.sub(r"\d+ detik", "N detik", body)
    return response.status_code, body, response.headers.get("Retry-After")


def test_guesses_from_one_address_do_not_lock_the_officer_out_elsewhere(server, clean_state, make_user):
    make_user("petugas.pupr", "officer", "PUPR")
    guesser = Client(server.base_url, forwarded_for="203.0.113.66")
    for n in range(12):
        assert api_login(guesser, "petugas.pupr", f"tebakan-{n}").status_code in (401, 429)
    assert api_login(guesser, "petugas.pupr", "tebakan-lagi").status_code == 429
    officer = Client(server.base_url, forwarded_for="198.51.100.7")
    assert api_login(officer, "petugas.pupr", "password123").status_code == 200
    assert (
        console_login(
            Client(server.base_url, forwarded_for="198.51.100.8"), "petugas.pupr", "password123"
        ).status_code
        == 302
    )


@pytest.mark.parametrize("door", [api_login, console_login], ids=["api", "console"])
def test_an_unknown_username_is_answered_exactly_like_a_known_one(server, clean_state, make_user, door):
    make_user("operator1", "operator")
    known = [
        answers(door(Client(server.base_url, forwarded_for="203.0.113.1"), "operator1", "salah-1234"))
        for _ in range(10)
    ]
    unknown = [
        answers(door(Client(server.base_url, forwarded_for="203.0.113.2"), "operator9", "salah-1234"))
        for _ in range(10)
    ]
    # The first five are free failures; by the ninth the lock (16 s, then 32 s) outlasts any
    # slow request, so these answers do not depend on how fast the machine is.
    settled = [*range(5), 8, 9]
    assert [known[i][0] for i in settled] == [401] * 5 + [429] * 2
    assert [(known[i][0], known[i][1], known[i][2] is not None) for i in settled] == [
        (unknown[i][0], unknown[i][1].replace("operator9", "operator1"), unknown[i][2] is not None)
        for i in settled
    ]
    if door is api_login:
        assert known[0][1] == unknown[0][1]  # the very same bytes
        assert "salah" in known[0][1] and "coba lagi" in known[-1][1].lower()


@pytest.mark.parametrize("door, signed_in", [(api_login, 200), (console_login, 302)], ids=["api", "console"])
def test_the_right_password_passes_a_short_lock_but_not_a_long_one(
    server, clean_state, make_user, door, signed_in
):
    make_user("operator1", "operator")
    colleague = Client(server.base_url, forwarded_for="203.0.113.30")
    for _ in range(7):
        door(colleague, "operator1", "salah-ketik")
    # Locked now, for 8 s and then 16: still a short lock.
    assert door(colleague, "operator1", "salah-ketik").status_code == 429
    assert door(colleague, "operator1", "password123").status_code == signed_in

    guesser = Client(server.base_url, forwarded_for="203.0.113.31")
    for n in range(12):
        door(guesser, "operator1", f"tebakan-{n}")
    held = door(guesser, "operator1", "password123")
    assert held.status_code == 429 and int(held.headers["Retry-After"]) > 30


def test_the_dummy_hash_costs_what_a_real_one_costs(app_ctx, make_user):
    """An unknown name is checked against a dummy hash of the same method and work factor as
    every stored password, so its answer takes as long as a known name's."""
    from ticketing.extensions import db
    from ticketing.models import User
    from ticketing.services.accounts import _dummy_hash

    make_user("operator1", "operator")
    stored = db.session.scalar(db.select(User.password_hash).where(User.username == "operator1"))
    assert _dummy_hash().split("$")[0] == stored.split("$")[0]


def test_failed_logins_are_counted_in_sql_so_concurrent_failures_all_count(app_ctx, make_user):
    """A failure from elsewhere lands between this request's read of the account and its write:
    a read-modify-write (`failed_logins += 1` in Python) loses it; `failed_logins + 1` in SQL
    does not."""
    from ticketing.errors import APIError
    from ticketing.extensions import db
    from ticketing.models import User
    from ticketing.services.accounts import authenticate

    make_user("operator1", "operator")
    engine = db.engine
    fired = []

    def concurrent_failure(conn, cursor, statement, *_):
        if fired or not statement.lstrip().upper().startswith("SELECT") or "users" not in statement:
            return
        fired.append(True)
        with engine.begin() as other:
            other.execute(
                update(User).where(User.username == "operator1").values(failed_logins=User.failed_logins + 1)
            )

    event.listen(engine, "after_cursor_execute", concurrent_failure)
    try:
        with pytest.raises(APIError):
            authenticate("operator1", "salah-sandi", "203.0.113.40")
    finally:
        event.remove(engine, "after_cursor_execute", concurrent_failure)
    db.session.rollback()
    assert fired
    assert db.session.scalar(select(User.failed_logins).where(User.username == "operator1")) == 2
