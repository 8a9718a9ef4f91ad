"""Spike detection (issue #18): reports of one category clustering in space and time.

A spike is INCIDENT_SPIKE_MIN_REPORTS reports of one category within INCIDENT_SPIKE_RADIUS_M of
one of them, filed in the last INCIDENT_SPIKE_WINDOW_MINUTES, not yet in an incident. The worker
checks right after routing a report (its category is known only then) and on a periodic sweep
(a location sent after the text). A cluster becomes one `proposed` incident with the reports it
would take in, announced as `incident.proposed` on the wall: a report whose place lies inside
an open proposal or an active incident (or one dismissed within the window) proposes nothing,
and on PostgreSQL a lock per (region, category) keeps two workers from proposing it twice.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, text

from ticketing import catalogue
from ticketing.extensions import db
from ticketing.models import Incident, Ticket
from ticketing.models.base import utcnow
from ticketing.services import incident_areas, incidents
from ticketing.services.regions import find_category

log = logging.getLogger(__name__)

SPIKE_LOCK_CLASS = 43  # two-key advisory locks (conversation uses 42)
COUNTED_STATUSES = ("received", "triage", "assigned", "in_progress")
MAX_POINTS = 20_000  # one category's window on the worst day, bounded


def _settings() -> tuple[int, float, timedelta]:
    config = current_app.config
    return (
        int(config.get("INCIDENT_SPIKE_MIN_REPORTS", 8)),
        float(config.get("INCIDENT_SPIKE_RADIUS_M", 500)),
        timedelta(minutes=config.get("INCIDENT_SPIKE_WINDOW_MINUTES", 30)),
    )


def densest(points: list[tuple[int, float, float]], radius_m: float) -> tuple[tuple[float, float], list[int]]:
    """The point with the most others within `radius_m`, and the ids of those (itself included).

    A grid of cells one radius wide: each point compares with its own and the 8 neighbouring
    cells only, so a flood of 2,000 reports costs thousands of distances, not millions."""
    if not points:
        return (0.0, 0.0), []
    cell_lat = radius_m / 111_320.0
    cell_lon = radius_m / (111_320.0 * max(0.1, math.cos(math.radians(points[0][1]))))
    grid: dict[tuple[int, int], list[tuple[int, float, float]]] = defaultdict(list)
    for point in points:
        grid[(int(point[1] // cell_lat), int(point[2] // cell_lon))].append(point)
    best_centre, best_members = (points[0][1], points[0][2]), []
    for (row, col), cell in grid.items():
        nearby = [p for dr in (-1, 0, 1) for dc in (-1, 0, 1) for p in grid.get((row + dr, col + dc), ())]
        for _, lat, lon in cell:
            members = [
                pid
                for pid, plat, plon in nearby
                if incident_areas.distance_m(lat, lon, plat, plon) <= radius_m
            ]
            if len(members) > len(best_members):
                best_centre, best_members = (lat, lon), members
    return best_centre, best_members


def _standing(region_code: str, category: str, since) -> list[Incident]:
    """Open proposals and active incidents of this category, and those dismissed lately."""
    rows = db.session.scalars(
        select(Incident).where(
            Incident.region_code == region_code,
            (Incident.status.in_(("proposed", "active")))
            | ((Incident.status == "dismissed") & (Incident.ends_at >= since)),
        )
    )
    return [i for i in rows if category in (i.categories or [])]


def _covered(standing: list[Incident], lat: float, lon: float) -> bool:
    return any(incident_areas.contains(i, lat, lon) for i in standing)


def _lock(region_code: str, category: str) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(:cls, hashtext(:key))"),
            {"cls": SPIKE_LOCK_CLASS, "key": f"{region_code}:{category}"},
        )


def _points(region_code: str, category: str, since) -> list[tuple[int, float, float]]:
    rows = db.session.execute(
        select(Ticket.id, Ticket.lat, Ticket.lon, Ticket.kelurahan_code)
        .where(
            Ticket.region_code == region_code,
            Ticket.category_code == category,
            Ticket.created_at >= since,
            Ticket.status.in_(COUNTED_STATUSES),
            Ticket.incident_id.is_(None),
        )
        .order_by(Ticket.id.desc())
        .limit(MAX_POINTS)
    ).all()
    centroids = incident_areas.kelurahan_centroids()
    points = []
    for ticket_id, lat, lon, kelurahan in rows:
        if lat is not None and lon is not None:
            points.append((ticket_id, lat, lon))
        elif kelurahan in centroids:
            points.append((ticket_id, *centroids[kelurahan]))
    return points


def detect(region_code: str, category: str, near: tuple[float, float] | None = None) -> Incident | None:
    """Propose an incident for the category's densest cluster, if it is a spike and new.
    With `near` (a report just routed), nothing is read when that place is covered already."""
    minimum, radius, window = _settings()
    since = utcnow() - window
    if near is not None and _covered(_standing(region_code, category, since), *near):
        db.session.rollback()
        return None
    _lock(region_code, category)
    # Read again under the lock: another worker may have proposed it meanwhile.
    standing = _standing(region_code, category, since)
    points = [p for p in _points(region_code, category, since) if not _covered(standing, p[1], p[2])]
    if len(points) < minimum:
        db.session.rollback()
        return None
    centre, members = densest(points, radius)
    if len(members) < minimum:
        db.session.rollback()
        return None
    found = find_category(region_code, category)
    name = found.name if found is not None else category
    first = db.session.scalar(select(db.func.min(Ticket.created_at)).where(Ticket.id.in_(members)))
    proposal = Incident(
        region_code=region_code,
        kind="other",
        title=catalogue.text("incident.proposed_title", category=name, count=len(members)),
        status="proposed",
        categories=[category],
        center_lat=centre[0],
        center_lon=centre[1],
        radius_m=int(radius),
        starts_at=first or since,
        lead_opd_code=found.default_opd_code if found is not None else None,
        proposed_ticket_ids=sorted(members),
    )
    db.session.add(proposal)
    db.session.commit()
    log.info(
        "spike: %s reports of %s in %s; incident %s proposed",
        len(members),
        category,
        region_code,
        proposal.id,
    )
    incidents.publish("incident.proposed", proposal)
    return proposal


def check_after_route(ticket_id: int) -> Incident | None:
    """The worker's hook after routing a report: is it the one that makes a spike?"""
    ticket = db.session.get(Ticket, ticket_id)
    if ticket is None or ticket.incident_id is not None or not ticket.category_code:
        db.session.rollback()
        return None
    point = incident_areas.ticket_point(ticket)
    if point is None:
        db.session.rollback()
        return None
    return detect(ticket.region_code, ticket.category_code, near=point)


def sweep() -> int:
    """The periodic pass: every (region, category) with enough recent reports."""
    minimum, _, window = _settings()
    since = utcnow() - window
    pairs = db.session.execute(
        select(Ticket.region_code, Ticket.category_code)
        .where(
            Ticket.created_at >= since,
            Ticket.category_code.is_not(None),
            Ticket.incident_id.is_(None),
            Ticket.status.in_(COUNTED_STATUSES),
        )
        .group_by(Ticket.region_code, Ticket.category_code)
        .having(db.func.count() >= minimum)
    ).all()
    db.session.rollback()
    return sum(1 for region_code, category in pairs if detect(region_code, category) is not None)
