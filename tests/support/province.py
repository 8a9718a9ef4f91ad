"""The demo province for tests (issue #16, shared/demo-province.md): Jawa Timur (35) with its
agencies, Kota Kediri (35.71, the demo city every test already has) and Kota Blitar (35.72).
Seeded by the service `seed-demo` uses (services/seeding.seed_demo_province) from
config/demo_province.json, its boundaries included: the tests read the same data the demo
runs on, never a copy of it."""

from __future__ import annotations

import json

import pytest

from ticketing.services.seeding import DEMO_PROVINCE_FILE

PROVINCE, KEDIRI, BLITAR = "35", "35.71", "35.72"
DEMO_PROVINCE = json.loads(DEMO_PROVINCE_FILE.read_text(encoding="utf-8"))


def agency_names(region: str) -> dict[str, str]:
    """{OPD code: name} of a region's agencies in the demo province."""
    return {row["code"]: row["name"] for row in DEMO_PROVINCE["agencies"][region]["opds"]}


PROVINCE_OPDS = agency_names(PROVINCE)
BLITAR_OPDS = agency_names(BLITAR)


def seed_province() -> None:
    """Regions 35 and 35.72 with their agencies and categories beside the seeded demo city."""
    from ticketing.services.seeding import seed_demo_province

    seed_demo_province()


@pytest.fixture
def province(app_ctx):
    """The demo province, seeded for this test."""
    seed_province()
    return PROVINCE


@pytest.fixture
def region_token(http, app_ctx):
    """region_token(role, region, opd=None, username=None): a staff token of an account in
    `region` (token_for makes them in the default region)."""
    from ticketing.services.accounts import create_user

    def issue(role: str, region: str, opd: str | None = None, username: str | None = None) -> str:
        username = username or f"{role}-{region}-{opd or 'x'}".lower().replace(".", "-")
        create_user(username=username, password="password123", role=role, opd_code=opd, region_code=region)
        response = http.post("/api/v1/auth/token", json={"username": username, "password": "password123"})
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    return issue
