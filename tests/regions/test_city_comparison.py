"""The province's evaluation of its cities (issue #16): `GET /api/v1/stats?region=` and
`/reports/monthly?region=35` (HTML, CSV, PDF) compare Kota Kediri and Kota Blitar on
complaints per 10,000 inhabitants, SLA kept and satisfaction, against a hand computation;
a city account asking for its province or its neighbour gets a clear 403."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from pypdf import PdfReader

from tests.support.reports import MONTH, MONTH_START
from tests.support.tickets import bearer

KEDIRI, BLITAR, PROVINCE = "35.71", "35.72", "35"
WINDOW = {"from": "2025-03-01", "to": "2025-04-01"}


def _ticket(region, opd, category, n, **fields):
    from ticketing.models import Ticket
    from ticketing.services.intake import hash_tracking_token, new_ticket_number

    created = MONTH_START + timedelta(days=1 + n % 25, hours=1)
    return Ticket(
        ticket_number=new_ticket_number(),
        tracking_token_hash=hash_tracking_token(f"{region}-{n}"),
        channel="web",
        description=f"Laporan {region} nomor {n}",
        category_code=category,
        opd_code=opd,
        status=fields.pop("status", "assigned"),
        created_at=created,
        updated_at=created,
        assigned_at=created,
        sla_due_at=created + timedelta(hours=48),
        region_code=region,
        **fields,
    )


def _resolved(region, n, *, accept_hours, late=False, rating=None):
    """A resolved ticket: accepted after `accept_hours`, resolved before (or after) its deadline."""
    ticket = _ticket(region, "PUPR", "jalan-rusak", n, status="resolved", feedback_rating=rating)
    ticket.accepted_at = ticket.assigned_at + timedelta(hours=accept_hours)
    ticket.resolved_at = ticket.sla_due_at + (timedelta(hours=5) if late else -timedelta(hours=1))
    return ticket


@pytest.fixture
def province_month(app_ctx):
    """March 2025: Kediri (290,000 people) 29 complaints, 4 resolved (3 in time), rated 4 and 5,
    accepted after 1, 2, 3 and 2 hours; Blitar (150,000) 30 complaints, 2 resolved in time,
    rated 2, accepted after 5 and 5 hours; the province's own DPUBM one complaint."""
    from ticketing.extensions import db
    from ticketing.services.seeding import seed_demo_province

    seed_demo_province()
    tickets = [
        _resolved(KEDIRI, 0, accept_hours=1, rating=4),
        _resolved(KEDIRI, 1, accept_hours=2, rating=5),
        _resolved(KEDIRI, 2, accept_hours=3),
        _resolved(KEDIRI, 3, accept_hours=2, late=True),
        *(_ticket(KEDIRI, "PUPR", "jalan-rusak", n) for n in range(4, 29)),
        _resolved(BLITAR, 0, accept_hours=5, rating=2),
        _resolved(BLITAR, 1, accept_hours=5),
        *(_ticket(BLITAR, "PUPR", "jalan-rusak", n) for n in range(2, 30)),
        _ticket(PROVINCE, "DPUBM", "jalan-provinsi", 0),
    ]
    db.session.add_all(tickets)
    db.session.commit()


EXPECTED = {
    KEDIRI: {
        "name": "Kota Kediri",
        "population": 290000,
        "tickets": 29,
        "per_10k_inhabitants": 1.0,
        "open": 25,
        "overdue": 0,
        "sla_resolved": 4,
        "sla_compliance": 0.75,
        "median_hours_to_accept": 2.0,
        "average_rating": 4.5,
        "ratings": 2,
    },
    BLITAR: {
        "name": "Kota Blitar",
        "population": 150000,
        "tickets": 30,
        "per_10k_inhabitants": 2.0,
        "open": 28,
        "overdue": 0,
        "sla_resolved": 2,
        "sla_compliance": 1.0,
        "median_hours_to_accept": 5.0,
        "average_rating": 2.0,
        "ratings": 1,
    },
}


@pytest.fixture
def tokens(region_token):
    people = {
        "province": ("operator", None, PROVINCE),
        "kediri": ("operator", None, KEDIRI),
        "kediri_pupr": ("officer", "PUPR", KEDIRI),
    }
    return {
        username: region_token(role, region, opd, username=username)
        for username, (role, opd, region) in people.items()
    }


def test_province_stats_compare_its_cities(http, province_month, tokens):
    response = http.get(
        "/api/v1/stats", params={**WINDOW, "region": PROVINCE}, headers=bearer(tokens["province"])
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert {
        row["region"]: {k: v for k, v in row.items() if k != "region"} for row in body["regions"]
    } == EXPECTED
    # The province's own agencies, not its cities' PUPRs folded into one row.
    assert [row["opd"] for row in body["opds"]] == ["DPUBM"]
    assert body["overall"]["tickets"] == 1

    one_city = http.get(
        "/api/v1/stats", params={**WINDOW, "region": BLITAR}, headers=bearer(tokens["province"])
    )
    assert one_city.status_code == 200
    assert one_city.json()["regions"] == []
    assert one_city.json()["overall"]["tickets"] == 30


def test_a_city_account_asking_for_another_region_is_refused(http, province_month, tokens):
    for token in ("kediri", "kediri_pupr"):
        for region in (PROVINCE, BLITAR):
            response = http.get(
                "/api/v1/stats", params={**WINDOW, "region": region}, headers=bearer(tokens[token])
            )
            assert response.status_code == 403, (token, region, response.text)
            error = response.json()["error"]
            assert error["code"] == "forbidden"
            assert region in error["message"] and "region" in error["fields"]
    unknown = http.get("/api/v1/stats", params={"region": "99"}, headers=bearer(tokens["kediri"]))
    assert unknown.status_code == 400 and "region" in unknown.json()["error"]["fields"]

    own = http.get("/api/v1/stats", params={**WINDOW, "region": KEDIRI}, headers=bearer(tokens["kediri"]))
    assert own.status_code == 200 and own.json()["overall"]["tickets"] == 29
    # Without `region` the contract of a single city holds: its figures, nothing to compare.
    plain = http.get("/api/v1/stats", params=WINDOW, headers=bearer(tokens["kediri"]))
    assert plain.status_code == 200 and plain.json()["overall"]["tickets"] == 29
    assert plain.json()["regions"] == []
    officer = http.get("/api/v1/stats", params=WINDOW, headers=bearer(tokens["kediri_pupr"])).json()
    assert [row["opd"] for row in officer["opds"]] == ["PUPR"] and officer["regions"] == []


def _cells(html: str, region: str) -> list[str]:
    row = html.split(f'data-region="{region}"')[1].split("</tr>")[0]
    return re.findall(r"<td[^>]*>([^<]*)</td>", row)


def test_monthly_report_of_the_province_compares_its_cities(http, province_month):
    page = http.get("/reports/monthly", params={"month": MONTH, "region": PROVINCE})
    assert page.status_code == 200, page.text
    html = page.text
    assert 'id="region-table"' in html
    # Code, name, population, complaints, per 10,000, open, overdue, SLA, median accept, rating.
    assert _cells(html, KEDIRI) == [
        "35.71",
        "Kota Kediri",
        "290.000",
        "29",
        "1",
        "25",
        "0",
        "75%",
        "2",
        "4,5",
    ]
    assert _cells(html, BLITAR) == ["35.72", "Kota Blitar", "150.000", "30", "2", "28", "0", "100%", "5", "2"]
    assert 'data-opd="DPUBM"' in html and 'data-opd="DLHKP"' not in html

    sheet = http.get("/reports/monthly", params={"month": MONTH, "region": PROVINCE, "format": "csv"})
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(sheet.text)))
    cities = {row["kode"]: row for row in rows if row["bagian"] == "kota"}
    assert cities[KEDIRI]["aduan_per_10000_penduduk"] == "1.0"
    assert cities[KEDIRI]["kepatuhan_sla"] == "0.75" and cities[KEDIRI]["rata_rata_rating"] == "4.5"
    assert cities[BLITAR]["aduan"] == "30" and cities[BLITAR]["kepatuhan_sla"] == "1.0"
    assert {row["kode"] for row in rows if row["bagian"] == "opd"} >= {"DPUBM"}

    pdf = http.get("/reports/monthly", params={"month": MONTH, "region": PROVINCE, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    last = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[-1].extract_text().split())
    assert "Perbandingan kota/kabupaten" in last
    assert "35.71 Kota Kediri 290.000 29 1 25 0 75% 2 4,5" in last
    assert "35.72 Kota Blitar 150.000 30 2 28 0 100% 5 2" in last

    # The city's report as before: no comparison; an unknown region is a clear 404.
    city = http.get("/reports/monthly", params={"month": MONTH})
    assert city.status_code == 200 and 'id="region-table"' not in city.text
    unknown = http.get("/reports/monthly", params={"month": MONTH, "region": "99"})
    assert unknown.status_code == 404 and "region" in unknown.json()["error"]["fields"]


@pytest.fixture
def edge_month(app_ctx):
    """The comparison's edges, March 2025. Kediri: accepted after 1, 4 and 10 hours (median 4),
    one accepted without an assignment (no response time), two resolved with a deadline (one in
    time, one in time after an earlier breach: 50 %), an overdue aspirasi (open, never late), an
    overdue complaint, and one filed in February, still open and overdue (open now, not filed in
    March; its 100 hours not in the median). Blitar: one in triage, one resolved without a
    deadline rated 3, one filed in April. Kota Contoh (35.73, no population): nothing."""
    from ticketing.extensions import db
    from ticketing.services.regions import ensure_region
    from ticketing.services.seeding import seed_demo_province

    seed_demo_province()
    ensure_region("35.73", name="Kota Contoh", parent_code=PROVINCE)
    kept = _resolved(KEDIRI, 0, accept_hours=1, rating=5)
    breached = _resolved(KEDIRI, 1, accept_hours=4, rating=3)
    breached.sla_breached_at = breached.assigned_at + timedelta(hours=2)
    answered = _ticket(KEDIRI, "PUPR", "jalan-rusak", 2, status="in_progress")
    answered.accepted_at = answered.assigned_at + timedelta(hours=10)
    unassigned = _ticket(KEDIRI, "PUPR", "jalan-rusak", 3, status="in_progress")
    unassigned.accepted_at, unassigned.assigned_at = unassigned.created_at, None
    suggestion = _ticket(KEDIRI, "PUPR", "jalan-rusak", 4, kind="aspirasi", overdue=True)
    late = _ticket(KEDIRI, "PUPR", "jalan-rusak", 5, overdue=True)
    february = _ticket(KEDIRI, "PUPR", "jalan-rusak", 6, status="in_progress", overdue=True)
    february.created_at = february.assigned_at = MONTH_START - timedelta(days=5)
    february.accepted_at = february.assigned_at + timedelta(hours=100)
    triage = _ticket(BLITAR, None, "jalan-rusak", 0, status="triage")
    triage.assigned_at = triage.sla_due_at = None
    undated = _ticket(BLITAR, "PUPR", "jalan-rusak", 1, status="resolved", feedback_rating=3)
    undated.resolved_at, undated.sla_due_at = undated.assigned_at + timedelta(hours=30), None
    april = _resolved(BLITAR, 2, accept_hours=1, rating=1)
    for field in ("created_at", "assigned_at", "accepted_at", "resolved_at", "sla_due_at"):
        setattr(april, field, getattr(april, field) + timedelta(days=40))
    db.session.add_all(
        [kept, breached, answered, unassigned, suggestion, late, february, triage, undated, april]
    )
    db.session.commit()


def test_province_comparison_edges_against_a_hand_computation(http, edge_month, tokens):
    response = http.get(
        "/api/v1/stats", params={**WINDOW, "region": PROVINCE}, headers=bearer(tokens["province"])
    )
    assert response.status_code == 200, response.text
    assert response.json()["regions"] == [
        {
            "region": KEDIRI,
            "name": "Kota Kediri",
            "population": 290000,
            "tickets": 6,
            "per_10k_inhabitants": 0.21,
            "open": 5,
            "overdue": 2,
            "sla_resolved": 2,
            "sla_compliance": 0.5,
            "median_hours_to_accept": 4.0,
            "average_rating": 4.0,
            "ratings": 2,
        },
        {
            "region": BLITAR,
            "name": "Kota Blitar",
            "population": 150000,
            "tickets": 2,
            "per_10k_inhabitants": 0.13,
            "open": 1,
            "overdue": 0,
            "sla_resolved": 0,
            "sla_compliance": None,
            "median_hours_to_accept": None,
            "average_rating": 3.0,
            "ratings": 1,
        },
        {
            "region": "35.73",
            "name": "Kota Contoh",
            "population": None,
            "tickets": 0,
            "per_10k_inhabitants": None,
            "open": 0,
            "overdue": 0,
            "sla_resolved": 0,
            "sla_compliance": None,
            "median_hours_to_accept": None,
            "average_rating": None,
            "ratings": 0,
        },
    ]
