"""Issue 13 item 2: behind README's nginx every request came from the proxy's address, so one
person's 21st complaint (or 31st bad login) in a minute blocked the whole city. With
`TRUSTED_PROXY_HOPS=1` each client is counted by the address nginx saw; with the default 0 a
forged `X-Forwarded-For` buys nothing. Real gunicorn, limits on, real Redis."""

from __future__ import annotations

import pytest

from tests.support.private_server import Client, assert_rate_limited, private_web_server

LIMITED = {"RATELIMIT_ENABLED": "true", "RATELIMIT_COMPLAINTS": "3/minute", "RATELIMIT_LOGIN": "3/minute"}


@pytest.fixture(scope="module")
def behind_one_proxy(process_env, run_dir):
    with private_web_server(process_env, run_dir, "one-hop", TRUSTED_PROXY_HOPS="1", **LIMITED) as server:
        yield server


@pytest.fixture(scope="module")
def no_trusted_proxy(process_env, run_dir):
    with private_web_server(process_env, run_dir, "no-hop", TRUSTED_PROXY_HOPS="0", **LIMITED) as server:
        yield server


def complaint(client: Client, n: int):
    return client.post("/api/v1/complaints", json={"description": f"Lampu jalan mati di Jl. Dhoho nomor {n}"})


def test_behind_one_proxy_two_clients_have_separate_complaint_buckets(behind_one_proxy, clean_state):
    first = Client(behind_one_proxy.base_url, forwarded_for="203.0.113.10")
    second = Client(behind_one_proxy.base_url, forwarded_for="198.51.100.20")
    for n in range(3):
        assert complaint(first, n).status_code == 201
    assert_rate_limited(complaint(first, 3))
    # Before the fix this was the proxy's bucket too, already spent by the first client.
    for n in range(10, 13):
        assert complaint(second, n).status_code == 201, "the second citizen has a bucket of their own"


def test_behind_one_proxy_bad_logins_are_counted_per_client(behind_one_proxy, clean_state, make_user):
    make_user("operator1", "operator")
    guesser = Client(behind_one_proxy.base_url, forwarded_for="203.0.113.66")
    officer = Client(behind_one_proxy.base_url, forwarded_for="198.51.100.7")
    for n in range(3):
        wrong = guesser.post("/api/v1/auth/token", json={"username": f"guess{n}", "password": "x" * 8})
        assert wrong.status_code == 401
    assert_rate_limited(guesser.post("/api/v1/auth/token", json={"username": "guess9", "password": "x" * 8}))
    signed_in = officer.post("/api/v1/auth/token", json={"username": "operator1", "password": "password123"})
    assert signed_in.status_code == 200, signed_in.text


def test_with_no_trusted_proxy_a_forged_forwarded_for_changes_nothing(no_trusted_proxy, clean_state):
    honest = Client(no_trusted_proxy.base_url)
    for n in range(3):
        assert complaint(honest, n).status_code == 201
    assert_rate_limited(complaint(honest, 3))
    for forged in ("203.0.113.99", "198.51.100.1, 203.0.113.5"):
        assert_rate_limited(complaint(Client(no_trusted_proxy.base_url, forwarded_for=forged), 4))
