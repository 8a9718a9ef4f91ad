"""Information requests (UU 14/2008) beyond the transition table: the requester's objection
(keberatan) through their tracking token, and the PPID's answer document.

The actions themselves (extend, decide, object) are in services/kind_states.py, applied by
services/lifecycle.py like every other change.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from ticketing import catalogue
from ticketing.catalogue_kinds import OBJECTION_GROUNDS
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.formatting import moment_label
from ticketing.models import Ticket, TicketEvent, TicketPhoto, User
from ticketing.services.media import IMAGE_EXTENSIONS, sniff_image_type

DOCUMENT_KIND = "document"
DOCUMENT_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
MAX_OBJECTION_REASON = 2000


def sniff_document_type(content: bytes) -> str | None:
    """PDF, JPEG or PNG by the file's first bytes, whatever its name or declared type."""
    if bytes(content[:5]) == b"%PDF-":
        return "application/pdf"
    image = sniff_image_type(content)
    return image if image in DOCUMENT_TYPES else None


def document_limit_bytes() -> int:
    return int(current_app.config.get("DOCUMENT_MAX_BYTES", 10 * 1024 * 1024))


def add_document(ticket: Ticket, user: User, content: bytes) -> TicketPhoto:
    """Keep an answer document for `ticket` (not yet public: `decide` with its id shows it to
    the requester). Commits. 422 empty, 413 too large, 415 not a PDF/JPEG/PNG by its bytes."""
    if not content:
        message = catalogue.text("error.document_missing")
        raise APIError(422, "invalid_fields", message, {"document": [message]})
    if len(content) > document_limit_bytes():
        message = catalogue.text("error.photo_too_large", mb=document_limit_bytes() // (1024 * 1024))
        raise APIError(413, "payload_too_large", message, {"document": [message]})
    content_type = sniff_document_type(content)
    if content_type is None:
        message = catalogue.text("error.document_type")
        raise APIError(415, "unsupported_media_type", message, {"document": [message]})
    extension = DOCUMENT_TYPES.get(content_type) or IMAGE_EXTENSIONS[content_type]
    relative = (
        Path("documents") / ticket.ticket_number / f"{hashlib.sha256(content).hexdigest()[:32]}{extension}"
    )
    root = Path(current_app.config.get("MEDIA_DIR") or Path(current_app.instance_path) / "media")
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    photo = TicketPhoto(
        ticket_id=ticket.id,
        uploaded_by_user_id=user.id,
        kind=DOCUMENT_KIND,
        path=str(relative),
        content_type=content_type,
        size_bytes=len(content),
    )
    db.session.add(photo)
    db.session.commit()
    return photo


def link_documents(ticket: Ticket) -> None:
    """Tie the document named by the ticket's latest decision to that (public) history entry,
    so the requester's tracking page offers it. Event ids exist only after commit, hence here."""
    event = db.session.scalar(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == ticket.id, TicketEvent.action == "decide")
        .order_by(TicketEvent.id.desc())
        .limit(1)
    )
    document = (event.data or {}).get("document") if event is not None else None
    if document is None:
        return
    db.session.execute(
        update(TicketPhoto)
        .where(TicketPhoto.id == document, TicketPhoto.ticket_id == ticket.id)
        .values(event_id=event.id)
    )
    db.session.commit()


def file_objection(
    ticket: Ticket, reason: str | None, channel: str = "web", ground: str | None = None
) -> Ticket:
    """The requester's keberatan: to the atasan PPID, within 30 working days of the answer or
    of the missed deadline (409 `objection_window` otherwise, 409 `already_objected` twice), on
    the UU 14/2008 Art. 35(1) `ground` named (a-g), else the one the ticket shows."""
    from ticketing.services.lifecycle import ROLE_CITIZEN, apply_action

    reason = reason.strip()[:MAX_OBJECTION_REASON] if isinstance(reason, str) else ""
    if not reason:
        message = catalogue.text("error.objection_reason")
        raise APIError(422, "invalid_fields", message, {"reason": [message]})
    return apply_action(
        ticket,
        None,
        "object",
        note=reason,
        public=True,
        actor_role=ROLE_CITIZEN,
        actor_label=f"citizen:{channel}",
        details={"ground": ground},
    )


def chat_objection(
    sender: str, number_text: str, reason: str, channel: str
) -> tuple[str, Ticket | None, str]:
    """`KEBERATAN <nomor> <alasan>` from the requester's own chat: (effect, ticket, reply).

    Checked before acting, so a refusal leaves the conversation's transaction (the inbound
    message) intact; the objection's own notice is the reply when it is taken."""
    from ticketing.services import sla
    from ticketing.services.intake import find_ticket

    ticket = find_ticket(number_text)
    if ticket is None or ticket.reporter_phone != sender:
        return "objection_denied", None, catalogue.text("chat.status_unknown")
    if not reason.strip():
        return "objection_denied", ticket, catalogue.text("error.objection_reason")
    refusal = objection_closed(ticket, sla.now())
    if refusal is not None:  # its own sentence: objected already, outside the window, not a request
        return "objection_denied", ticket, refusal.message
    file_objection(ticket, reason, channel)
    return "objection", ticket, ""


def objection_closed(ticket: Ticket, now) -> APIError | None:
    """Why the requester may not object to `ticket` now, or None when `file_objection` would
    take it: the transition table (an information request, a status a citizen objects from)
    and the window (`kind_states.objection_refusal`). The chat and the tracking page ask it
    before filing; the refusal's message is the sentence the requester reads."""
    from ticketing.services.kind_states import objection_refusal
    from ticketing.services.lifecycle import ROLE_CITIZEN, TRANSITIONS, kind_allows

    if not kind_allows(ticket.kind, "object"):
        return APIError(409, "invalid_transition", catalogue.text("error.objection_not_informasi"))
    refusal = objection_refusal(ticket, now)
    if refusal is not None:
        return refusal
    transition = TRANSITIONS.get((ticket.status, "object"))
    if transition is None or ROLE_CITIZEN not in transition.roles:
        return APIError(409, "objection_window", catalogue.text("error.objection_window"))
    return None


def objection_panel(ticket: Ticket, now) -> dict | None:
    """What the requester's tracking page shows of an information request (None for other
    kinds): the PPID's answer, whether and until when an objection may be filed, the objection
    filed and the atasan PPID's decision on it. Times are the city's, in words."""
    from ticketing.services.kind_states import objection_deadline, objection_ground

    if ticket.kind != "informasi":
        return None

    def decision(value: str | None) -> str | None:
        return catalogue.text(f"decision.{value}") if value else None

    open_now = objection_closed(ticket, now) is None
    pending = ticket.objection_at is not None and ticket.objection_decided_at is None
    return {
        "decision": decision(ticket.decision),
        "exemption": (
            catalogue.text(
                "exemption.ground",
                letter=ticket.exemption,
                text=catalogue.text(f"exemption.{ticket.exemption}"),
            )
            if ticket.exemption
            else None
        ),
        "can_object": open_now,
        # The form's choice of ground (UU 14/2008 Art. 35(1)), the one the ticket shows first.
        "grounds": list(OBJECTION_GROUNDS.items()) if open_now else [],
        "proposed_ground": objection_ground(ticket, None) if open_now else None,
        "object_until": moment_label(objection_deadline(ticket)) if open_now else None,
        "objected_at": moment_label(ticket.objection_at) if ticket.objection_at else None,
        "objection_reason": ticket.objection_reason,
        "objection_ground": (
            catalogue.text(f"objection_ground.{ticket.objection_ground}") if ticket.objection_ground else None
        ),
        "objection_due": moment_label(ticket.due_at) if pending and ticket.due_at else None,
        "objection_decision": decision(ticket.objection_decision),
        "objection_decided_at": (
            moment_label(ticket.objection_decided_at) if ticket.objection_decided_at else None
        ),
    }
