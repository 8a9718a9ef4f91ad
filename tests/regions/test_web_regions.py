"""Intake picks the region on the web (issue #16), through real HTTP and a real browser: the
`region` named, else the city whose boundary holds the point, else DEFAULT_REGION; /lapor offers
a city select in province mode only (a single city's form is unchanged)."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from config.settings import CONFIG_DIR
from tests.citizen import conftest as citizen_pages
from tests.support.province import BLITAR, KEDIRI

phone = citizen_pages.phone  # the citizen pages' 390×844 phone fixture

IN_BLITAR = {"lat": -8.095, "lon": 112.165}  # Alun-alun Kota Blitar, inside its demo boundary
IN_KEDIRI = {"lat": -7.8166, "lon": 112.0117}
TEXT = "Jalan berlubang besar di depan sekolah, sudah dua motor jatuh minggu ini"


@pytest.fixture
def bounded_province(province):
    """The demo province with its cities' boundaries (config/demo_province.json)."""
    from ticketing.extensions import db
    from ticketing.services.regions import ensure_region

    for region in json.loads((CONFIG_DIR / "demo_province.json").read_text())["regions"]:
        if region["boundary"]:
            ensure_region(region["code"], boundary=region["boundary"])
    db.session.commit()
    return province


def region_of(app_ctx, number: str) -> str:
    from ticketing.extensions import db
    from ticketing.models import Ticket

    db.session.rollback()  # what the live server committed
    region = db.session.scalar(select(Ticket.region_code).where(Ticket.ticket_number == number))
    db.session.rollback()
    return region


def file(http, **extra) -> str:
    response = http.post("/api/v1/complaints", json={"description": TEXT, **extra})
    assert response.status_code == 201, response.text
    return response.json()["ticket_number"]


def test_the_point_decides_unless_the_region_is_named(http, app_ctx, bounded_province):
    assert region_of(app_ctx, file(http, location=IN_BLITAR)) == BLITAR
    assert region_of(app_ctx, file(http, location=IN_KEDIRI)) == KEDIRI
    assert region_of(app_ctx, file(http)) == KEDIRI  # no point: DEFAULT_REGION
    assert region_of(app_ctx, file(http, region=KEDIRI, location=IN_BLITAR)) == KEDIRI  # named wins
    # A category the point's city does not have keeps the complaint where that category is.
    assert region_of(app_ctx, file(http, category="air-bersih", location=IN_BLITAR)) == KEDIRI
    unknown = http.post("/api/v1/complaints", json={"description": TEXT, "region": "99.99"})
    assert unknown.status_code == 400 and "region" in unknown.json()["error"]["fields"]


def test_a_single_city_files_every_point_in_the_default_region_and_shows_no_select(http, app_ctx):
    assert region_of(app_ctx, file(http, location=IN_BLITAR)) == KEDIRI
    page = http.get("/lapor")
    assert page.status_code == 200 and 'id="region"' not in page.text


def test_lapor_offers_the_cities_in_province_mode_with_and_without_javascript(
    live_server, app_ctx, bounded_province, phone
):
    page = phone.page()
    page.goto(live_server.base_url + "/lapor")
    select_box = page.locator("#region")
    expect(select_box).to_be_visible()
    assert select_box.locator("option").all_inner_texts() == [
        "Tentukan dari lokasi",
        "Kota Blitar",
        "Kota Kediri",
    ]
    page.fill("#description", TEXT)
    select_box.select_option(BLITAR)
    page.click("#submit")
    page.wait_for_url(re.compile(r"/lapor/terkirim/"))
    assert region_of(app_ctx, page.locator("#ticket-number").inner_text().strip()) == BLITAR

    plain = phone.page(phone.context(java_script_enabled=False))
    plain.goto(live_server.base_url + "/lapor")
    plain.fill("#description", TEXT)
    plain.locator("#region").select_option(BLITAR)
    plain.click("#submit")
    plain.wait_for_url(re.compile(r"/lapor/terkirim/"))
    assert region_of(app_ctx, plain.locator("#ticket-number").inner_text().strip()) == BLITAR
