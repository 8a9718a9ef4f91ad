"""Telegram Bot API updates → `Inbound` messages (https://core.telegram.org/bots/api#update).

One update is one message: its `update_id` is the provider message id, so an update Telegram
delivers again (it retries anything but 2xx) is a duplicate and stores nothing. The sender is
`tg:<chat id>` (a private chat's id is the user's id, at most 52 bits: it fits the 20-character
sender column), which the conversation answers through the Telegram sender.

Only private chats are read: in a group the bot's answers (ticket numbers, status) would be
read by everyone in it. Commands become the words the SMS conversation already knows: `/cek`
is `CEK`, `/bantuan`, `/start` and any other command are `BANTUAN`. A button tap
(`callback_query`) carries the text a citizen would have typed as its `data`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ticketing.channels.schemas import MAX_TEXT, _epoch, _float
from ticketing.services.conversation import Inbound

PROVIDER = "telegram"
MAX_SENDER = 20
# "/cek@AduanKotaBot 2026-000123": the command, the bot's name a group client appends, the rest.
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s+(.*))?$", re.DOTALL)


@dataclass
class TelegramUpdate:
    """What one update means for us: the message (None when there is nothing to read) and the
    callback query to answer, if it was a button tap."""

    message: Inbound | None
    callback_query_id: str | None = None


def update_id(document: dict) -> int | None:
    value = document.get("update_id")
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _chat_sender(chat) -> str | None:
    if not isinstance(chat, dict) or chat.get("type") != "private":
        return None
    chat_id = chat.get("id")
    if not isinstance(chat_id, int) or isinstance(chat_id, bool):
        return None
    sender = f"tg:{chat_id}"
    return sender if len(sender) <= MAX_SENDER else None


def command_text(text: str) -> str:
    """`/cek 123` → `CEK 123`; `/bantuan`, `/start` and unknown commands → `BANTUAN`."""
    match = _COMMAND.match(text.strip())
    if match is None:
        return text
    command, rest = match.group(1).lower(), (match.group(2) or "").strip()
    if command in ("cek", "status"):
        return f"CEK {rest}".strip()
    return "BANTUAN"


def _message(update: int, raw: dict, document: dict) -> Inbound | None:
    sender = _chat_sender(raw.get("chat"))
    if sender is None:
        return None
    message = Inbound(
        provider=PROVIDER,
        provider_message_id=str(update),
        sender=sender,
        payload=document,
        received_at=_epoch(raw.get("date")),
    )
    location = raw.get("location")
    venue = raw.get("venue") if isinstance(raw.get("venue"), dict) else {}
    if isinstance(location, dict):
        message.kind = "location"
        message.lat, message.lon = _float(location.get("latitude")), _float(location.get("longitude"))
        parts = [venue.get("title"), venue.get("address")]
        message.address = ", ".join(str(p) for p in parts if p) or None
    elif isinstance(raw.get("photo"), list) and raw["photo"]:
        # PhotoSize array, smallest first: the largest is the one worth keeping.
        largest = raw["photo"][-1] if isinstance(raw["photo"][-1], dict) else {}
        message.kind, message.media_type = "image", "image/jpeg"
        message.media_ref = str(largest.get("file_id") or "")[:1000] or None
        message.text = str(raw.get("caption") or "")[:MAX_TEXT] or None
    elif isinstance(raw.get("document"), dict):
        document_file = raw["document"]
        mime = str(document_file.get("mime_type") or "")[:100]
        message.kind = "image" if mime.startswith("image/") else "document"
        message.media_ref = str(document_file.get("file_id") or "")[:1000] or None
        message.media_type = mime or None
        message.text = str(raw.get("caption") or "")[:MAX_TEXT] or None
    elif isinstance(raw.get("text"), str):
        message.text = command_text(raw["text"][:MAX_TEXT])
    else:
        message.kind = "unsupported"  # stickers, contacts, voice: stored, no ticket
    return message


def _callback(update: int, raw: dict, document: dict) -> TelegramUpdate:
    query_id = str(raw.get("id") or "")[:128] or None
    origin = raw.get("message") if isinstance(raw.get("message"), dict) else {}
    sender = _chat_sender(origin.get("chat"))
    data = raw.get("data")
    if sender is None or not isinstance(data, str):
        return TelegramUpdate(None, query_id)
    message = Inbound(
        provider=PROVIDER,
        provider_message_id=str(update),
        sender=sender,
        text=data[:MAX_TEXT],
        payload=document,
    )
    return TelegramUpdate(message, query_id)


def telegram_update(document: dict) -> TelegramUpdate | None:
    """None when the update has no `update_id`; otherwise what it holds (edits, channel posts,
    membership changes and group messages hold nothing for us and are acknowledged)."""
    update = update_id(document)
    if update is None:
        return None
    if isinstance(document.get("callback_query"), dict):
        return _callback(update, document["callback_query"], document)
    if isinstance(document.get("message"), dict):
        return TelegramUpdate(_message(update, document["message"], document))
    return TelegramUpdate(None)
