"""The evaluation pack (`/reports/evaluation`): staff only; HTML, CSV and a PDF that opens with
its summary page and carries its charts; its figures are the API's."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from tests.support.tickets import bearer
from ticketing.services.skm_index import Semester

SEMESTER = "2026-2"


@pytest.fixture
def semester_of_work(app_ctx, make_ticket, skm_services):
    """Demo SKM answers this semester; complaints this semester and the one before."""
    from ticketing.extensions import db
    from ticketing.services.skm_demo import seed_demo_answers

    seed_demo_answers(Semester.parse(SEMESTER))
    now = datetime.now(UTC)
    # PUPR: two on time this semester (100 %), one late the semester before (0 %): improved.
    for _ in range(2):
        make_ticket("resolved", opd="PUPR", category="jalan-rusak")
    late = make_ticket("resolved", opd="PUPR", category="jalan-rusak")
    late.created_at = late.assigned_at = datetime(2026, 3, 10, 3, tzinfo=UTC)
    late.accepted_at = late.created_at + timedelta(hours=1)
    late.sla_due_at, late.resolved_at = (
        late.created_at + timedelta(days=1),
        late.created_at + timedelta(days=3),
    )
    # DISHUB: late now, on time before: slipped. One reopened.
    slow = make_ticket("resolved", opd="DISHUB", category="pju", reopen_count=1)
    slow.sla_due_at = now - timedelta(hours=2)
    earlier = make_ticket("resolved", opd="DISHUB", category="pju")
    earlier.created_at = earlier.assigned_at = datetime(2026, 4, 2, 3, tzinfo=UTC)
    earlier.accepted_at = earlier.created_at + timedelta(hours=1)
    earlier.resolved_at, earlier.sla_due_at = (
        earlier.created_at + timedelta(hours=5),
        earlier.created_at + timedelta(days=2),
    )
    make_ticket("assigned", opd="DISHUB", category="pju")
    db.session.commit()


def test_the_pack_is_for_staff(http, semester_of_work):
    assert http.get(f"/reports/evaluation?semester={SEMESTER}").status_code == 401


def test_pack_figures_match_the_apis(http, token_for, semester_of_work):
    auth = bearer(token_for("admin"))
    response = http.get(f"/reports/evaluation?semester={SEMESTER}&format=csv", headers=auth)
    assert response.status_code == 200, response.text
    rows = {row["kode_opd"]: row for row in csv.DictReader(io.StringIO(response.text))}
    # The SKM index per OPD is the public API's (one service each in the demo).
    results = {r["service"]: r for r in http.get(f"/api/v1/skm/results?semester={SEMESTER}").json()}
    assert float(rows["DISPENDUKCAPIL"]["ikm"]) == results["KTP-EL"]["ikm"] == 79.06
    assert rows["DISPENDUKCAPIL"]["mutu_pelayanan"] == "B" and rows["DPMPTSP"]["mutu_pelayanan"] == "D"
    assert rows["DPMPTSP"]["unsur_terlemah"].startswith("u3=1.4")
    # Complaint figures are the staff stats' for the same window.
    stats = http.get("/api/v1/stats", params={"from": "2026-07-01", "to": "2026-12-31"}, headers=auth).json()
    by_opd = {row["opd"]: row for row in stats["opds"]}
    assert int(rows["PUPR"]["pengaduan_masuk"]) == 2 and int(rows["DISHUB"]["pengaduan_masuk"]) == 2
    assert float(rows["PUPR"]["kepatuhan_sla"]) == by_opd["PUPR"]["sla_compliance"] == 1.0
    assert float(rows["DISHUB"]["kepatuhan_sla"]) == by_opd["DISHUB"]["sla_compliance"] == 0.0
    assert float(rows["DISHUB"]["median_jam_selesai"]) == by_opd["DISHUB"]["median_hours_to_resolve"]
    assert float(rows["DISHUB"]["tingkat_dibuka_kembali"]) == 1.0
    assert int(rows["KOTA"]["pengaduan_masuk"]) == stats["overall"]["tickets"] == 4

    page = http.get(f"/reports/evaluation?semester={SEMESTER}", headers=auth)
    assert page.status_code == 200
    html = page.text
    assert "Tiga OPD paling membaik" in html and "<svg" in html
    improved = html[html.index('id="movers-improved"') : html.index('id="movers-slipped"')]
    slipped = html[html.index('id="movers-slipped"') :][:600]
    assert "Dinas Pekerjaan Umum" in improved and "Dinas Perhubungan" in slipped


def test_pack_renders_as_pdf_with_summary_charts_and_figures(
    http, token_for, semester_of_work, artifacts_dir
):
    auth = bearer(token_for("operator"))
    response = http.get(f"/reports/evaluation?semester={SEMESTER}&format=pdf", headers=auth, timeout=60)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    (artifacts_dir / f"paket-evaluasi-{SEMESTER}.pdf").write_bytes(response.content)
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 4  # summary, two chart pages, the table
    summary = reader.pages[0].extract_text()
    assert "Paket Evaluasi Kota Cerdas" in summary and "Semester II 2026" in summary
    assert "Tiga OPD paling membaik" in summary and "Dinas Pekerjaan Umum" in summary
    charts = reader.pages[2].extract_text()
    assert "IKM per layanan" in charts and "79,06" in charts and "94,44" in charts
    table = reader.pages[3].extract_text()
    assert "DPMPTSP" in table and "55,00 D" in table


def test_a_console_session_opens_the_pack_from_the_admin_page(console_client, make_user, semester_of_work):
    make_user("admin-pack", "admin")
    admin = console_client()
    assert admin.login("admin-pack").status_code == 302
    page = admin.get("/console/admin/skm").text
    assert 'id="evaluation-link"' in page
    pack = admin.get(f"/reports/evaluation?semester={SEMESTER}")
    assert pack.status_code == 200 and "Paket Evaluasi Kota Cerdas" in pack.text
    assert pack.headers["Cache-Control"] == "private, no-store"
