"""Incidents (issue #18): declare, take reports in, tell every linked citizen, close.

- A report joins an active incident of its region when its category is one of the incident's,
  its place lies inside the area (its own point, else the centre of the kelurahan its text
  names) and it was filed inside the time window. That is decided when the router has read it
  (`join_on_route`, a hook in services/routing.py), because only then is its category known.
- While an incident is active, a chat report's acknowledgement is written `deferred`
  (`hold_ack_while_active`) and released by routing: the ordinary one with its number, or, when
  it joined, one naming the incident, once per citizen and incident (a deterministic outbox key).
- A joined report has no SLA of its own and no status messages of its own (notifications.py
  asks `quiet`); the incident's updates go once per (update, citizen) by the same outbox keys.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ticketing import catalogue, realtime
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import OPEN_STATUSES, Incident, IncidentUpdate, Ticket, User
from ticketing.models.base import utcnow
from ticketing.models.incidents import INCIDENT_KINDS
from ticketing.roles import ADMIN, OFFICER, OPERATOR
from ticketing.services import outbox
from ticketing.services.events import isoformat, record_event
from ticketing.services.incident_areas import area_of, covers, parse_area, ticket_point
from ticketing.services.incident_intake import (
    ACTIVE,
    followup_reply,
    hold_ack_while_active,
    join,
    join_on_route,
    keyed_message,
    outbox_key,
    quiet,
    quiet_followup,
    region_lock,
)
from ticketing.services.intake import hash_idempotency_key
from ticketing.services.regions import can_see_region, find_category, find_opd, visible_region_codes

# The hooks other modules call as `incidents.…` (conversation, notifications, routing).
__all__ = ["followup_reply", "hold_ack_while_active", "join_on_route", "quiet", "quiet_followup"]

# A `received` report joins when routed (join_on_route), never from a declaration: its row may be
# locked by the routing job, which waits for the declaration's region lock.
ROUTED_OPEN = tuple(status for status in OPEN_STATUSES if status != "received")
TICKETS_SHOWN = 500  # an incident's page lists this many of its reports (the count is exact)

# -- payloads ---------------------------------------------------------------------------------


def report_count(incident: Incident) -> int:
    return db.session.scalar(
        select(db.func.count()).select_from(Ticket).where(Ticket.incident_id == incident.id)
    )


def incident_payload(incident: Incident, count: int | None = None) -> dict:
    """What screens, the API and the console show of an incident (no reporter, ever)."""
    numbers = []
    if incident.status == "proposed" and incident.proposed_ticket_ids:
        numbers = list(
            db.session.scalars(
                select(Ticket.ticket_number).where(Ticket.id.in_(incident.proposed_ticket_ids[:200]))
            )
        )
    return {
        "id": incident.id,
        "region": incident.region_code,
        "kind": incident.kind,
        "title": incident.title,
        "status": incident.status,
        "categories": list(incident.categories or []),
        "area": area_of(incident),
        "lead_opd": incident.lead_opd_code,
        "starts_at": isoformat(incident.starts_at),
        "ends_at": isoformat(incident.ends_at),
        "declared_at": isoformat(incident.declared_at),
        "created_at": isoformat(incident.created_at),
        "updated_at": isoformat(incident.updated_at),
        "report_count": report_count(incident) if count is None else count,
        "proposed_tickets": sorted(numbers),
    }


def publish(name: str, incident: Incident) -> None:
    """`incident.*` on the /wall namespace (after the commit that made it true)."""
    payload = {"type": name, "at": isoformat(utcnow()), "incident": incident_payload(incident)}
    realtime.publish(name, payload, region_code=incident.region_code)


# -- checks -----------------------------------------------------------------------------------


def _invalid(field: str, key: str, **values) -> APIError:
    message = catalogue.text(key, **values)
    return APIError(422, "invalid_fields", message, {field: [message]})


def may_declare(user: User) -> bool:
    """Operators and admins; officers of the OPDs named in INCIDENT_DECLARING_OPDS (BPBD)."""
    if user.role in (ADMIN, OPERATOR):
        return True
    allowed = {c.strip() for c in current_app.config.get("INCIDENT_DECLARING_OPDS", "BPBD").split(",")}
    return user.role == OFFICER and user.opd_code in allowed


def _require_declarer(user: User) -> None:
    if not may_declare(user):
        raise APIError(403, "forbidden", catalogue.text("error.forbidden"))


def visible_incident(user: User, incident_id: int | str) -> Incident:
    text_id = str(incident_id)
    number = int(text_id) if text_id.isdigit() and len(text_id) < 19 else None
    incident = db.session.get(Incident, number) if number is not None else None
    if incident is None or not can_see_region(user, incident.region_code):
        raise APIError(404, "not_found", catalogue.text("incident.not_found"))
    return incident


def _checked_fields(region_code: str, kind, title, categories, lead_opd) -> dict:
    if kind not in INCIDENT_KINDS:
        raise _invalid("kind", "field.one_of", choices=", ".join(INCIDENT_KINDS))
    if not isinstance(title, str) or not title.strip() or len(title) > 200:
        raise _invalid("title", "incident.title_invalid")
    if not isinstance(categories, list) or not categories or len(categories) > 20:
        raise _invalid("categories", "incident.categories_invalid")
    for code in categories:
        if not isinstance(code, str) or find_category(region_code, code) is None:
            raise _invalid("categories", "error.unknown_category_field")
    if lead_opd is not None and (not isinstance(lead_opd, str) or find_opd(region_code, lead_opd) is None):
        raise _invalid("lead_opd", "error.dispose_needs_opd_field")
    return {"kind": kind, "title": title.strip(), "categories": list(dict.fromkeys(categories))}


# -- declaring --------------------------------------------------------------------------------


def lookback() -> timedelta:
    return timedelta(minutes=current_app.config.get("INCIDENT_SPIKE_WINDOW_MINUTES", 30))


def declare_incident(user: User, data: dict) -> Incident:
    """POST /api/v1/incidents: an active incident, which takes in the open reports it covers
    (filed within the spike window before now). With `from_ticket`, the ticket is promoted:
    its category, its point (a radius, default INCIDENT_SPIKE_RADIUS_M) and its OPD."""
    _require_declarer(user)
    region_code = data.get("region") or user.region_code
    if not can_see_region(user, region_code):
        raise _invalid("region", "error.unknown_region_field")
    source = None
    if data.get("from_ticket") is not None:
        from ticketing.services.queries import visible_ticket

        source = visible_ticket(user, str(data["from_ticket"]))
        region_code = source.region_code
        point = ticket_point(source)
        if point is None or not source.category_code:
            raise _invalid("from_ticket", "incident.promote_needs_place")
        radius = data.get("radius_m") or current_app.config.get("INCIDENT_SPIKE_RADIUS_M", 500)
        data = {
            **data,
            "categories": data.get("categories") or [source.category_code],
            "area": data.get("area") or {"lat": point[0], "lon": point[1], "radius_m": radius},
            "lead_opd": data.get("lead_opd") or source.opd_code,
        }
    fields = _checked_fields(
        region_code, data.get("kind"), data.get("title"), data.get("categories"), data.get("lead_opd")
    )
    region_lock(region_code, exclusive=True)
    now = utcnow()
    incident = Incident(
        region_code=region_code,
        status=ACTIVE,
        lead_opd_code=data.get("lead_opd"),
        declared_by_user_id=user.id,
        declared_at=now,
        starts_at=now - lookback(),
        source_ticket_id=source.id if source is not None else None,
        proposed_ticket_ids=[],
        **fields,
        **parse_area(data.get("area")),
    )
    db.session.add(incident)
    db.session.flush()
    _take_in_open_reports(incident, user, extra=[source] if source is not None else [])
    db.session.commit()
    publish("incident.created", incident)
    return incident


def declare_proposal(user: User, incident: Incident, data: dict) -> Incident:
    """A spike's proposal becomes an active incident (title, kind, lead OPD may be set now)."""
    _require_declarer(user)
    if incident.status != "proposed":
        raise APIError(409, "invalid_transition", catalogue.text("incident.not_proposed"))
    fields = _checked_fields(
        incident.region_code,
        data.get("kind") or incident.kind,
        data.get("title") or incident.title,
        data.get("categories") or incident.categories,
        data.get("lead_opd") if data.get("lead_opd") is not None else incident.lead_opd_code,
    )
    region_lock(incident.region_code, exclusive=True)
    for key, value in fields.items():
        setattr(incident, key, value)
    if data.get("area") is not None:
        for key, value in parse_area(data["area"]).items():
            setattr(incident, key, value)
    if data.get("lead_opd") is not None:
        incident.lead_opd_code = data["lead_opd"]
    incident.status, incident.declared_at, incident.declared_by_user_id = ACTIVE, utcnow(), user.id
    proposed = list(
        db.session.scalars(select(Ticket).where(Ticket.id.in_(incident.proposed_ticket_ids or [])))
    )
    _take_in_open_reports(incident, user, extra=proposed)
    db.session.commit()
    publish("incident.created", incident)
    return incident


def dismiss_proposal(user: User, incident: Incident) -> Incident:
    _require_declarer(user)
    if incident.status != "proposed":
        raise APIError(409, "invalid_transition", catalogue.text("incident.not_proposed"))
    incident.status, incident.ends_at = "dismissed", utcnow()
    db.session.commit()
    publish("incident.updated", incident)
    return incident


def _take_in_open_reports(incident: Incident, user: User | None, extra: list[Ticket]) -> int:
    candidates = list(
        db.session.scalars(
            select(Ticket).where(
                Ticket.region_code == incident.region_code,
                Ticket.category_code.in_(incident.categories),
                Ticket.created_at >= incident.starts_at,
                Ticket.status.in_(ROUTED_OPEN),
                Ticket.incident_id.is_(None),
            )
        )
    )
    taken = 0
    seen = set()
    for ticket in [*extra, *candidates]:
        if ticket.id in seen or ticket.incident_id is not None or ticket.status not in ROUTED_OPEN:
            continue
        seen.add(ticket.id)
        # The operator's own evidence (the proposal, the promoted ticket) joins as it is.
        if ticket in extra or covers(incident, ticket):
            join(incident, ticket)
            record_event(
                ticket,
                type="ticket.updated",
                action="incident_join",
                actor=user,
                from_status=ticket.status,
                note=catalogue.text("incident.joined_note", title=incident.title),
                public=True,
                data={"incident": incident.id},
            )
            taken += 1
    return taken


# -- updates, taking out, closing -------------------------------------------------------------


def linked_tickets(incident: Incident, open_only: bool = False) -> list[Ticket]:
    query = select(Ticket).where(Ticket.incident_id == incident.id).order_by(Ticket.id)
    if open_only:
        query = query.where(Ticket.status.in_(OPEN_STATUSES + ("resolved",)))
    return list(db.session.scalars(query))


def _tell_each_citizen(incident: Incident, tickets: list[Ticket], kind: str, body: str, key_prefix) -> int:
    sent = 0
    for ticket in tickets:
        route = outbox.reply_route(ticket)
        if route is None:
            continue
        key = outbox_key(*key_prefix, route[0], route[1])
        sent += keyed_message(ticket, route, kind, body, key, [incident.title, body[:900]])
    return sent


def _replay(incident: Incident, key_hash: str | None, message: str) -> IncidentUpdate | None:
    """The update an earlier request with this Idempotency-Key made (409 for another message)."""
    if key_hash is None:
        return None
    update = db.session.scalar(
        select(IncidentUpdate).where(
            IncidentUpdate.incident_id == incident.id, IncidentUpdate.idempotency_key_hash == key_hash
        )
    )
    if update is not None and update.message != message.strip():
        message = catalogue.text("incident.idempotency_key_reused")
        raise APIError(409, "idempotency_key_reused", message, {"Idempotency-Key": [message]})
    return update


def post_update(
    user: User, incident: Incident, message, idempotency_key: str | None = None
) -> IncidentUpdate:
    """A public update: in each linked ticket's public history, and once to each citizen. A retry
    with the same `idempotency_key` answers the first update (`replayed`) and sends nothing."""
    if user.role not in (ADMIN, OPERATOR) and not may_declare(user):
        raise APIError(403, "forbidden", catalogue.text("error.forbidden"))
    if not isinstance(message, str) or not message.strip() or len(message) > 1000:
        raise _invalid("message", "incident.message_invalid")
    key_hash = hash_idempotency_key(idempotency_key) if idempotency_key is not None else None
    if key_hash is not None and db.session.get_bind().dialect.name == "postgresql":
        db.session.refresh(incident, with_for_update=True)  # a retry racing the first waits here
    replayed = _replay(incident, key_hash, message)
    if replayed is not None:
        db.session.rollback()  # the lock
        replayed.replayed = True
        return replayed
    if incident.status != ACTIVE:
        raise APIError(409, "invalid_transition", catalogue.text("incident.not_active"))
    update = IncidentUpdate(
        incident_id=incident.id,
        message=message.strip(),
        author_user_id=user.id,
        idempotency_key_hash=key_hash,
    )
    db.session.add(update)
    try:
        db.session.flush()
    except IntegrityError:  # SQLite: the first request committed the key between our read and now
        db.session.rollback()
        replayed = _replay(incident, key_hash, message) if key_hash is not None else None
        if replayed is None:
            raise
        replayed.replayed = True
        return replayed
    tickets = linked_tickets(incident, open_only=True)
    for ticket in tickets:
        record_event(
            ticket,
            type="ticket.updated",
            action="incident_update",
            actor=user,
            from_status=ticket.status,
            note=update.message,
            public=True,
            data={"incident": incident.id, "incident_update": update.id},
        )
    body = catalogue.text("incident.update", title=incident.title, message=update.message)
    update.recipients = _tell_each_citizen(
        incident, tickets, "incident_update", body, ("incident-update", update.id)
    )
    incident.updated_at = utcnow()
    db.session.commit()
    publish("incident.updated", incident)
    return update


def take_out(user: User, incident: Incident, ticket: Ticket) -> Ticket:
    """An operator says this report is not part of it: it stands alone again, with a fresh SLA
    and its own number sent to the citizen."""
    from ticketing.services.lifecycle import start_sla

    if user.role not in (ADMIN, OPERATOR):
        raise APIError(403, "forbidden", catalogue.text("error.forbidden"))
    if ticket.incident_id != incident.id:
        raise APIError(404, "not_found", catalogue.text("error.ticket_not_found"))
    ticket.incident_id = None
    if ticket.status in ("assigned", "in_progress"):
        start_sla(ticket, find_category(ticket.region_code, ticket.category_code), utcnow())
    record_event(
        ticket,
        type="ticket.updated",
        action="incident_leave",
        actor=user,
        from_status=ticket.status,
        note=catalogue.text("incident.left_note", title=incident.title),
        public=True,
        data={"incident": incident.id},
    )
    route = outbox.reply_route(ticket)
    if route is not None:
        body = catalogue.text("incident.taken_out", ticket_number=ticket.ticket_number, title=incident.title)
        outbox.add_message(ticket=ticket, channel=route[0], recipient=route[1], kind="reply", body=body)
    incident.updated_at = utcnow()
    db.session.commit()
    publish("incident.updated", incident)
    return ticket


def close_incident(user: User, incident: Incident, note=None) -> Incident:
    """Closing the incident closes its open reports, with one message to each citizen."""
    if user.role not in (ADMIN, OPERATOR) and not may_declare(user):
        raise APIError(403, "forbidden", catalogue.text("error.forbidden"))
    if incident.status != ACTIVE:
        raise APIError(409, "invalid_transition", catalogue.text("incident.not_active"))
    note = note.strip()[:1000] if isinstance(note, str) and note.strip() else None
    now = utcnow()
    incident.status, incident.ends_at = "closed", now
    tickets = linked_tickets(incident, open_only=True)
    closing = catalogue.text("incident.closed_note", title=incident.title)
    for ticket in tickets:
        from_status = ticket.status
        ticket.status, ticket.closed_at = "closed", now
        ticket.resolved_at = ticket.resolved_at or now
        record_event(
            ticket,
            type="ticket.updated",
            action="incident_close",
            actor=user,
            from_status=from_status,
            note=note or closing,
            public=True,
            data={"incident": incident.id},
        )
    body = catalogue.text("incident.closed", title=incident.title, note=(note + " ") if note else "")
    _tell_each_citizen(incident, tickets, "incident_closed", body, ("incident-close", incident.id))
    db.session.commit()
    publish("incident.updated", incident)
    return incident


# -- reading ----------------------------------------------------------------------------------


def list_incidents(user: User, status: str | None = None, limit: int = 100) -> list[dict]:
    query = (
        select(Incident)
        .where(Incident.region_code.in_(visible_region_codes(user)))
        .order_by(Incident.id.desc())
        .limit(limit)
    )
    if status:
        query = query.where(Incident.status == status)
    incidents = list(db.session.scalars(query))
    counts = dict(
        db.session.execute(
            select(Ticket.incident_id, db.func.count())
            .where(Ticket.incident_id.in_([i.id for i in incidents]))
            .group_by(Ticket.incident_id)
        ).all()
    )
    return [incident_payload(i, counts.get(i.id, 0)) for i in incidents]


def incident_detail(incident: Incident) -> dict:
    tickets = list(
        db.session.scalars(
            select(Ticket).where(Ticket.incident_id == incident.id).order_by(Ticket.id).limit(TICKETS_SHOWN)
        )
    )
    updates = db.session.scalars(
        select(IncidentUpdate).where(IncidentUpdate.incident_id == incident.id).order_by(IncidentUpdate.id)
    )
    detail = incident_payload(incident)
    detail["tickets"] = [
        {
            "ticket_number": t.ticket_number,
            "status": t.status,
            "channel": t.channel,
            "category": t.category_code,
            "created_at": isoformat(t.created_at),
            "summary": t.summary,
        }
        for t in tickets
    ]
    detail["updates"] = [
        {"id": u.id, "message": u.message, "recipients": u.recipients, "at": isoformat(u.created_at)}
        for u in updates
    ]
    return detail


def active_for_wall(region_codes: list[str] | None = None) -> list[dict]:
    """Active incidents and open proposals, for the wall's snapshot."""
    query = select(Incident).where(Incident.status.in_((ACTIVE, "proposed"))).order_by(Incident.id.desc())
    if region_codes is not None:
        query = query.where(Incident.region_code.in_(region_codes))
    incidents = list(db.session.scalars(query.limit(50)))
    return [incident_payload(i) for i in incidents]


def board_counts(by_opd: dict, region_codes: list[str] | None = None) -> None:
    """The wall's OPD board counts an active incident once, at its lead OPD (its reports are
    left out of the per-ticket counts by the caller); `region_codes` as the caller's."""
    query = select(Incident.lead_opd_code, db.func.count()).where(Incident.status == ACTIVE)
    if region_codes is not None:
        query = query.where(Incident.region_code.in_(region_codes))
    rows = db.session.execute(query.group_by(Incident.lead_opd_code)).all()
    for opd_code, count in rows:
        row = by_opd.setdefault(opd_code or "-", {"open": 0})
        row["open"] += count
        row["incidents"] = row.get("incidents", 0) + count
