"""Figures for screens and reports."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, func, select, text

from ticketing.extensions import db
from ticketing.formatting import city_zone
from ticketing.models import OPEN_STATUSES, Opd, Ticket
from ticketing.models.tickets import KINDS
from ticketing.services import handoff_views, incidents, proof
from ticketing.services.events import latest_event_id, wall_ticket

SNAPSHOT_TICKETS = 50
# Every open overdue ticket rides along on connect; the cap only bounds one payload on a city
# in crisis (the wall's map keeps 2,000 points too); `overdue_total` still tells the truth.
SNAPSHOT_OVERDUE_LIMIT = 2000


def _in_regions(region_codes: list[str] | None) -> list:
    """The WHERE terms limiting tickets to `region_codes` (None: every region)."""
    if region_codes is None:
        return []
    return [
        Ticket.region_code == region_codes[0]
        if len(region_codes) == 1
        else Ticket.region_code.in_(region_codes)
    ]


def open_counts(region_codes: list[str] | None = None) -> dict:
    """Open tickets by status and by OPD code (API.md §4), and `by_region`: by OPD within each
    region (issue #16), as OPD codes repeat across regions (the province's DISHUB, each city's)."""
    # An incident's reports count once, as the incident (services/incidents.py board_counts).
    rows = db.session.execute(
        select(Ticket.region_code, Ticket.status, Ticket.opd_code, func.count())
        .where(*_in_regions(region_codes), Ticket.status.in_(OPEN_STATUSES), Ticket.incident_id.is_(None))
        .group_by(Ticket.region_code, Ticket.status, Ticket.opd_code)
    ).all()
    by_status: dict[str, int] = {status: 0 for status in OPEN_STATUSES}
    by_opd: dict[str, dict[str, int]] = {}
    by_region: dict[str, dict[str, dict[str, int]]] = {}
    for region, status, opd_code, count in rows:
        by_status[status] += count
        for bucket in (by_opd, by_region.setdefault(region, {})):
            opd = bucket.setdefault(opd_code or "-", {"open": 0})
            opd["open"] += count
            opd[status] = opd.get(status, 0) + count
    overdue = db.session.execute(
        select(Ticket.region_code, Ticket.opd_code, func.count())
        .where(*_in_regions(region_codes), Ticket.status.in_(OPEN_STATUSES), Ticket.overdue.is_(True))
        .group_by(Ticket.region_code, Ticket.opd_code)
    ).all()
    for region, opd_code, count in overdue:
        row = by_opd.setdefault(opd_code or "-", {"open": 0})
        row["overdue"] = row.get("overdue", 0) + count
        by_region.setdefault(region, {}).setdefault(opd_code or "-", {"open": 0})["overdue"] = count
    incidents.board_counts(by_opd, region_codes)
    _incidents_by_region(by_region, region_codes)
    # Waiting on outside bodies (issue #17): counted apart, never in the city's open figures.
    external = handoff_views.external_counts(_in_regions(region_codes))
    return {"by_status": by_status, "by_opd": by_opd, "by_region": by_region, "external": external}


def _incidents_by_region(by_region: dict, region_codes: list[str] | None) -> None:
    """`board_counts` per region: an active incident counts once, at its region's lead OPD."""
    from ticketing.models.incidents import Incident

    query = select(Incident.region_code, Incident.lead_opd_code, func.count()).where(
        Incident.status == incidents.ACTIVE
    )
    if region_codes is not None:
        query = query.where(Incident.region_code.in_(region_codes))
    for region, opd_code, count in db.session.execute(
        query.group_by(Incident.region_code, Incident.lead_opd_code)
    ):
        row = by_region.setdefault(region, {}).setdefault(opd_code or "-", {"open": 0})
        row["open"] += count
        row["incidents"] = row.get("incidents", 0) + count


def wall_snapshot(opd_code: str | None = None, region_codes: list[str] | None = None) -> dict:
    """What a screen needs on connect: open counts, the newest tickets, and every open overdue
    ticket (`overdue_tickets`, latest deadline last): the escalation strip must not depend on
    an overdue ticket being among the newest 50. `open_total` is the true number open."""
    # `region_codes`: the regions the screen hears (None: all).
    query = (
        select(Ticket).where(*_in_regions(region_codes)).order_by(Ticket.id.desc()).limit(SNAPSHOT_TICKETS)
    )
    overdue = (
        select(Ticket)
        .where(Ticket.status.in_(OPEN_STATUSES), Ticket.overdue.is_(True), *_in_regions(region_codes))
        .order_by(Ticket.sla_due_at, Ticket.id)
        .limit(SNAPSHOT_OVERDUE_LIMIT)
    )
    if opd_code is not None:
        query = query.where(Ticket.opd_code == opd_code)
        overdue = overdue.where(Ticket.opd_code == opd_code)
    tickets = [wall_ticket(ticket) for ticket in db.session.scalars(query)]
    overdue_tickets = [wall_ticket(ticket) for ticket in db.session.scalars(overdue)]
    counts = open_counts(region_codes)
    if opd_code is not None:
        mine = counts["by_opd"].get(opd_code, {})
        open_total, overdue_total = mine.get("open", 0), mine.get("overdue", 0)
    else:
        open_total = sum(counts["by_status"].values())
        overdue_total = sum(row.get("overdue", 0) for row in counts["by_opd"].values())
    snapshot = {
        "last_event_id": latest_event_id(),
        "counts": counts,
        "tickets": tickets,
        "overdue_tickets": overdue_tickets,
        "open_total": open_total,
        "overdue_total": overdue_total,
        # Active incidents and open proposals: the wall's map layer, at the head of its feed.
        "incidents": incidents.active_for_wall(region_codes),
        # Tickets handed to outside bodies (PLN, BPJN…), the wall's strip apart from the backlog.
        "external_tickets": [
            wall_ticket(t) for t in handoff_views.waiting_tickets(opd_code, _in_regions(region_codes))
        ],
        "external_total": counts["external"]["total"],
    }
    db.session.rollback()
    return snapshot


# --- GET /api/v1/stats -------------------------------------------------------------------
DEFAULT_STATS_DAYS = 30


def _hours(delta) -> float | None:
    return None if delta is None else delta.total_seconds() / 3600


def _median(values: list[float]) -> float | None:
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _round(value, digits: int = 2):
    return None if value is None else round(float(value), digits)


def _performance_postgresql(
    window, opd_code: str | None, region_codes: list[str] | None = None
) -> dict[tuple[str, str], dict]:
    """Per-OPD (per region and OPD code) medians and rates computed in the database, one OPD at a time.

    A LATERAL subquery per OPD reads that OPD's month from `ix_tickets_opd_stats_window`
    (index only, already grouped), so the medians sort a few thousand rows each instead of
    the whole month being sorted by OPD first: 3x faster on 1,000,000 tickets (BENCHMARKS.md).
    """

    def epoch_hours(later, earlier):
        # date_part gives a float; extract() gives numeric since PostgreSQL 14, ten times slower.
        return func.date_part("epoch", later - earlier) / 3600.0

    accepted = and_(Ticket.accepted_at.is_not(None), Ticket.assigned_at.is_not(None))
    resolved = and_(Ticket.resolved_at.is_not(None), Ticket.assigned_at.is_not(None))
    judged = and_(Ticket.resolved_at.is_not(None), Ticket.sla_due_at.is_not(None))
    opds = select(Opd.region_code, Opd.code)
    if region_codes is not None:
        opds = opds.where(Opd.region_code.in_(region_codes))
    if opd_code is not None:
        opds = opds.where(Opd.code == opd_code)
    opds = opds.subquery("o")
    figures = (
        select(
            func.percentile_cont(0.5)
            .within_group(epoch_hours(Ticket.accepted_at, Ticket.assigned_at))
            .filter(accepted)
            .label("accept"),
            func.percentile_cont(0.5)
            .within_group(epoch_hours(Ticket.resolved_at, Ticket.assigned_at))
            .filter(resolved)
            .label("resolve"),
            func.count().filter(judged).label("judged"),
            func.count()
            .filter(and_(judged, Ticket.resolved_at <= Ticket.sla_due_at, Ticket.sla_breached_at.is_(None)))
            .label("on_time"),
            func.avg(Ticket.feedback_rating).label("rating"),
            func.count(Ticket.feedback_rating).label("rated"),
            func.count().label("filed"),
        )
        .where(*window, Ticket.region_code == opds.c.region_code, Ticket.opd_code == opds.c.code)
        .lateral("f")
    )
    query = select(opds.c.region_code, opds.c.code, figures).select_from(opds.join(figures, text("true")))
    result = {}
    for region, opd, accept, resolve, judged_n, on_time, rating, rated, filed in db.session.execute(query):
        if not filed:
            continue  # an OPD with no tickets in the window is left out, as on SQLite
        result[(region, opd)] = {
            "median_hours_to_accept": _round(accept),
            "median_hours_to_resolve": _round(resolve),
            "sla_judged": judged_n,
            "sla_met": on_time,
            "average_rating": _round(rating),
            "ratings": rated,
        }
    return result


def _performance_python(
    window, _opd_code: str | None, _region_codes: list[str] | None = None
) -> dict[tuple[str, str], dict]:
    """The same figures for SQLite, which has no percentile function."""
    rows = db.session.execute(
        select(
            Ticket.region_code,
            Ticket.opd_code,
            Ticket.assigned_at,
            Ticket.accepted_at,
            Ticket.resolved_at,
            Ticket.sla_due_at,
            Ticket.feedback_rating,
            Ticket.sla_breached_at,
        ).where(*window, Ticket.opd_code.is_not(None))
    )
    grouped: dict[tuple[str, str], list] = {}
    for row in rows:
        grouped.setdefault((row[0], row[1]), []).append(row)
    result = {}
    for opd, items in grouped.items():
        accept = [_hours(r.accepted_at - r.assigned_at) for r in items if r.accepted_at and r.assigned_at]
        resolve = [_hours(r.resolved_at - r.assigned_at) for r in items if r.resolved_at and r.assigned_at]
        judged = [r for r in items if r.resolved_at and r.sla_due_at]
        ratings = [r.feedback_rating for r in items if r.feedback_rating is not None]
        result[opd] = {
            "median_hours_to_accept": _round(_median(accept)),
            "median_hours_to_resolve": _round(_median(resolve)),
            "sla_judged": len(judged),
            "sla_met": sum(1 for r in judged if r.resolved_at <= r.sla_due_at and r.sla_breached_at is None),
            "average_rating": _round(sum(ratings) / len(ratings)) if ratings else None,
            "ratings": len(ratings),
        }
    return result


def ticket_stats(
    start=None, end=None, opd_code: str | None = None, region_codes: list[str] | None = None
) -> dict:
    """Open and overdue now; speed, SLA compliance and ratings of tickets filed in [start, end)
    (default: the last 30 days); counts by channel and category. `opd_code` limits it to one OPD,
    `region_codes` to those regions' tickets (None: every region). One row per OPD of a region
    (`region` beside `opd`), ordered by region then code: a province account's figures keep its
    cities' same-code agencies apart."""
    from ticketing.services import sla

    end = end or sla.now()
    start = start or end - timedelta(days=DEFAULT_STATS_DAYS)
    window = [*_in_regions(region_codes), Ticket.created_at >= start, Ticket.created_at < end]
    if opd_code is not None:
        window.append(Ticket.opd_code == opd_code)

    # An aspirasi is never overdue (issue #17): it has no deadline, and is never counted as late.
    late = and_(Ticket.overdue.is_(True), Ticket.kind != "aspirasi")
    current = select(Ticket.region_code, Ticket.opd_code, func.count(), func.count().filter(late))
    current = current.where(
        Ticket.status.in_(OPEN_STATUSES), Ticket.opd_code.is_not(None), *_in_regions(region_codes)
    )
    if opd_code is not None:
        current = current.where(Ticket.opd_code == opd_code)
    # Keyed by (region, OPD code): Kediri's PUPR and Blitar's PUPR are two agencies, two rows.
    by_opd: dict[tuple[str, str], dict] = {}
    grouped = current.group_by(Ticket.region_code, Ticket.opd_code)
    for region, code, open_count, overdue_count in db.session.execute(grouped):
        by_opd[(region, code)] = {"open": open_count, "overdue": overdue_count}

    dialect = db.session.get_bind().dialect.name
    performance = (_performance_postgresql if dialect == "postgresql" else _performance_python)(
        window, opd_code, region_codes
    )
    empty = {
        "median_hours_to_accept": None,
        "median_hours_to_resolve": None,
        "sla_judged": 0,
        "sla_met": 0,
        "average_rating": None,
        "ratings": 0,
    }
    opds = []
    for key in sorted(set(by_opd) | set(performance)):
        region, code = key
        figures = {"opd": code, "region": region, "open": 0, "overdue": 0, **empty}
        figures.update(by_opd.get(key, {}))
        figures.update(performance.get(key, {}))
        judged = figures.pop("sla_judged")
        met = figures.pop("sla_met")
        figures["sla_compliance"] = _round(met / judged, 4) if judged else None
        figures["sla_resolved"] = judged
        opds.append(figures)
    proof.add_reopened_by_citizen(opds, start, end, opd_code, region_codes)  # issue #18: "belum beres"

    by_channel: dict[str, int] = {}
    by_category: dict[str, int] = {}
    rows = db.session.execute(
        select(Ticket.channel, Ticket.category_code, func.count())
        .where(*window)
        .group_by(Ticket.channel, Ticket.category_code)
    )
    for channel, category, count in rows:  # one pass over the window for both breakdowns
        by_channel[channel] = by_channel.get(channel, 0) + count
        by_category[category or "-"] = by_category.get(category or "-", 0) + count
    # Issue #17: complaints, suggestions and information requests apart.
    by_kind = dict.fromkeys(KINDS, 0)
    kinds = select(Ticket.kind, func.count()).where(*window).group_by(Ticket.kind)
    by_kind.update(db.session.execute(kinds).all())
    db.session.rollback()  # end the read transaction
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "opds": opds,
        "overall": {
            "tickets": sum(by_channel.values()),
            "by_channel": by_channel,
            "by_category": by_category,
            "by_kind": by_kind,
            "open": sum(o["open"] for o in opds),
            "overdue": sum(o["overdue"] for o in opds),
        },
    }


# --- The wall's "today" counters ---------------------------------------------------------
def _start_of_local_day(now):
    """Midnight of today in the city's time zone, as UTC: the wall's day is the city's day."""
    local = now.astimezone(city_zone())
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(now.tzinfo)


def today_counters(now=None, region_codes: list[str] | None = None) -> dict:
    """Received, routed by the router straight to an OPD, in triage now, resolved, by channel."""
    from ticketing.models import CHANNELS, TicketEvent
    from ticketing.services import sla

    now = now or sla.now()
    start = _start_of_local_day(now)
    by_channel = {channel: 0 for channel in CHANNELS}
    for channel, count in db.session.execute(
        select(Ticket.channel, func.count())
        .where(Ticket.created_at >= start, *_in_regions(region_codes))
        .group_by(Ticket.channel)
    ):
        by_channel[channel] = by_channel.get(channel, 0) + count
    routed = db.session.scalar(
        select(func.count())
        .select_from(TicketEvent)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(
            *_in_regions(region_codes),
            TicketEvent.type == "ticket.routed",
            TicketEvent.to_status == "assigned",
            TicketEvent.created_at >= start,
        )
    )
    triage = db.session.scalar(
        select(func.count()).where(Ticket.status == "triage", *_in_regions(region_codes))
    )
    resolved = db.session.scalar(
        select(func.count()).where(Ticket.resolved_at >= start, *_in_regions(region_codes))
    )
    db.session.rollback()  # end the read transaction
    return {
        "day_start": start.isoformat(),
        "received": sum(by_channel.values()),
        "routed_auto": routed or 0,
        "triage": triage or 0,
        "resolved": resolved or 0,
        "by_channel": by_channel,
    }


def wall_summary(region_codes: list[str] | None = None) -> dict:
    """What the wall re-reads every half minute to correct drift: open counts and today's
    counters, as of `last_event_id` (events after it are still to be applied on top)."""
    last_event_id = latest_event_id()
    summary = {
        "last_event_id": last_event_id,
        "counts": open_counts(region_codes),
        "today": today_counters(region_codes=region_codes),
    }
    db.session.rollback()
    return summary
