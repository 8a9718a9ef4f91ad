"""Buttons and lists for the chat's questions, built from an outbox row (kind, body, params).

Every choice answers with the very text a citizen would type (`2`, `5`, `CEK <nomor>`), so a tap
reads like a typed reply, a client that shows no buttons loses nothing (the body lists the
choices too), and the conversation has one parser. Pure functions: no database, no clock.

WhatsApp Cloud API shapes (developers.facebook.com/documentation/business-messaging/whatsapp/
messages/…): reply buttons (`interactive.type: button`, at most 3, titles ≤ 20 characters),
lists (`list`, at most 10 rows, row titles ≤ 24, descriptions ≤ 72, the opening button ≤ 20)
and the location request (`location_request_message` with `action.name: send_location`).
Interactive bodies hold at most 1024 characters.
"""

from __future__ import annotations

from ticketing import catalogue

BUTTON_TITLE_MAX = 20
ROW_TITLE_MAX = 24
ROW_DESCRIPTION_MAX = 72
LIST_BUTTON_MAX = 20
MAX_BUTTONS = 3
MAX_ROWS = 10
BODY_MAX = 1024
ID_MAX = 200

ASK_CATEGORY = "ask_category"
ASK_LOCATION = "ask_location"
RATING_KIND = "resolved"
CEK_KIND = "cek_choices"
# The words the proof-of-fix question asks for (catalogue "proof.resolved"), as typed replies.
PROOF_QUESTION = "SUDAH BERES"
PROOF_FIXED = "SUDAH BERES"
PROOF_NOT_FIXED = "BELUM"


def fit(label: str, limit: int) -> str:
    """`label` in at most `limit` characters, cut at a word when it has to be cut."""
    label = " ".join(str(label).split())
    if len(label) <= limit:
        return label
    cut = label[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:-/")
    return (cut or label[: limit - 1]) + "…"


def _body(text: str) -> dict:
    return {"text": fit(text, BODY_MAX) if len(text) > BODY_MAX else text}


def _buttons(body: str, choices: list[tuple[str, str]]) -> dict:
    return {
        "type": "button",
        "body": _body(body),
        "action": {
            "buttons": [
                {"type": "reply", "reply": {"id": reply_id[:ID_MAX], "title": fit(title, BUTTON_TITLE_MAX)}}
                for reply_id, title in choices
            ]
        },
    }


def _list(body: str, button: str, section: str, rows: list[tuple[str, str, str | None]]) -> dict:
    entries = []
    for reply_id, title, description in rows[:MAX_ROWS]:
        row = {"id": reply_id[:ID_MAX], "title": fit(title, ROW_TITLE_MAX)}
        if description:
            row["description"] = fit(description, ROW_DESCRIPTION_MAX)
        entries.append(row)
    return {
        "type": "list",
        "body": _body(body),
        "action": {
            "button": fit(button, LIST_BUTTON_MAX),
            "sections": [{"title": fit(section, ROW_TITLE_MAX), "rows": entries}],
        },
    }


def rating_rows() -> list[tuple[str, str, str | None]]:
    return [(str(n), catalogue.text(f"chat.rating_row.{n}"), None) for n in range(1, 6)]


def whatsapp_interactive(kind: str, body: str, params: list) -> dict | None:
    """The `interactive` object of a Cloud API message for this outbox row, or None (plain text)."""
    if kind == ASK_CATEGORY and params:
        choices = [(str(i), str(label)) for i, label in enumerate(params[:MAX_ROWS], start=1)]
        if len(choices) <= MAX_BUTTONS:
            return _buttons(body, choices)
        rows = [
            (reply_id, label, label if len(label) > ROW_TITLE_MAX else None) for reply_id, label in choices
        ]
        return _list(body, catalogue.text("chat.pick_button"), catalogue.text("chat.pick_section"), rows)
    if kind == ASK_LOCATION:
        return {
            "type": "location_request_message",
            "body": _body(body),
            "action": {"name": "send_location"},
        }
    if kind == RATING_KIND and PROOF_QUESTION in body:
        # A fix with a proof photo asks "sudah beres?" instead of a rating (services/proof.py).
        return _buttons(
            body,
            [
                (PROOF_FIXED, catalogue.text("chat.proof_fixed")),
                (PROOF_NOT_FIXED, catalogue.text("chat.proof_not_fixed")),
            ],
        )
    if kind == RATING_KIND:
        return _list(
            body, catalogue.text("chat.rating_button"), catalogue.text("chat.rating_section"), rating_rows()
        )
    if kind == CEK_KIND and params:
        rows = [(f"CEK {number}", str(number), None) for number in params[:MAX_ROWS]]
        return _list(body, catalogue.text("chat.cek_button"), catalogue.text("chat.cek_section"), rows)
    return None


def telegram_buttons(kind: str, params: list) -> list:
    """Inline keyboard rows of (label, callback data) for the kinds outbox.chat_buttons leaves."""
    if kind == ASK_CATEGORY:
        return [[(str(label), str(i))] for i, label in enumerate(params[:MAX_ROWS], start=1)]
    return []


def telegram_reply_markup(kind: str) -> dict | None:
    """A Telegram reply keyboard for questions inline buttons cannot answer: the location request
    (a `KeyboardButton` with `request_location`, core.telegram.org/bots/api#keyboardbutton)."""
    if kind != ASK_LOCATION:
        return None
    button = {"text": catalogue.text("chat.send_location_button"), "request_location": True}
    return {"keyboard": [[button]], "one_time_keyboard": True, "resize_keyboard": True}


def numbered(labels: list[str]) -> tuple[str, str]:
    """("1. Jalan rusak\\n2. Saluran air\\n3. Lainnya", "1, 2 atau 3") for a text question."""
    lines = "\n".join(f"{i}. {label}" for i, label in enumerate(labels, start=1))
    numbers = [str(i) for i in range(1, len(labels) + 1)]
    joined = numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " atau " + numbers[-1]
    return lines, joined
