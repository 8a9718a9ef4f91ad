"""Telegram through real HTTP: Bot API `Update`s to /webhooks/telegram (the shapes of
https://core.telegram.org/bots/api#update), replies through the fake Bot API's sendMessage."""

from __future__ import annotations

import itertools
import json
import time

import pytest
from sqlalchemy import select

from tests.channels import fake_provider as fp
from tests.channels.test_webhooks import COMPLAINT, inbound_rows, outbox_rows, tickets
from tests.support.processes import wait_for

_update_ids = itertools.count(700_000_001)
PATH = "/webhooks/telegram"
DEAD_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/aduan_unreachable"


def chat(chat_id: int, kind: str = "private") -> dict:
    return {"id": chat_id, "type": kind, "first_name": "Warga"}


def message_update(chat_id: int, update_id: int | None = None, chat_kind: str = "private", **content) -> dict:
    """An `Update` carrying a `Message` from a user in their private chat with the bot."""
    update_id = update_id or next(_update_ids)
    message = {
        "message_id": update_id % 100_000,
        "date": int(time.time()),
        "from": {"id": chat_id, "is_bot": False, "first_name": "Warga", "language_code": "id"},
        "chat": chat(chat_id, chat_kind),
    }
    message.update(content)
    return {"update_id": update_id, "message": message}


def callback_update(chat_id: int, data: str) -> dict:
    """An `Update` carrying a `CallbackQuery`: the user tapped an inline keyboard button."""
    update_id = next(_update_ids)
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cbq{update_id}",
            "chat_instance": "-4242",
            "data": data,
            "from": {"id": chat_id, "is_bot": False, "first_name": "Warga"},
            "message": {
                "message_id": 7,
                "date": int(time.time()),
                "chat": chat(chat_id),
                "from": {"id": 123456, "is_bot": True, "first_name": "Aduan"},
                "text": "pertanyaan",
            },
        },
    }


def post(http, document, secret: str | None = fp.TELEGRAM_SECRET, raw: bytes | None = None):
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return http.post(PATH, data=raw if raw is not None else json.dumps(document).encode(), headers=headers)


def send_message_requests(provider) -> list[dict]:
    return [r.json for r in provider.requests_for("telegram")]


def test_telegram_complaint_gets_ticket_ack_and_cek_with_buttons(http, provider, db_query, ready_worker):
    chat_id = 5_123_456_701
    sender = f"tg:{chat_id}"
    response = post(http, message_update(chat_id, text=COMPLAINT))
    assert response.status_code == 200, response.text
    [(number, channel, reporter, description, _, _)] = tickets(db_query)
    assert (channel, reporter, description) == ("telegram", sender, COMPLAINT)
    assert inbound_rows(db_query)[0][0:1] + inbound_rows(db_query)[0][2:4] == ("telegram", sender, "ticket")

    # The acknowledgement leaves through the outbox and the worker, to the Bot API's sendMessage.
    ack = provider.wait_for("telegram", 1)[0]
    assert ack.method == "POST" and ack.path == f"/telegram/bot{fp.TELEGRAM_TOKEN}/sendMessage"
    assert ack.json["chat_id"] == chat_id and number in ack.json["text"]

    # A bare /cek lists the open tickets as inline buttons that answer "CEK <number>".
    post(http, message_update(chat_id, text="/cek"))
    wait_for(
        lambda: any("reply_markup" in body for body in send_message_requests(provider)),
        timeout=20,
        message="sendMessage with buttons",
    )
    [choices] = [b for b in send_message_requests(provider) if "reply_markup" in b]
    assert number in choices["text"]
    assert choices["reply_markup"]["inline_keyboard"] == [
        [{"text": number, "callback_data": f"CEK {number}"}]
    ]

    # The tap arrives as a callback_query: answered in the webhook response, CEK answered.
    tap = post(http, callback_update(chat_id, f"CEK {number}"))
    assert tap.status_code == 200
    assert tap.json()["method"] == "answerCallbackQuery"
    assert tap.json()["callback_query_id"].startswith("cbq")
    # Typed with the bot's name, as group-capable clients send commands.
    post(http, message_update(chat_id, text=f"/cek@AduanKotaBot {number}"))
    statuses = [
        r["body"]
        for r in outbox_rows(db_query)
        if r["kind"] == "reply" and r["body"].startswith(f"Status pengaduan {number}")
    ]
    assert len(statuses) == 2
    assert all(r["channel"] == "telegram" and r["recipient"] == sender for r in outbox_rows(db_query))
    assert len(tickets(db_query)) == 1


def test_telegram_commands_greeting_location_and_photo(http, provider, db_query, ready_worker):
    from ticketing.models import MediaAttachment

    chat_id = 5_123_456_702
    for text in ("/start", "/bantuan", "halo min", "BANTUAN"):
        assert post(http, message_update(chat_id, text=text)).status_code == 200
    assert tickets(db_query) == []
    assert [row[3] for row in inbound_rows(db_query)] == ["help"] * 4

    post(http, message_update(chat_id, text=COMPLAINT))
    post(http, message_update(chat_id, location={"latitude": -7.8166, "longitude": 112.0113}))
    post(
        http,
        message_update(
            chat_id,
            caption="ini fotonya",
            photo=[
                {"file_id": "AgAC-small", "file_unique_id": "s1", "width": 90, "height": 67},
                {
                    "file_id": "AgAC-large",
                    "file_unique_id": "l1",
                    "width": 1280,
                    "height": 960,
                    "file_size": 120_000,
                },
            ],
        ),
    )
    [(number, _, _, _, lat, lon)] = tickets(db_query)
    assert (lat, lon) == (-7.8166, 112.0113)
    assert [row[3] for row in inbound_rows(db_query)][4:] == ["ticket", "attached", "attached"]
    [attachment] = db_query(
        lambda db: [
            (a.provider, a.media_ref, a.content_type) for a in db.session.scalars(select(MediaAttachment))
        ]
    )
    assert attachment == ("telegram", "AgAC-large", "image/jpeg")
    # The worker fetches it the Bot API way: getFile, then /file/bot<token>/<file_path>.
    wait_for(
        lambda: db_query(lambda db: db.session.scalar(select(MediaAttachment.state))) == "stored",
        timeout=30,
        message="Telegram photo stored",
    )
    fetched = [r.path for r in provider.requests_for("media") if r.path.startswith("/telegram/")]
    assert fetched[0] == f"/telegram/bot{fp.TELEGRAM_TOKEN}/getFile?file_id=AgAC-large"
    assert fetched[1].startswith(f"/telegram/file/bot{fp.TELEGRAM_TOKEN}/photos/file_")
    replies = [r["body"] for r in outbox_rows(db_query)]
    assert any("Lokasi sudah ditambahkan" in body and number in body for body in replies)
    assert any("Foto/berkas sudah ditambahkan" in body for body in replies)


def test_telegram_rating_buttons_and_tap_record_feedback(app, http, provider, db_query, token_for):
    from ticketing.extensions import db
    from ticketing.models import OutboxMessage, Ticket
    from ticketing.services import outbox
    from workers.senders import senders_for

    chat_id = 5_123_456_703
    post(http, message_update(chat_id, text=COMPLAINT))
    [(number, *_)] = tickets(db_query)
    operator, officer = token_for("operator"), token_for("officer", "PUPR")
    for token, body in (
        (operator, {"action": "dispose", "opd": "PUPR"}),
        (officer, {"action": "accept"}),
        (officer, {"action": "resolve", "note": "Sudah diperbaiki", "public": True}),
    ):
        response = http.post(
            f"/api/v1/tickets/{number}/actions", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200, response.text
    [resolved] = [r for r in outbox_rows(db_query) if r["kind"] == "resolved"]
    assert resolved["channel"] == "telegram"

    # Sent by the real sender over HTTP to the fake Bot API: the question carries 1..5 buttons.
    senders = senders_for(app.config)
    with app.app_context():
        assert outbox.deliver(resolved["id"], senders) == "sent"
        sent_id = db.session.get(OutboxMessage, resolved["id"]).provider_message_id
        db.session.rollback()
    for sender in senders.values():
        if hasattr(sender, "session"):  # the HTTP senders' pooled connections (SMTP holds none)
            sender.session.close()
    assert sent_id.startswith(f"{chat_id}:")
    [question] = [b for b in send_message_requests(provider) if "reply_markup" in b]
    assert question["chat_id"] == chat_id and number in question["text"]
    assert question["reply_markup"]["inline_keyboard"] == [
        [{"text": str(n), "callback_data": str(n)} for n in range(1, 6)]
    ]

    tap = post(http, callback_update(chat_id, "4"))
    assert tap.status_code == 200 and tap.json()["method"] == "answerCallbackQuery"
    assert (
        db_query(
            lambda db: db.session.scalar(select(Ticket.feedback_rating).where(Ticket.ticket_number == number))
        )
        == 4
    )
    assert inbound_rows(db_query)[-1][3] == "feedback"
    assert "4/5" in outbox_rows(db_query)[-1]["body"]


def test_telegram_send_retries_429_and_5xx_and_gives_up_on_403(app, http, provider, db_query):
    """Rate limited (429) or down (5xx): tried again later; the user blocked the bot (403): final."""
    from ticketing.extensions import db
    from ticketing.models import OutboxMessage
    from ticketing.services import outbox
    from workers.senders import senders_for

    post(http, message_update(5_123_456_707, text=COMPLAINT))
    post(http, message_update(5_123_456_708, text=COMPLAINT))
    first, second = [r["id"] for r in outbox_rows(db_query) if r["kind"] == "ack"]
    senders = senders_for(app.config)
    provider.script("telegram", 429, 502, 403)
    with app.app_context():
        for _ in range(2):
            with pytest.raises(outbox.RetryLater):
                outbox.deliver(first, senders)
        assert outbox.deliver(second, senders) == "failed"
        assert outbox.deliver(first, senders) == "sent"
        rows = {
            row.id: (row.state, row.attempts, row.last_error)
            for row in db.session.scalars(select(OutboxMessage))
        }
        db.session.rollback()
    for sender in senders.values():
        if hasattr(sender, "session"):  # the HTTP senders' pooled connections (SMTP holds none)
            sender.session.close()
    assert rows[first][:2] == ("sent", 3)
    assert rows[second][:2] == ("failed", 1) and "telegram answered 403" in rows[second][2]
    assert fp.TELEGRAM_TOKEN not in rows[second][2]
    assert [r.status for r in provider.requests_for("telegram")] == [429, 502, 403, 200]


def test_telegram_redelivered_update_creates_nothing_new(http, provider, counts):
    document = message_update(5_123_456_704, text=COMPLAINT)
    assert post(http, document).status_code == 200
    before = counts()
    assert before == {"tickets": 1, "inbound": 1, "outbox": before["outbox"]}
    again = post(http, document)
    assert again.status_code == 200
    assert counts() == before


def test_telegram_secret_token_is_checked(http, provider, counts):
    document = message_update(5_123_456_705, text=COMPLAINT)
    for secret in ("wrong-secret", "", None, fp.TELEGRAM_SECRET + "x", "rahasia-é"):
        response = post(http, document, secret=secret)
        assert response.status_code == 403, secret
        assert response.json()["error"]["code"] == "invalid_signature"
    assert counts() == {"tickets": 0, "inbound": 0, "outbox": 0}


def test_telegram_unset_secret_answers_503(settings_env):
    from ticketing import create_app

    client = create_app({"TELEGRAM_WEBHOOK_SECRET": ""}).test_client()
    response = client.post(
        PATH, data=json.dumps(message_update(1, text="halo")), headers={"X-Telegram-Bot-Api-Secret-Token": ""}
    )
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "channel_disabled"


def test_telegram_malformed_and_foreign_updates_are_4xx_or_ignored(http, provider, counts):
    for raw in (b"{not json", b"\xff\xfe", b"[1, 2]", b"null", b""):
        response = post(http, None, raw=raw)
        assert response.status_code == 400, raw
        assert response.json()["error"]["code"] == "malformed_json"
    for document in ({}, {"update_id": "12"}, {"update_id": -1}, {"update_id": True}):
        response = post(http, document)
        assert response.status_code == 422, document
    # Groups (the answers would be public), edits, odd shapes: acknowledged, nothing stored.
    for document in (
        message_update(-1001234567890, chat_kind="supergroup", text=COMPLAINT),
        {"update_id": next(_update_ids), "edited_message": {"text": "x"}},
        {"update_id": next(_update_ids), "message": {"chat": "oops", "text": 5}},
        {"update_id": next(_update_ids), "callback_query": {"id": "q", "data": 5}},
    ):
        response = post(http, document)
        assert response.status_code == 200, document
    assert counts() == {"tickets": 0, "inbound": 0, "outbox": 0}


def test_telegram_update_during_a_database_outage_is_spooled_then_stored_once(app_ctx, redis_client):
    from ticketing import create_app
    from ticketing.extensions import db
    from ticketing.models import Ticket
    from ticketing.services.inbound_spool import SPOOL_KEY, drain

    headers = {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": fp.TELEGRAM_SECRET}
    body = json.dumps(message_update(5_123_456_706, text=COMPLAINT))
    down = create_app({"SQLALCHEMY_DATABASE_URI": DEAD_DATABASE}).test_client()
    response = down.post(PATH, data=body, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert redis_client.llen(SPOOL_KEY) == 1

    assert drain() == {"stored": 1, "waiting": 0, "database": "ok"}
    # Telegram delivers it again (it had no answer it trusted): still one ticket.
    assert app_ctx.test_client().post(PATH, data=body, headers=headers).status_code == 200
    db.session.rollback()
    [(channel, reporter)] = db.session.execute(select(Ticket.channel, Ticket.reporter_phone)).all()
    assert (channel, reporter) == ("telegram", "tg:5123456706")


def test_a_tg_lookalike_sms_sender_never_reaches_a_telegram_users_tickets(http, channels, db_query):
    post(http, message_update(1_234_567, text=COMPLAINT))  # an early user: a short id
    [(number, *_)] = tickets(db_query)
    # An alphanumeric SMS sender id is whatever the sending network says it is.
    channels.gateway({"id": "gw-lookalike", "from": "tg:1234567", "text": f"CEK {number}"})
    assert inbound_rows(db_query)[-1][2:4] == ("tg:1234567", "unrepliable")
    assert all(r["channel"] == "telegram" for r in outbox_rows(db_query))


def test_command_text():
    from ticketing.channels.telegram import command_text

    assert command_text("/cek ABCD-2345") == "CEK ABCD-2345"
    assert command_text("/CEK@AduanKotaBot  ABCD-2345 ") == "CEK ABCD-2345"
    assert command_text("/cek") == "CEK"
    assert command_text("/start kampanye") == "BANTUAN"
    assert command_text("/bantuan") == "BANTUAN"
    assert command_text("Jalan /cek rusak") == "Jalan /cek rusak"


def test_bot_token_never_reaches_a_log_line():
    from ticketing.security import redact

    line = f'http://127.0.0.1:1 "POST /telegram/bot{fp.TELEGRAM_TOKEN}/sendMessage HTTP/1.1" 200'
    assert fp.TELEGRAM_TOKEN.split(":")[1] not in redact(line)
    assert "/bot[redacted]/sendMessage" in redact(line)
