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

from ticketing.queueing import (
    AUTO_CLOSE_RESOLVED_JOB,
    DETECT_SPIKES_JOB,
    DRAIN_INBOUND_SPOOL_JOB,
    EXTERNAL_REMINDERS_JOB,
    QUEUE_MAINTENANCE,
    REQUEUE_STALE_RECEIVED_JOB,
    REQUEUE_UNSENT_OUTBOX_JOB,
    RESUME_DUE_HOLDS_JOB,
    SCHEDULE_RETRAIN_JOB,
    SLA_SWEEP_JOB,
    SWEEP_PENDING_MEDIA_JOB,
    WORKER_BEAT_SECONDS,
    beat,
    enqueue,
)
from workers.redis_health import RedisHealth

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    job_path: str
    every_seconds: int
    queue: str = QUEUE_MAINTENANCE


PERIODIC_JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob(REQUEUE_STALE_RECEIVED_JOB, 30),
    # Outbox rows Redis never got, and sends whose worker died mid-call.
    PeriodicJob(REQUEUE_UNSENT_OUTBOX_JOB, 15),
    # Photos whose fetch was never queued or ran out of retries: again, then `failed`.
    PeriodicJob(SWEEP_PENDING_MEDIA_JOB, 60),
    # Webhooks spooled while the database was down (one LINDEX when there are none).
    PeriodicJob(DRAIN_INBOUND_SPOOL_JOB, 5),
    # Each stamps what it did on the ticket, so a missed or doubled period is harmless.
    PeriodicJob(SLA_SWEEP_JOB, 60),
    PeriodicJob(AUTO_CLOSE_RESOLVED_JOB, 15 * 60),
    # Holds whose `until` passed: resumed as of `until`, so the period only delays the event.
    PeriodicJob(RESUME_DUE_HOLDS_JOB, 60),
    # Outside bodies that have not acknowledged, or are past their expected date (stamped).
    PeriodicJob(EXTERNAL_REMINDERS_JOB, 15 * 60),
    # Incident spikes (services/spikes.py); routing checks each report as it goes too.
    PeriodicJob(DETECT_SPIKES_JOB, 30),
    # Weekly: the router learns the city's history (a slot of 7 days, claimed once).
    PeriodicJob(SCHEDULE_RETRAIN_JOB, 7 * 24 * 3600),
)


def tick(
    connection: Redis, now: float | None = None, jobs: tuple[PeriodicJob, ...] = PERIODIC_JOBS
) -> list[str]:
    """Enqueue every job whose period has started and was not claimed yet."""
    now = time.time() if now is None else now
    enqueued = []
    for periodic in jobs:
        slot = int(now // periodic.every_seconds)
        claim = f"aduan:periodic:{periodic.job_path}:{slot}"
        if connection.set(claim, "1", nx=True, ex=periodic.every_seconds * 2):
            enqueue(
                periodic.job_path,
                queue=periodic.queue,
                connection=connection,
                retry=None,
                job_id="periodic-" + periodic.job_path.replace(".", "-"),
            )
            enqueued.append(periodic.job_path)
    return enqueued


def run_ticker(
    connection: Redis, stop: threading.Event, interval: float = 1.0, health: RedisHealth | None = None
) -> None:
    while not stop.is_set():
        try:
            tick(connection)
        except RedisError as exc:
            if health is not None:
                health.trouble("scheduler tick", exc)
            else:
                log.warning("scheduler tick failed (Redis down?): %s", type(exc).__name__)
        stop.wait(interval)


def start_ticker(connection: Redis, health: RedisHealth | None = None) -> threading.Event:
    stop = threading.Event()
    thread = threading.Thread(
        target=run_ticker, args=(connection, stop, 1.0, health), name="aduan-ticker", daemon=True
    )
    thread.start()
    return stop


def run_heartbeat(
    connection: Redis, worker_name: str, stop: threading.Event, health: RedisHealth | None = None
) -> None:
    while not stop.is_set():
        try:
            beat(connection, worker_name)
            if health is not None:
                health.back()
        except RedisError as exc:
            if health is not None:
                health.trouble("heartbeat", exc)
            else:
                log.warning("worker heartbeat failed (Redis down?): %s", type(exc).__name__)
        stop.wait(WORKER_BEAT_SECONDS)


def start_heartbeat(
    connection: Redis, worker_name: str, health: RedisHealth | None = None
) -> threading.Event:
    """Beat while the main thread runs jobs, so a killed worker's jobs are seen as abandoned
    in seconds (ticketing/queueing.py: is_abandoned). With `health`, a lost Redis is reported
    once and its return once (workers/redis_health.py), not a warning every beat."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_heartbeat,
        args=(connection, worker_name, stop, health),
        name="aduan-heartbeat",
        daemon=True,
    )
    thread.start()
    return stop


def run_rq_scheduler(
    connection: Redis,
    queues: list[str],
    stop: threading.Event,
    health: RedisHealth | None = None,
    interval: float = 1.0,
) -> None:
    """Move RQ's due scheduled jobs (retries with a delay) onto their queues, in this thread.

    RQ's own `with_scheduler=True` forks a scheduler process that dies with a traceback on
    stderr when Redis goes away, and is forked again later. Here the same RQ calls run in a
    thread and a lost Redis is one more `RedisHealth` report. Every worker runs it for its own
    queues (RQ's per-queue locks keep one scheduler per queue), `--no-scheduler` or not."""
    from rq.scheduler import RQScheduler

    scheduler = RQScheduler(
        queues, connection=connection, interval=int(interval), logging_level=logging.WARNING
    )
    # Lock hand-overs ("lock … had expired; re-acquired" after Redis restarts) are routine.
    scheduler.log.setLevel(logging.ERROR)
    while not stop.is_set():
        try:
            if scheduler.should_reacquire_locks:
                scheduler.acquire_locks()
            if scheduler.acquired_locks:
                scheduler.heartbeat()
                scheduler.enqueue_scheduled_jobs()
        except RedisError as exc:
            if health is not None:
                health.trouble("RQ scheduler", exc)
            else:
                log.warning("RQ scheduler pass failed (Redis down?): %s", type(exc).__name__)
            scheduler.lock_acquisition_time = None  # locks may have expired: take them again
        stop.wait(interval)
    try:
        scheduler.release_locks()
    except RedisError:
        pass


def start_rq_scheduler(
    connection: Redis, queues: list[str], health: RedisHealth | None = None
) -> threading.Event:
    stop = threading.Event()
    thread = threading.Thread(
        target=run_rq_scheduler,
        args=(connection, queues, stop, health),
        name="aduan-rq-scheduler",
        daemon=True,
    )
    thread.start()
    return stop
