"""PostgreSQL (a private cluster) stopped while citizens keep texting: every signed Twilio SMS is
answered 200 (Twilio would not redeliver a 5xx), spooled, and stored once the database is back —
one inbound message and one ticket per SMS, nothing lost, nothing twice. The short in-process
variant is tests/security/test_webhook_spool.py."""

from __future__ import annotations

import threading
import time

import pytest
import requests
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from tests.channels import fake_provider as fp
from tests.support.chaos import COMPLAINT_TEXTS
from tests.support.chaos_checks import timed
from tests.support.processes import wait_for

pytestmark = pytest.mark.chaos


class TwilioSender(threading.Thread):
    """One citizen after another texting a complaint, each from their own number."""

    def __init__(self, base_url: str, prefix: str, pause: float = 0.05):
        super().__init__(daemon=True)
        self.base_url, self.prefix, self.pause = base_url, prefix, pause
        self.answers: dict[str, int] = {}
        self.stop = threading.Event()

    def send(self, n: int) -> int:
        sid = f"SM{self.prefix}{n:06d}"
        params = {
            "MessageSid": sid,
            "AccountSid": fp.TWILIO_SID,
            "From": f"+62812{n:08d}",
            "To": fp.TWILIO_FROM,
            "Body": COMPLAINT_TEXTS[n % len(COMPLAINT_TEXTS)],
            "NumMedia": "0",
        }
        url = self.base_url + "/webhooks/twilio/sms"
        signature = RequestValidator(fp.TWILIO_TOKEN).compute_signature(url, params)
        try:
            status = requests.post(
                url, data=params, headers={"X-Twilio-Signature": signature}, timeout=10
            ).status_code
        except requests.RequestException:
            status = 0
        self.answers[sid] = status
        return status

    def run(self):
        n = 0
        while not self.stop.is_set():
            self.send(n)
            n += 1
            time.sleep(self.pause)


def _inbound_and_tickets(pg_app) -> tuple[list[str], int]:
    from ticketing.extensions import db
    from ticketing.models import InboundMessage, Ticket

    with pg_app.app_context():
        try:
            sids = list(db.session.scalars(select(InboundMessage.provider_message_id)))
            tickets = db.session.scalar(select(func.count()).select_from(Ticket))
        finally:
            db.session.rollback()
    return sids, tickets


def test_sms_sent_while_postgres_is_down_are_all_stored_once(private_postgres, make_stack):
    cluster, pg_app = private_postgres
    stack = make_stack(database_url=cluster.url)
    web = stack.start_web()
    stack.start_worker()
    sender = TwilioSender(web.base_url, "CHAOS")
    with timed("PostgreSQL stopped 8 s under a stream of Twilio SMS"):
        sender.start()
        try:
            wait_for(lambda: len(sender.answers) >= 10, timeout=30, message="SMS before the outage")
            cluster.stop("fast")
            outage_from = len(sender.answers)
            time.sleep(8)
            outage_to = len(sender.answers)
            cluster.start()
            wait_for(
                lambda: len(sender.answers) >= outage_to + 10, timeout=30, message="SMS after the outage"
            )
        finally:
            sender.stop.set()
            sender.join(15)
    answers = dict(sender.answers)
    assert outage_to - outage_from >= 5, "too few messages arrived during the outage"
    refused = {sid: status for sid, status in answers.items() if status != 200}
    assert not refused, f"answered other than 200 (Twilio would drop them): {refused}"

    def all_stored():
        sids, tickets = _inbound_and_tickets(pg_app)
        return (sids, tickets) if set(sids) >= set(answers) else False

    sids, tickets = wait_for(
        all_stored, timeout=120, interval=0.5, message=f"all {len(answers)} answered SMS stored"
    )
    assert sorted(sids) == sorted(answers), "an SMS stored twice, or one nobody sent"
    assert tickets == len(answers)  # each from its own number: one complaint each
