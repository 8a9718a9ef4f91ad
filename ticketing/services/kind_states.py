"""The lifecycle actions of issue #17, carried out for `lifecycle._apply` (which checks the
transition table, the kind, the note, locks the row, records the event and commits).

- `hold` {note, until?} / `resume`: the SLA clock stands still while on hold; resuming moves the
  deadline (and the 75% reminder point) by exactly the working time paused, counted on the same
  calendar as the deadline (office hours, or the clock for 24/7 categories).
- `close_unresolved` {reason}: closed without a fix, with a reason code.
- `answer`: an aspirasi's answer (it is acknowledged with `accept`).
- `extend` {note} once (+7 working days), `decide` {decision, exemption?, note, document?} by
  the PPID, and the requester's `object` {reason}: an information request (UU 14/2008), whose
  statutory deadline lives in `due_at` (and drives the SLA sweep through `sla_due_at`).

Each returns (event data, note): the note is what the citizen reads in the history.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ticketing import catalogue
from ticketing.catalogue_kinds import EXEMPTIONS, OBJECTION_GROUNDS
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import Category, Ticket, TicketPhoto, User
from ticketing.services import sla
from ticketing.services.events import isoformat

ACTIONS = frozenset({"hold", "resume", "close_unresolved", "answer", "extend", "decide", "object"})
CLOSE_REASONS = ("duplicate", "not_actionable", "out_of_authority", "planned_later", "other")
DECISIONS = ("granted", "partial", "refused")
EXTENSION_WORKING_DAYS = 7  # UU 14/2008 Art. 22(8)
OBJECTION_WORKING_DAYS = 30  # Art. 35-36: to file one, and for the superior to answer it


def _error(code_key: str, field: str, **values) -> APIError:
    message = catalogue.text(code_key, **values)
    return APIError(422, "invalid_fields", message, {field: [message]})


def apply(ticket: Ticket, user: User | None, action: str, note, reason, details: dict, now: datetime):
    if action == "hold":
        return hold(ticket, note, details.get("until"), now)
    if action == "resume":
        return resume(ticket, note, now, scheduled=bool(details.get("scheduled")))
    if action == "close_unresolved":
        return close_unresolved(ticket, reason, note, now)
    if action == "answer":
        return answer(ticket, note, now)
    if action == "extend":
        return extend(ticket, note, now)
    if action == "decide":
        return decide(
            ticket, details.get("decision"), details.get("exemption"), note, details.get("document"), now
        )
    return object_(ticket, note, now, details.get("ground"))


# -- holds -------------------------------------------------------------------------------------


def _round_the_clock(ticket: Ticket) -> bool:
    from ticketing.services.regions import find_category

    category: Category | None = find_category(ticket.region_code, ticket.category_code)
    return bool(category and category.sla_24x7)


def hold(ticket: Ticket, note: str, until: datetime | None, now: datetime):
    if until is not None and until <= now:
        raise _error("error.hold_until_past", "until")
    ticket.held_at, ticket.hold_until = now, until
    data = {"until": isoformat(until), "sla_due_at": isoformat(ticket.sla_due_at)}
    return data, note


def working_time_between(start: datetime, end: datetime) -> timedelta:
    """Office time from `start` to `end` on the SLA calendar, to the microsecond (Calendar's
    `working_hours_between` in float hours loses the last microseconds)."""
    cal = sla.calendar()
    total = timedelta()
    if end <= start:
        return total
    local_start, local_end = start.astimezone(cal.tz), end.astimezone(cal.tz)
    day = local_start.date()
    while day <= local_end.date():
        if cal.is_working_day(day):
            opens = max(datetime.combine(day, cal.day_start, tzinfo=cal.tz), local_start)
            closes = min(datetime.combine(day, cal.day_end, tzinfo=cal.tz), local_end)
            if closes > opens:
                total += closes - opens
        day += timedelta(days=1)
    return total


def add_working_time(start: datetime, amount: timedelta) -> datetime:
    """The moment `amount` of office time after `start` (UTC), to the microsecond."""
    cal = sla.calendar()
    remaining, local = amount, start.astimezone(cal.tz)
    day = local.date()
    for _ in range(sla.MAX_CALENDAR_DAYS):
        if cal.is_working_day(day):
            begin = max(datetime.combine(day, cal.day_start, tzinfo=cal.tz), local)
            closes = datetime.combine(day, cal.day_end, tzinfo=cal.tz)
            if begin < closes:
                if remaining <= closes - begin:
                    return (begin + remaining).astimezone(UTC)
                remaining -= closes - begin
        day += timedelta(days=1)
    raise ValueError("no working time found within three years; check config/holidays.json")


def paused_time(ticket: Ticket, held_at: datetime, now: datetime) -> timedelta:
    """The time the clock stood still, counted as the deadline is (office or clock time)."""
    if _round_the_clock(ticket):
        return max(now - held_at, timedelta())
    return working_time_between(held_at, now)


def _shift(moment: datetime | None, amount: timedelta, round_the_clock: bool) -> datetime | None:
    if moment is None or amount <= timedelta():
        return moment
    if round_the_clock:
        return moment + amount
    return add_working_time(moment, amount)


def resume(ticket: Ticket, note: str | None, now: datetime, scheduled: bool = False):
    """Back to work: the deadline moves by the working time paused. `scheduled`: the worker's
    sweep at the hold's `until` (services/sla_sweep.py), which passes `until` as `now`."""
    held_at = ticket.held_at or now
    paused = paused_time(ticket, held_at, now)
    round_the_clock = _round_the_clock(ticket)
    data = {
        "held_at": isoformat(held_at),
        "resumed_at": isoformat(now),
        "paused_seconds": paused.total_seconds(),
        "previous_sla_due_at": isoformat(ticket.sla_due_at),
    }
    if not ticket.overdue:  # a deadline already missed stays missed
        ticket.sla_due_at = _shift(ticket.sla_due_at, paused, round_the_clock)
        ticket.sla_remind_at = _shift(ticket.sla_remind_at, paused, round_the_clock)
    data["sla_due_at"] = isoformat(ticket.sla_due_at)
    ticket.held_at = ticket.hold_until = None
    if scheduled:
        data["scheduled"] = True
    hours = f"{paused.total_seconds() / 3600:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    key = "event.resumed_on_schedule" if scheduled else "event.resumed"
    return data, note or catalogue.text(key, hours=hours)


def close_unresolved(ticket: Ticket, reason: str | None, note: str | None, now: datetime):
    from ticketing.services.lifecycle import record_breach

    if reason not in CLOSE_REASONS:
        message = catalogue.text("error.close_reason")
        raise APIError(
            422,
            "invalid_fields",
            message,
            {"reason": [catalogue.text("field.one_of", choices=", ".join(CLOSE_REASONS))]},
        )
    record_breach(ticket, now)
    ticket.close_reason = reason
    ticket.closed_at = now
    ticket.held_at = ticket.hold_until = None
    ticket.overdue = False
    words = catalogue.text(f"close_reason.{reason}")
    return {"reason": reason}, note or catalogue.text("event.closed_unresolved", reason=words)


def answer(ticket: Ticket, note: str, now: datetime):
    ticket.resolved_at = now
    return {}, note


# -- information requests ----------------------------------------------------------------------


def extend(ticket: Ticket, note: str, now: datetime):
    if ticket.extended_at is not None:
        raise APIError(409, "already_extended", catalogue.text("error.already_extended"))
    previous = ticket.due_at or ticket.sla_due_at or now
    ticket.extended_at = now
    ticket.due_at = ticket.sla_due_at = sla.add_working_days(previous, EXTENSION_WORKING_DAYS)
    ticket.sla_remind_at = sla.add_working_days(previous, EXTENSION_WORKING_DAYS - 2)
    ticket.reminded_at = None
    return {"previous_due_at": isoformat(previous), "due_at": isoformat(ticket.due_at)}, note


def _check_decision(decision, exemption) -> str | None:
    if decision not in DECISIONS:
        message = catalogue.text("error.decision_unknown")
        raise APIError(
            422,
            "invalid_fields",
            message,
            {"decision": [catalogue.text("field.one_of", choices=", ".join(DECISIONS))]},
        )
    if decision == "granted":
        return None
    if exemption is None or exemption == "":
        raise _error("error.exemption_needed", "exemption")
    letter = str(exemption).strip().lower()
    if letter not in EXEMPTIONS:
        raise _error("error.exemption_unknown", "exemption")
    return letter


def _document(ticket: Ticket, document) -> TicketPhoto | None:
    if document is None:
        return None
    photo = db.session.get(TicketPhoto, document) if isinstance(document, int) else None
    if photo is None or photo.ticket_id != ticket.id or photo.kind != "document":
        raise _error("error.document_unknown", "document")
    return photo


def decide(ticket: Ticket, decision, exemption, note: str, document, now: datetime):
    from ticketing.services.lifecycle import record_breach

    letter = _check_decision(decision, exemption)
    photo = _document(ticket, document)
    data = {"decision": decision, "exemption": letter, "document": photo.id if photo else None}
    if ticket.status == "objection":
        ticket.objection_decision, ticket.objection_decided_at = decision, now
        data["objection"] = True
    else:
        ticket.decision, ticket.exemption, ticket.decided_at = decision, letter, now
        data["objection_until"] = isoformat(sla.add_working_days(now, OBJECTION_WORKING_DAYS))
    record_breach(ticket, now)
    ticket.resolved_at = now
    # The document is tied to the decision's history entry after commit (ppid.link_documents).
    return data, note


def objection_deadline(ticket: Ticket) -> datetime | None:
    """Until when the requester may object: 30 working days after the answer, or after the
    deadline missed; None while an unanswered request is still within its deadline."""
    if ticket.decided_at is not None:
        return sla.add_working_days(ticket.decided_at, OBJECTION_WORKING_DAYS)
    return sla.add_working_days(ticket.due_at, OBJECTION_WORKING_DAYS) if ticket.due_at else None


def objection_refusal(ticket: Ticket, now: datetime) -> APIError | None:
    """Why the requester may not object now (409), or None when they may."""
    if ticket.objection_at is not None:
        return APIError(409, "already_objected", catalogue.text("error.objection_once"))
    answered = ticket.decided_at is not None
    missed = not answered and ticket.due_at is not None and now > ticket.due_at
    deadline = objection_deadline(ticket)
    if not (answered or missed) or deadline is None or now > deadline:
        return APIError(409, "objection_window", catalogue.text("error.objection_window"))
    return None


def objection_ground(ticket: Ticket, named: str | None) -> str | None:
    """The keberatan's ground (UU 14/2008 Art. 35(1)): the letter the requester named, else
    the one the ticket itself shows (no answer by the deadline: c; a refusal or a partial grant
    on an exemption: a), else none (the requester's reason says it in words)."""
    if named is not None:
        if named not in OBJECTION_GROUNDS:
            raise _error("error.objection_ground", "ground")
        return named
    if ticket.decided_at is None:
        return "c"
    if ticket.decision in ("refused", "partial") and ticket.exemption:
        return "a"
    return None


def object_(ticket: Ticket, reason: str, now: datetime, ground: str | None = None):
    from ticketing.services.lifecycle import record_breach

    refusal = objection_refusal(ticket, now)
    if refusal is not None:
        raise refusal
    missed = ticket.decided_at is None
    ground = objection_ground(ticket, ground)
    record_breach(ticket, now)
    ticket.objection_at, ticket.objection_reason, ticket.objection_ground = now, reason, ground
    ticket.due_at = ticket.sla_due_at = sla.add_working_days(now, OBJECTION_WORKING_DAYS)
    ticket.sla_remind_at = sla.add_working_days(now, OBJECTION_WORKING_DAYS - 5)
    ticket.reminded_at = ticket.escalated_at = None
    ticket.overdue = False
    data = {"missed_deadline": missed, "due_at": isoformat(ticket.due_at), "ground": ground}
    return data, catalogue.text("event.objection", reason=reason)
