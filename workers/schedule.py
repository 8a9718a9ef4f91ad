"""Periodic jobs, enqueued by a ticker thread inside every `python -m workers` process.

Any number of workers may run the ticker: each period's enqueue is claimed with one Redis
SET NX, so a job runs once per period however many workers there are.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from redis import Redis
from redis.exceptions import RedisError

from ticketing.queueing import QUEUE_MAINTENANCE, WORKER_BEAT_SECONDS, beat, enqueue

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    job_path: str
    every_seconds: int
    queue: str = QUEUE_MAINTENANCE


PERIODIC_JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob("workers.jobs.requeue_stale_received", 30),
    # Outbox rows Redis never got, and sends whose worker died mid-call.
    PeriodicJob("workers.channel_jobs.requeue_unsent_outbox", 15),
    # Each stamps what it did on the ticket, so a missed or doubled period is harmless.
    PeriodicJob("workers.lifecycle_jobs.sla_sweep", 60),
    PeriodicJob("workers.lifecycle_jobs.auto_close_resolved", 15 * 60),
    # Weekly: the router learns the city's history (a slot of 7 days, claimed once).
    PeriodicJob("workers.routing_jobs.schedule_retrain", 7 * 24 * 3600),
)


def tick(connection: Redis, now: float | None = None,
         jobs: tuple[PeriodicJob, ...] = PERIODIC_JOBS) -> list[str]:
    """Enqueue every job whose period has started and was not claimed yet."""
    now = time.time() if now is None else now
    enqueued = []
    for periodic in jobs:
        slot = int(now // periodic.every_seconds)
        claim = f"aduan:periodic:{periodic.job_path}:{slot}"
        if connection.set(claim, "1", nx=True, ex=periodic.every_seconds * 2):
            enqueue(periodic.job_path, queue=periodic.queue, connection=connection, retry=None,
                    job_id="periodic-" + periodic.job_path.replace(".", "-"))
            enqueued.append(periodic.job_path)
    return enqueued


def run_ticker(connection: Redis, stop: threading.Event, interval: float = 1.0) -> None:
    while not stop.is_set():
        try:
            tick(connection)
        except RedisError as exc:
            log.warning("scheduler tick failed (Redis down?): %s", type(exc).__name__)
        stop.wait(interval)


def start_ticker(connection: Redis) -> threading.Event:
    stop = threading.Event()
    thread = threading.Thread(target=run_ticker, args=(connection, stop), name="aduan-ticker",
                              daemon=True)
    thread.start()
    return stop


def run_heartbeat(connection: Redis, worker_name: str, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            beat(connection, worker_name)
        except RedisError as exc:
            log.warning("worker heartbeat failed (Redis down?): %s", type(exc).__name__)
        stop.wait(WORKER_BEAT_SECONDS)


def start_heartbeat(connection: Redis, worker_name: str) -> threading.Event:
    """Beat while the main thread runs jobs, so a killed worker's jobs are seen as abandoned
    in seconds (ticketing/queueing.py: is_abandoned)."""
    stop = threading.Event()
    thread = threading.Thread(target=run_heartbeat, args=(connection, worker_name, stop),
                              name="aduan-heartbeat", daemon=True)
    thread.start()
    return stop
