"""Sending: retries with backoff, final failure, crashes mid-call, the 24-hour window."""

from __future__ import annotations

import json
import time
from datetime import timedelta

from sqlalchemy import select, update

from tests.channels.test_webhooks import COMPLAINT, outbox_rows, tickets
from tests.support.channels import wait_until_listening
from tests.support.processes import Worker, wait_for


def outbox_row(db_query, outbox_id):
    from ticketing.models import OutboxMessage

    return db_query(
        lambda db: {
            c: getattr(db.session.get(OutboxMessage, outbox_id), c)
            for c in (
                "state",
                "attempts",
                "ambiguous_attempts",
                "provider_message_id",
                "last_error",
                "sent_via",
            )
        }
    )


def test_provider_500_then_200_is_sent_once(channels, db_query, provider, ready_worker):
    provider.script("twilio", 500)
    channels.twilio(COMPLAINT, sender="+6281300000001")
    [ack] = outbox_rows(db_query)
    row = wait_for(
        lambda: (r := outbox_row(db_query, ack["id"]))["state"] == "sent" and r,
        timeout=20,
        message="ack sent after a retry",
    )
    assert row["attempts"] == 2 and row["provider_message_id"].startswith("SM")
    time.sleep(2.5)  # longer than the backoff: a stray extra attempt would show up now
    # Only the acknowledgement: the worker's router may also send a "routed" notification.
    sent = [r for r in provider.requests_for("twilio") if "CEK" in r.form["Body"]]
    assert [r.status for r in sent] == [500, 201]


def test_provider_500_forever_fails_after_the_cap(channels, db_query, provider, ready_worker, app):
    provider.script("whatsapp", "forever:500")
    channels.meta_text(COMPLAINT, "6281300000002")
    ack = outbox_rows(db_query)[0]
    row = wait_for(
        lambda: (r := outbox_row(db_query, ack["id"]))["state"] == "failed" and r,
        timeout=30,
        message="ack failed for good",
    )
    assert row["attempts"] == 4 and "500" in row["last_error"]  # 1 + 3 retries in tests
    time.sleep(2.5)
    acks = [r for r in provider.requests_for("whatsapp") if "CEK" in json.dumps(r.json)]
    assert len(acks) == 4
    with app.app_context():
        from ticketing.services.outbox import failed_outbox

        assert ack["id"] in [r.id for r in failed_outbox()]
    [(number, channel, *_)] = tickets(db_query)
    assert channel == "whatsapp"  # the ticket itself is untouched by the failed reply
    assert channels.http.get(f"/api/v1/complaints/{number}").status_code == 404  # still exists,
    # just not public without a token; its row is intact:
    from ticketing.models import Ticket

    status = db_query(lambda db: db.session.scalar(select(Ticket.status)))
    assert status in ("received", "triage", "assigned")


def test_worker_killed_after_provider_accepted_is_resent_and_counted(
    channels, db_query, provider, ready_worker, process_env, run_dir, app, redis_client
):
    """Twilio takes no idempotency key: the crash window can only be detected and counted."""
    provider.script("twilio", "hang")
    channels.twilio(COMPLAINT, sender="+6281300000003")
    [accepted] = provider.wait_for("twilio", 1)  # the provider has the message…
    ready_worker.kill()  # …and the worker dies before it could mark the row sent
    [ack] = [r for r in outbox_rows(db_query) if r["state"] == "sending"]
    assert accepted.form["Body"] == ack["body"]
    provider.release.set()

    second = Worker(process_env, run_dir / "worker-2.log")
    second.start()
    try:
        wait_until_listening(second, redis_client)
        time.sleep(3.5)  # OUTBOX_SENDING_STALE_SECONDS
        with app.app_context():
            from ticketing.services.outbox import possible_duplicates, requeue_unsent

            requeue_unsent()  # what the periodic sweep does every 15 s
        row = wait_for(
            lambda: (r := outbox_row(db_query, ack["id"]))["state"] == "sent" and r,
            timeout=20,
            message="ack re-sent",
        )
        assert row["attempts"] == 2 and row["ambiguous_attempts"] == 1
        same = [r for r in provider.requests_for("twilio") if r.form["Body"] == ack["body"]]
        assert len(same) == 2  # sent twice, and counted as such
        with app.app_context():
            assert [r.id for r in possible_duplicates()] == [ack["id"]]
    finally:
        second.stop()


def test_outside_the_24_hour_window_sends_the_template(channels, db_query, provider, ready_worker, app):
    from ticketing.extensions import db
    from ticketing.models import InboundMessage, Ticket
    from ticketing.models.base import utcnow
    from ticketing.services import outbox

    sender = "6281300000004"
    channels.meta_text(COMPLAINT, sender)
    provider.wait_for("whatsapp", 1)
    with app.app_context():
        db.session.execute(update(InboundMessage).values(received_at=utcnow() - timedelta(hours=25)))
        ticket = db.session.scalar(select(Ticket))
        outbox.add_message(
            ticket=ticket,
            channel="meta_whatsapp",
            recipient="+" + sender,
            kind="routed",
            body="teks bebas",
            template_params=[ticket.ticket_number, "Dinas PUPR"],
        )
        db.session.commit()  # the after-commit hook queues the send

    def template_sent():
        return [r.json for r in provider.requests_for("whatsapp") if "Dinas PUPR" in json.dumps(r.json)]

    [sent] = wait_for(template_sent, timeout=20, message="template sent")
    assert sent["type"] == "template" and "text" not in sent
    assert sent["template"]["name"] == "aduan_routed"
    assert sent["template"]["language"] == {"code": "id"}
    params = sent["template"]["components"][0]["parameters"]
    assert [p["text"] for p in params][1] == "Dinas PUPR"
