"""Incidents (issue #18): one flood, many reports, one response.

An incident covers an area (a point and a radius, or a polygon), a time window and some
categories; while it is `active`, a new report inside all three joins it (`tickets.incident_id`)
instead of standing alone. The worker's spike detection writes `proposed` incidents (with the
reports they would take in); an operator declares one (`active`), or dismisses it; closing it
closes its reports. Public updates are rows of their own, sent once to every linked citizen.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ticketing.extensions import db
from ticketing.models.base import IdMixin, TimestampMixin, UTCDateTime, utcnow
from ticketing.models.regions import region_column

INCIDENT_STATUSES = ("proposed", "active", "closed", "dismissed")
# What a command centre declares; free text would split one flood into "banjir"/"flood".
INCIDENT_KINDS = ("flood", "fire", "landslide", "outage", "road_collapse", "storm", "earthquake", "other")


class Incident(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "incidents"

    region_code: Mapped[str] = region_column()
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    status: Mapped[str] = mapped_column(String(16), default="active", nullable=False)
    # Category codes of the incident's region.
    categories: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    # The area: a point and a radius, or a polygon ([[lat, lon], …]; the point is its centre).
    center_lat: Mapped[float] = mapped_column(Float, nullable=False)
    center_lon: Mapped[float] = mapped_column(Float, nullable=False)
    radius_m: Mapped[int | None] = mapped_column(Integer, nullable=True)
    polygon: Mapped[list | None] = mapped_column(JSON, nullable=True)
    # The time window: reports filed from `starts_at` join; `ends_at` is set when it closes.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # An OPD code of the incident's region (BPBD for a flood); its reports are its to work.
    lead_opd_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    declared_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # A proposal's evidence: the ids of the reports the spike found (services/spikes.py).
    proposed_ticket_ids: Mapped[list] = mapped_column(JSON, default=list, nullable=False)
    # The ticket an operator promoted into this incident, if any.
    # (No foreign key: tickets point at incidents, and a cycle of keys would complicate both.)
    source_ticket_id: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (Index("ix_incidents_region_status_id", "region_code", "status", "id"),)


class IncidentUpdate(IdMixin, db.Model):
    """A public update of an incident: each linked citizen hears it once (outbox key)."""

    __tablename__ = "incident_updates"

    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False)
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    # How many citizens it went to (outbox rows written), for the console.
    recipients: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    # SHA-256 of the request's Idempotency-Key: a retried POST finds this update, sends nothing.
    idempotency_key_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)

    # Not stored: set on the update a retried request found (services/incidents.py).
    replayed = False

    __table_args__ = (
        Index("ix_incident_updates_incident_id", "incident_id", "id"),
        Index("uq_incident_updates_incident_key", "incident_id", "idempotency_key_hash", unique=True),
    )
