"""WhatsApp usernames: a sender Meta names only by a business-scoped user id (BSUID).

Each fixture is a Cloud API `messages` webhook in Meta's documented shape for usernames: the
contact carries `user_id` (and `profile.username`), the message `from_user_id`; `from` and
`wa_id` are omitted when the user's number is hidden. Through real HTTP, with the fake provider.
"""

from __future__ import annotations

import time

from sqlalchemy import select

from tests.channels import fake_provider as fp

COMPLAINT = "Saluran air di Jl. Dhoho tersumbat sampah, air meluap ke jalan setiap hujan"
BSUID = "ID.1502576394655843"


def document(message: dict, contact: dict) -> dict:
    value = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100000000", "phone_number_id": fp.WHATSAPP_PHONE_ID},
        "contacts": [contact],
        "messages": [message],
    }
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA1", "changes": [{"value": value, "field": "messages"}]}],
    }


def text_message(mid: str, body: str, *, phone: str | None = None, user_id: str | None = None) -> dict:
    message = {"id": mid, "timestamp": str(int(time.time())), "type": "text", "text": {"body": body}}
    if phone:
        message["from"] = phone
    if user_id:
        message["from_user_id"] = user_id
    return message


def contact(*, phone: str | None = None, user_id: str | None = None) -> dict:
    entry = {"profile": {"name": "Warga"}}
    if user_id:
        entry["profile"]["username"] = "@warga.kediri"
        entry["user_id"] = user_id
    if phone:
        entry["wa_id"] = phone
    return entry


def tickets(db_query):
    from ticketing.models import Ticket

    return db_query(
        lambda db: [
            (t.ticket_number, t.channel, t.reporter_phone, t.lat)
            for t in db.session.scalars(select(Ticket).order_by(Ticket.id))
        ]
    )


def outbox(db_query):
    from ticketing.models import OutboxMessage

    return db_query(
        lambda db: [
            (r.recipient, r.kind, r.body)
            for r in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        ]
    )


def test_phone_only_shape_is_addressed_by_phone(channels, db_query, provider, ready_worker):
    phone = "6281234567801"
    response = channels.meta(document(text_message("wamid.P1", COMPLAINT, phone=phone), contact(phone=phone)))
    assert response.status_code == 200, response.text
    [(number, channel, reporter, _)] = tickets(db_query)
    assert (channel, reporter) == ("whatsapp", "+" + phone)
    sent = provider.wait_for("whatsapp", 1)[0].json
    assert sent["to"] == phone and "recipient" not in sent and number in sent["text"]["body"]


def test_phone_and_user_id_shape_keeps_the_phone_as_address(channels, db_query, provider, ready_worker):
    phone = "6281234567802"
    message = text_message("wamid.PU1", COMPLAINT, phone=phone, user_id=BSUID)
    assert channels.meta(document(message, contact(phone=phone, user_id=BSUID))).status_code == 200
    [(_, _, reporter, _)] = tickets(db_query)
    assert reporter == "+" + phone
    assert provider.wait_for("whatsapp", 1)[0].json["to"] == phone


def test_user_id_only_sender_gets_a_ticket_an_answer_and_is_tracked(
    channels, db_query, provider, ready_worker, counts
):
    message = text_message("wamid.U1", COMPLAINT, user_id=BSUID)
    for _ in range(2):  # the redelivery creates nothing new
        response = channels.meta(document(message, contact(user_id=BSUID)))
        assert response.status_code == 200, response.text
    [(number, channel, reporter, _)] = tickets(db_query)
    assert (channel, reporter) == ("whatsapp", "wa:" + BSUID)
    assert counts()["inbound"] == 1

    # The acknowledgement is addressed as Meta documents for usernames: `recipient`, no `to`.
    sent = provider.wait_for("whatsapp", 1)[0].json
    assert sent["recipient"] == BSUID and "to" not in sent
    assert number in sent["text"]["body"]

    # The same id's next messages find the ticket: a shared pin attaches, CEK answers.
    location = {
        "id": "wamid.U2",
        "from_user_id": BSUID,
        "timestamp": str(int(time.time())),
        "type": "location",
        "location": {"latitude": -7.8166, "longitude": 112.0114},
    }
    assert channels.meta(document(location, contact(user_id=BSUID))).status_code == 200
    [(_, _, _, lat)] = tickets(db_query)
    assert lat == -7.8166
    cek = text_message("wamid.U3", f"CEK {number}", user_id=BSUID)
    assert channels.meta(document(cek, contact(user_id=BSUID))).status_code == 200
    replies = outbox(db_query)
    assert all(recipient == "wa:" + BSUID for recipient, _, _ in replies)
    assert number in replies[-1][2] and replies[-1][1] == "reply"


def test_user_id_from_the_contact_alone_and_malformed_ids(channels, db_query, counts):
    # Only the contact names the sender: still theirs (one contact per sender).
    message = text_message("wamid.C1", COMPLAINT)
    assert channels.meta(document(message, contact(user_id=BSUID))).status_code == 200
    assert [t[2] for t in tickets(db_query)] == ["wa:" + BSUID]
    # Not a BSUID (no country code, or markup): no address to answer, nothing stored, still 200.
    for mid, bad in (("wamid.B1", "1502576394655843"), ("wamid.B2", "ID.<script>")):
        odd = text_message(mid, COMPLAINT, user_id=bad)
        assert channels.meta(document(odd, {"user_id": bad})).status_code == 200
    assert counts()["tickets"] == 1
