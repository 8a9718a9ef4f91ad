"""The province's evaluation of its cities (issue #16): one row per city or regency under a
region, for `GET /api/v1/stats?region=`, `/reports/monthly?region=` and the province wall.

Per city: complaints filed in the window and per 10,000 inhabitants (`regions.population`),
open and overdue now, SLA kept (resolved by the deadline, of those resolved with one), the
median hours from assignment to acceptance (the first response), and satisfaction (ratings).
Grouped by `region_code` in the database, so the indexes that lead with it serve each city.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from sqlalchemy import and_, func, select

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import OPEN_STATUSES, Region, Ticket
from ticketing.services.regions import (
    can_see_region,
    default_region_code,
    get_region,
    region_codes_under,
    ticket_region_codes,
)

PER_INHABITANTS = 10_000


def checked_region(account, code: str) -> str:
    """`code` when `account` may read it: an unknown region is 400 naming the field, another
    region's (a city asking for its neighbour or its province) 403 naming it."""
    if get_region(code) is None:
        raise APIError(
            400,
            "invalid_fields",
            catalogue.text("error.unknown_region"),
            {"region": [catalogue.text("error.unknown_region_field")]},
        )
    if not can_see_region(account, code):
        raise APIError(
            403,
            "forbidden",
            catalogue.text("error.region_forbidden", region=code),
            {"region": [catalogue.text("error.region_forbidden_field")]},
        )
    return code


def compared_regions(code: str) -> list[Region]:
    """The cities and regencies under `code` (none for a city alone), by code. Their boundaries
    (GeoJSON, large for a real regency's outline) are left unread until asked for: the
    comparison and the wall's board need the code, name and population only."""
    codes = [c for c in region_codes_under(code) if c != code]
    if not codes:
        return []
    return list(db.session.scalars(select(Region).where(Region.code.in_(codes)).order_by(Region.code)))


def _filed_figures(codes: list[str], start, end) -> dict[str, tuple]:
    """Per city, of the tickets filed in [start, end): (tickets, SLA judged, SLA kept, average
    rating, ratings, median hours from assignment to acceptance).

    PostgreSQL reads them in one pass over the window, from `ix_tickets_region_stats_window`
    alone (region_code, created_at, covering the timestamps and the rating): the counts and the
    median are aggregates of the same rows, the median over the answered ones (FILTER). SQLite
    has no percentile function: the counts there in SQL, the medians in Python."""
    window = [Ticket.region_code.in_(codes), Ticket.created_at >= start, Ticket.created_at < end]
    judged = and_(Ticket.resolved_at.is_not(None), Ticket.sla_due_at.is_not(None))
    kept = and_(judged, Ticket.resolved_at <= Ticket.sla_due_at, Ticket.sla_breached_at.is_(None))
    answered = and_(Ticket.accepted_at.is_not(None), Ticket.assigned_at.is_not(None))
    columns = [
        Ticket.region_code,
        func.count(),
        func.count().filter(judged),
        func.count().filter(kept),
        func.avg(Ticket.feedback_rating),
        func.count(Ticket.feedback_rating),
    ]
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    if postgresql:
        # date_part gives a float; extract() gives numeric since PostgreSQL 14, far slower.
        hours = func.date_part("epoch", Ticket.accepted_at - Ticket.assigned_at) / 3600.0
        columns.append(func.percentile_cont(0.5).within_group(hours).filter(answered))
    rows = db.session.execute(select(*columns).where(*window).group_by(Ticket.region_code))
    if postgresql:
        return {region: (*figures[:-1], _round(figures[-1])) for region, *figures in rows}
    filed = {region: tuple(figures) for region, *figures in rows}
    grouped: dict[str, list[float]] = {}
    answers = db.session.execute(
        select(Ticket.region_code, Ticket.accepted_at, Ticket.assigned_at).where(*window, answered)
    )
    for region, accepted, assigned in answers:
        grouped.setdefault(region, []).append((accepted - assigned).total_seconds() / 3600)
    return {region: (*figures, _round(_median(grouped.get(region, [])))) for region, figures in filed.items()}


def city_comparison(code: str, start, end, regions: list[Region] | None = None) -> list[dict]:
    """One row per city under `code` for tickets filed in [start, end); [] for a lone city."""
    regions = compared_regions(code) if regions is None else regions
    if not regions:
        return []
    codes = [region.code for region in regions]
    filed = _filed_figures(codes, start, end)
    # An aspirasi has no deadline and is never late (issue #17), as in ticket_stats. Open now,
    # whenever filed: from `ix_tickets_region_status_id`, which covers `overdue` and `kind`.
    late = and_(Ticket.overdue.is_(True), Ticket.kind != "aspirasi")
    now = {
        region: (open_count, overdue)
        for region, open_count, overdue in db.session.execute(
            select(Ticket.region_code, func.count(), func.count().filter(late))
            .where(Ticket.region_code.in_(codes), Ticket.status.in_(OPEN_STATUSES))
            .group_by(Ticket.region_code)
        )
    }
    rows = []
    for region in regions:
        tickets, judged_n, kept_n, rating, rated, median = filed.get(region.code, (0, 0, 0, None, 0, None))
        open_count, overdue = now.get(region.code, (0, 0))
        rows.append(
            {
                "region": region.code,
                "name": region.name,
                "population": region.population,
                "tickets": tickets,
                "per_10k_inhabitants": (
                    round(tickets * PER_INHABITANTS / region.population, 2) if region.population else None
                ),
                "open": open_count,
                "overdue": overdue,
                "sla_resolved": judged_n,
                "sla_compliance": round(kept_n / judged_n, 4) if judged_n else None,
                "median_hours_to_accept": median,
                "average_rating": _round(rating),
                "ratings": rated,
            }
        )
    return rows


def region_stats(account, start, end, opd_code: str | None, region: str | None) -> dict:
    """`GET /api/v1/stats`: without `region` the account's figures as before; with it, that
    region's own OPDs (a province's agencies, a city's) and, beside them in `regions`, the
    comparison of the cities under it. An officer's figures stay its OPD's, with no comparison."""
    from ticketing.services import sla
    from ticketing.services.stats import DEFAULT_STATS_DAYS, ticket_stats

    end = end or sla.now()
    start = start or end - timedelta(days=DEFAULT_STATS_DAYS)
    if region is None:
        figures = ticket_stats(start, end, opd_code=opd_code, region_codes=ticket_region_codes(account))
        region = getattr(account, "region_code", None) or default_region_code()
    else:
        checked_region(account, region)
        if opd_code is not None and region not in ticket_region_codes(account):
            raise APIError(
                403,
                "forbidden",
                catalogue.text("error.region_forbidden", region=region),
                {"region": [catalogue.text("error.region_forbidden_field")]},
            )
        figures = ticket_stats(start, end, opd_code=opd_code, region_codes=[region])
    figures["regions"] = [] if opd_code is not None else city_comparison(region, start, end)
    db.session.rollback()  # end the read transaction
    return figures


def screen_region_codes(account, region: str | None) -> list[str]:
    """The regions a wall screen shows: without `region` the account's (as before); with it
    that region and the cities under it, which the account must be allowed to read (403)."""
    if region is None:
        return ticket_region_codes(account)
    checked_region(account, region)
    allowed = set(ticket_region_codes(account))
    return [code for code in region_codes_under(region) if code in allowed]


def report_region(code: str | None) -> str | None:
    """The public monthly report's `region`: None (DEFAULT_REGION, as before) or a known region;
    an unknown one is 404 naming the field. The report holds aggregates only, so any region's
    is public as the city's is."""
    if code is not None and get_region(code) is None:
        raise APIError(
            404,
            "not_found",
            catalogue.text("error.unknown_region"),
            {"region": [catalogue.text("error.unknown_region_field")]},
        )
    return code


CSV_COLUMNS = (
    "bagian",
    "kode",
    "nama",
    "penduduk",
    "aduan",
    "aduan_per_10000_penduduk",
    "terbuka",
    "terlambat",
    "sla_selesai",
    "kepatuhan_sla",
    "median_jam_diterima",
    "median_jam_selesai",
    "rata_rata_rating",
    "jumlah_rating",
)


def monthly_csv(report: dict) -> bytes:
    """The monthly report as CSV: the region's OPDs, then (a province) its cities' comparison."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in report["opds"]:
        writer.writerow(
            [
                catalogue.text("report.csv_opds"),
                row["code"],
                row["name"],
                "",
                row["tickets"],
                "",
                row["open"],
                row["overdue"],
                row["sla_resolved"],
                _cell(row["sla_compliance"]),
                _cell(row["median_hours_to_accept"]),
                _cell(row["median_hours_to_resolve"]),
                _cell(row["average_rating"]),
                row["ratings"],
            ]
        )
    for row in report.get("regions", []):
        writer.writerow(
            [
                catalogue.text("report.csv_cities"),
                row["region"],
                row["name"],
                _cell(row["population"]),
                row["tickets"],
                _cell(row["per_10k_inhabitants"]),
                row["open"],
                row["overdue"],
                row["sla_resolved"],
                _cell(row["sla_compliance"]),
                _cell(row["median_hours_to_accept"]),
                "",
                _cell(row["average_rating"]),
                row["ratings"],
            ]
        )
    return out.getvalue().encode("utf-8")


def _cell(value) -> str:
    return "" if value is None else str(value)


def _median(values: list[float]) -> float | None:
    values = sorted(values)
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _round(value, digits: int = 2):
    return None if value is None else round(float(value), digits)
