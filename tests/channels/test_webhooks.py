"""Inbound webhooks through real HTTP: signatures, storage, redelivery, the conversation."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.channels import fake_provider as fp
from tests.support.channels import hub_signature

COMPLAINT = "Lampu jalan di Jl. Brawijaya mati sejak tiga hari, gelap sekali kalau malam"


def inbound_rows(db_query, sender=None):
    from ticketing.models import InboundMessage

    def load(db):
        query = select(InboundMessage).order_by(InboundMessage.id)
        if sender:
            query = query.where(InboundMessage.sender == sender)
        return [
            (m.provider, m.provider_message_id, m.sender, m.effect, m.ticket_id)
            for m in db.session.scalars(query)
        ]

    return db_query(load)


def outbox_rows(db_query):
    from ticketing.models import OutboxMessage

    return db_query(
        lambda db: [
            {
                "id": r.id,
                "channel": r.channel,
                "recipient": r.recipient,
                "kind": r.kind,
                "body": r.body,
                "state": r.state,
                "ticket_id": r.ticket_id,
            }
            for r in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]
    )


def ticket_by_number(db_query, number):
    from ticketing.models import Ticket

    return db_query(lambda db: db.session.scalar(select(Ticket).where(Ticket.ticket_number == number)))


def tickets(db_query):
    from ticketing.models import Ticket

    return db_query(
        lambda db: [
            (t.ticket_number, t.channel, t.reporter_phone, t.description, t.lat, t.lon)
            for t in db.session.scalars(select(Ticket))
        ]
    )


# -- Twilio ------------------------------------------------------------------------------------


def test_twilio_sms_signed_creates_ticket_and_reply_carries_number(
    channels, counts, db_query, provider, ready_worker
):
    response = channels.twilio(COMPLAINT, sender="0812-3456-7890")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/xml")
    # The acknowledgement goes through the outbox, not the TwiML: never both, never twice.
    assert "<Message>" not in response.text and "<Response>" in response.text

    [(number, channel, phone, description, _, _)] = tickets(db_query)
    assert (channel, phone, description) == ("sms", "+6281234567890", COMPLAINT)
    [(provider_name, _, sender, effect, ticket_id)] = inbound_rows(db_query)
    assert (provider_name, sender, effect) == ("twilio_sms", "+6281234567890", "ticket")

    # The acknowledgement goes first; the "assigned to an OPD" notice may follow it quickly.
    sent = provider.wait_for("twilio", 1)[0]
    assert sent.path == f"/twilio/2010-04-01/Accounts/{fp.TWILIO_SID}/Messages.json"
    assert sent.headers["Authorization"].startswith("Basic ")
    assert sent.form["To"] == "+6281234567890" and sent.form["From"] == fp.TWILIO_FROM
    assert number in sent.form["Body"] and f"CEK {number}" in sent.form["Body"]


def test_twilio_wrong_signature_is_403_and_stores_nothing(channels, counts):
    response = channels.twilio(COMPLAINT, signature="bm90LXRoZS1zaWduYXR1cmU=")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "invalid_signature"
    missing = channels.http.post("/webhooks/twilio/sms", data={"MessageSid": "SM1", "From": "+1"})
    assert missing.status_code == 403
    assert counts() == {"tickets": 0, "inbound": 0, "outbox": 0}


def test_same_message_sid_three_times_is_one_ticket(channels, counts, db_query):
    for _ in range(3):
        response = channels.twilio(COMPLAINT, sid="SM" + "7" * 32)
        assert response.status_code == 200
    assert counts() == {"tickets": 1, "inbound": 1, "outbox": 1}


def test_twilio_whatsapp_location_attaches(channels, db_query):
    channels.twilio(COMPLAINT, sender="+6281311112222", path="/webhooks/twilio/whatsapp")
    response = channels.twilio(
        "",
        sender="+6281311112222",
        path="/webhooks/twilio/whatsapp",
        extra={"Latitude": "-7.8166", "Longitude": "112.0114", "Address": "Jl. Brawijaya"},
    )
    assert response.status_code == 200
    [(_, channel, phone, _, lat, lon)] = tickets(db_query)
    assert (channel, phone, lat, lon) == ("whatsapp", "+6281311112222", -7.8166, 112.0114)
    assert [row["channel"] for row in outbox_rows(db_query)] == ["twilio_whatsapp"] * 2


# -- Meta WhatsApp Cloud API -------------------------------------------------------------------


def test_meta_verification_handshake(channels):
    good = channels.http.get(
        "/webhooks/whatsapp",
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": fp.WHATSAPP_VERIFY_TOKEN,
            "hub.challenge": "1158201444",
        },
    )
    assert good.status_code == 200 and good.text == "1158201444"
    bad = channels.http.get(
        "/webhooks/whatsapp",
        params={"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1158201444"},
    )
    assert bad.status_code == 403 and "1158201444" not in bad.text


def test_meta_text_ack_location_and_delivered_status(channels, db_query, provider, ready_worker):
    sender = "6281234567891"
    response = channels.meta_text(COMPLAINT, sender)
    assert response.status_code == 200, response.text
    [(number, channel, phone, _, lat, _)] = tickets(db_query)
    assert (channel, phone, lat) == ("whatsapp", "+" + sender, None)

    # The acknowledgement goes first; the "assigned to an OPD" notice may follow it quickly.
    sent = provider.wait_for("whatsapp", 1)[0]
    assert sent.path == f"/graph/{fp.WHATSAPP_PHONE_ID}/messages"
    assert sent.headers["Authorization"] == f"Bearer {fp.WHATSAPP_TOKEN}"
    payload = sent.json
    assert payload["messaging_product"] == "whatsapp" and payload["to"] == sender
    assert payload["type"] == "text" and number in payload["text"]["body"]

    location = channels.meta_message(
        sender,
        type="location",
        location={
            "latitude": -7.8166,
            "longitude": 112.0114,
            "name": "Pasar Setono Betek",
            "address": "Jl. Brawijaya",
        },
    )
    assert channels.meta(channels.meta_document([location])).status_code == 200
    [(_, _, _, _, lat, lon)] = tickets(db_query)
    assert (lat, lon) == (-7.8166, 112.0114)

    ack = outbox_rows(db_query)[0]
    assert ack["kind"] == "ack"
    from tests.support.processes import wait_for
    from ticketing.models import OutboxMessage

    wamid = wait_for(
        lambda: db_query(lambda db: db.session.get(OutboxMessage, ack["id"]).provider_message_id),
        message="ack sent",
    )
    status = {"id": wamid, "status": "delivered", "timestamp": "1700000000", "recipient_id": sender}
    assert channels.meta(channels.meta_document(statuses=[status])).status_code == 200
    state = db_query(lambda db: db.session.get(OutboxMessage, ack["id"]).state)
    assert state == "delivered"
    # A late `sent` callback never moves it back.
    channels.meta(channels.meta_document(statuses=[{**status, "status": "sent"}]))
    assert db_query(lambda db: db.session.get(OutboxMessage, ack["id"]).state) == "delivered"


def test_meta_bad_signature_and_bad_body(channels, counts):
    document = channels.meta_document([channels.meta_message(type="text", text={"body": COMPLAINT})])
    assert channels.meta(document, signature="sha256=" + "0" * 64).status_code == 403
    assert channels.meta(document, signature="garbage").status_code == 403
    body = b"{not json"
    broken = channels.http.post(
        "/webhooks/whatsapp",
        data=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": hub_signature(body)},
    )
    assert broken.status_code == 400
    odd = {"entry": [{"changes": [{"value": {"messages": [{"id": "x"}, "junk"]}}]}]}
    assert channels.meta(odd).status_code == 200
    assert counts() == {"tickets": 0, "inbound": 0, "outbox": 0}


def test_meta_redelivery_is_one_ticket(channels, counts):
    for _ in range(3):
        assert channels.meta_text(COMPLAINT, mid="wamid.SAME").status_code == 200
    assert counts() == {"tickets": 1, "inbound": 1, "outbox": 1}


def test_meta_photo_after_complaint_is_fetched_into_media(channels, db_query, provider, ready_worker):
    sender = "6281234567892"
    channels.meta_text(COMPLAINT, sender)
    photo = channels.meta_message(
        sender, type="image", image={"id": "MEDIA123", "mime_type": "image/jpeg", "caption": "ini fotonya"}
    )
    assert channels.meta(channels.meta_document([photo])).status_code == 200
    from pathlib import Path

    from tests.support.processes import wait_for
    from ticketing.models import MediaAttachment

    def stored():
        return db_query(
            lambda db: [(a.state, a.path, a.media_ref) for a in db.session.scalars(select(MediaAttachment))]
        )

    [(state, path, ref)] = wait_for(
        lambda: [a for a in stored() if a[0] == "stored"], timeout=20, message="photo stored"
    )
    assert ref == "MEDIA123" and Path(path).read_bytes() == fp.MEDIA_BYTES
    assert "/media/" in path
    fetches = provider.requests_for("media")
    assert fetches[0].path == "/graph/MEDIA123"
    assert all(f.headers["Authorization"] == f"Bearer {fp.WHATSAPP_TOKEN}" for f in fetches)
    assert len(tickets(db_query)) == 1


# -- the generic gateway -----------------------------------------------------------------------


def test_gateway_hmac_redelivery_and_collection(channels, counts, db_query):
    message = {"id": "gw-1", "from": "081234567893", "to": "1708", "text": COMPLAINT}
    assert channels.gateway(message, secret="wrong").status_code == 403
    assert counts()["inbound"] == 0
    for _ in range(3):
        response = channels.gateway(message)
        assert response.status_code == 200, response.text
    assert response.json() == {"status": "duplicate"}
    assert counts() == {"tickets": 1, "inbound": 1, "outbox": 1}
    [(number, channel, phone, _, _, _)] = tickets(db_query)
    assert (channel, phone) == ("sms", "+6281234567893")

    invalid = channels.gateway({"id": "", "text": 5})
    assert invalid.status_code == 422
    unsigned = channels.http.post("/webhooks/sms/gateway/outbox", json={})
    assert unsigned.status_code == 403

    first = channels.gateway({}, path="/webhooks/sms/gateway/outbox").json()
    [held] = first["messages"]
    assert held["to"] == "+6281234567893" and number in held["text"]
    # Not acknowledged yet: the same message, with the same id, comes back.
    again = channels.gateway({}, path="/webhooks/sms/gateway/outbox").json()
    assert again["messages"] == first["messages"]
    done = channels.gateway({"ack": [int(held["id"])]}, path="/webhooks/sms/gateway/outbox").json()
    assert done == {"acknowledged": 1, "messages": []}
    replay = channels.gateway({"ack": [int(held["id"])]}, path="/webhooks/sms/gateway/outbox")
    assert replay.json() == {"acknowledged": 0, "messages": []}
    assert [r["state"] for r in outbox_rows(db_query)] == ["sent"]


def test_unset_secret_answers_503_channel_disabled(settings_env):
    from ticketing import create_app

    app = create_app(
        {
            "SMS_GATEWAY_SECRET": "",
            "TWILIO_AUTH_TOKEN": "",
            "WHATSAPP_APP_SECRET": "",
            "WHATSAPP_VERIFY_TOKEN": "",
        }
    )
    client = app.test_client()
    for method, path in (
        ("post", "/webhooks/sms/gateway"),
        ("post", "/webhooks/twilio/sms"),
        ("post", "/webhooks/twilio/whatsapp"),
        ("post", "/webhooks/whatsapp"),
        ("get", "/webhooks/whatsapp"),
    ):
        response = getattr(client, method)(path, data=json.dumps({"id": "1"}))
        assert response.status_code == 503, path
        assert response.get_json()["error"]["code"] == "channel_disabled"


def test_alphanumeric_sender_is_stored_not_answered(channels, counts, db_query):
    response = channels.twilio("Promo kuota 50GB hanya hari ini, bayar sekarang", sender="TSEL-INFO")
    assert response.status_code == 200
    assert counts() == {"tickets": 0, "inbound": 1, "outbox": 0}
    assert inbound_rows(db_query)[0][2:4] == ("TSEL-INFO", "unrepliable")
