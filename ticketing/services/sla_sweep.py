"""The scheduled lifecycle sweeps: SLA reminders and escalations, auto-closing, and resuming
holds whose `until` has passed.

Each notification is a stamp on the ticket (`reminded_at`, `escalated_at`) written in the same
transaction as its event, and only tickets without the stamp are picked: a sweep that runs twice,
or two sweeps at once (rows locked with SKIP LOCKED on PostgreSQL), notify once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import Category, Ticket
from ticketing.services import sla
from ticketing.services.events import isoformat, record_event
from ticketing.services.lifecycle import ROLE_SYSTEM, apply_action, auto_close_working_days, lock_ticket

log = logging.getLogger(__name__)

# On hold the clock stands still; an objection runs on its own 30-working-day deadline.
SLA_STATUSES = ("assigned", "in_progress", "objection")
# An aspirasi is never overdue (issue #17): it has no deadline, and the sweep never looks at one.
NEVER_OVERDUE_KINDS = ("aspirasi",)
BATCH = 500


def _locked(query):
    if db.session.get_bind().dialect.name == "postgresql":
        return query.with_for_update(skip_locked=True)
    return query


def _fill_reminder_points(batch: int) -> int:
    """Tickets routed by the router get a deadline only; derive their 75% point once."""
    tickets = list(
        db.session.scalars(
            _locked(
                select(Ticket)
                .where(
                    Ticket.status.in_(SLA_STATUSES),
                    Ticket.sla_due_at.is_not(None),
                    Ticket.sla_remind_at.is_(None),
                    Ticket.escalated_at.is_(None),
                    Ticket.assigned_at.is_not(None),
                )
                .order_by(Ticket.id)
                .limit(batch)
            )
        )
    )
    categories = {(c.region_code, c.code): c for c in db.session.scalars(select(Category))}
    for ticket in tickets:
        category = categories.get((ticket.region_code, ticket.category_code))
        hours = category.sla_hours if category else 72
        ticket.sla_remind_at = sla.due_at(
            ticket.assigned_at, hours * 0.75, bool(category and category.sla_24x7)
        )
    db.session.commit()
    return len(tickets)


def _notify(condition, action: str, now: datetime, batch: int) -> int:
    tickets = list(
        db.session.scalars(
            _locked(
                select(Ticket)
                .where(Ticket.status.in_(SLA_STATUSES), Ticket.kind.not_in(NEVER_OVERDUE_KINDS), *condition)
                .order_by(Ticket.id)
                .limit(batch)
            )
        )
    )
    for ticket in tickets:
        if action == "sla_escalated":
            ticket.overdue = True
            ticket.escalated_at = now
            ticket.sla_breached_at = ticket.sla_breached_at or ticket.sla_due_at
            # Past the deadline already: a 75% reminder now would only be noise.
            ticket.reminded_at = ticket.reminded_at or now
        else:
            ticket.reminded_at = now
        record_event(
            ticket,
            type="ticket.updated",
            action=action,
            actor_label=ROLE_SYSTEM,
            from_status=ticket.status,
            public=False,
            data={"opd": ticket.opd_code, "sla_due_at": isoformat(ticket.sla_due_at)},
        )
    db.session.commit()
    return len(tickets)


def sla_sweep(now: datetime | None = None, batch: int = BATCH) -> dict[str, int]:
    """Remind the OPD at 75% of the window and escalate (flag overdue) at 100%, once each.
    The notification is the published event: the OPD's officers (/opd) and the operators'
    wall see it."""
    now = now or sla.now()
    counts = {"reminded": 0, "escalated": 0}
    while _fill_reminder_points(batch) == batch:
        pass
    escalate = (Ticket.sla_due_at <= now, Ticket.escalated_at.is_(None))
    remind = (Ticket.sla_remind_at <= now, Ticket.reminded_at.is_(None), Ticket.escalated_at.is_(None))
    # Escalations first, so a ticket found past both points gets the escalation only.
    for key, condition, action in (
        ("escalated", escalate, "sla_escalated"),
        ("reminded", remind, "sla_reminder"),
    ):
        while True:
            done = _notify(condition, action, now, batch)
            counts[key] += done
            if done < batch:
                break
    if counts["reminded"] or counts["escalated"]:
        log.info("sla sweep: %(reminded)d reminded, %(escalated)d escalated", counts)
    return counts


def auto_close(now: datetime | None = None, working_days: int | None = None, batch: int = BATCH) -> int:
    """Close resolved tickets nobody reopened within `working_days` working days."""
    now = now or sla.now()
    days = auto_close_working_days() if working_days is None else working_days
    # N working days are at least N calendar days: a cheap, indexed first cut.
    cutoff = now - timedelta(days=days)
    note = catalogue.text("event.auto_closed", days=days)
    closed, after_id = 0, 0
    while True:
        candidates = list(
            db.session.execute(
                select(Ticket.id, Ticket.resolved_at)
                .where(Ticket.status == "resolved", Ticket.resolved_at <= cutoff, Ticket.id > after_id)
                .order_by(Ticket.id)
                .limit(batch)
            )
        )
        db.session.rollback()
        for ticket_id, resolved_at in candidates:
            if now < sla.add_working_days(resolved_at, days):
                continue
            ticket = db.session.get(Ticket, ticket_id)
            try:
                apply_action(ticket, None, "close", note=note, public=True, actor_role=ROLE_SYSTEM, now=now)
                closed += 1
            except APIError as exc:  # reopened or closed by someone since our read
                log.info("auto-close skipped %s: %s", ticket.ticket_number, exc.code)
        if len(candidates) < batch:
            return closed
        after_id = candidates[-1][0]


def resume_due_holds(now: datetime | None = None, batch: int = BATCH) -> int:
    """Resume every ticket held `until` a moment now past, as a manual `resume` does (status,
    deadline, history, citizen, screens), as of `until`: the clock ran again from then, however
    late this sweep comes. A ticket resumed by hand, or held again for longer, since the read
    is left alone (checked under the row lock), so a doubled or concurrent sweep resumes once."""
    now = now or sla.now()
    resumed, after_id = 0, 0
    while True:
        candidates = list(
            db.session.scalars(
                select(Ticket.id)
                .where(Ticket.status == "on_hold", Ticket.hold_until <= now, Ticket.id > after_id)
                .order_by(Ticket.id)
                .limit(batch)
            )
        )
        db.session.rollback()
        for ticket_id in candidates:
            ticket = db.session.get(Ticket, ticket_id)
            lock_ticket(ticket)
            if ticket.status != "on_hold" or ticket.hold_until is None or ticket.hold_until > now:
                db.session.rollback()  # resumed, closed or held anew meanwhile
                continue
            try:
                apply_action(
                    ticket,
                    None,
                    "resume",
                    actor_role=ROLE_SYSTEM,
                    now=ticket.hold_until,
                    details={"scheduled": True},
                )
                resumed += 1
            except APIError as exc:
                log.info("scheduled resume skipped %s: %s", ticket.ticket_number, exc.code)
        if len(candidates) < batch:
            if resumed:
                log.info("hold sweep: %d resumed", resumed)
            return resumed
        after_id = candidates[-1]
