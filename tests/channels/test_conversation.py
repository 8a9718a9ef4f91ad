"""The conversation in Bahasa Indonesia: what makes a ticket, what gets help, who may CEK."""

from __future__ import annotations

from sqlalchemy import select

from tests.channels.test_webhooks import COMPLAINT, inbound_rows, outbox_rows, tickets


def test_greetings_thanks_and_empty_make_no_ticket(channels, db_query):
    sender = "+6281200000001"
    for text in (
        "halo",
        "Selamat pagi min!",
        "Assalamualaikum",
        "terima kasih",
        "makasih ya kak",
        "",
        "BANTUAN",
        "info",
    ):
        assert channels.twilio(text, sender=sender).status_code == 200
    assert tickets(db_query) == []
    effects = [row[3] for row in inbound_rows(db_query)]
    assert effects == ["help", "help", "help", "thanks", "thanks", "empty", "help", "help"]
    replies = outbox_rows(db_query)
    assert len(replies) == 5 and all("CEK" in r["body"] for r in replies)


def test_halo_mau_lapor_then_complaint_is_one_ticket(channels, db_query):
    sender = "+6281200000002"
    for text in ("halo", "mau lapor", COMPLAINT, "di depan SDN 2 Bandar", "sudah 3 hari"):
        assert channels.twilio(text, sender=sender).status_code == 200
    [(number, _, phone, description, _, _)] = tickets(db_query)
    assert phone == sender and description == COMPLAINT
    effects = [row[3] for row in inbound_rows(db_query)]
    assert effects == ["help", "prompt", "ticket", "followup", "followup"]
    kinds = [(r["kind"], number in r["body"]) for r in outbox_rows(db_query)]
    # help, prompt, ack, one confirmation for the follow-ups (not one per message).
    assert kinds == [("reply", False), ("reply", False), ("ack", True), ("reply", True)]


def test_cek_answers_the_reporter_only(channels, db_query):
    reporter, stranger = "+6281200000003", "+6281200000004"
    channels.twilio(COMPLAINT, sender=reporter)
    [(number, *_)] = tickets(db_query)
    channels.twilio(f"cek {number.replace('-', '').lower()}", sender=reporter)
    channels.twilio(f"CEK {number}", sender=stranger)
    channels.twilio("CEK ZZZZ-9999", sender=stranger)
    replies = outbox_rows(db_query)
    mine = [r["body"] for r in replies if r["recipient"] == reporter]
    theirs = [r["body"] for r in replies if r["recipient"] == stranger]
    assert number in mine[-1] and "Diterima" in mine[-1]
    # The stranger learns nothing, not even whether the number exists.
    assert len(theirs) == 2 and theirs[0] == theirs[1]
    assert number not in theirs[0] and "Diterima" not in theirs[0]
    assert len(tickets(db_query)) == 1


def test_rate_limited_sender_gets_one_polite_reply(channels, db_query):
    sender = "+6281200000005"
    for i in range(12):  # CHANNEL_SENDER_LIMIT is 8 in tests
        channels.twilio(f"Sampah menumpuk di gang {i} dekat pasar, bau sekali", sender=sender)
    effects = [row[3] for row in inbound_rows(db_query)]
    assert len(effects) == 12 and effects.count("rate_limited") == 4
    assert len(tickets(db_query)) == 1
    limited = [r for r in outbox_rows(db_query) if "terlalu banyak" in r["body"]]
    assert len(limited) == 1


def test_location_without_complaint_asks_for_it(channels, db_query):
    response = channels.meta(
        channels.meta_document(
            [
                channels.meta_message(
                    "6281200000006", type="location", location={"latitude": -7.8, "longitude": 112.0}
                )
            ]
        )
    )
    assert response.status_code == 200
    assert tickets(db_query) == []
    [reply] = outbox_rows(db_query)
    assert "uraian keluhan" in reply["body"]


def test_lifecycle_notifications_and_rating(channels, db_query, token_for, provider):
    from ticketing.models import Ticket

    sender = "+6281200000007"
    channels.twilio(COMPLAINT, sender=sender)
    [(number, *_)] = tickets(db_query)
    operator = token_for("operator")
    officer = token_for("officer", "PUPR")

    def act(token, **body):
        response = channels.http.post(
            f"/api/v1/tickets/{number}/actions", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200, response.text

    act(operator, action="dispose", opd="PUPR")
    act(officer, action="accept")
    act(officer, action="resolve", note="Lampu sudah diganti baru", public=True)
    kinds = [(r["kind"], r["recipient"]) for r in outbox_rows(db_query)]
    assert kinds == [("ack", sender), ("routed", sender), ("in_progress", sender), ("resolved", sender)]
    resolved = outbox_rows(db_query)[-1]["body"]
    assert "Lampu sudah diganti baru" in resolved and "1" in resolved and "5" in resolved

    channels.twilio("5", sender=sender)
    rating = db_query(
        lambda db: db.session.scalar(select(Ticket.feedback_rating).where(Ticket.ticket_number == number))
    )
    assert rating == 5
    assert inbound_rows(db_query)[-1][3] == "feedback"
    assert "5/5" in outbox_rows(db_query)[-1]["body"]
    # A second rating is not a second feedback, and not a ticket.
    channels.twilio("4", sender=sender)
    assert (
        db_query(
            lambda db: db.session.scalar(select(Ticket.feedback_rating).where(Ticket.ticket_number == number))
        )
        == 5
    )
    act(operator, action="close")
    assert outbox_rows(db_query)[-1]["kind"] == "closed"
    assert len(tickets(db_query)) == 1
