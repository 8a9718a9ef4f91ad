"""What the citizen hears of issue #17's steps (on the channel they wrote from), in the
catalogue's words: an aspirasi forwarded, acknowledged and answered; each step of an information
request (forwarded to a PPID with its deadline, extended with the reason, decided with the
exemption ground, objected to, decided by the atasan PPID); a hold, a resumption, a close
without a fix. `services/notifications.py` asks here first; None leaves the event to it.
"""

from __future__ import annotations

from ticketing import catalogue
from ticketing.formatting import day_label, moment_label
from ticketing.models import Ticket, TicketEvent
from ticketing.services import sla
from ticketing.services.kind_states import OBJECTION_WORKING_DAYS


def _ground(letter: str | None) -> str:
    if not letter:
        return ""
    return (
        catalogue.text("exemption.ground", letter=letter, text=catalogue.text(f"exemption.{letter}")) + ". "
    )


def _note(event: TicketEvent) -> str:
    return event.note.strip() if event.public and event.note else ""


def message_for(ticket: Ticket, event: TicketEvent, opd_name: str) -> tuple[str, str] | None:
    """(message kind, text) for `event`, or None when it is not one of these steps."""
    number = ticket.ticket_number
    action, data = event.action, event.data or {}
    if action == "hold":
        until = data.get("until")
        until_text = (
            catalogue.text("notify.on_hold_until", until=day_label(ticket.hold_until)) if until else ""
        )
        return "on_hold", catalogue.text(
            "notify.on_hold", ticket_number=number, note=_note(event), until=until_text
        )
    if action == "resume":
        due = moment_label(ticket.sla_due_at) if ticket.sla_due_at else "-"
        return "resumed", catalogue.text("notify.resumed", ticket_number=number, due=due)
    if action == "close_unresolved":
        reason = catalogue.text(f"close_reason.{ticket.close_reason}")
        default_note = catalogue.text("event.closed_unresolved", reason=reason)
        note = _note(event) if event.note != default_note else ""
        return "closed_unresolved", catalogue.text(
            "notify.closed_unresolved", ticket_number=number, reason=reason, note=note
        ).strip()
    if ticket.kind == "aspirasi":
        return _aspirasi(ticket, event, opd_name)
    if ticket.kind == "informasi":
        return _informasi(ticket, event, opd_name)
    return None


def _routed(event: TicketEvent) -> bool:
    return (
        event.to_status == "assigned"
        and event.from_status != "assigned"
        and event.action
        in (
            "route",
            "dispose",
            "reopen",
        )
    )


def _aspirasi(ticket: Ticket, event: TicketEvent, opd_name: str) -> tuple[str, str] | None:
    number = ticket.ticket_number
    if _routed(event):
        return "aspirasi_routed", catalogue.text(
            "notify.aspirasi_routed", ticket_number=number, opd_name=opd_name
        )
    if event.action == "accept":
        return "aspirasi_in_progress", catalogue.text(
            "notify.aspirasi_in_progress", ticket_number=number, opd_name=opd_name
        )
    if event.action == "answer":
        return "aspirasi_resolved", catalogue.text(
            "notify.aspirasi_resolved", ticket_number=number, opd_name=opd_name, note=_note(event) or "-"
        )
    return None


def _informasi(ticket: Ticket, event: TicketEvent, opd_name: str) -> tuple[str, str] | None:
    number = ticket.ticket_number
    due = day_label(ticket.due_at) if ticket.due_at else "-"
    data = event.data or {}
    if _routed(event):
        return "informasi_routed", catalogue.text(
            "notify.informasi_routed", ticket_number=number, opd_name=opd_name, due=due
        )
    if event.action == "extend":
        return "informasi_extended", catalogue.text(
            "notify.informasi_extended", ticket_number=number, due=due, note=_note(event)
        )
    if event.action == "object":
        return "informasi_objection", catalogue.text(
            "notify.informasi_objection", ticket_number=number, due=due
        )
    if event.action != "decide":
        return None
    decision = catalogue.text(f"decision.{data.get('decision')}")
    ground = _ground(data.get("exemption"))
    note = _note(event)
    if data.get("document"):
        note = f"{note} {catalogue.text('notify.informasi_document')}".strip()
    if data.get("objection"):
        return "informasi_objection_decided", catalogue.text(
            "notify.informasi_objection_decided",
            ticket_number=number,
            decision=decision,
            ground=ground,
            note=note,
        ).strip()
    until = sla.add_working_days(ticket.decided_at or event.created_at, OBJECTION_WORKING_DAYS)
    return "informasi_decided", catalogue.text(
        "notify.informasi_decided",
        ticket_number=number,
        decision=decision,
        ground=ground,
        note=note,
        objection_until=day_label(until),
    )
