"""Report kinds (issue #17): a pengaduan (complaint), an aspirasi (suggestion) or a permintaan
informasi (request for public information, UU 14/2008).

The citizen may choose the kind (the web form's `kind`, chat keywords `ASPIRASI …` and
`INFO …`); otherwise the router proposes it from examples (ticketing/router/kinds.py) and an
unsure proposal goes to triage. The kind decides the clock: an aspirasi has no deadline (it is
acknowledged, forwarded and answered, never overdue), an information request has the statutory
one (services/ppid.py), a pengaduan its category's SLA (services/lifecycle.py).
"""

from __future__ import annotations

import re
from datetime import datetime

from flask import current_app, has_app_context
from sqlalchemy import select

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import Ticket, User
from ticketing.models.tickets import KINDS
from ticketing.roles import PPID
from ticketing.services import sla

DEFAULT_KIND = "pengaduan"
ASPIRASI, INFORMASI = "aspirasi", "informasi"
INFORMASI_WORKING_DAYS = 10  # UU 14/2008 Art. 22(7)
INFORMASI_REMIND_WORKING_DAYS = 7

# "ASPIRASI <text>", "INFO <text>" / "INFORMASI <text>" at the start of a chat message.
# Possessive runs, as the conversation's other keywords: linear on any text.
_CHAT_KIND = re.compile(r"^\s*+(aspirasi|informasi|info)\b[\s:.,#-]*+(.*)$", re.IGNORECASE | re.DOTALL)
_CHAT_KINDS = {"aspirasi": ASPIRASI, "info": INFORMASI, "informasi": INFORMASI}


# "KEBERATAN <nomor> <alasan>": the requester's objection to an information request's answer.
_CHAT_OBJECTION = re.compile(
    r"^\s*+keberatan\b[\s:#-]*+([a-z0-9]{4}[\s-]?[a-z0-9]{4})\b[\s:.,-]*+(.*)$", re.IGNORECASE | re.DOTALL
)


def chat_objection(body: str) -> tuple[str, str] | None:
    """(ticket number as typed, reason) for a `KEBERATAN` message."""
    match = _CHAT_OBJECTION.match(body or "")
    return (match.group(1), match.group(2).strip()) if match else None


def check_kind(kind: str | None, field: str = "kind") -> str | None:
    """`kind` when it is one of KINDS (None stays None), else 422 naming the field."""
    if kind is None or kind in KINDS:
        return kind
    message = catalogue.text("error.kind_unknown")
    raise APIError(
        422, "invalid_fields", message, {field: [catalogue.text("field.one_of", choices=", ".join(KINDS))]}
    )


def chat_kind(body: str) -> tuple[str, str] | None:
    """(kind, the rest of the message) for a chat message that starts with a kind keyword."""
    match = _CHAT_KIND.match(body or "")
    if match is None:
        return None
    return _CHAT_KINDS[match.group(1).lower()], match.group(2).strip()


def initial_due_at(kind: str | None, start: datetime) -> datetime | None:
    """An information request's statutory deadline: 10 working days after it was received."""
    if kind != INFORMASI:
        return None
    return sla.add_working_days(start, INFORMASI_WORKING_DAYS)


def start_kind_clock(ticket: Ticket) -> bool:
    """Set the deadline a ticket's kind dictates; False for a pengaduan (its category's SLA).

    An aspirasi never has one, so nothing ever counts it overdue; an information request keeps
    its statutory deadline through dispose and reassignment (the law counts from receipt)."""
    if ticket.kind == ASPIRASI:
        ticket.sla_due_at = ticket.sla_remind_at = None
        ticket.reminded_at = ticket.escalated_at = None
        ticket.overdue = False
        return True
    if ticket.kind == INFORMASI:
        received = ticket.created_at or sla.now()
        ticket.due_at = ticket.due_at or initial_due_at(INFORMASI, received)
        ticket.sla_due_at = ticket.due_at
        ticket.sla_remind_at = min(
            sla.add_working_days(received, INFORMASI_REMIND_WORKING_DAYS), ticket.due_at
        )
        return True
    return False


def set_kind(ticket: Ticket, kind: str) -> dict:
    """An operator's correction of the kind (dispose with `kind`): the clock follows."""
    check_kind(kind)
    previous = ticket.kind
    ticket.kind = kind
    if kind == INFORMASI:
        ticket.due_at = ticket.due_at or initial_due_at(INFORMASI, ticket.created_at or sla.now())
    elif previous == INFORMASI:
        ticket.due_at = None
    return {"kind": kind, "previous_kind": previous}


def kind_min_confidence() -> float:
    if has_app_context():
        return float(current_app.config.get("KIND_MIN_CONFIDENCE", 0.6))
    return 0.6


def ppid_utama_opd() -> str:
    if has_app_context():
        return current_app.config.get("PPID_UTAMA_OPD") or "DISKOMINFO"
    return "DISKOMINFO"


def has_ppid(region_code: str, opd_code: str | None) -> bool:
    if not opd_code:
        return False
    return (
        db.session.scalar(
            select(User.id)
            .where(
                User.region_code == region_code,
                User.role == PPID,
                User.opd_code == opd_code,
                User.active.is_(True),
            )
            .limit(1)
        )
        is not None
    )


def ppid_opd_for(ticket: Ticket, opd_code: str | None) -> str | None:
    """The OPD whose PPID answers: the responsible OPD's PPID pembantu, else the PPID utama."""
    from ticketing.services.regions import find_opd

    if opd_code and has_ppid(ticket.region_code, opd_code):
        return opd_code
    utama = ppid_utama_opd()
    return utama if find_opd(ticket.region_code, utama) is not None else opd_code


def route_kind(
    ticket: Ticket, opd_code: str | None, data: dict, rule: str | None = None
) -> tuple[str | None, bool]:
    """The router's part for kinds: (the OPD to assign, whether to assign without a category).

    An unchosen kind is proposed from the text (a rule's emergency stays a pengaduan); an unsure
    proposal sends the ticket to triage (None). An information request goes to a PPID."""
    if not ticket.kind_chosen and rule is None:
        from ticketing.router.kinds import propose_kind

        proposal = propose_kind(ticket.description, kind_min_confidence())
        data["kind"] = proposal
        if proposal["unsure"]:
            return None, False
        if proposal["kind"] != ticket.kind:
            set_kind(ticket, proposal["kind"])
    if ticket.kind != INFORMASI:
        return opd_code, False
    target = ppid_opd_for(ticket, opd_code)
    data["ppid_opd"] = target
    return target, target is not None
