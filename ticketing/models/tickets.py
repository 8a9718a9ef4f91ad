"""The ticket (one citizen complaint) and its append-only history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ticketing.extensions import db
from ticketing.models.base import BigIntId, IdMixin, TimestampMixin, UTCDateTime, utcnow
from ticketing.models.regions import region_column
from ticketing.pii import summarize

STATUSES = (
    "received",
    "triage",
    "assigned",
    "in_progress",
    "on_hold",
    "objection",
    "external",
    "resolved",
    "closed",
    "closed_unresolved",
    "rejected",
)
OPEN_STATUSES = ("received", "triage", "assigned", "in_progress", "on_hold", "objection")
# What a report is (issue #17, services/kinds.py): a complaint, a suggestion (never overdue) or a
# request for public information (UU 14/2008, answered by a PPID within statutory deadlines).
KINDS = ("pengaduan", "aspirasi", "informasi")
STATUS_LENGTH = 24
# Handed to a body outside the city (PLN, BPJN, the police; services/handoffs.py): not resolved,
# yet not the city's backlog either. Kept out of OPEN_STATUSES so the city's open and overdue
# counts, and its SLA sweeps, never carry another body's waiting time; screens count it apart.
EXTERNAL_STATUSES = ("external",)
CHANNELS = ("web", "sms", "whatsapp", "open311", "telegram", "phone", "counter")
# Filed by an operator for a caller (`phone`) or a walk-in (`counter`): updates go by SMS to the
# number they gave, when they gave one.
ASSISTED_CHANNELS = ("phone", "counter")
# The channels whose citizen is answered in the chat they wrote from (the outbox, notifications).
CHAT_CHANNELS = ("sms", "whatsapp", "telegram")
# What the stats-window indexes cover beside their keys on PostgreSQL (the per-OPD one and
# `ix_tickets_region_stats_window`, beside (region_code, created_at)).
REGION_STATS_INCLUDE = [
    "channel",
    "category_code",
    "assigned_at",
    "accepted_at",
    "resolved_at",
    "sla_due_at",
    "sla_breached_at",
    "feedback_rating",
]


class Ticket(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "tickets"

    ticket_number: Mapped[str] = mapped_column(String(16), unique=True, nullable=False)
    tracking_token_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    # SHA-256 of the web client's Idempotency-Key: a retried POST finds its ticket, not a twin.
    idempotency_key_hash: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    status: Mapped[str] = mapped_column(String(STATUS_LENGTH), default="received", nullable=False)
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    # The masked one-line summary every public view shows (wall, events, lists, Open311),
    # computed once when the description is written, never per read (see ticketing/pii.py).
    summary: Mapped[str] = mapped_column(String(160), nullable=False, default="", server_default="")
    # The region responsible (issue #16); its OPD and category are that region's.
    region_code: Mapped[str] = region_column()
    category_code: Mapped[str | None] = mapped_column(String(48), nullable=True)
    # True when the citizen chose the category; the router then only maps it to its OPD.
    category_chosen: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    opd_code: Mapped[str | None] = mapped_column(String(32), nullable=True)

    reporter_name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    reporter_phone: Mapped[str | None] = mapped_column(String(140), nullable=True)
    reporter_email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    confidential: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)

    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    address: Mapped[str | None] = mapped_column(String(300), nullable=True)
    # Area units (config/areas/): from the location when there is one, else a place name in the
    # text. Codes are the slugs of the GeoJSON properties (`bandar-lor`, `mojoroto`).
    kelurahan_code: Mapped[str | None] = mapped_column(String(48), nullable=True)
    kecamatan_code: Mapped[str | None] = mapped_column(String(48), nullable=True)

    routing_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    routed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sla_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    overdue: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    return_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    # Lifecycle (services/lifecycle.py). The SLA sweep stamps each notification once, so a
    # sweep that runs twice never notifies twice.
    sla_remind_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The first deadline missed: kept through reassignment, return and reopening (which start
    # new windows), so a late ticket never counts as on time in the stats.
    sla_breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Returned by OPDs twice: the command-centre supervisor looks at it.
    flagged_for_supervisor: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    rejection_reason: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # A rejected duplicate points at the original; its reporter follows the original's updates.
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    # The incident this report joined (services/incidents.py): its SLA and messages are the
    # incident's while it stays there.
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), nullable=True)
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    feedback_rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    feedback_comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    feedback_channel: Mapped[str | None] = mapped_column(String(16), nullable=True)

    # Kinds and states (issue #17; services/kinds.py, services/kind_states.py, services/ppid.py).
    kind: Mapped[str] = mapped_column(
        String(16), default="pengaduan", server_default="pengaduan", nullable=False
    )
    # True when the citizen chose the kind (web field, chat keyword); the router then keeps it.
    kind_chosen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), nullable=False)
    # An information request's statutory deadline (10 working days, +7 once; an objection's 30).
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    extended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The PPID's answer: granted | partial | refused, with the UU 14/2008 Art. 17 letter.
    decision: Mapped[str | None] = mapped_column(String(16), nullable=True)
    exemption: Mapped[str | None] = mapped_column(String(4), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The requester's keberatan and the atasan PPID's answer to it.
    objection_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    objection_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Its ground, UU 14/2008 Art. 35(1) letter a-g (catalogue_kinds.OBJECTION_GROUNDS).
    objection_ground: Mapped[str | None] = mapped_column(String(1), nullable=True)
    objection_decision: Mapped[str | None] = mapped_column(String(16), nullable=True)
    objection_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # on_hold: since when and until when (the SLA clock stands still meanwhile).
    held_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    hold_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # closed_unresolved: duplicate | not_actionable | out_of_authority | planned_later | other.
    close_reason: Mapped[str | None] = mapped_column(String(24), nullable=True)
    # Handed to an outside body (issue #17; services/handoffs.py): the body's code (of the
    # ticket's region or its province), the body's own reference (a PLN ticket number, a
    # SP4N-LAPOR! id) and the date it expects to finish. Copies of the current hand-off's, so
    # every payload carries them without a join.
    external_body_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    external_reference: Mapped[str | None] = mapped_column(String(64), nullable=True)
    external_expected_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    events: Mapped[list[TicketEvent]] = relationship(
        back_populates="ticket", order_by="TicketEvent.id", lazy="raise_on_sql"
    )

    @validates("description")
    def _summarize_description(self, key: str, description: str) -> str:
        self.summary = summarize(description)
        return description

    __table_args__ = (
        ForeignKeyConstraint(["region_code", "opd_code"], ["opds.region_code", "opds.code"]),
        ForeignKeyConstraint(["region_code", "category_code"], ["categories.region_code", "categories.code"]),
        # Staff reads are scoped by region (services/regions.py), so their indexes lead with it.
        # The officer queue and the wall: newest tickets of one OPD / status, keyset by id.
        Index("ix_tickets_region_opd_status_id", "region_code", "opd_code", "status", "id"),
        # On PostgreSQL it carries `overdue` and `kind`: a province's open and overdue count per
        # city (services/region_comparison.py) is read from the index alone.
        Index(
            "ix_tickets_region_status_id",
            "region_code",
            "status",
            "id",
            postgresql_include=["overdue", "kind"],
        ),
        # An operator's whole list, newest first.
        Index("ix_tickets_region_id", "region_code", "id"),
        Index("ix_tickets_region_created_at", "region_code", "created_at"),
        # Lifecycle: an OPD's whole queue newest first.
        Index("ix_tickets_region_opd_id", "region_code", "opd_code", "id"),
        # Possible duplicates (services/duplicates.py): same category, last 7 days.
        Index("ix_tickets_region_category_created_at", "region_code", "category_code", "created_at"),
        # Not by region: a citizen's chat finds their tickets wherever they were filed, and the
        # auto-close and SLA sweeps walk every region at once.
        Index("ix_tickets_reporter_phone", "reporter_phone"),
        Index("ix_tickets_status_resolved_at", "status", "resolved_at"),
        Index("ix_tickets_status_sla_due_at", "status", "sla_due_at"),
        Index("ix_tickets_duplicate_of_id", "duplicate_of_id"),
        Index("ix_tickets_incident_id", "incident_id", "id"),
        # GET /stats reads a month of tickets from indexes alone (services/stats.py): a
        # region's counts by channel and category, and a province's figures per city
        # (services/region_comparison.py: counts, SLA, ratings, median first response) from
        # the first; each OPD's medians and rates, and one OPD's counts, from the second.
        Index(
            "ix_tickets_region_stats_window",
            "region_code",
            "created_at",
            postgresql_include=REGION_STATS_INCLUDE,
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_tickets_region_opd_stats_window",
            "region_code",
            "opd_code",
            "created_at",
            postgresql_include=REGION_STATS_INCLUDE,
        ).ddl_if(dialect="postgresql"),
        # Staff search `q` (services/queries.py): full text, PostgreSQL only.
        Index(
            "ix_tickets_description_fts",
            text("to_tsvector('simple'::regconfig, description)"),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
    )


class TicketEvent(db.Model):
    """Every change to a ticket, never updated or deleted.

    The id is the global, gap-tolerant, strictly increasing cursor of `/api/v1/events`
    and of the Socket.IO feed.
    """

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), nullable=False)
    type: Mapped[str] = mapped_column(String(32), nullable=False)  # ticket.created / routed / updated
    action: Mapped[str] = mapped_column(String(32), nullable=False)
    from_status: Mapped[str | None] = mapped_column(String(STATUS_LENGTH), nullable=True)
    to_status: Mapped[str | None] = mapped_column(String(STATUS_LENGTH), nullable=True)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    # Who acted when it was not a staff user: citizen, router, system.
    actor_label: Mapped[str] = mapped_column(String(64), nullable=False)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    public: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    data: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    ticket: Mapped[Ticket] = relationship(back_populates="events", lazy="raise_on_sql")

    __table_args__ = (Index("ix_ticket_events_ticket_id_id", "ticket_id", "id"),)
