"""The SMS/WhatsApp conversation: what one inbound message means, and its effect.

Every inbound message is stored raw in the same transaction as its effect (a ticket, an
attachment, a reply in the outbox). The unique (provider, provider message id) makes a
redelivery a no-op: the insert fails on the constraint, nothing else happens.

Small talk never becomes a ticket: greetings, "mau lapor", thanks and empty messages get help or
nothing. A text, location or photo within CHANNEL_ATTACH_WINDOW_SECONDS of a complaint from the
same sender joins that ticket, so "jalan rusak" + "di depan pasar" + a photo is one ticket.
Deciding "is this a complaint" is done with word lists here, not the learned router: the web
process must answer a webhook fast and the router decides triage later anyway, so anything
that is not recognisably small talk becomes a ticket rather than being dropped.
"""

from __future__ import annotations

import importlib
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import select, text

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.extensions import db
from ticketing.models import InboundMessage, MediaAttachment, Ticket
from ticketing.models.base import insert_unless_taken, utcnow
from ticketing.queueing import redis_connection
from ticketing.services import incidents, outbox, proof
from ticketing.services.events import record_event
from ticketing.services.external_bodies import waiting_on
from ticketing.services.intake import after_ticket_created, create_ticket, find_ticket
from ticketing.services.kinds import chat_kind, chat_objection
from ticketing.services.media_fetch import enqueue_media_fetch
from ticketing.services.ppid import chat_objection as chat_objection_effect
from ticketing.services.queries import latest_ticket_of
from ticketing.services.regions import find_opd
from ticketing.services.tracking import public_tracking_url

log = logging.getLogger(__name__)

MEDIA_KINDS = ("image", "document", "audio", "video", "sticker")
OPEN_FOR_FOLLOWUP = ("received", "triage", "assigned", "in_progress")

GREETINGS = {
    "halo",
    "hallo",
    "helo",
    "hello",
    "hai",
    "hi",
    "hey",
    "pagi",
    "siang",
    "sore",
    "malam",
    "selamat",
    "assalamualaikum",
    "assalamu",
    "alaikum",
    "assalammualaikum",
    "salam",
    "permisi",
    "min",
    "admin",
    "mimin",
    "kak",
    "pak",
    "bu",
    "bapak",
    "ibu",
    "mas",
    "mbak",
    "om",
    "p",
    "ping",
    "tes",
    "test",
    "wr",
    "wb",
    "warahmatullahi",
    "wabarakatuh",
    "shalom",
    "swastiastu",
}
HELP_WORDS = {"bantuan", "info", "informasi", "help", "menu", "tolong"}
THANKS = {
    "terima",
    "kasih",
    "terimakasih",
    "makasih",
    "makasi",
    "trims",
    "trimakasih",
    "thanks",
    "thank",
    "you",
    "thx",
    "tq",
    "ty",
    "suwun",
    "matur",
    "nuwun",
    "ok",
    "oke",
    "okay",
    "okey",
    "baik",
    "sip",
    "siap",
    "mantap",
    "banyak",
    "ya",
    "iya",
    "y",
}
REPORT_WORDS = {
    "lapor",
    "melapor",
    "laporan",
    "mengadu",
    "aduan",
    "pengaduan",
    "keluhan",
    "komplain",
    "adukan",
    "melaporkan",
}
FILLER = {
    "mau",
    "ingin",
    "pengen",
    "pingin",
    "saya",
    "aku",
    "sy",
    "gw",
    "gue",
    "mo",
    "mw",
    "bikin",
    "buat",
    "membuat",
    "kirim",
    "ada",
    "yang",
    "dong",
    "ya",
    "gimana",
    "bagaimana",
    "cara",
    "nih",
    "ini",
    "boleh",
    "bisa",
    "tidak",
    "mohon",
    "izin",
    "ijin",
    "sebuah",
    "satu",
    "nya",
    "kah",
    "apa",
    "mengirim",
    "untuk",
    "akan",
}
_WORD = re.compile(r"[a-z0-9']+")
# Possessive whitespace runs (`\s*+`): the rating's runs sit side by side, and with plain `\s*`
# a "5" followed by a few thousand spaces and a letter was split every possible way (cubic:
# 2,000 spaces took 20 s). Giving whitespace back never helps a match here.
_CEK = re.compile(r"^\s*+(?:cek|check|status)\b[\s:#-]*+(.*)$", re.IGNORECASE | re.DOTALL)
_RATING = re.compile(r"^\s*+(?:nilai\s*+)?([1-5])(?:\s*+/\s*+5)?\s*+[.!]?\s*+$", re.IGNORECASE)
# "RAHASIA <keluhan>": a confidential report (never on Open311 GET or in open data), as the web
# form's `confidential`. Possessive runs, as above: linear on any text.
_CONFIDENTIAL = re.compile(r"^\s*+rahasia\b[\s:.,#-]*+(.*)$", re.IGNORECASE | re.DOTALL)
CONFIDENTIAL_PROMPT = "prompt_confidential"  # the effect of a bare "RAHASIA"


@dataclass
class Inbound:
    """One provider message, already verified and parsed by the webhook."""

    provider: str
    provider_message_id: str
    sender: str  # E.164
    kind: str = "text"  # text, location, image, document, audio, video, interactive, …
    text: str | None = None
    lat: float | None = None
    lon: float | None = None
    address: str | None = None
    media_ref: str | None = None
    media_type: str | None = None
    payload: dict = field(default_factory=dict)
    received_at: datetime | None = None


@dataclass
class Outcome:
    effect: str
    duplicate: bool = False
    ticket_number: str | None = None
    reply: str | None = None


def words(value: str) -> list[str]:
    return _WORD.findall(value.lower().replace("’", "'"))


def is_small_talk(tokens: list[str], vocabulary: set[str]) -> bool:
    return bool(tokens) and all(token in vocabulary for token in tokens)


def repliable(message: Inbound) -> bool:
    """A phone number, a WhatsApp user id or a Telegram chat, each only from its own door: an
    SMS sender id reading `tg:…` or `wa:…` is whatever the network says, and must never reach
    that user's tickets."""
    if message.provider == "telegram":
        return message.sender.startswith("tg:")
    if message.provider.endswith("whatsapp"):
        return message.sender.startswith(("+", "wa:"))
    return message.sender.startswith("+")


def ticket_channel(provider: str) -> str:
    if provider == "telegram":
        return "telegram"
    return "whatsapp" if provider.endswith("whatsapp") else "sms"


# -- rate limit --------------------------------------------------------------------------------


def over_sender_limit(sender: str) -> tuple[bool, bool]:
    """(over the limit, first time over in this window). Fails open when Redis is down."""
    limit = current_app.config.get("CHANNEL_SENDER_LIMIT", 20)
    window = current_app.config.get("CHANNEL_SENDER_WINDOW_SECONDS", 3600)
    if not limit:
        return False, False
    try:
        redis = redis_connection()
        key = f"aduan:sender-limit:{sender}"
        count, _ = redis.pipeline().incr(key).expire(key, window, nx=True).execute()
        if count <= limit:
            return False, False
        first = bool(redis.set(f"aduan:sender-limit-replied:{sender}", "1", nx=True, ex=window))
        return True, first
    except RedisError as exc:
        log.warning("sender rate limit unavailable: %s", type(exc).__name__)
        return False, False


# -- the conversation --------------------------------------------------------------------------

SENDER_LOCK_CLASS = 42  # two-key advisory locks: (class, hash) never meets the event-order key


def serialize_sender(sender: str) -> None:
    """One sender's messages are handled one at a time (until this transaction ends): "halo",
    "mau lapor" and the complaint sent within a second, or a gateway delivering out of order,
    must still find each other's ticket instead of racing to open two."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(:cls, hashtext(:sender))"),
            {"cls": SENDER_LOCK_CLASS, "sender": sender},
        )


def store_inbound(message: Inbound) -> InboundMessage | None:
    """Store the raw message, or None when its provider id is stored already (a redelivery):
    the unique constraint decides, in the same statement."""
    return insert_unless_taken(
        db.session,
        InboundMessage,
        dict(
            provider=message.provider,
            provider_message_id=message.provider_message_id,
            sender=message.sender,
            kind=message.kind,
            text=message.text,
            payload=message.payload or {},
            received_at=message.received_at or utcnow(),
        ),
        ("provider", "provider_message_id"),
    )


def handle_inbound(message: Inbound) -> Outcome:
    record = store_inbound(message)
    if record is None:
        db.session.rollback()
        return Outcome(effect="duplicate", duplicate=True)
    serialize_sender(message.sender)

    # E.164, a Telegram chat, or a WhatsApp username's business-scoped id: all answerable.
    if not repliable(message):
        # An alphanumeric sender id (operator promos, bank alerts): kept, never answered.
        return _finish(record, message, "unrepliable")
    from ticketing.services.skm_chat import in_survey

    # A survey's dozen short answers are bounded by the survey itself (skm_chat.MAX_MISSES).
    limited, first_time = (False, False) if in_survey(message.sender) else over_sender_limit(message.sender)
    if limited:
        return _finish(
            record, message, "rate_limited", reply=catalogue.text("chat.rate_limited") if first_time else None
        )
    # An answer to a question we asked (a category pick, the place, a tapped button) first.
    from ticketing.services.chat_questions import handle_reply
    from ticketing.services.region_choice import handle_region_reply  # "Kota/Kabupaten mana?"

    answered = handle_region_reply(record, message) or handle_reply(record, message)
    if answered is not None:
        return answered
    if message.kind == "location":
        return _location(record, message)
    if message.kind in MEDIA_KINDS:
        return _media(record, message)
    body = (message.text or "").strip()
    # "sudah beres" / "belum …" to a proof-of-fix question (services/proof.py), else the text.
    return proof.citizen_answer(record, message, body) or _text(record, message, body)


def _finish(
    record: InboundMessage,
    message: Inbound,
    effect: str,
    *,
    reply: str | None = None,
    ticket: Ticket | None = None,
    kind: str = "reply",
    params=None,
) -> Outcome:
    record.effect = effect
    if ticket is not None:
        record.ticket_id = ticket.id
    if reply:
        outbox.add_message(
            ticket=ticket,
            channel=message.provider,
            recipient=message.sender,
            kind=kind,
            body=reply,
            template_params=params or [],
        )
    number = ticket.ticket_number if ticket is not None else None
    db.session.commit()
    return Outcome(effect=effect, ticket_number=number, reply=reply)


def recent_complaint(sender: str) -> Ticket | None:
    """The ticket this sender opened within the attach window, if still open."""
    window = current_app.config.get("CHANNEL_ATTACH_WINDOW_SECONDS", 600)
    row = db.session.execute(
        select(InboundMessage.ticket_id, InboundMessage.received_at)
        .where(InboundMessage.sender == sender, InboundMessage.effect == "ticket")
        .order_by(InboundMessage.id.desc())
        .limit(1)
    ).first()
    if row is None or utcnow() - row.received_at > timedelta(seconds=window):
        return None
    ticket = db.session.get(Ticket, row.ticket_id)
    return ticket if ticket is not None and ticket.status in OPEN_FOR_FOLLOWUP else None


def _small_talk(tokens: list[str]) -> tuple[str, str | None] | None:
    """Help, greetings, thanks or "mau lapor" without a complaint: (effect, reply key), or None."""
    if any(t in HELP_WORDS for t in tokens) and is_small_talk(tokens, HELP_WORDS | GREETINGS):
        return "help", "chat.help"
    if is_small_talk(tokens, GREETINGS):
        return "help", "chat.help"
    if is_small_talk(tokens, THANKS | GREETINGS):
        return "thanks", None
    if any(t in REPORT_WORDS for t in tokens) and is_small_talk(tokens, REPORT_WORDS | FILLER | GREETINGS):
        return "prompt", "chat.prompt"
    return None


def _text(record: InboundMessage, message: Inbound, body: str) -> Outcome:
    if not body:
        return _finish(record, message, "empty")
    from ticketing.services.skm_chat import survey_reply

    survey = survey_reply(
        message.sender,
        body,
        ticket_channel(message.provider),
        provider=message.provider,
        payload=message.payload,
    )
    if survey is not None:  # "SKM <service>" and the answers that follow (services/skm_chat.py)
        return _finish(record, message, survey[0], reply=survey[1])
    cek = _CEK.match(body)
    if cek:
        return _status(record, message, cek.group(1).strip())
    rating = _RATING.match(body)
    if rating:
        awaiting = awaiting_feedback(message.sender)
        if awaiting is not None:
            return _feedback(record, message, awaiting, int(rating.group(1)))
    keyword = _keyword_message(record, message, body)  # RAHASIA, ASPIRASI, INFO, KEBERATAN
    if keyword is not None:
        return keyword
    tokens = words(body)
    if not tokens:
        return _finish(record, message, "empty")
    talk = _small_talk(tokens)
    if talk is not None:
        effect, reply_key = talk
        return _finish(record, message, effect, reply=catalogue.text(reply_key) if reply_key else None)
    previous = recent_complaint(message.sender)
    if previous is not None:
        record_event(
            previous,
            type="ticket.updated",
            action="citizen_message",
            actor_label="citizen",
            from_status=previous.status,
            note=body,
            data={"inbound_message_id": record.id},
        )
        # One confirmation per ticket: five short messages must not cost five SMS replies.
        confirmed = db.session.scalar(
            select(InboundMessage.id)
            .where(InboundMessage.ticket_id == previous.id, InboundMessage.effect == "followup")
            .limit(1)
        )
        # None for an incident's report: its citizen hears one message (services/incidents.py).
        reply = None if confirmed else incidents.followup_reply(previous)
        return _finish(record, message, "followup", ticket=previous, reply=reply)
    if len(tokens) < 2 and len(body) < 12:
        # "?" or "a": too little to act on, and a ticket nobody can work is noise.
        return _finish(record, message, "help", reply=catalogue.text("chat.help"))
    return _new_ticket(record, message, body, confidential=_asked_confidential(record, message.sender))


def _keyword_message(record: InboundMessage, message: Inbound, body: str) -> Outcome | None:
    """A confidential report (`RAHASIA …`), a report of a chosen kind (`ASPIRASI …`, `INFO …`),
    or an objection to an information request's answer (`KEBERATAN <nomor> <alasan>`;
    services/kinds.py, services/ppid.py); None for any other message."""
    confidential = _CONFIDENTIAL.match(body)
    if confidential:
        return _confidential_ticket(record, message, confidential.group(1).strip())
    chosen = chat_kind(body)
    if chosen is not None and len(words(chosen[1])) >= 2:
        return _new_ticket(record, message, chosen[1], kind=chosen[0])
    objection = chat_objection(body)
    if objection is None:
        return None
    channel = ticket_channel(message.provider)
    effect, ticket, reply = chat_objection_effect(message.sender, *objection, channel)
    return _finish(record, message, effect, ticket=ticket, reply=reply or None)


def _confidential_ticket(record: InboundMessage, message: Inbound, description: str) -> Outcome:
    """Always a new ticket: a confidential report must not join an earlier, public one."""
    if len(description) < 12 and len(words(description)) < 2:
        # "RAHASIA" alone: the complaint that follows is the confidential one.
        return _finish(record, message, CONFIDENTIAL_PROMPT, reply=catalogue.text("chat.prompt"))
    return _new_ticket(record, message, description, confidential=True)


def _asked_confidential(record: InboundMessage, sender: str) -> bool:
    """Was this sender's previous message a bare "RAHASIA", within the attach window?"""
    window = current_app.config.get("CHANNEL_ATTACH_WINDOW_SECONDS", 600)
    row = db.session.execute(
        select(InboundMessage.effect, InboundMessage.received_at)
        .where(InboundMessage.sender == sender, InboundMessage.id != record.id)
        .order_by(InboundMessage.id.desc())
        .limit(1)
    ).first()
    return (
        row is not None
        and row.effect == CONFIDENTIAL_PROMPT
        and utcnow() - row.received_at <= timedelta(seconds=window)
    )


def _new_ticket(
    record: InboundMessage,
    message: Inbound,
    description: str,
    *,
    confidential: bool = False,
    kind: str | None = None,
) -> Outcome:
    from ticketing.services import region_choice  # the account's region, or the place's (issue #16)

    created = create_ticket(
        description=description[:4000],
        channel=ticket_channel(message.provider),
        reporter_phone=message.sender,
        lat=message.lat,
        lon=message.lon,
        address=message.address,
        confidential=confidential,
        commit=False,
        kind=kind,
        region_code=region_choice.inbound_region(message, description),
    )
    ticket = created.ticket
    record.ticket_id, record.effect = ticket.id, "ticket"
    # The tracking page's link, when the public address is known (PUBLIC_BASE_URL).
    link = public_tracking_url(ticket.ticket_number, created.tracking_token)
    reply = (
        catalogue.text("chat.ack_link", ticket_number=ticket.ticket_number, tracking_url=link)
        if link
        else catalogue.text("chat.ack", ticket_number=ticket.ticket_number)
    )
    ack = outbox.add_message(
        ticket=ticket,
        channel=message.provider,
        recipient=message.sender,
        kind="ack",
        body=reply,
        template_params=[ticket.ticket_number],
    )
    # While an incident is active the acknowledgement waits for routing (services/incidents.py).
    incidents.hold_ack_while_active(ack, ticket)
    region_choice.ask_region(ticket, message)  # a province-wide number that could not tell where
    if message.kind in MEDIA_KINDS and message.media_ref:
        attachment = _attach_media(ticket, record, message)
    else:
        attachment = None
    number = ticket.ticket_number
    db.session.commit()
    after_ticket_created(ticket)
    if attachment is not None:
        enqueue_media_fetch(attachment.id)
    return Outcome(effect="ticket", ticket_number=number, reply=reply)


def _status(record: InboundMessage, message: Inbound, number_text: str) -> Outcome:
    if not number_text:
        # A bare CEK lists the sender's open tickets (Telegram shows them as buttons).
        numbers = list(
            db.session.scalars(
                select(Ticket.ticket_number)
                .where(Ticket.reporter_phone == message.sender, Ticket.status.in_(OPEN_FOR_FOLLOWUP))
                .order_by(Ticket.id.desc())
                .limit(5)
            )
        )
        if numbers:
            return _finish(
                record,
                message,
                "status",
                kind="cek_choices",
                params=numbers,
                reply=catalogue.text("chat.cek_choices", numbers=", ".join(numbers)),
            )
        return _finish(record, message, "status", reply=catalogue.text("chat.cek_usage"))
    ticket = find_ticket(number_text)
    # The same answer for "no such ticket" and "not yours": numbers are not enumerable.
    if ticket is None or ticket.reporter_phone != message.sender:
        return _finish(record, message, "status_denied", reply=catalogue.text("chat.status_unknown"))
    label = catalogue.text(f"status.{ticket.status}")
    opd = find_opd(ticket.region_code, ticket.opd_code)
    # Handed to PLN, BPJN… (issue #17): the body that has it now, not the OPD on record.
    holder = waiting_on(ticket) or (opd.name if opd is not None else None)
    if holder is not None:
        reply = catalogue.text(
            "chat.status_opd", ticket_number=ticket.ticket_number, status_label=label, opd_name=holder
        )
    else:
        reply = catalogue.text("chat.status", ticket_number=ticket.ticket_number, status_label=label)
    return _finish(record, message, "status", reply=reply, ticket=ticket)


def _location(record: InboundMessage, message: Inbound) -> Outcome:
    ticket = recent_complaint(message.sender)
    if ticket is None or message.lat is None or message.lon is None:
        return _finish(record, message, "location_orphan", reply=catalogue.text("chat.location_first"))
    ticket.lat, ticket.lon = message.lat, message.lon
    if message.address:
        ticket.address = message.address[:300]
    record_event(
        ticket,
        type="ticket.updated",
        action="attach_location",
        actor_label="citizen",
        from_status=ticket.status,
        data={"inbound_message_id": record.id},
    )
    return _finish(
        record,
        message,
        "attached",
        ticket=ticket,
        reply=catalogue.text("chat.location_attached", ticket_number=ticket.ticket_number),
    )


def _attach_media(ticket: Ticket, record: InboundMessage, message: Inbound) -> MediaAttachment:
    attachment = MediaAttachment(
        ticket_id=ticket.id,
        inbound_message_id=record.id,
        provider=message.provider,
        media_ref=message.media_ref,
        content_type=message.media_type,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def _media(record: InboundMessage, message: Inbound) -> Outcome:
    ticket = recent_complaint(message.sender)
    if ticket is None:
        caption = (message.text or "").strip()
        if caption and len(words(caption)) >= 2:
            return _new_ticket(record, message, caption)
        if message.kind == "audio" and message.media_ref:
            # A voice note alone: a ticket in triage, marked voice (services/voice.py).
            from ticketing.services.voice import open_voice_ticket

            ticket = open_voice_ticket(record, message, ticket_channel(message.provider))
            return Outcome(effect="ticket", ticket_number=ticket.ticket_number)
        return _finish(record, message, "media_orphan", reply=catalogue.text("chat.location_first"))
    attachment = _attach_media(ticket, record, message) if message.media_ref else None
    record_event(
        ticket,
        type="ticket.updated",
        action="attach_media",
        actor_label="citizen",
        from_status=ticket.status,
        note=message.text or None,
        data={"inbound_message_id": record.id, "media_type": message.media_type},
    )
    outcome = _finish(
        record,
        message,
        "attached",
        ticket=ticket,
        reply=catalogue.text("chat.media_attached", ticket_number=ticket.ticket_number),
    )
    if attachment is not None:
        enqueue_media_fetch(attachment.id)
    return outcome


# -- feedback ----------------------------------------------------------------------------------


def awaiting_feedback(sender: str) -> Ticket | None:
    """The sender's latest ticket if it is resolved and this resolution is not rated yet."""
    ticket = latest_ticket_of(sender)
    if ticket is None or ticket.status != "resolved":
        return None
    rated_at = getattr(ticket, "feedback_at", None)
    if rated_at is not None and ticket.resolved_at is not None and rated_at >= ticket.resolved_at:
        return None
    return ticket


def _feedback(record: InboundMessage, message: Inbound, ticket: Ticket, rating: int) -> Outcome:
    try:
        record_feedback = importlib.import_module("ticketing.services.lifecycle").record_feedback
    except (ImportError, AttributeError):
        log.warning(
            "rating %s for %s kept only as a message: lifecycle.record_feedback missing",
            rating,
            ticket.ticket_number,
        )
        return _finish(record, message, "rating_unrecorded", ticket=ticket)
    record.effect, record.ticket_id = "feedback", ticket.id
    number, ticket_id = ticket.ticket_number, ticket.id
    reply = catalogue.text("chat.feedback_thanks", rating=rating, ticket_number=number)
    from ticketing.services.skm_chat import survey_invitation

    reply = " ".join(filter(None, [reply, survey_invitation(ticket, message.sender)]))
    # The thanks joins the same transaction: record_feedback commits our row, its event and this.
    outbox.add_message(
        ticket=ticket, channel=message.provider, recipient=message.sender, kind="reply", body=reply
    )
    db.session.flush()
    try:
        record_feedback(ticket, rating, None, ticket_channel(message.provider))
    except APIError as exc:
        # It rolled back our row with it (a race with another rating): keep the message anyway.
        log.info("rating for %s refused: %s", number, exc.code)
        again = InboundMessage(
            provider=message.provider,
            provider_message_id=message.provider_message_id,
            sender=message.sender,
            kind=message.kind,
            text=message.text,
            payload=message.payload,
            received_at=message.received_at or utcnow(),
            effect="rating_refused",
            ticket_id=ticket_id,
        )
        db.session.add(again)
        db.session.commit()
        return Outcome(effect="rating_refused", ticket_number=number)
    return Outcome(effect="feedback", ticket_number=number, reply=reply)


# -- media -------------------------------------------------------------------------------------
# Fetching, the size cap and the sweep of stuck attachments live in services/media_fetch.py.
