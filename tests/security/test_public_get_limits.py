"""Issue 13 item 8: the expensive public GETs. The monthly report's charts and PDF, Open311's
1,000-row lists, open data and tracking share one per-address budget (RATELIMIT_PUBLIC_READS),
answered past it with 429, `Retry-After` and Indonesian words; a closed month's report is
rendered once and served from Redis. Real gunicorn with limits on."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.support.private_server import Client, assert_rate_limited, private_web_server


@pytest.fixture(scope="module")
def server(process_env, run_dir):
    with private_web_server(
        process_env, run_dir, "public-reads", RATELIMIT_ENABLED="true", RATELIMIT_PUBLIC_READS="4/minute"
    ) as web:
        yield web


def closed_month() -> str:
    from ticketing.models.base import utcnow

    first_of_this_month = utcnow().replace(day=1)
    return (first_of_this_month - timedelta(days=40)).strftime("%Y-%m")


def test_public_gets_share_one_budget_per_address(server, clean_state):
    client = Client(server.base_url)
    reads = [
        "/open311/v2/requests.json",
        f"/reports/monthly?month={closed_month()}",
        "/open-data/tickets.csv",
        "/api/v1/complaints/ABCD-2345?token=nothing",
    ]
    assert [client.get(path).status_code for path in reads] == [200, 200, 200, 404]
    assert_rate_limited(client.get("/open-data/tickets.json"))
    assert_rate_limited(client.get("/api/v1/complaints/ABCD-2345?token=nothing"))
    assert_rate_limited(client.get(f"/reports/monthly?month={closed_month()}&format=pdf"))
    tracking_page = client.get("/lacak/ABCD-2345?token=nothing")
    assert tracking_page.status_code == 429 and int(tracking_page.headers["Retry-After"]) >= 1
    assert "coba lagi" in tracking_page.text.lower()
    open311 = client.get("/open311/v2/requests.json")
    assert open311.status_code == 429 and int(open311.headers["Retry-After"]) >= 1
    assert "coba lagi" in open311.json()[0]["description"]  # GeoReport's error list
    # The staff API is not part of this budget.
    assert client.get("/api/v1/categories").status_code in (200, 401)


def test_a_closed_months_report_is_rendered_once(server, clean_state, make_ticket, redis_client):
    from ticketing.extensions import db
    from ticketing.services.report_cache import REPORT_CACHE_VERSION

    month = closed_month()
    middle = f"{month}-15T05:00:00+00:00"
    make_ticket("resolved", created_at=datetime.fromisoformat(middle))
    client = Client(server.base_url)
    first_html = client.get(f"/reports/monthly?month={month}")
    first_pdf = client.get(f"/reports/monthly?month={month}&format=pdf")
    assert first_html.status_code == 200 and first_pdf.status_code == 200
    assert first_pdf.headers["Content-Type"] == "application/pdf"
    version = REPORT_CACHE_VERSION
    keys = (f"aduan:report:v{version}:{month}:html", f"aduan:report:v{version}:{month}:pdf")
    assert redis_client.exists(*keys) == 2

    # A late change to that month is not re-rendered on every request: the same bytes come back.
    make_ticket("assigned", created_at=datetime.fromisoformat(middle))
    db.session.commit()
    assert client.get(f"/reports/monthly?month={month}").content == first_html.content
    assert client.get(f"/reports/monthly?month={month}&format=pdf").content == first_pdf.content


def test_the_current_month_is_never_cached(server, clean_state, redis_client):
    from ticketing.formatting import city_zone

    # The city's month, not UTC's: from 17:00 UTC on the last day, WIB is in the next month and
    # UTC's month is closed (and rightly cached).
    month = datetime.now(city_zone()).strftime("%Y-%m")
    assert Client(server.base_url).get(f"/reports/monthly?month={month}").status_code == 200
    assert not redis_client.keys("aduan:report:*")
