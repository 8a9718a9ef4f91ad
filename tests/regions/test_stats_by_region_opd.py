"""`GET /api/v1/stats` keeps same-code agencies of different regions apart (issue #16): a
province account's figures without `region` hold Kediri's PUPR and Blitar's PUPR as two rows,
each naming its `region`, checked against a hand count; a citizen's "belum beres" reopen in
Blitar is counted on Blitar's PUPR only, and never in Kediri's own figures."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.regions.test_city_comparison import _resolved, _ticket
from tests.support.reports import MONTH_START
from tests.support.tickets import bearer

KEDIRI, BLITAR, PROVINCE = "35.71", "35.72", "35"
WINDOW = {"from": "2025-03-01", "to": "2025-04-01"}


@pytest.fixture
def two_puprs(app_ctx):
    """Kediri's PUPR: 3 tickets, 2 resolved (1 in time, accepted after 1 and 3 hours), 1 open
    and overdue; Blitar's PUPR: 2 tickets, 1 resolved in time (accepted after 6 hours, rated 2),
    1 open, and reopened once by its citizen; the province's DPUBM: 1 open."""
    from ticketing.extensions import db
    from ticketing.models import TicketEvent
    from ticketing.services.seeding import seed_demo_province

    seed_demo_province()
    kediri_late = _ticket(KEDIRI, "PUPR", "jalan-rusak", 2, overdue=True)
    blitar_done = _resolved(BLITAR, 0, accept_hours=6, rating=2)
    db.session.add_all(
        [
            _resolved(KEDIRI, 0, accept_hours=1),
            _resolved(KEDIRI, 1, accept_hours=3, late=True),
            kediri_late,
            blitar_done,
            _ticket(BLITAR, "PUPR", "jalan-rusak", 1),
            _ticket(PROVINCE, "DPUBM", "jalan-provinsi", 0),
        ]
    )
    db.session.flush()
    db.session.add(
        TicketEvent(
            ticket_id=blitar_done.id,
            type="ticket.updated",
            action="reopen",
            from_status="resolved",
            to_status="in_progress",
            actor_label="citizen:whatsapp",
            created_at=MONTH_START + timedelta(days=10),
            data={},
        )
    )
    db.session.commit()


@pytest.fixture
def tokens(http, app_ctx):
    from ticketing.services.accounts import create_user

    issued = {}
    for username, role, opd, region in (
        ("jatim", "operator", None, PROVINCE),
        ("kediri", "operator", None, KEDIRI),
        ("blitar-pupr", "officer", "PUPR", BLITAR),
    ):
        create_user(username=username, password="password123", role=role, opd_code=opd, region_code=region)
        response = http.post("/api/v1/auth/token", json={"username": username, "password": "password123"})
        assert response.status_code == 200, response.text
        issued[username] = response.json()["access_token"]
    return issued


def _rows(body: dict) -> dict:
    return {(row["region"], row["opd"]): row for row in body["opds"]}


def test_a_province_account_gets_one_row_per_region_and_opd(http, two_puprs, tokens):
    response = http.get("/api/v1/stats", params=WINDOW, headers=bearer(tokens["jatim"]))
    assert response.status_code == 200, response.text
    body = response.json()
    # Ordered by region, then code: the province's own agency first, then each city's.
    assert [(row["region"], row["opd"]) for row in body["opds"]] == [
        (PROVINCE, "DPUBM"),
        (KEDIRI, "PUPR"),
        (BLITAR, "PUPR"),
    ]
    rows = _rows(body)
    kediri, blitar = rows[(KEDIRI, "PUPR")], rows[(BLITAR, "PUPR")]
    assert (kediri["open"], kediri["overdue"]) == (1, 1)
    assert (kediri["sla_resolved"], kediri["sla_compliance"]) == (2, 0.5)
    assert kediri["median_hours_to_accept"] == 2.0 and kediri["ratings"] == 0
    assert kediri["reopened_by_citizen"] == 0
    assert (blitar["open"], blitar["overdue"]) == (1, 0)
    assert (blitar["sla_resolved"], blitar["sla_compliance"]) == (1, 1.0)
    assert blitar["median_hours_to_accept"] == 6.0 and blitar["average_rating"] == 2.0
    assert blitar["reopened_by_citizen"] == 1
    assert rows[(PROVINCE, "DPUBM")]["open"] == 1
    # The documented fields are all still there, and the totals add the rows up.
    assert body["overall"]["open"] == 3 and body["overall"]["overdue"] == 1
    assert body["overall"]["tickets"] == 6


def test_a_city_never_counts_its_neighbours_same_code_agency(http, two_puprs, tokens):
    kediri = http.get("/api/v1/stats", params=WINDOW, headers=bearer(tokens["kediri"])).json()
    assert [(row["region"], row["opd"]) for row in kediri["opds"]] == [(KEDIRI, "PUPR")]
    assert kediri["opds"][0]["reopened_by_citizen"] == 0  # Blitar's reopen is Blitar's
    assert kediri["opds"][0]["sla_resolved"] == 2

    officer = http.get("/api/v1/stats", params=WINDOW, headers=bearer(tokens["blitar-pupr"])).json()
    assert [(row["region"], row["opd"]) for row in officer["opds"]] == [(BLITAR, "PUPR")]
    assert officer["opds"][0]["reopened_by_citizen"] == 1
    assert officer["opds"][0]["open"] == 1

    province = http.get(
        "/api/v1/stats", params={**WINDOW, "region": BLITAR}, headers=bearer(tokens["jatim"])
    ).json()
    assert [(row["region"], row["opd"]) for row in province["opds"]] == [(BLITAR, "PUPR")]


def test_the_openapi_document_declares_the_region_of_a_stats_row(http):
    spec = http.get("/openapi.json")
    assert spec.status_code == 200
    schemas = spec.json()["components"]["schemas"]
    row = next(schema for name, schema in schemas.items() if name.startswith("OpdStats"))
    assert row["properties"]["region"]["type"] == "string"
    assert "opd" in row["required"]
