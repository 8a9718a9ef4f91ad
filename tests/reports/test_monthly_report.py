"""The monthly OPD performance report over a generated month, as HTML and as PDF."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from statistics import median

from pypdf import PdfReader

from tests.support.reports import MONTH


class TableRows(HTMLParser):
    """Rows of the OPD table, by their data-opd attribute, with their cells' text."""

    def __init__(self):
        super().__init__()
        self.rows, self.current, self.cell = {}, None, None
        self.svgs = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-opd" in attrs:
            self.current = attrs["data-opd"]
            self.rows[self.current] = []
        elif tag == "td" and self.current:
            self.cell = ""
        elif tag == "svg":
            self.svgs += 1

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if tag == "td" and self.current and self.cell is not None:
            self.rows[self.current].append(self.cell.strip())
            self.cell = None
        elif tag == "tr":
            self.current = None


def _opds():
    from ticketing.extensions import db
    from ticketing.models import Opd

    return {o.code: o.name for o in db.session.query(Opd).all()}


def test_html_report_has_every_opd_row_and_the_charts(http, month_of_tickets):
    response = http.get("/reports/monthly", params={"month": MONTH})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    parser = TableRows()
    parser.feed(response.text)
    opds = _opds()
    assert set(parser.rows) == set(opds) and len(opds) == 18
    pupr = [t for t in month_of_tickets if t.opd_code == "PUPR"]
    row = parser.rows["PUPR"]
    assert row[1] == opds["PUPR"] and int(row[2]) == len(pupr)
    accept_hours = [(t.accepted_at - t.assigned_at).total_seconds() / 3600 for t in pupr if t.accepted_at]
    # Indonesian notation: a decimal comma (2,25 jam), a thousands dot.
    assert abs(float(row[5].replace(".", "").replace(",", ".")) - median(accept_hours)) < 0.01
    assert sum(int(cells[2]) for cells in parser.rows.values()) == len(month_of_tickets)
    assert parser.svgs >= 6  # channel, rating, category, OPD, speed, SLA: inline, no images
    assert "<img" not in response.text and "http://" not in response.text.split("<svg")[0]


def test_pdf_report_pages_contain_every_opd_row(http, month_of_tickets, artifacts_dir):
    response = http.get("/reports/monthly", params={"month": MONTH, "format": "pdf"}, timeout=60)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    (artifacts_dir / f"laporan-opd-{MONTH}.pdf").write_bytes(response.content)
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    for code, name in _opds().items():
        count = sum(1 for t in month_of_tickets if t.opd_code == code)
        row = [line for line in lines if line.startswith(f"{code} {name} {count} ")]
        assert row, f"no row for {code} {name} with {count} tickets"
    # It opens with the one-page summary: the month against the one before and a year before.
    summary = " ".join(reader.pages[0].extract_text().split())
    assert summary.startswith("Ukuran Periode ini Periode lalu") or "Laporan Kinerja" in summary
    assert f"Pengaduan masuk {len(month_of_tickets)} 0 " in summary
    assert re.search(r"Kepatuhan SLA \d+(,\d+)?% ", summary)
    assert "Tiga OPD paling membaik" in summary and "Februari 2025" in summary and "Maret 2024" in summary
    # Charts grouped on two pages (not one page each), before the OPD table.
    assert len(reader.pages) == 4


def test_empty_month_and_bad_month(http):
    empty = http.get("/reports/monthly", params={"month": "2030-01", "format": "pdf"}, timeout=60)
    assert empty.status_code == 200 and empty.content.startswith(b"%PDF")
    for bad in ("2025-13", "2025-1", "maret", ""):
        response = http.get("/reports/monthly", params={"month": bad})
        assert response.status_code == 422, bad
        assert response.json()["error"]["code"] == "invalid_fields"
    assert http.get("/reports/monthly").status_code == 422
    assert http.get("/reports/monthly", params={"month": MONTH, "format": "doc"}).status_code == 422
