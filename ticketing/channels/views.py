"""Channel webhooks (API.md §3, §6): Twilio SMS/WhatsApp, Meta WhatsApp Cloud API, SMS gateways,
Telegram.

Every door checks its provider's signature before anything is stored: unset secret → 503
`channel_disabled`, bad signature → 403. All replies go through the outbox (never in the TwiML
answer): one path with retries and delivery state for every channel, and a redelivered message,
which answers with an empty TwiML, can never send its acknowledgement twice. A verified
message or status that arrives while the database is down is spooled and answered 200
(services/inbound_spool.py): Twilio would not redeliver a message answered 5xx.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time

from flask import Blueprint, Response, current_app, request
from twilio.request_validator import RequestValidator

from ticketing.channels.schemas import (
    GatewayCollectSchema,
    GatewayMessageSchema,
    gateway_inbound,
    meta_changes,
    twilio_inbound,
)
from ticketing.channels.telegram import telegram_update
from ticketing.errors import APIError
from ticketing.services import outbox
from ticketing.services.inbound_spool import handle_or_spool, record_status_or_spool

log = logging.getLogger(__name__)

bp = Blueprint("channels", __name__, url_prefix="/webhooks")

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
gateway_schema = GatewayMessageSchema()
collect_schema = GatewayCollectSchema()


def _secret(name: str) -> str:
    value = current_app.config.get(name)
    if not value:
        raise APIError(503, "channel_disabled", "This channel is not configured on this server.")
    return value


def _forbidden() -> APIError:
    return APIError(403, "invalid_signature", "The request signature does not match.")


def _hmac_ok(secret: str, header_value: str | None, signed_prefix: bytes = b"") -> bool:
    scheme, _, signature = (header_value or "").partition("=")
    if scheme != "sha256" or not signature:
        return False
    expected = hmac.new(secret.encode(), signed_prefix + request.get_data(), hashlib.sha256).hexdigest()
    # Bytes: a header with non-ASCII characters is a mismatch, not a TypeError.
    return hmac.compare_digest(expected.encode(), signature.strip().lower().encode("utf-8", "replace"))


# A signed gateway request older (or newer) than this is refused: a captured collect request
# replayed later must not hand out citizens' numbers and texts again.
GATEWAY_MAX_AGE_SECONDS = 300


def _gateway_signed(secret: str, timestamp_required: bool) -> bool:
    """`X-Aduan-Signature: sha256=<hex HMAC>` over `<X-Aduan-Timestamp>.<raw body>` when the
    request carries `X-Aduan-Timestamp` (Unix seconds, within 5 minutes of our clock); over the
    raw body alone when it does not, which only inbound messages may do (API.md §3; a replayed
    inbound message is a duplicate by its id and stores nothing)."""
    stamp = request.headers.get("X-Aduan-Timestamp")
    signature = request.headers.get("X-Aduan-Signature")
    if stamp is None:
        return not timestamp_required and _hmac_ok(secret, signature)
    stamp = stamp.strip()
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 12:
        return False
    if abs(time.time() - int(stamp)) > GATEWAY_MAX_AGE_SECONDS:
        return False
    return _hmac_ok(secret, signature, signed_prefix=stamp.encode() + b".")


def _json_document() -> dict:
    try:
        document = json.loads(request.get_data() or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise APIError(400, "malformed_json", "The body is not valid JSON.") from exc
    if not isinstance(document, dict):
        raise APIError(400, "malformed_json", "The body must be a JSON object.")
    return document


# -- Twilio ------------------------------------------------------------------------------------


def _twilio_url() -> str:
    """The URL Twilio signed: the public one when we sit behind a proxy."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        return request.url
    return base + request.full_path.rstrip("?")


def _twilio(provider: str):
    token = _secret("TWILIO_AUTH_TOKEN")
    form = request.form.to_dict()
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not RequestValidator(token).validate(_twilio_url(), form, signature):
        raise _forbidden()
    message = twilio_inbound(form, provider)
    if message is None:
        raise APIError(
            422,
            "invalid_fields",
            "MessageSid and From are required.",
            {"MessageSid": ["Required."], "From": ["Required."]},
        )
    handle_or_spool(message)
    return Response(EMPTY_TWIML, 200, mimetype="text/xml")


@bp.post("/twilio/sms")
def twilio_sms():
    return _twilio("twilio_sms")


@bp.post("/twilio/whatsapp")
def twilio_whatsapp():
    return _twilio("twilio_whatsapp")


@bp.post("/twilio/status")
def twilio_status():
    """Twilio's StatusCallback (sent when PUBLIC_BASE_URL is set): delivery state by SID."""
    token = _secret("TWILIO_AUTH_TOKEN")
    form = request.form.to_dict()
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not RequestValidator(token).validate(_twilio_url(), form, signature):
        raise _forbidden()
    sid, status = form.get("MessageSid"), form.get("MessageStatus")
    if sid and status:
        record_status_or_spool(sid, status, form.get("ErrorCode"))
    return Response(EMPTY_TWIML, 200, mimetype="text/xml")


# -- Meta WhatsApp Cloud API -------------------------------------------------------------------


@bp.get("/whatsapp")
def whatsapp_verify():
    token = _secret("WHATSAPP_VERIFY_TOKEN")
    given = request.args.get("hub.verify_token", "")
    if request.args.get("hub.mode") != "subscribe" or not hmac.compare_digest(given.encode(), token.encode()):
        raise APIError(403, "verification_failed", "Wrong verify token.")
    return Response(request.args.get("hub.challenge", ""), 200, mimetype="text/plain")


@bp.post("/whatsapp")
def whatsapp_webhook():
    secret = _secret("WHATSAPP_APP_SECRET")
    if not _hmac_ok(secret, request.headers.get("X-Hub-Signature-256")):
        raise _forbidden()
    inbound, statuses = meta_changes(_json_document())
    for message in inbound:
        handle_or_spool(message)
    for status in statuses:
        errors = status.get("errors") if isinstance(status.get("errors"), list) else []
        error = "; ".join(str(e.get("title") or e.get("code")) for e in errors if isinstance(e, dict)) or None
        record_status_or_spool(str(status["id"]), str(status["status"]), error)
    # Meta retries anything but 200 for days; everything verified is acknowledged.
    return {"status": "ok"}


# -- generic SMS gateway -----------------------------------------------------------------------


@bp.post("/sms/gateway")
def sms_gateway():
    secret = _secret("SMS_GATEWAY_SECRET")
    if not _gateway_signed(secret, timestamp_required=False):
        raise _forbidden()
    document = _json_document()
    data = gateway_schema.load(document)
    outcome = handle_or_spool(gateway_inbound(data, document))
    return {"status": "duplicate" if outcome.duplicate else "ok"}


@bp.post("/sms/gateway/outbox")
def sms_gateway_outbox():
    """The gateway collects what to send, signed like its inbound posts and always with
    `X-Aduan-Timestamp` (a request older than 5 minutes is refused).

    Body `{"ack": [<ids it has sent>], "limit": 50}` → `{"messages": [{id, to, text, created_at}]}`.
    Messages come back until acknowledged; the gateway de-duplicates by `id`."""
    secret = _secret("SMS_GATEWAY_SECRET")
    if not _gateway_signed(secret, timestamp_required=True):
        raise _forbidden()
    data = collect_schema.load(_json_document())
    acknowledged = outbox.acknowledge_held(data["ack"]) if data["ack"] else 0
    return {"acknowledged": acknowledged, "messages": outbox.collect_held(data["limit"])}


# -- Telegram Bot API --------------------------------------------------------------------------


@bp.post("/telegram")
def telegram_webhook():
    """An `Update` (https://core.telegram.org/bots/api#update), authenticated by the
    `secret_token` given to setWebhook, which Telegram sends back in this header."""
    secret = _secret("TELEGRAM_WEBHOOK_SECRET")
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not hmac.compare_digest(given.encode("utf-8", "replace"), secret.encode()):
        raise _forbidden()
    update = telegram_update(_json_document())
    if update is None:
        raise APIError(422, "invalid_fields", "update_id is required.", {"update_id": ["Required."]})
    if update.message is not None:
        handle_or_spool(update.message)
    if update.callback_query_id:
        # Answered in the webhook's own response (a Bot API method call Telegram performs),
        # so the tapped button stops spinning without a call of ours to the API.
        return {"method": "answerCallbackQuery", "callback_query_id": update.callback_query_id}
    return {"status": "ok"}
