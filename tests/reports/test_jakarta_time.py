"""Issue 22, bug 9: months, days and numbers as a person in Kota Kediri reads them.

The report for 2026-11 said it covered "2026-10-31 s.d. 2026-11-30 (UTC)": the UTC instants of
the month's bounds. It now says "1 November 2026 s.d. 30 November 2026 (WIB)", counts a
complaint filed at 00:30 WIB on 1 November (17:30 UTC on 31 October) in November, and writes
decimals with a comma.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from pypdf import PdfReader

from ticketing import formatting


def _file(created: datetime, **fields):
    from ticketing.extensions import db
    from ticketing.models import Ticket
    from ticketing.services.intake import hash_tracking_token, new_ticket_number

    ticket = Ticket(
        ticket_number=new_ticket_number(),
        tracking_token_hash=hash_tracking_token(created.isoformat()),
        channel="web",
        description="Jalan berlubang di Jl. Dhoho",
        category_code="jalan-rusak",
        opd_code="PUPR",
        status="assigned",
        created_at=created,
        updated_at=created,
        assigned_at=created,
        **fields,
    )
    db.session.add(ticket)
    db.session.commit()
    return ticket


def test_monthly_report_is_the_city_month_in_words_with_decimal_commas(http, app_ctx):
    first_hour_wib = datetime(2026, 10, 31, 17, 30, tzinfo=UTC)  # 1 Nov 00:30 WIB
    last_hour_wib = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)  # 30 Nov 23:30 WIB
    after_wib = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)  # 1 Dec 00:30 WIB
    _file(first_hour_wib, accepted_at=first_hour_wib + timedelta(hours=2, minutes=30))
    _file(last_hour_wib)
    _file(after_wib)

    html = http.get("/reports/monthly", params={"month": "2026-11"}).text
    assert "1 November 2026 s.d. 30 November 2026 (WIB)" in html
    assert "2026-10-31" not in html and "(UTC)" not in html
    assert "Pengaduan<b>2</b>" in html
    assert "Median diterima OPD<b>2,5 jam</b>" in html

    pdf = http.get("/reports/monthly", params={"month": "2026-11", "format": "pdf"}, timeout=60)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    text = " ".join(text.split())
    assert "Pengaduan masuk 1 November 2026 s.d. 30 November 2026 (WIB)" in text
    assert "Median diterima OPD 2,5 jam" in text  # the summary page's table

    december = http.get("/reports/monthly", params={"month": "2026-12"}).text
    assert "1 Desember 2026 s.d. 31 Desember 2026 (WIB)" in december
    assert "Pengaduan<b>1</b>" in december


def test_the_wall_day_starts_at_midnight_wib(app_ctx):
    from ticketing.services.stats import today_counters

    now = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)  # 10:00 WIB
    _file(datetime(2026, 11, 29, 17, 5, tzinfo=UTC))  # 00:05 WIB today
    _file(datetime(2026, 11, 29, 16, 55, tzinfo=UTC))  # 23:55 WIB yesterday
    counters = today_counters(now=now)
    assert counters["received"] == 1
    assert counters["day_start"] == "2026-11-29T17:00:00+00:00"


def test_numbers_days_and_durations_in_indonesian():
    assert formatting.number(1234) == "1.234"
    assert formatting.number(2.5) == "2,5"
    assert formatting.number(1234567.891, 2) == "1.234.567,89"
    assert formatting.number(10.0) == "10"
    assert formatting.number(None) == "–"
    assert formatting.day_label(datetime(2026, 10, 31, 17, 30, tzinfo=UTC)) == "1 November 2026"
    assert formatting.duration(timedelta(days=30, hours=23, minutes=10)) == "30 hari 23 jam"
    assert formatting.duration(timedelta(hours=5, minutes=3)) == "5 jam 3 menit"
    assert formatting.duration(timedelta(minutes=12)) == "12 menit"
    assert formatting.duration(timedelta(days=2)) == "2 hari"


def test_stats_dates_without_an_offset_are_city_days(http, app_ctx, token_for):
    first_hour_wib = datetime(2026, 10, 31, 17, 30, tzinfo=UTC)  # 1 Nov 00:30 WIB
    _file(first_hour_wib)
    _file(datetime(2026, 10, 31, 16, 30, tzinfo=UTC))  # 31 Oct 23:30 WIB
    headers = {"Authorization": f"Bearer {token_for('operator')}"}
    november = http.get(
        "/api/v1/stats", params={"from": "2026-11-01", "to": "2026-12-01"}, headers=headers
    ).json()
    assert november["overall"]["tickets"] == 1
    assert november["from"] == "2026-11-01T00:00:00+07:00"
    explicit = http.get(
        "/api/v1/stats",
        params={"from": "2026-11-01T00:00:00Z", "to": "2026-12-01T00:00:00Z"},
        headers=headers,
    ).json()
    assert explicit["overall"]["tickets"] == 0  # an instant with its offset stays that instant


def test_staff_csv_times_are_on_the_city_clock(http, app_ctx, token_for):
    import csv

    ticket = _file(datetime(2026, 10, 31, 17, 30, tzinfo=UTC))
    response = http.get("/api/v1/tickets.csv", headers={"Authorization": f"Bearer {token_for('operator')}"})
    rows = {row["ticket_number"]: row for row in csv.DictReader(io.StringIO(response.text))}
    assert rows[ticket.ticket_number]["created_at"] == "2026-11-01T00:30:00+07:00"
