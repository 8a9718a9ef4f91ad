"""The annual PPID report (issue #17) against a hand-computed fixture (ppid_report_2026.csv),
from the command (`flask --app wsgi ppid-report --year 2026`) and from the console page (HTML,
CSV, PDF).

The requests, on the SLA calendar (office 08:00-16:00 WIB; 16-17 Feb 2026 are cuti bersama and
Imlek):
  A DISKOMINFO  Mon 2 Feb 09:00 -> granted Wed 4 Feb 09:00                 = 16 h = 2.0 days
  H DISKOMINFO  Thu 1 Jan 06:00 (holiday; 31 Dec 23:00 UTC) -> refused (c)
                Fri 2 Jan 12:00                                            =  4 h = 0.5 days
  B PUPR        Tue 10 Feb 09:00 -> refused (h) Fri 13 Feb 13:00   = 7+8+8+5 h = 3.5 days
  C PUPR        Fri 13 Feb 15:00 -> extended, partial (h) Wed 18 Feb 11:00
                                                          = 1 h + 3 h = 4 h = 0.5 days;
                objection on ground d (Art. 35(1)), granted by the atasan PPID
  D PUPR        Mon 6 Jul 09:00, never answered; objection after the missed deadline, no
                ground stored (as an objection filed before grounds were kept)
  not counted:  an information request of 31 Dec 2025, one of 1 Jan 2027 00:30 WIB (still
                2026 in UTC), and a complaint of 2026.
Medians: all (0.5, 0.5, 2.0, 3.5) -> 1.25; DISKOMINFO (0.5, 2.0) -> 1.25; PUPR (0.5, 3.5) -> 2.0.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
FIXTURE = Path(__file__).with_name("ppid_report_2026.csv")
FLASK = str(Path(sys.executable).parent / "flask")


def wib(text: str) -> datetime:
    return datetime.fromisoformat(text + "+07:00")


@pytest.fixture
def requests_2026(app_ctx):
    """The requests above, arranged straight in the database (only the report is under test)."""
    from ticketing.extensions import db
    from ticketing.services.intake import create_ticket

    def add(opd, created, kind="informasi", **fields):
        ticket = create_ticket(description=f"Permintaan informasi {created}", channel="web", kind=kind).ticket
        ticket.created_at = wib(created)
        ticket.opd_code, ticket.status = opd, "resolved" if fields.get("decision") else "assigned"
        for key, value in fields.items():
            setattr(ticket, key, wib(value) if key.endswith("_at") else value)
        db.session.commit()

    add("DISKOMINFO", "2026-02-02T09:00", decision="granted", decided_at="2026-02-04T09:00")
    add("DISKOMINFO", "2026-01-01T06:00", decision="refused", exemption="c", decided_at="2026-01-02T12:00")
    add("PUPR", "2026-02-10T09:00", decision="refused", exemption="h", decided_at="2026-02-13T13:00")
    add(
        "PUPR",
        "2026-02-13T15:00",
        decision="partial",
        exemption="h",
        extended_at="2026-02-13T15:30",
        decided_at="2026-02-18T11:00",
        objection_at="2026-02-20T09:00",
        objection_reason="Sebagian data bukan rahasia",
        objection_ground="d",
        objection_decision="granted",
        objection_decided_at="2026-03-02T09:00",
    )
    add("PUPR", "2026-07-06T09:00", objection_at="2026-07-27T09:00", objection_reason="Tidak dijawab")
    add("DISKOMINFO", "2025-12-31T09:00", decision="granted", decided_at="2026-01-02T09:00")
    add("DISKOMINFO", "2027-01-01T00:30")
    add("PUPR", "2026-05-04T09:00", kind=None)  # a complaint


def expected_rows() -> list[dict]:
    return list(csv.DictReader(FIXTURE.open(encoding="utf-8")))


def test_the_command_prints_the_hand_computed_report_and_writes_a_pdf(requests_2026, settings_env, run_dir):
    env = {**os.environ, **settings_env}
    done = subprocess.run(
        [FLASK, "--app", "wsgi", "ppid-report", "--year", "2026"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert list(csv.DictReader(io.StringIO(done.stdout))) == expected_rows()
    target = run_dir / "ppid-2026.pdf"
    done = subprocess.run(
        [FLASK, "--app", "wsgi", "ppid-report", "--year", "2026", "--format", "pdf", "--output", str(target)],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert target.read_bytes().startswith(b"%PDF-") and b"/Type /Page" in target.read_bytes()
    bad = subprocess.run(
        [FLASK, "--app", "wsgi", "ppid-report", "--year", "dua ribu"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode != 0 and "Traceback" not in bad.stderr


def test_the_console_page_shows_the_same_figures_as_html_csv_and_pdf(
    requests_2026, make_user, console_client
):
    make_user("ppid.utama", "atasan_ppid")
    make_user("ppid.pupr", "ppid", "PUPR")
    client = console_client()
    assert client.login("ppid.utama").status_code in (302, 303)
    page = client.get("/console/ppid-report", params={"year": 2026})
    assert page.status_code == 200
    assert (
        '<tr data-key="median_days"><th scope="row">Median waktu jawaban (hari kerja)</th><td>1.25</td>'
        in page.text
    )
    assert '<tr data-key="h"><th scope="row">Pasal 17 huruf h</th><td>2</td>' in page.text
    assert '<tr data-key="d"><th scope="row">Pasal 35 ayat 1 huruf d</th><td>1</td>' in page.text
    assert '<tr data-key="none"><th scope="row">Tidak disebutkan</th><td>1</td>' in page.text
    exported = client.get("/console/ppid-report", params={"year": 2026, "format": "csv"})
    assert exported.headers["Content-Type"].startswith("text/csv")
    assert list(csv.DictReader(io.StringIO(exported.text))) == expected_rows()
    pdf = client.get("/console/ppid-report", params={"year": 2026, "format": "pdf"})
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")
    assert client.get("/console/ppid-report", params={"year": "abc"}).status_code == 422

    # A PPID pembantu reads its own OPD's requests only.
    own = console_client()
    assert own.login("ppid.pupr").status_code in (302, 303)
    rows = list(csv.DictReader(io.StringIO(own.get("/console/ppid-report?year=2026&format=csv").text)))
    summary = {row["key"]: row["value"] for row in rows if row["section"] == "ringkasan"}
    assert summary["requests"] == "3" and summary["median_days"] == "2.0"
