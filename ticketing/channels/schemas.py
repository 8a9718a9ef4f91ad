"""Provider payloads → `Inbound` messages. Each provider's documented wire format, nothing more."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from marshmallow import EXCLUDE, Schema, fields, validate

from ticketing.phones import InvalidPhoneNumber, to_e164
from ticketing.schemas import EARLIEST_DAY, LATEST_DAY, BoundedAwareDateTime
from ticketing.services.conversation import Inbound

MAX_TEXT = 4000


def sender_e164(raw: str) -> str:
    """E.164 when it is a phone number; otherwise the raw sender (e.g. an alphanumeric sender
    id), which the conversation stores but never answers."""
    try:
        return to_e164(raw)
    except InvalidPhoneNumber:
        return (raw or "?").strip()[:20]


def _float(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) <= 180 else None


def _epoch(value) -> datetime | None:
    """A provider's Unix timestamp; None (our clock decides) when unreadable or outside the
    calendar we serve: a provider's odd clock must not cost a citizen's message."""
    try:
        moment = datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    return moment if EARLIEST_DAY <= moment.date() <= LATEST_DAY else None


# -- Twilio (form-encoded; https://www.twilio.com/docs/messaging/guides/webhook-request) -------


def twilio_inbound(form: dict, provider: str) -> Inbound | None:
    sid = (form.get("MessageSid") or form.get("SmsMessageSid") or "").strip()
    sender = (form.get("From") or "").strip()
    if not sid or not sender:
        return None
    message = Inbound(
        provider=provider,
        provider_message_id=sid[:128],
        sender=sender_e164(sender),
        text=(form.get("Body") or "")[:MAX_TEXT],
        payload=dict(form),
    )
    lat, lon = _float(form.get("Latitude")), _float(form.get("Longitude"))
    if lat is not None and lon is not None:
        message.kind, message.lat, message.lon = "location", lat, lon
        message.address = form.get("Address") or form.get("Label")
    elif (form.get("NumMedia") or "0").strip() not in ("", "0") and form.get("MediaUrl0"):
        content_type = form.get("MediaContentType0") or ""
        message.kind = {"image": "image", "audio": "audio", "video": "video"}.get(
            content_type.split("/")[0], "document"
        )
        message.media_ref, message.media_type = form["MediaUrl0"], content_type or None
    return message


# -- Meta WhatsApp Cloud API (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks) -

# A business-scoped user id (BSUID): an ISO country code, a dot, up to 128 alphanumerics (a
# parent BSUID has `.ENT.` in the middle). Anything else in the field is not an address.
_BSUID = re.compile(r"[A-Z]{2}(?:\.ENT)?\.[A-Za-z0-9]{1,128}")
BSUID_PREFIX = "wa:"


def meta_sender(raw: dict, contact: dict) -> str | None:
    """Who sent a Cloud API message. A user with a username may hide their number: Meta then
    omits `from` (and the contact's `wa_id`) and names them only by `from_user_id` (the
    contact's `user_id`). The phone number, when given, stays the address, so a citizen's
    earlier tickets and replies carry on; without it the BSUID is, as `wa:<BSUID>`."""
    phone = raw.get("from") or contact.get("wa_id")
    if phone:
        return sender_e164(str(phone))
    user_id = str(raw.get("from_user_id") or contact.get("user_id") or "")
    return BSUID_PREFIX + user_id if _BSUID.fullmatch(user_id) else None


def meta_message(raw: dict, metadata: dict, contact: dict | None = None) -> Inbound | None:
    if not isinstance(raw, dict) or not raw.get("id"):
        return None
    sender = meta_sender(raw, contact if isinstance(contact, dict) else {})
    if sender is None:
        return None
    kind = str(raw.get("type") or "unknown")
    message = Inbound(
        provider="meta_whatsapp",
        provider_message_id=str(raw["id"])[:128],
        sender=sender,
        kind=kind,
        payload={"message": raw, "metadata": metadata},
        received_at=_epoch(raw.get("timestamp")),
    )
    body = raw.get(kind) if isinstance(raw.get(kind), dict) else {}
    if kind == "text":
        message.text = str(body.get("body") or "")[:MAX_TEXT]
    elif kind == "location":
        message.lat, message.lon = _float(body.get("latitude")), _float(body.get("longitude"))
        parts = [body.get("name"), body.get("address")]
        message.address = ", ".join(str(p) for p in parts if p) or None
    elif kind in ("image", "document", "audio", "video", "sticker"):
        message.media_ref = str(body.get("id") or "")[:1000] or None
        message.media_type = body.get("mime_type")
        message.text = (body.get("caption") or None) and str(body["caption"])[:MAX_TEXT]
    elif kind == "interactive":
        message.text = interactive_reply(body)
    elif kind == "button":
        message.kind = "text"
        message.text = str(body.get("text") or body.get("payload") or "")
    else:
        message.kind = kind[:16]  # reactions, contacts, unsupported: stored, no ticket
    return message


def interactive_reply(body: dict) -> str | None:
    """What a tapped reply button or list row answers: its id, which we set to the text a
    citizen would type (services/chat_markup.py); its title when a client sends no id. Flow
    replies (`nfm_reply`) and shapes we never send give None: kept, answered with help."""
    reply_type = str(body.get("type") or "")
    if reply_type not in ("button_reply", "list_reply"):
        reply_type = "button_reply" if "button_reply" in body else "list_reply"
    reply = body.get(reply_type)
    if not isinstance(reply, dict):
        return None
    answer = reply.get("id") or reply.get("title")
    return str(answer)[:MAX_TEXT] if isinstance(answer, str | int) and str(answer).strip() else None


def _contact_of(raw, contacts: list[dict]) -> dict:
    """The `contacts` entry of this message's sender (one per sender; alone, it is theirs)."""
    if not isinstance(raw, dict):
        return {}
    for contact in contacts:
        if (raw.get("from") and contact.get("wa_id") == raw.get("from")) or (
            raw.get("from_user_id") and contact.get("user_id") == raw.get("from_user_id")
        ):
            return contact
    return contacts[0] if len(contacts) == 1 else {}


def meta_changes(document: dict) -> tuple[list[Inbound], list[dict]]:
    """(messages, statuses) of one webhook delivery; unknown shapes are skipped, not errors."""
    inbound, statuses = [], []
    entries = document.get("entry") if isinstance(document, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                continue
            metadata = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
            contacts = [c for c in value.get("contacts") or [] if isinstance(c, dict)]
            for raw in value.get("messages") or []:
                parsed = meta_message(raw, metadata, _contact_of(raw, contacts))
                if parsed is not None:
                    inbound.append(parsed)
            for status in value.get("statuses") or []:
                if isinstance(status, dict) and status.get("id") and status.get("status"):
                    statuses.append(status)
    return inbound, statuses


# -- the generic gateway (API.md §3) -----------------------------------------------------------


class GatewayMessageSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    id = fields.String(required=True, validate=validate.Length(min=1, max=128))
    sender = fields.String(required=True, data_key="from", validate=validate.Length(min=1, max=40))
    to = fields.String(load_default=None, validate=validate.Length(max=40))
    text = fields.String(load_default="", validate=validate.Length(max=MAX_TEXT))
    # Our own documented format: an odd date is the gateway's error to see (400), never a 500.
    received_at = BoundedAwareDateTime(load_default=None, default_timezone=UTC)


class GatewayCollectSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    ack = fields.List(
        fields.Integer(strict=False, validate=validate.Range(1, 2**63 - 1)),
        load_default=list,
        validate=validate.Length(max=500),
    )
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 500))


def gateway_inbound(data: dict, payload: dict) -> Inbound:
    return Inbound(
        provider="gateway",
        provider_message_id=data["id"],
        sender=sender_e164(data["sender"]),
        text=data["text"],
        payload=payload,
        received_at=data["received_at"],
    )
