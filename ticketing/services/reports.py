"""The monthly OPD performance report: one month of tickets, every OPD's row.

Per-OPD speed, SLA compliance and ratings come from `stats.ticket_stats` (the same figures as
`GET /api/v1/stats`), so the report and the API never disagree. Tickets carry no kelurahan
yet, so volume "by area" is shown by OPD and by category.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.formatting import MONTHS_ID, city_zone, day_label
from ticketing.models import Category, Opd, Ticket
from ticketing.schemas import EARLIEST_DAY, LATEST_DAY, malformed
from ticketing.services.regions import default_region_code
from ticketing.services.stats import _median, ticket_stats

NO_OPD = "-"


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, value: str | None) -> Month:
        try:
            year, month = (int(part) for part in (value or "").split("-"))
            date(year, month, 1)
        except (TypeError, ValueError):
            raise APIError(
                422,
                "invalid_fields",
                catalogue.text("error.month_format"),
                {"month": [catalogue.text("error.month_format_field")]},
            ) from None
        if not EARLIEST_DAY.year <= year <= LATEST_DAY.year:  # no ticket's month: malformed
            raise malformed(
                "month",
                catalogue.text("field.month_range", earliest=EARLIEST_DAY.year, latest=LATEST_DAY.year),
            )
        return cls(year, month)

    def bounds(self) -> tuple[datetime, datetime]:
        """The month in the city's calendar, as UTC instants [start, end)."""
        zone = city_zone()
        following = (self.year + self.month // 12, self.month % 12 + 1)
        start = datetime(self.year, self.month, 1, tzinfo=zone)
        end = datetime(*following, 1, tzinfo=zone)
        return start.astimezone(UTC), end.astimezone(UTC)

    @property
    def label(self) -> str:
        return f"{MONTHS_ID[self.month - 1]} {self.year}"

    @property
    def period_label(self) -> str:
        """The month as people read it: the city's first and last calendar day, not the UTC
        instants of its bounds (which start on the last day of the month before)."""
        last = date(self.year + self.month // 12, self.month % 12 + 1, 1) - timedelta(days=1)
        return f"{day_label(date(self.year, self.month, 1))} s.d. {day_label(last)}"

    @property
    def code(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def _hours(later, earlier) -> float | None:
    if later is None or earlier is None:
        return None
    return (later - earlier).total_seconds() / 3600


def monthly_report(month: Month, region: str | None = None) -> dict:
    """The month of `region`'s own tickets and OPDs (default: DEFAULT_REGION, the city's report);
    for a province, `regions` compares the cities under it (services/region_comparison.py)."""
    from ticketing.services.region_comparison import city_comparison

    start, end = month.bounds()
    region = region or default_region_code()
    cities = city_comparison(region, start, end)
    stats = ticket_stats(start, end, region_codes=[region])
    window = [Ticket.region_code == region, Ticket.created_at >= start, Ticket.created_at < end]

    rows = db.session.execute(
        select(
            Ticket.assigned_at,
            Ticket.accepted_at,
            Ticket.resolved_at,
            Ticket.sla_due_at,
            Ticket.feedback_rating,
            Ticket.sla_breached_at,
        ).where(*window)
    ).all()
    accept = [_hours(r.accepted_at, r.assigned_at) for r in rows]
    resolve = [_hours(r.resolved_at, r.assigned_at) for r in rows]
    judged = [r for r in rows if r.resolved_at and r.sla_due_at]
    ratings = [r.feedback_rating for r in rows if r.feedback_rating is not None]
    by_opd_volume = dict(
        db.session.execute(
            select(Ticket.opd_code, func.count()).where(*window).group_by(Ticket.opd_code)
        ).all()
    )
    # Every agency has its row; a kecamatan or kelurahan office only when it had tickets.
    opds = [
        opd
        for opd in db.session.scalars(select(Opd).where(Opd.region_code == region).order_by(Opd.code))
        if opd.kind == "agency" or by_opd_volume.get(opd.code)
    ]
    categories = dict(
        db.session.execute(select(Category.code, Category.name).where(Category.region_code == region)).all()
    )
    db.session.rollback()

    performance = {row["opd"]: row for row in stats["opds"]}
    opd_rows = []
    for opd in opds:
        figures = performance.get(opd.code, {})
        opd_rows.append(
            {
                "code": opd.code,
                "name": opd.name,
                "tickets": by_opd_volume.get(opd.code, 0),
                "open": figures.get("open", 0),
                "overdue": figures.get("overdue", 0),
                "median_hours_to_accept": figures.get("median_hours_to_accept"),
                "median_hours_to_resolve": figures.get("median_hours_to_resolve"),
                "sla_compliance": figures.get("sla_compliance"),
                "sla_resolved": figures.get("sla_resolved", 0),
                "average_rating": figures.get("average_rating"),
                "ratings": figures.get("ratings", 0),
            }
        )
    overall = stats["overall"]
    by_category = {
        categories.get(code, code if code != "-" else "Belum dikategorikan"): count
        for code, count in overall["by_category"].items()
    }
    by_opd = {row["code"]: row["tickets"] for row in opd_rows if row["tickets"]}
    if by_opd_volume.get(None):
        by_opd["(triase)"] = by_opd_volume[None]
    met = sum(1 for r in judged if r.resolved_at <= r.sla_due_at and r.sla_breached_at is None)
    return {
        "month": month.code,
        "label": month.label,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "period": month.period_label,
        "tickets": len(rows),
        "by_channel": overall["by_channel"],
        "by_kind": overall["by_kind"],  # pengaduan, aspirasi, informasi (issue #17)
        "by_category": by_category,
        "by_opd": by_opd,
        "median_hours_to_accept": _round(_median([v for v in accept if v is not None])),
        "median_hours_to_resolve": _round(_median([v for v in resolve if v is not None])),
        "sla_compliance": round(met / len(judged), 4) if judged else None,
        "sla_resolved": len(judged),
        "average_rating": round(sum(ratings) / len(ratings), 2) if ratings else None,
        "ratings": {str(star): ratings.count(star) for star in range(1, 6)},
        "opds": opd_rows,
        "region": region,
        "regions": cities,
    }


def _round(value):
    return None if value is None else round(value, 2)
