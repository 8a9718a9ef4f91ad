"""Regions through the public API and the CLI (issue #16): the list of regions, a complaint
filed in a named region (or the default one, as a single city always did), an unknown region
refused, and accounts created in a region."""

from __future__ import annotations

import pytest

from tests.support.tickets import bearer


@pytest.fixture
def province(app_ctx):
    from ticketing.services.seeding import seed_demo_province

    seed_demo_province()


def test_regions_are_listed_with_their_parent_and_population(http, province):
    response = http.get("/api/v1/regions")
    assert response.status_code == 200
    assert response.json() == [
        {"code": "35", "name": "Provinsi Jawa Timur", "parent": None, "population": 41_000_000},
        {"code": "35.71", "name": "Kota Kediri", "parent": "35", "population": 290_000},
        {"code": "35.72", "name": "Kota Blitar", "parent": "35", "population": 150_000},
    ]


def test_a_complaint_is_filed_in_the_region_it_names_else_the_default(http, province, app_ctx):
    from ticketing.services.accounts import create_user

    create_user(username="blitar", password="password123", role="operator", region_code="35.72")
    token = http.post("/api/v1/auth/token", json={"username": "blitar", "password": "password123"})
    blitar = bearer(token.json()["access_token"])

    named = http.post(
        "/api/v1/complaints",
        json={"description": "Lampu jalan di Sananwetan mati", "region": "35.72", "category": "pju"},
    )
    assert named.status_code == 201, named.text
    plain = http.post("/api/v1/complaints", json={"description": "Sampah menumpuk di Jalan Dhoho"})
    assert plain.status_code == 201, plain.text

    seen = http.get(f"/api/v1/tickets/{named.json()['ticket_number']}", headers=blitar)
    assert seen.status_code == 200 and seen.json()["region"] == "35.72"
    assert seen.json()["category"] == "pju"  # Blitar's own category of that code
    assert http.get(f"/api/v1/tickets/{plain.json()['ticket_number']}", headers=blitar).status_code == 404

    unknown = http.post("/api/v1/complaints", json={"description": "Jalan rusak", "region": "99.99"})
    assert unknown.status_code == 400
    assert set(unknown.json()["error"]["fields"]) == {"region"}
    # A category another region has but the named one does not is refused like an unknown one.
    foreign = http.post(
        "/api/v1/complaints",
        json={"description": "Air PDAM mati", "region": "35.72", "category": "air-bersih"},
    )
    assert foreign.status_code == 422 and "category" in foreign.json()["error"]["fields"]


def test_create_user_places_the_account_in_its_region(app, province):
    runner = app.test_cli_runner()
    made = runner.invoke(
        args=["create-user", "--username", "bpupr", "--password", "password123", "--role", "officer"]
        + ["--opd", "PUPR", "--region", "35.72"]
    )
    assert made.exit_code == 0, made.output
    assert "region 35.72" in made.output
    default = runner.invoke(
        args=["create-user", "--username", "op2", "--password", "password123", "--role", "operator"]
    )
    assert default.exit_code == 0 and "region 35.71" in default.output
    # The province has no PUPR: an officer's OPD is one of the account's own region.
    refused = runner.invoke(
        args=["create-user", "--username", "ppupr", "--password", "password123", "--role", "officer"]
        + ["--opd", "PUPR", "--region", "35"]
    )
    assert refused.exit_code != 0 and "OPD" in refused.output
