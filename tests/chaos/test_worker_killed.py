"""A worker SIGKILLed in the middle of routing and in the middle of sending.

Routing: a burst of free-text complaints keeps the worker busy; it is killed at a random
moment (twice), a new one started; every ticket ends routed exactly once. Sending: a burst of
SMS complaints, the provider holds one request open and the worker dies inside that HTTP call;
every message ends sent, each reached the provider once — except the one whose fate was
unknown, which is re-sent once and counted in `ambiguous_attempts` (Twilio and Meta take no
idempotency key; see ticketing/services/outbox.py).
"""

from __future__ import annotations

import random
import time

import pytest
import redis as redis_lib
from rq.registry import StartedJobRegistry
from sqlalchemy import select

from tests.support.chaos import LoadGenerator
from tests.support.chaos_checks import assert_exactly_once, ticket_report, timed, wait_all_routed
from tests.support.processes import wait_for

pytestmark = pytest.mark.chaos


def started_jobs(redis_url: str, queue: str) -> list[str]:
    connection = redis_lib.Redis.from_url(redis_url)
    return StartedJobRegistry(queue, connection=connection).get_job_ids(cleanup=False)


def test_worker_killed_mid_routing_routes_every_ticket_once(app, make_stack):
    stack = make_stack()
    web = stack.start_web()
    load = LoadGenerator(web.base_url, threads=4, pause=0.0)
    abandoned = []
    with timed("worker SIGKILLed twice during a routing burst"):
        load.start()
        load.wait_for_accepted(150, timeout=60)  # a backlog before any worker runs
        load.stop()
        accepted = load.accepted()
        rng = random.Random()
        for _ in range(2):
            worker = stack.start_worker()
            routed_before = len(ticket_report(app)["routed"])
            wait_for(
                lambda before=routed_before: len(ticket_report(app)["routed"]) > before,
                timeout=30,
                interval=0.05,
                message="the worker to start routing",
            )
            time.sleep(rng.uniform(0.0, 1.5))
            worker.kill()
            abandoned += started_jobs(stack.redis.url, "routing")
            routed = len(ticket_report(app)["routed"])
            assert routed < len(accepted), "the burst was routed before the kill; make it larger"
        stack.start_worker()
        report = wait_all_routed(app, accepted, timeout=120)
    assert_exactly_once(report, accepted)
    print(f"[chaos] {len(accepted)} tickets; jobs left `started` by the killed workers: {abandoned}")


def test_worker_killed_mid_send_resends_only_the_ambiguous_message(app, make_stack):
    from tests.channels.test_webhooks import COMPLAINT
    from tests.support.channels import Channels
    from ticketing.extensions import db
    from ticketing.models import OutboxMessage

    stack = make_stack(OUTBOX_SENDING_STALE_SECONDS=3)
    web = stack.start_web()

    class Http:
        base_url = web.base_url

        def post(self, path, **kwargs):
            import requests

            return requests.post(self.base_url + path, timeout=10, **kwargs)

    channels = Channels(Http())
    senders = [f"+62813{n:08d}" for n in range(30)]
    # The provider answers the first 8 sends, then holds the 9th open: the worker dies in it.
    stack.provider.script("twilio", *([201] * 8), "hang")
    with timed("worker SIGKILLed inside a provider call during a sending burst"):
        for sender in senders:
            assert channels.twilio(f"{COMPLAINT} ({sender})", sender=sender).status_code == 200
        worker = stack.start_worker()
        stack.provider.wait_for("twilio", 9, timeout=60)
        worker.kill()
        stack.provider.release.set()
        stack.start_worker()

        def rows():
            with app.app_context():
                try:
                    return [
                        (r.id, r.recipient, r.body, r.state, r.attempts, r.ambiguous_attempts)
                        for r in db.session.scalars(select(OutboxMessage))
                    ]
                finally:
                    db.session.rollback()

        def all_sent():
            current = rows()
            return current if current and all(r[3] == "sent" for r in current) else False

        final = wait_for(all_sent, timeout=120, interval=0.5, message="every outbox row sent")
        time.sleep(2)  # a stray extra attempt would reach the provider now
    received = stack.provider.requests_for("twilio")
    per_row = {
        row[0]: sum(1 for r in received if r.form["To"] == row[1] and r.form["Body"] == row[2])
        for row in final
    }
    ambiguous = [row for row in final if row[5]]
    acks = [row for row in final if "CEK" in row[2] or row[1] in senders]
    assert len({row[1] for row in acks}) == len(senders), "an acknowledgement is missing"
    assert len(ambiguous) == 1, final  # the one the worker died in
    for row in final:
        assert per_row[row[0]] == 1 + row[5], (row, per_row[row[0]])
    print(
        f"[chaos] {len(final)} messages sent; provider saw {len(received)} requests; "
        f"1 re-sent after the crash and counted (outbox {ambiguous[0][0]})"
    )
