"""The citizen form's live category guess is the router of the region the complaint will be filed
in (issue #16): the city picked on /lapor, else the one whose boundary holds the map point, else
DEFAULT_REGION, as filing decides. Through real HTTP, the region's saved model and a real
browser on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.console import conftest as console_pages
from tests.regions import test_web_regions as web_regions
from tests.regions.test_web_regions import IN_BLITAR, IN_KEDIRI
from tests.support.browser import FIRST_GUESS_TIMEOUT_MS
from tests.support.province import BLITAR, KEDIRI

bounded_province = web_regions.bounded_province  # the demo province with its cities' boundaries
phone = web_regions.phone  # the citizen pages' 390×844 phone
open_page = console_pages.open_page  # the console's desk browser

ROAD = "Jalan berlubang besar dan rusak parah di depan sekolah, sudah banyak motor jatuh"
# Blitar's roads category, renamed so the answer shows whose table named it.
BLITAR_ROADS = "Jalan rusak (Kota Blitar)"


@pytest.fixture
def blitar_router(bounded_province, router_model, app_ctx):
    """Blitar's router saved beside the default one (as the worker saves it once it routes a
    Blitar ticket; a web request never trains one), its roads category renamed."""
    from ticketing.extensions import db
    from ticketing.services.region_routing import region_model
    from ticketing.services.regions import find_category

    find_category(BLITAR, "jalan-rusak").name = BLITAR_ROADS
    db.session.commit()
    assert region_model(BLITAR) is not None
    return BLITAR


def guess(http, **extra) -> dict:
    # The live server loads each region's router with its first guess (no form was served to warm
    # it): seconds of scikit-learn on a busy box, so the wait is the browser tests' first guess's.
    response = http.post(
        "/api/v1/complaints/category-guess",
        json={"description": ROAD, **extra},
        timeout=FIRST_GUESS_TIMEOUT_MS / 1000,
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_the_guess_is_the_chosen_or_located_regions_router(http, blitar_router):
    kediri_name = guess(http)["category_name"]
    assert kediri_name and kediri_name != BLITAR_ROADS
    picked = guess(http, region=BLITAR)
    assert (picked["category"], picked["category_name"]) == ("jalan-rusak", BLITAR_ROADS)
    located = guess(http, location=IN_BLITAR)
    assert (located["category"], located["category_name"]) == ("jalan-rusak", BLITAR_ROADS)
    # The city named wins over the point, as filing does.
    assert guess(http, region=KEDIRI, location=IN_BLITAR)["category_name"] == kediri_name
    assert guess(http, location=IN_KEDIRI)["category_name"] == kediri_name
    unknown = http.post("/api/v1/complaints/category-guess", json={"description": ROAD, "region": "99.99"})
    assert unknown.status_code == 400 and "region" in unknown.json()["error"]["fields"]


def test_a_region_whose_router_is_not_saved_shows_no_guess_and_trains_none(
    http, province, router_model, app_ctx
):
    from pathlib import Path

    from ticketing.extensions import db
    from ticketing.models import Category, Opd
    from ticketing.services.region_routing import model_path
    from ticketing.services.regions import ensure_region

    ensure_region("35.99", name="Kota Uji", parent_code="35")
    db.session.add(Opd(region_code="35.99", code="PUPR", name="Dinas PUPR Kota Uji", kind="agency"))
    db.session.flush()
    db.session.add(
        Category(
            region_code="35.99", code="jalan-rusak", name="Jalan rusak", default_opd_code="PUPR", sla_hours=72
        )
    )
    db.session.commit()
    path = Path(model_path("35.99", router_model))
    path.unlink(missing_ok=True)
    assert guess(http, region="35.99")["category"] is None
    assert not path.exists()


def test_lapor_guesses_with_the_city_picked(live_server, blitar_router, phone):
    page = phone.page()
    page.goto(live_server.base_url + "/lapor")
    page.locator("#region").select_option(BLITAR)
    page.fill("#description", ROAD)
    hint = page.locator("#category-guess")
    expect(hint).to_contain_text(BLITAR_ROADS, timeout=FIRST_GUESS_TIMEOUT_MS)
    expect(hint).to_have_attribute("data-category", "jalan-rusak")
    # Another city picked: the hint is asked again, of that city's router.
    page.locator("#region").select_option(KEDIRI)
    expect(hint).not_to_contain_text("Kota Blitar", timeout=15_000)
    expect(hint).to_have_attribute("data-category", "jalan-rusak")


def test_the_console_intake_proposes_from_the_operators_region(app_ctx, blitar_router, open_page):
    from tests.support.console import DESK, login
    from ticketing.services.accounts import create_user

    create_user(username="operator.blitar", password="password123", role="operator", region_code=BLITAR)
    page = open_page(DESK)
    login(page, "operator.blitar")
    page.goto("/console/lapor")
    page.locator("#intake-description").fill(ROAD)
    guess_line = page.locator("#intake-guess")
    expect(guess_line).to_contain_text(BLITAR_ROADS, timeout=FIRST_GUESS_TIMEOUT_MS)
    expect(guess_line).to_have_attribute("data-category", "jalan-rusak")
    page.keyboard.press("Alt+u")  # the proposal is one of the categories this form offers
    expect(page.locator("#intake-category")).to_have_value("jalan-rusak")
