"""Chaos test checks: a private stack, and what must hold after a fault (every ticket routed
exactly once, nothing half written)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import requests
from sqlalchemy import func, select

from tests.channels import fake_provider as fp
from tests.support.processes import RedisServer, WebServer, Worker, wait_for


@dataclass
class Stack:
    env: dict
    run_dir: object
    redis: RedisServer
    provider: fp.FakeProvider
    web: WebServer | None = None
    workers: list[Worker] = field(default_factory=list)

    def start_web(self, port: int | None = None) -> WebServer:
        self.web = WebServer(
            self.env, self.run_dir / "chaos-web.log", port=port or (self.web.port if self.web else None)
        )
        self.web.start()
        return self.web

    def start_worker(self, wait: bool = True) -> Worker:
        worker = Worker(self.env, self.run_dir / f"chaos-worker-{len(self.workers)}.log")
        worker.start()
        self.workers.append(worker)
        if wait:
            wait_until_listening(worker, self.redis.url)
        return worker

    def stop(self) -> None:
        for worker in self.workers:
            worker.stop()
        if self.web:
            self.web.stop()
        self.provider.release.set()
        self.provider.stop()
        self.redis.stop()


def wait_until_listening(worker: Worker, redis_url: str, timeout: float = 120.0) -> None:
    import redis as redis_lib
    from rq import Worker as RQWorker

    connection = redis_lib.Redis.from_url(redis_url)

    def registered():
        if not worker.running:
            raise AssertionError(f"worker exited, see {worker.log_path}")
        return any(w.pid == worker.process.pid for w in RQWorker.all(connection=connection))

    wait_for(registered, timeout=timeout, interval=0.2, message="worker registered with RQ")


def ticket_report(app, numbers: list[str] | None = None) -> dict:
    """What the database says: tickets by status, routed/created events per ticket, orphans."""
    from ticketing.extensions import db
    from ticketing.models import Ticket, TicketEvent

    with app.app_context():
        try:
            tickets = dict(db.session.execute(select(Ticket.ticket_number, Ticket.status)).all())
            per_type = {}
            for kind in ("ticket.created", "ticket.routed"):
                rows = db.session.execute(
                    select(Ticket.ticket_number, func.count(TicketEvent.id))
                    .join(TicketEvent, TicketEvent.ticket_id == Ticket.id)
                    .where(TicketEvent.type == kind)
                    .group_by(Ticket.ticket_number)
                ).all()
                per_type[kind] = dict(rows)
            orphans = db.session.scalar(
                select(func.count(TicketEvent.id)).where(~TicketEvent.ticket_id.in_(select(Ticket.id)))
            )
        finally:
            db.session.rollback()
    return {
        "tickets": tickets,
        "created": per_type["ticket.created"],
        "routed": per_type["ticket.routed"],
        "orphan_events": orphans,
    }


def wait_all_routed(app, numbers: list[str], timeout: float) -> dict:
    def done():
        report = ticket_report(app)
        waiting = [n for n in numbers if report["tickets"].get(n) in (None, "received")]
        return report if not waiting else False

    return wait_for(
        done, timeout=timeout, interval=0.5, message=f"all {len(numbers)} accepted complaints routed"
    )


def assert_exactly_once(report: dict, accepted: list[str]) -> None:
    """Every accepted complaint is one ticket, created once and routed once; nothing else."""
    assert len(accepted) == len(set(accepted)), "the same ticket number was handed out twice"
    missing = [n for n in accepted if n not in report["tickets"]]
    assert not missing, f"accepted but lost: {missing[:5]}"
    assert set(report["tickets"]) == set(accepted), "tickets nobody was told about (half-written?)"
    assert all(report["created"].get(n) == 1 for n in accepted), "ticket.created missing or doubled"
    doubled = {n: c for n, c in report["routed"].items() if c != 1}
    assert not doubled, f"routed more than once: {doubled}"
    assert all(report["routed"].get(n) == 1 for n in accepted)
    assert report["orphan_events"] == 0


def readyz(base_url: str) -> tuple[int, dict]:
    try:
        response = requests.get(base_url + "/readyz", timeout=5)
        return response.status_code, response.json()
    except requests.RequestException as exc:
        return 0, {"error": type(exc).__name__}


def timed(label: str):
    """Print a scenario's duration, so `make chaos -s` shows how long each fault took."""

    class Timer:
        def __enter__(self):
            self.start = time.monotonic()
            return self

        def __exit__(self, *exc):
            print(f"\n[chaos] {label}: {time.monotonic() - self.start:.1f}s")

    return Timer()


def assert_no_half_written(report: dict, accepted: list[str]) -> list[str]:
    """Like assert_exactly_once, for faults that can cut a connection between the database's
    commit and the client hearing 201: such a ticket must still be whole (created once, routed
    once). Returns those tickets, for the report."""
    assert len(accepted) == len(set(accepted))
    missing = [n for n in accepted if n not in report["tickets"]]
    assert not missing, f"accepted but lost: {missing[:5]}"
    for number in report["tickets"]:
        assert report["created"].get(number) == 1, f"{number}: ticket.created missing or doubled"
        assert report["routed"].get(number) == 1, f"{number}: routed {report['routed'].get(number)} times"
    assert report["orphan_events"] == 0
    return sorted(set(report["tickets"]) - set(accepted))
