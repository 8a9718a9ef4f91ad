"""The index exactly as Permenpan RB 14/2017 computes it, checked against a hand computation of
the demo semester (config/skm_demo.json), through the public API.

The regulation's method, by hand: for each element the mean answer (NRR = sum / respondents
who answered it); the IKM is the mean of the applicable elements' NRR × 25 (every element
weighs 1 / the number of applicable elements), graded A 88.31–100, B 76.61–88.30,
C 65.00–76.60, D 25.00–64.99.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from ticketing.services import skm_index
from ticketing.services.skm_index import Semester

SEMESTER = "2026-1"

# Worked by hand from config/skm_demo.json (sums of the answers column by column).
EXPECTED = {
    # KTP-el, 10 respondents, u4 (tariff) not applicable: the service is free.
    #   sums u1..u9: 34 31 26 – 32 34 37 28 31 → NRR 3.4 3.1 2.6 – 3.2 3.4 3.7 2.8 3.1
    #   mean of 8 NRR = 25.3 / 8 = 3.1625; × 25 = 79.0625 → 79.06 → B
    "KTP-EL": (10, [3.4, 3.1, 2.6, None, 3.2, 3.4, 3.7, 2.8, 3.1], 79.06, "B"),
    # RSUD online registration, 6 respondents, all nine apply.
    #   sums: 22 22 23 23 23 23 23 22 23 = 204 → mean NRR = 204 / 6 / 9 = 34/9 = 3.7778;
    #   × 25 = 94.444… → 94.44 → A
    "RSUD-DAFTAR-ONLINE": (6, [3.67, 3.67, 3.83, 3.83, 3.83, 3.83, 3.83, 3.67, 3.83], 94.44, "A"),
    # Building approval (PBG), 5 respondents.
    #   sums: 12 9 7 11 12 13 14 9 12 = 99 → 99 / 5 / 9 = 2.2; × 25 = 55.00 → D
    "PBG": (5, [2.4, 1.8, 1.4, 2.2, 2.4, 2.6, 2.8, 1.8, 2.4], 55.0, "D"),
    # Kelurahan letters, 4 respondents, u4 not applicable.
    #   sums: 11 11 9 – 12 11 12 9 11 = 86 → 86 / 4 / 8 = 2.6875; × 25 = 67.1875 → 67.19 → C
    "SURAT-KEL-BANDAR-KIDUL": (4, [2.75, 2.75, 2.25, None, 3.0, 2.75, 3.0, 2.25, 2.75], 67.19, "C"),
}
ELEMENTS = [f"u{n}" for n in range(1, 10)]


@pytest.fixture
def demo_semester(app_ctx):
    from ticketing.services.seeding import seed_area_units
    from ticketing.services.skm_demo import seed_demo_answers, seed_demo_services

    seed_area_units()  # the kelurahan office of the letters service
    seed_demo_services()
    return seed_demo_answers(Semester.parse(SEMESTER))


def test_demo_semester_matches_the_hand_computation(http, demo_semester):
    assert demo_semester == 25
    response = http.get(f"/api/v1/skm/results?semester={SEMESTER}")
    assert response.status_code == 200, response.text
    rows = {row["service"]: row for row in response.json()}
    for code, (respondents, means, ikm, grade) in EXPECTED.items():
        row = rows[code]
        assert row["respondents"] == respondents, code
        assert [row["elements"][e] for e in ELEMENTS] == means, code
        assert row["ikm"] == ikm and row["grade"] == grade, code
    # A service nobody answered: no index, no grade (never a made-up 25).
    handling = rows["ADUAN-PUPR"]
    assert handling["respondents"] == 0 and handling["ikm"] is None and handling["grade"] is None
    # Another semester has none of these answers.
    other = {r["service"]: r for r in http.get("/api/v1/skm/results?semester=2025-2").json()}
    assert other["KTP-EL"]["respondents"] == 0


def test_results_page_publishes_every_unit_with_progress(http, demo_semester):
    page = http.get(f"/skm/results?semester={SEMESTER}")
    assert page.status_code == 200
    html = page.text
    assert "Semester I 2026" in html and 'data-service="KTP-EL"' in html
    assert "79,06" in html and "Baik" in html and "55,00" in html and "Tidak Baik" in html
    # 10 of the 372 respondents 12,000 people served ask for (Krejcie–Morgan).
    assert '<span class="respondents">10</span> / 372' in html
    # Every element's mean is published beside the index, "–" where the element does not apply.
    row = html[html.index('<tr data-service="PBG"><td>') :].split("</tr>")[0]
    assert ">1,40<" in row and ">2,80<" in row
    ktp = html[html.index('<tr data-service="KTP-EL"><td>') :].split("</tr>")[0]
    assert ">–<" in ktp and ">3,70<" in ktp


def test_index_arithmetic_edges():
    # Every element at 4 is 100 (the regulation's rounded weight 0.11 would give 99).
    perfect = skm_index.compute([{e: 4 for e in ELEMENTS}])
    assert perfect.ikm == Decimal("100.00") and perfect.grade == "A"
    # Every element at 1 is the floor, 25.
    assert skm_index.compute([{e: 1 for e in ELEMENTS}]).ikm == Decimal("25.00")
    # The grade boundaries at two decimals, rounded half-up first.
    assert [skm_index.grade(Decimal(v)) for v in ("88.31", "88.30", "76.61", "76.60", "65.00", "64.99")] == [
        "A",
        "B",
        "B",
        "C",
        "C",
        "D",
    ]
    assert skm_index.round2(Fraction(883050, 10000)) == Decimal("88.31")
    # A not-applicable element is left out, not counted as zero.
    answers = [{**{e: 4 for e in ELEMENTS}, "u4": None}]
    assert skm_index.compute(answers, ["u4"]).ikm == Decimal("100.00")


def test_sample_size_is_krejcie_morgan():
    # The regulation's table (Krejcie & Morgan 1970).
    table = {10: 10, 50: 44, 100: 80, 200: 132, 500: 217, 1000: 278, 5000: 357, 10000: 370, 100000: 383}
    assert {n: skm_index.sample_size(n) for n in table} == table
    assert skm_index.sample_size(1_000_000) == 384
    assert skm_index.sample_size(None) is None
