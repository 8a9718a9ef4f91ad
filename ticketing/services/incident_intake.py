"""Reports arriving while an incident is active (issue #18): they join it when routed, and their
citizen hears one acknowledgement naming it; the outbox keys that make each incident message
reach a citizen once.

- While an incident is active in the region a chat report's acknowledgement is written
  `deferred` (`hold_ack_while_active`) and released by routing (`join_on_route`): the ordinary
  one with its number, or, when it joined, one naming the incident, once per citizen and incident.
- A joined report has no SLA of its own and no status messages of its own (`quiet`).
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select, text

from ticketing import catalogue
from ticketing.extensions import db
from ticketing.models import Incident, OutboxMessage, Ticket
from ticketing.models.base import utcnow
from ticketing.services import outbox
from ticketing.services.events import record_event
from ticketing.services.incident_areas import covers
from ticketing.services.regions import find_opd

ACTIVE = "active"
INCIDENT_LOCK_CLASS = 44  # two-key advisory locks (conversation 42, spikes 43)


def region_lock(region_code: str, exclusive: bool) -> None:
    """Declaring takes the region's lock exclusively, routing shares it: a report routed while an
    incident is being declared is either seen by the declaration's take-in (its routing
    committed first) or sees the incident itself, never neither (PostgreSQL; SQLite is serial)."""
    if db.session.get_bind().dialect.name == "postgresql":
        function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
        db.session.execute(
            text(f"SELECT {function}(:cls, hashtext(:region))"),
            {"cls": INCIDENT_LOCK_CLASS, "region": region_code},
        )


def join(incident: Incident, ticket: Ticket) -> None:
    """The report's own clock stops: the incident's response is what it waits for."""
    ticket.incident_id = incident.id
    ticket.sla_due_at = ticket.sla_remind_at = None
    ticket.overdue = False


def active_incidents(region_code: str) -> list[Incident]:
    return list(
        db.session.scalars(
            select(Incident)
            .where(Incident.region_code == region_code, Incident.status == ACTIVE)
            .order_by(Incident.id)
        )
    )


def hold_ack_while_active(ack: OutboxMessage, ticket: Ticket) -> None:
    """Called by the conversation beside a new chat report's acknowledgement: while an incident
    is active in the region, the acknowledgement waits for routing (`join_on_route`)."""
    if active_incidents(ticket.region_code):
        ack.state = "deferred"


def quiet(ticket: Ticket) -> bool:
    """A joined report hears the incident, not its own status changes (notifications.py)."""
    return ticket.incident_id is not None


def quiet_followup(ticket: Ticket) -> bool:
    """No "added to your report" reply for a report in (or waiting to join) an incident: its
    citizen hears one acknowledgement, naming the incident. The acknowledgement still deferred
    is read first, then the ticket's incident afresh: a routing that committed in between (and
    released the acknowledgement) is seen by the second read."""
    if ticket.incident_id is not None:
        return True
    deferred = db.session.scalar(
        select(OutboxMessage.id)
        .where(OutboxMessage.ticket_id == ticket.id, OutboxMessage.state == "deferred")
        .limit(1)
    )
    if deferred is not None:
        return True
    return db.session.scalar(select(Ticket.incident_id).where(Ticket.id == ticket.id)) is not None


def followup_reply(ticket: Ticket) -> str | None:
    """The "added to your report" reply, or None for a report in (or waiting for) an incident."""
    if quiet_followup(ticket):
        return None
    return catalogue.text("chat.followup_added", ticket_number=ticket.ticket_number)


def join_on_route(ticket: Ticket, data: dict) -> Incident | None:
    """Routing's hook, before its event is recorded: join the active incident that covers the
    ticket (its OPD becomes the lead OPD, its SLA the incident's), and release a deferred
    acknowledgement either way."""
    joined = None
    if ticket.category_code:
        region_lock(ticket.region_code, exclusive=False)
        for incident in active_incidents(ticket.region_code):
            if covers(incident, ticket):
                joined = incident
                break
    if joined is not None:
        join(joined, ticket)
        if joined.lead_opd_code:
            ticket.opd_code = joined.lead_opd_code
            if ticket.status == "triage":
                ticket.status, ticket.assigned_at = "assigned", utcnow()
        data["incident"] = joined.id
        # In the public history too: the tracking page names the incident it joined.
        record_event(
            ticket,
            type="ticket.updated",
            action="incident_join",
            actor_label="router",
            from_status=ticket.status,
            note=catalogue.text("incident.joined_note", title=joined.title),
            public=True,
            data={"incident": joined.id},
        )
    _release_deferred_ack(ticket, joined)
    return joined


def outbox_key(*parts) -> str:
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:64]


def keyed_message(ticket: Ticket, route, kind: str, body: str, key: str, params: list) -> bool:
    """One outbox row under a deterministic key, unless that key was used: (update, citizen)
    or (incident, citizen) is sent once however often the caller runs."""
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)):
        return False
    row = outbox.add_message(
        ticket=ticket, channel=route[0], recipient=route[1], kind=kind, body=body, template_params=params
    )
    row.idempotency_key = key
    return True


def _release_deferred_ack(ticket: Ticket, incident: Incident | None) -> None:
    held = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id, OutboxMessage.state == "deferred")
    ).all()
    for row in held:
        if incident is None:
            row.state = "held" if row.channel == "gateway" else "queued"
            if row.state == "queued":
                outbox.dispatch_after_commit(row.id)
            continue
        key = outbox_key("incident-ack", incident.id, row.channel, row.recipient)
        db.session.delete(row)  # never sent: the incident's acknowledgement replaces it
        db.session.flush()
        body = catalogue.text("incident.ack", title=incident.title, opd_name=lead_name(incident))
        keyed_message(ticket, (row.channel, row.recipient), "incident_ack", body, key, [incident.title])


def lead_name(incident: Incident) -> str:
    opd = find_opd(incident.region_code, incident.lead_opd_code)
    return opd.name if opd is not None else catalogue.text("incident.lead_unknown")
