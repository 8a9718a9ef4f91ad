"""The annual PPID report (UU 14/2008 Art. 12; Perki 1/2021): information requests received in a
year (the city's calendar), how they were decided (granted, partly, refused), the exemption
grounds used, the median working days to the PPID's answer, extensions and objections; overall
and per PPID (the OPD that answered).

"Days" are working days on the SLA calendar (office hours / hours per office day): the law's
deadlines are counted in working days, so the report is too. Only the PPID's own decision counts
as the answer; the atasan PPID's decision on an objection is reported under objections.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from ticketing import catalogue
from ticketing.catalogue_kinds import EXEMPTIONS, OBJECTION_GROUNDS
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.formatting import city_zone
from ticketing.models import Ticket
from ticketing.services import sla
from ticketing.services.kind_states import DECISIONS, working_time_between
from ticketing.services.stats import _median

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
CSV_COLUMNS = ("section", "key", "label", "value")


def check_year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = 0
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        message = catalogue.text("field.range", min=EARLIEST_YEAR, max=LATEST_YEAR)
        raise APIError(422, "invalid_fields", message, {"year": [message]})
    return year


def year_bounds(year: int) -> tuple[datetime, datetime]:
    zone = city_zone()
    start = datetime(year, 1, 1, tzinfo=zone).astimezone(UTC)
    return start, datetime(year + 1, 1, 1, tzinfo=zone).astimezone(UTC)


def working_days(start: datetime, end: datetime) -> float:
    return working_time_between(start, end).total_seconds() / 3600 / sla.calendar().workday_hours


def _figures(rows: list[Ticket]) -> dict:
    decided = [row for row in rows if row.decision in DECISIONS and row.decided_at is not None]
    days = [working_days(row.created_at, row.decided_at) for row in decided]
    median = _median(days)
    return {
        "requests": len(rows),
        **{decision: sum(1 for row in decided if row.decision == decision) for decision in DECISIONS},
        "pending": len(rows) - len(decided),
        "extended": sum(1 for row in rows if row.extended_at is not None),
        "median_days": None if median is None else round(median, 2),
        "objections": sum(1 for row in rows if row.objection_at is not None),
        "objections_decided": sum(1 for row in rows if row.objection_decided_at is not None),
    }


def ppid_report(year: int, region_codes: list[str] | None = None, opd_code: str | None = None) -> dict:
    """The year's figures; `region_codes` (a staff account's visible regions) and `opd_code` (a
    PPID pembantu's own) narrow it."""
    start, end = year_bounds(year)
    query = select(Ticket).where(
        Ticket.kind == "informasi", Ticket.created_at >= start, Ticket.created_at < end
    )
    if region_codes is not None:
        query = query.where(Ticket.region_code.in_(region_codes))
    if opd_code is not None:
        query = query.where(Ticket.opd_code == opd_code)
    rows = list(db.session.scalars(query.order_by(Ticket.id)))
    exemptions = dict.fromkeys(EXEMPTIONS, 0)
    for row in rows:
        if row.decision in ("partial", "refused") and row.exemption in exemptions:
            exemptions[row.exemption] += 1
    objection_outcomes = dict.fromkeys(DECISIONS, 0)
    for row in rows:
        if row.objection_decision in objection_outcomes:
            objection_outcomes[row.objection_decision] += 1
    # Objections by their UU 14/2008 Art. 35(1) ground, and those without one.
    objection_grounds = {**dict.fromkeys(OBJECTION_GROUNDS, 0), UNNAMED_GROUND: 0}
    for row in rows:
        if row.objection_at is not None:
            ground = row.objection_ground if row.objection_ground in OBJECTION_GROUNDS else UNNAMED_GROUND
            objection_grounds[ground] += 1
    by_opd = {}
    for row in rows:
        by_opd.setdefault(row.opd_code or "-", []).append(row)
    report = {
        "year": year,
        "title": catalogue.text("ppid.report_title", year=year),
        **_figures(rows),
        "exemptions": exemptions,
        "objection_outcomes": objection_outcomes,
        "objection_grounds": objection_grounds,
        "opds": [{"opd": code, **_figures(items)} for code, items in sorted(by_opd.items())],
    }
    db.session.rollback()  # end the read transaction
    return report


UNNAMED_GROUND = "none"


def ground_label(letter: str) -> str:
    """A row of the objections-by-ground table: the article's letter, or "not named"."""
    if letter == UNNAMED_GROUND:
        return catalogue.text("ppid.objection_ground_unnamed")
    return catalogue.text("ppid.objection_ground_row", letter=letter)


SUMMARY_KEYS = (
    ("requests", "ppid.requests"),
    ("granted", "ppid.granted"),
    ("partial", "ppid.partial"),
    ("refused", "ppid.refused"),
    ("pending", "ppid.pending"),
    ("extended", "ppid.extended"),
    ("median_days", "ppid.median_days"),
    ("objections", "ppid.objections"),
    ("objections_decided", "ppid.objections_decided"),
)


def csv_rows(report: dict):
    """The report as rows of (section, key, label, value), for `csv_stream`."""
    for key, label in SUMMARY_KEYS:
        yield {"section": "ringkasan", "key": key, "label": catalogue.text(label), "value": report[key]}
    for letter, count in report["exemptions"].items():
        label = catalogue.text("ppid.exemption_row", letter=letter)
        yield {"section": "pengecualian", "key": letter, "label": label, "value": count}
    for decision, count in report["objection_outcomes"].items():
        label = catalogue.text(f"decision.{decision}")
        yield {"section": "keberatan", "key": decision, "label": label, "value": count}
    for letter, count in report["objection_grounds"].items():
        yield {"section": "alasan_keberatan", "key": letter, "label": ground_label(letter), "value": count}
    for row in report["opds"]:
        for key, label in SUMMARY_KEYS:
            yield {
                "section": f"ppid:{row['opd']}",
                "key": key,
                "label": catalogue.text(label),
                "value": row[key],
            }
