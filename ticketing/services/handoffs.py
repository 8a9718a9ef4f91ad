"""Hand-offs to bodies outside the city (issue #17): PLN, BPJN, the police, a developer.

An operator forwards a ticket (`forward_external {body, note}`); the ticket moves to status
`external` (services/lifecycle.py TRANSITIONS, the single table), the body gets an e-mail with
the complaint, its photos, a map link and a signed link (services/handoff_mail.py), and the
citizen is told who has it. The body's staff, without an account, acknowledge, send updates
(text, their own reference, an expected date) and mark it done through that link; each step is
a history entry, a wall event and a message to the citizen. Reminders go to the body when it
has not acknowledged in EXTERNAL_ACK_DAYS days or its expected date has passed.

Why a status of its own rather than a flag on `in_progress`: `external` is outside
OPEN_STATUSES and the SLA sweeps, so the city's open and overdue counts (the wall's OPD board,
/stats) never include another body's waiting time, and screens count it apart. The city's SLA
clock stops when the ticket leaves (a deadline already missed stays recorded, as on a return);
if the command centre takes it back (`recall_external`, to triage) a new window starts with
the next disposition, as for any ticket in triage.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.formatting import city_zone, day_label
from ticketing.models import CHAT_CHANNELS, ExternalBody, ExternalHandoff, Ticket, User
from ticketing.models.handoffs import OPEN_HANDOFF_STATES
from ticketing.models.tickets import ASSISTED_CHANNELS
from ticketing.roles import SYSTEM
from ticketing.services import handoff_mail, outbox, sla
from ticketing.services.events import isoformat, record_event
from ticketing.services.external_bodies import body_for_ticket
from ticketing.services.lifecycle import (
    ROLE_EXTERNAL,
    check_transition,
    lock_ticket,
    officer_may_see,
    record_breach,
    staff_error,
)

log = logging.getLogger(__name__)

STAFF_HANDOFF_ACTIONS = ("forward_external", "recall_external")
BODY_ACTIONS = ("external_ack", "external_update", "external_done")
REFERENCE_MAX = 64
NOTE_MAX = 2000


def current_handoff(ticket: Ticket) -> ExternalHandoff | None:
    return db.session.scalar(
        select(ExternalHandoff)
        .where(ExternalHandoff.ticket_id == ticket.id)
        .order_by(ExternalHandoff.id.desc())
        .limit(1)
    )


def body_of(handoff: ExternalHandoff) -> ExternalBody:
    return db.session.get(ExternalBody, (handoff.body_region_code, handoff.body_code))


def _tell_citizen(ticket: Ticket, kind: str, body: str) -> None:
    """The citizen's message on the door they wrote from (web reporters read the tracking
    page, where the same step is a public history entry)."""
    if ticket.channel not in CHAT_CHANNELS + ASSISTED_CHANNELS or not ticket.reporter_phone:
        return
    route = outbox.reply_route(ticket)
    if route is None:
        return
    provider, recipient = route
    outbox.add_message(
        ticket=ticket,
        channel=provider,
        recipient=recipient,
        kind=kind,
        body=body,
        template_params=[ticket.ticket_number, body],
    )


def _email_body(ticket: Ticket, body: ExternalBody, kind: str, subject: str, text: str) -> None:
    outbox.add_message(
        ticket=ticket,
        channel=handoff_mail.EMAIL_CHANNEL,
        recipient=body.email,
        kind=kind,
        body=text,
        template_params=[subject],
    )


# -- the command centre's actions (called by lifecycle.apply_action) --------------------------


def apply_staff_action(
    ticket: Ticket, user: User | None, action: str, *, body: str | None, note: str | None, now: datetime
) -> Ticket:
    """`forward_external` or `recall_external`, checked against the lifecycle table; commits."""
    role = user.role if user is not None else SYSTEM
    try:
        lock_ticket(ticket)
        if not officer_may_see(user, ticket):
            raise APIError(404, "not_found", catalogue.text("error.ticket_not_found"))
        check_transition(role, ticket.status, action)
        note = note.strip()[:NOTE_MAX] if isinstance(note, str) and note.strip() else None
        if action == "forward_external":
            _forward(ticket, user, body, note, now)
        else:
            _recall(ticket, user, note)
        db.session.commit()
    except APIError:
        db.session.rollback()
        raise
    return ticket


def _forward(ticket: Ticket, user: User | None, body_code: str | None, note: str | None, now) -> None:
    body = body_for_ticket(ticket.region_code, body_code)
    if body is None:
        raise staff_error(422, "invalid_fields", "error.external_body_field", "body")
    from_status = ticket.status
    data = {
        "body": body.code,
        "body_name": body.name,
        "body_region": body.region_code,
        "note": note,
        "opd": ticket.opd_code,
        "previous_sla_due_at": isoformat(ticket.sla_due_at),
    }
    # The city's clock stops: the body's waiting time must not make the OPD overdue. A deadline
    # missed before the hand-off stays recorded (`sla_breached_at`).
    record_breach(ticket, now)
    ticket.sla_due_at = ticket.sla_remind_at = None
    ticket.overdue = False
    ticket.status = "external"
    ticket.external_body_code = body.code
    ticket.external_reference = None
    ticket.external_expected_at = None
    handoff = ExternalHandoff(
        ticket_id=ticket.id,
        body_region_code=body.region_code,
        body_code=body.code,
        state="sent",
        note=note,
        forwarded_by_user_id=user.id if user is not None else None,
    )
    db.session.add(handoff)
    db.session.flush()
    data["handoff"] = handoff.id
    record_event(
        ticket,
        type="ticket.updated",
        action="forward_external",
        actor=user,
        actor_label=SYSTEM,
        from_status=from_status,
        note=catalogue.text("event.external_forwarded", body_name=body.name),
        public=True,
        data=data,
    )
    subject, text = handoff_mail.forward_email(ticket, body, handoff, note)
    _email_body(ticket, body, "external_handoff", subject, text)
    _tell_citizen(
        ticket,
        "external_forwarded",
        catalogue.text("notify.external_forwarded", ticket_number=ticket.ticket_number, body_name=body.name),
    )


def _recall(ticket: Ticket, user: User | None, note: str | None) -> None:
    handoff = current_handoff(ticket)
    name = ticket.external_body_code or "-"
    if handoff is not None:
        name = body_of(handoff).name
        if handoff.state in OPEN_HANDOFF_STATES:
            handoff.state = "recalled"
    from_status = ticket.status
    ticket.status = "triage"
    data = {"body": ticket.external_body_code, "reference": ticket.external_reference, "note": note}
    ticket.external_body_code = ticket.external_reference = ticket.external_expected_at = None
    record_event(
        ticket,
        type="ticket.updated",
        action="recall_external",
        actor=user,
        from_status=from_status,
        note=note or catalogue.text("event.external_recalled", body_name=name),
        public=False,
        data=data,
    )


# -- the body's actions, through the signed link ----------------------------------------------


def parse_expected(value: str | None) -> datetime | None:
    """A date typed on the page (YYYY-MM-DD) as the end of that day in the city, or None."""
    if not value:
        return None
    day = date.fromisoformat(value.strip())  # ValueError → the view's 422
    if day < sla.now().astimezone(city_zone()).date():
        raise staff_error(422, "invalid_fields", "error.external_expected_past", "expected_date")
    return datetime.combine(day, time(23, 59, 59), tzinfo=city_zone())


def body_action(
    handoff: ExternalHandoff,
    action: str,
    *,
    note: str | None = None,
    reference: str | None = None,
    expected: datetime | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Acknowledge, update or finish the hand-off as its body; commits. 410 when the hand-off
    is no longer the ticket's open one, 409 when the ticket's status does not allow it."""
    now = now or sla.now()
    ticket = db.session.get(Ticket, handoff.ticket_id)
    try:
        lock_ticket(ticket)
        db.session.refresh(handoff)
        if handoff.state not in OPEN_HANDOFF_STATES or current_handoff(ticket).id != handoff.id:
            raise APIError(410, "gone", catalogue.text("external.page.closed"))
        check_transition(ROLE_EXTERNAL, ticket.status, action)
        body = body_of(handoff)
        note = note.strip()[:NOTE_MAX] if isinstance(note, str) and note.strip() else None
        reference = (
            reference.strip()[:REFERENCE_MAX] if isinstance(reference, str) and reference.strip() else None
        )
        if action == "external_ack":
            if handoff.acknowledged_at is not None:
                db.session.rollback()  # a second press changes nothing and tells nobody again
                return ticket
            _acknowledge(ticket, handoff, body, now)
        elif action == "external_update":
            if not (note or reference or expected):
                raise staff_error(422, "invalid_fields", "error.external_update_empty", "note")
            _update(ticket, handoff, body, note, reference, expected, now)
        else:
            _done(ticket, handoff, body, note, reference, now)
        db.session.commit()
    except APIError:
        db.session.rollback()
        raise
    return ticket


def _label(body: ExternalBody) -> str:
    return f"external:{body.code}"


def _acknowledge(ticket: Ticket, handoff: ExternalHandoff, body: ExternalBody, now) -> None:
    handoff.acknowledged_at = now
    handoff.state = "acknowledged"
    record_event(
        ticket,
        type="ticket.updated",
        action="external_ack",
        actor_label=_label(body),
        from_status=ticket.status,
        note=catalogue.text("event.external_ack", body_name=body.name),
        public=True,
        data={"body": body.code, "handoff": handoff.id},
    )
    _tell_citizen(
        ticket,
        "external_ack",
        catalogue.text("notify.external_ack", ticket_number=ticket.ticket_number, body_name=body.name),
    )


def _details(body: ExternalBody, note: str | None, reference: str | None, expected: datetime | None) -> str:
    parts = [note] if note else []
    if reference:
        parts.append(catalogue.text("external.reference", body_name=body.name, reference=reference))
    if expected:
        parts.append(catalogue.text("external.expected", date=day_label(expected)))
    return " ".join(part if part.endswith((".", "!", "?")) else part + "." for part in parts)


def _update(ticket, handoff, body, note, reference, expected, now) -> None:
    if handoff.acknowledged_at is None:  # an update says it arrived
        handoff.acknowledged_at = now
        handoff.state = "acknowledged"
    handoff.last_update_at = now
    if reference:
        ticket.external_reference = reference
    if expected:
        ticket.external_expected_at = expected
    details = _details(body, note, reference, expected)
    record_event(
        ticket,
        type="ticket.updated",
        action="external_update",
        actor_label=_label(body),
        from_status=ticket.status,
        note=details,
        public=True,
        data={
            "body": body.code,
            "handoff": handoff.id,
            "note": note,
            "reference": reference,
            "expected_at": isoformat(expected),
        },
    )
    _tell_citizen(
        ticket,
        "external_update",
        catalogue.text(
            "notify.external_update", ticket_number=ticket.ticket_number, body_name=body.name, details=details
        ),
    )


def _done(ticket, handoff, body, note, reference, now) -> None:
    from_status = ticket.status
    handoff.state = "done"
    handoff.done_at = now
    handoff.acknowledged_at = handoff.acknowledged_at or now
    if reference:
        ticket.external_reference = reference
    ticket.status = "resolved"
    ticket.resolved_at = now
    text = catalogue.text("event.external_done", body_name=body.name)
    record_event(
        ticket,
        type="ticket.updated",
        action="external_done",
        actor_label=_label(body),
        from_status=from_status,
        note=f"{text} {note}" if note else text,
        public=True,
        data={"body": body.code, "handoff": handoff.id, "note": note, "reference": reference},
    )
    _tell_citizen(
        ticket,
        "external_done",
        catalogue.text(
            "notify.external_done",
            ticket_number=ticket.ticket_number,
            body_name=body.name,
            note=catalogue.text("notify.external_note", note=note) if note else "",
        ),
    )


# -- reminders (the periodic ticker) ----------------------------------------------------------


def _reminder_reason(handoff: ExternalHandoff, ticket: Ticket, now: datetime, every: timedelta) -> str | None:
    last = handoff.reminded_at
    if handoff.state == "sent" and (last or handoff.created_at) <= now - every:
        return "mail.reason_no_ack"
    expected = ticket.external_expected_at
    if expected is not None and expected < now and (last is None or last < expected or last <= now - every):
        return "mail.reason_expected_passed"
    return None


def send_reminders(now: datetime | None = None, batch: int = 200) -> int:
    """E-mail the bodies that have not acknowledged in EXTERNAL_ACK_DAYS days, or whose
    expected date has passed; again every EXTERNAL_ACK_DAYS days. Each reminder is stamped on
    the hand-off in the transaction of its e-mail, so a sweep that runs twice reminds once."""
    now = now or sla.now()
    every = timedelta(days=int(current_app.config.get("EXTERNAL_ACK_DAYS", 3)))
    query = (
        select(ExternalHandoff, Ticket)
        .join(Ticket, Ticket.id == ExternalHandoff.ticket_id)
        .where(ExternalHandoff.state.in_(OPEN_HANDOFF_STATES), Ticket.status == "external")
        .order_by(ExternalHandoff.id)
        .limit(batch)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(of=ExternalHandoff, skip_locked=True)
    sent = 0
    for handoff, ticket in db.session.execute(query).all():
        reason = _reminder_reason(handoff, ticket, now, every)
        if reason is None:
            continue
        body = body_of(handoff)
        handoff.reminded_at = now
        handoff.reminder_count += 1
        subject, text = handoff_mail.reminder_email(ticket, body, handoff, reason)
        _email_body(ticket, body, "external_reminder", subject, text)
        record_event(
            ticket,
            type="ticket.updated",
            action="external_reminder",
            actor_label=SYSTEM,
            from_status=ticket.status,
            note=catalogue.text("event.external_reminder", body_name=body.name),
            public=False,
            data={"body": body.code, "handoff": handoff.id, "reason": reason.removeprefix("mail.reason_")},
        )
        sent += 1
    db.session.commit()
    if sent:
        log.info("external hand-offs: %d reminders sent", sent)
    return sent
