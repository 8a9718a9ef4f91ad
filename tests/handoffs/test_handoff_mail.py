"""The hand-off e-mail through a real SMTP server (aiosmtpd), sent by the outbox service the
send job runs: once however often the job runs, again after the server comes back; and the
reminders a sweep sends to bodies that stay silent."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

PLN = "PLN-UP3-KDR"
PLN_EMAIL = "pengaduan.up3kediri@example.org"
LINK = re.compile(r"https?://\S+/instansi/[A-Za-z0-9_.\-]+")


def operator(make_user):
    from ticketing.extensions import db
    from ticketing.models import User

    username, _ = make_user("op-h5", "operator")
    return db.session.scalar(select(User).where(User.username == username))


def email_rows(ticket):
    from ticketing.extensions import db
    from ticketing.models import OutboxMessage

    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.ticket_id == ticket.id, OutboxMessage.channel == "email")
            .order_by(OutboxMessage.id)
        )
    )


@pytest.fixture
def forwarded(app_ctx, make_ticket, make_user):
    from ticketing.services.lifecycle import apply_action

    ticket = make_ticket(
        "assigned",
        description="Tiang listrik miring di Jl. Dhoho 12, hubungi saya di 081234567890",
        lat=-7.81667,
        lon=112.01194,
        address="Jl. Dhoho 12",
    )
    apply_action(ticket, operator(make_user), "forward_external", body=PLN, note="Mohon dicek segera")
    return ticket


def test_the_email_job_sends_once_and_again_only_after_a_refusal(forwarded, mailbox, app):
    from ticketing.services.outbox import RetryLater, deliver
    from workers.senders import senders_for

    [row] = email_rows(forwarded)
    assert row.recipient == PLN_EMAIL and row.state == "queued"
    senders = senders_for(app.config)

    # The server is down: the attempt is counted, the row waits for RQ's retry.
    mailbox.stop()
    with pytest.raises(RetryLater):
        deliver(row.id, senders)
    [row] = email_rows(forwarded)
    assert (row.state, row.attempts) == ("queued", 1)

    mailbox.start()
    assert deliver(row.id, senders) == "sent"
    # The same job again (a retry that raced, a sweep): the claim refuses, nothing is sent.
    assert deliver(row.id, senders) == "skipped"
    assert deliver(row.id, senders) == "skipped"
    [mail] = mailbox.wait_for(PLN_EMAIL)
    assert len(mailbox.messages) == 1
    assert forwarded.ticket_number in mail["Subject"] and "PLN UP3 Kediri" in mail["Subject"]
    assert mail["Message-ID"].startswith(f"<{row.idempotency_key}@")
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Tiang listrik miring" in text and "Mohon dicek segera" in text
    # The body reads the problem, not the reporter's number.
    assert "081234567890" not in text and "[telepon]" in text
    assert "https://www.openstreetmap.org/?mlat=-7.81667&mlon=112.01194" in text
    assert LINK.search(text)
    [stored] = email_rows(forwarded)
    assert (stored.state, stored.attempts, stored.provider_message_id) == ("sent", 2, mail["Message-ID"])


def test_a_photo_rides_along_as_an_attachment(app_ctx, make_ticket, make_user, mailbox, app):
    from tests.support.citizen import png_bytes
    from ticketing.services.citizen import add_citizen_photos
    from ticketing.services.lifecycle import apply_action
    from ticketing.services.outbox import deliver
    from workers.senders import senders_for

    ticket = make_ticket("triage", opd=None)
    add_citizen_photos(ticket, [png_bytes()])
    apply_action(ticket, operator(make_user), "forward_external", body=PLN)
    [row] = email_rows(ticket)
    assert deliver(row.id, senders_for(app.config)) == "sent"
    [mail] = mailbox.wait_for(PLN_EMAIL)
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content_type() == "image/png"
    assert attachment.get_content() == png_bytes()


def test_a_silent_body_is_reminded_once_per_period(forwarded, mailbox):
    from ticketing.extensions import db
    from ticketing.models import ExternalHandoff, TicketEvent
    from ticketing.services import sla
    from ticketing.services.handoffs import send_reminders

    now = sla.now()
    assert send_reminders(now + timedelta(days=1)) == 0  # not yet: 3 days to acknowledge
    assert send_reminders(now + timedelta(days=4)) == 1
    assert send_reminders(now + timedelta(days=4, hours=1)) == 0  # the sweep ran twice
    assert send_reminders(now + timedelta(days=8)) == 1  # still silent: again
    handoff = db.session.scalar(select(ExternalHandoff))
    assert handoff.reminder_count == 2
    reminders = [r for r in email_rows(forwarded) if r.kind == "external_reminder"]
    assert len(reminders) == 2 and "belum dikonfirmasi" in reminders[0].body
    assert LINK.search(reminders[0].body)
    events = db.session.scalars(select(TicketEvent).where(TicketEvent.action == "external_reminder")).all()
    assert len(events) == 2 and not any(e.public for e in events)


def test_a_body_past_its_expected_date_is_reminded(forwarded, mailbox):
    from ticketing.extensions import db
    from ticketing.models import ExternalHandoff
    from ticketing.services import sla
    from ticketing.services.handoffs import body_action, parse_expected

    handoff = db.session.scalar(select(ExternalHandoff))
    tomorrow = (sla.now() + timedelta(days=1)).date().isoformat()
    body_action(handoff, "external_update", note="Dijadwalkan", expected=parse_expected(tomorrow))
    now = sla.now()
    assert send_reminders_at(now + timedelta(hours=12)) == 0
    assert send_reminders_at(now + timedelta(days=2)) == 1
    [reminder] = [r for r in email_rows(forwarded) if r.kind == "external_reminder"]
    assert "melewati perkiraan tanggal selesai" in reminder.body


def send_reminders_at(moment):
    from ticketing.services.handoffs import send_reminders

    return send_reminders(moment)
