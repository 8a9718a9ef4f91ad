"""Issue 13 item 8: `/metrics` names every OPD's backlog and the queues' depth. With
`ADUAN_ENV=production` a scrape needs `Authorization: Bearer <METRICS_TOKEN>`, and with no
token set every scrape is refused. Real gunicorn in production mode."""

from __future__ import annotations

import pytest

from tests.support.private_server import Client, private_web_server

TOKEN = "metrics-token-for-the-scraper-0123456789"


@pytest.fixture(scope="module")
def production(process_env, run_dir):
    with private_web_server(
        process_env, run_dir, "metrics-prod", ADUAN_ENV="production", METRICS_TOKEN=TOKEN
    ) as web:
        yield web


@pytest.fixture(scope="module")
def production_without_token(process_env, run_dir):
    with private_web_server(
        process_env, run_dir, "metrics-prod-none", ADUAN_ENV="production", METRICS_TOKEN=""
    ) as web:
        yield web


def refused(response) -> bool:
    return (
        response.status_code == 401
        and response.headers.get("WWW-Authenticate") == "Bearer"
        and response.json()["error"]["code"] == "unauthorized"
        and "aduan_" not in response.text
    )


def test_production_metrics_need_the_token(production, clean_state):
    client = Client(production.base_url)
    assert refused(client.get("/metrics"))
    assert refused(client.get("/metrics", headers={"Authorization": "Bearer wrong-token"}))
    assert refused(client.get("/metrics", headers={"Authorization": "Bearer ťőǩéñ".encode()}))
    scraped = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert scraped.status_code == 200 and "aduan_tickets_open" in scraped.text


def test_production_without_a_token_set_refuses_every_scrape(production_without_token, clean_state):
    client = Client(production_without_token.base_url)
    assert refused(client.get("/metrics"))
    assert refused(client.get("/metrics", headers={"Authorization": "Bearer "}))
    assert refused(client.get("/metrics", headers={"Authorization": "Bearer anything"}))


def test_development_without_a_token_stays_open(http):
    assert http.get("/metrics").status_code == 200
