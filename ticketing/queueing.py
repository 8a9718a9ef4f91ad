"""Queue names, job defaults and enqueueing by dotted path.

The web and the services name jobs as strings ("workers.jobs.route_ticket") so that they never
import worker code; `workers/` imports this module for the same names.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from rq.exceptions import DuplicateJobError
from rq.job import Job, JobStatus

log = logging.getLogger(__name__)

QUEUE_ROUTING = "routing"
QUEUE_OUTBOUND = "outbound"
QUEUE_MAINTENANCE = "maintenance"
# Order matters: a worker drains routing before it sends, before it sweeps.
ALL_QUEUES = (QUEUE_ROUTING, QUEUE_OUTBOUND, QUEUE_MAINTENANCE)

# Every job, by dotted path: the web and the services enqueue these strings and never import
# workers/ (tests/test_queueing.py checks that each one resolves to a function there).
ROUTE_TICKET_JOB = "workers.jobs.route_ticket"
REQUEUE_STALE_RECEIVED_JOB = "workers.jobs.requeue_stale_received"
SEND_OUTBOX_JOB = "workers.channel_jobs.send_outbox"
FETCH_MEDIA_JOB = "workers.channel_jobs.fetch_media"
SWEEP_PENDING_MEDIA_JOB = "workers.channel_jobs.sweep_pending_media"
DRAIN_INBOUND_SPOOL_JOB = "workers.channel_jobs.drain_inbound_spool"
REQUEUE_UNSENT_OUTBOX_JOB = "workers.channel_jobs.requeue_unsent_outbox"
SLA_SWEEP_JOB = "workers.lifecycle_jobs.sla_sweep"
AUTO_CLOSE_RESOLVED_JOB = "workers.lifecycle_jobs.auto_close_resolved"
RESUME_DUE_HOLDS_JOB = "workers.lifecycle_jobs.resume_due_holds"
RETRAIN_ROUTER_JOB = "workers.routing_jobs.retrain_router"
SCHEDULE_RETRAIN_JOB = "workers.routing_jobs.schedule_retrain"
EXTERNAL_REMINDERS_JOB = "workers.handoff_jobs.external_reminders"
DETECT_SPIKES_JOB = "workers.lifecycle_jobs.detect_spikes"
ALL_JOBS = (
    ROUTE_TICKET_JOB,
    REQUEUE_STALE_RECEIVED_JOB,
    SEND_OUTBOX_JOB,
    FETCH_MEDIA_JOB,
    SWEEP_PENDING_MEDIA_JOB,
    DRAIN_INBOUND_SPOOL_JOB,
    REQUEUE_UNSENT_OUTBOX_JOB,
    SLA_SWEEP_JOB,
    AUTO_CLOSE_RESOLVED_JOB,
    RESUME_DUE_HOLDS_JOB,
    RETRAIN_ROUTER_JOB,
    SCHEDULE_RETRAIN_JOB,
    DETECT_SPIKES_JOB,
    EXTERNAL_REMINDERS_JOB,
)

DEFAULT_RETRY = Retry(max=5, interval=[2, 5, 15, 60, 300])
DEFAULT_JOB_TIMEOUT = 60


@lru_cache(maxsize=8)
def _redis_for(url: str) -> Redis:
    # Short timeouts: a web request must not hang on a dead Redis, it must fall back.
    return Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2, health_check_interval=30)


def redis_connection(url: str | None = None) -> Redis:
    return _redis_for(url or current_app.config["REDIS_URL"])


def get_queue(name: str, connection: Redis | None = None) -> Queue:
    return Queue(name, connection=connection or redis_connection())


PENDING_JOB_STATES = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED}

# Worker liveness. A SIGKILLed SimpleWorker leaves its job `started`; RQ 3.0 only notices when
# the job's execution entry expires (job timeout + 60 s) *and* a worker next cleans registries
# (every 10 minutes), and until then our sweeps would see "still running" and leave the ticket
# or message alone. So every `python -m workers` beats a key of its own every second or two
# (workers/schedule.py, a thread independent of the job it runs), and a `started` job whose
# worker stopped beating is taken as abandoned and queued again under the same id. A false
# positive only runs a job twice, which routing (row lock + status check) and the outbox
# (compare-and-set claim) absorb.
WORKER_BEAT_KEY = "aduan:worker-beat:{}"
WORKER_BEAT_SECONDS = 2
WORKER_SILENT_SECONDS = 15  # a worker silent this long is dead (or cut off from Redis)


def beat(connection: Redis, worker_name: str, now: float | None = None) -> None:
    """Say this worker is alive. The key outlives the worker by a day so that its silence,
    not its absence, is what marks a job abandoned (workers that never beat are not judged)."""
    connection.set(
        WORKER_BEAT_KEY.format(worker_name), str(time.time() if now is None else now), ex=24 * 3600
    )


def is_abandoned(job: Job, now: float | None = None) -> bool:
    """A `started` job whose worker is gone: silent for WORKER_SILENT_SECONDS, or (for any
    worker) started longer ago than its timeout allows — RQ would have killed it by then."""
    if job.get_status(refresh=False) != JobStatus.STARTED:
        return False
    now = time.time() if now is None else now
    if job.started_at is not None and job.timeout and job.timeout > 0:
        started = job.started_at.replace(tzinfo=job.started_at.tzinfo or UTC)
        limit = started + timedelta(seconds=job.timeout + 60)
        if datetime.fromtimestamp(now, UTC) > limit:
            return True
    if not job.worker_name:
        return False
    last = job.connection.get(WORKER_BEAT_KEY.format(job.worker_name))
    return last is not None and now - float(last) > WORKER_SILENT_SECONDS


def enqueue(
    job_path: str,
    *args,
    queue: str,
    job_id: str | None = None,
    retry: Retry | None = DEFAULT_RETRY,
    timeout: int = DEFAULT_JOB_TIMEOUT,
    connection: Redis | None = None,
    fresh: bool = False,
):
    """Enqueue `job_path(*args)`.

    With a `job_id`, a job that is already waiting or running under that id is left alone
    (no second copy); a finished, failed or abandoned one is replaced, so sweeps can re-enqueue.
    `fresh`: the id names a row just committed, so no job can have it yet: the check is skipped
    and the job goes in one pipelined round trip instead of two (the web intake's enqueue).
    """
    q = get_queue(queue, connection)
    options = dict(
        args=args,
        job_id=job_id,
        retry=retry,
        timeout=timeout,
        result_ttl=300,
        failure_ttl=7 * 24 * 3600,
        unique=job_id is not None and not fresh,
    )
    if fresh:
        with q.connection.pipeline() as pipeline:
            job = q.enqueue_call(job_path, pipeline=pipeline, **options)
            pipeline.execute()
        return job
    try:
        return q.enqueue_call(job_path, **options)
    except DuplicateJobError:
        existing = Job.fetch(job_id, connection=q.connection)
        if existing.get_status(refresh=False) in PENDING_JOB_STATES and not is_abandoned(existing):
            return existing
        if existing.get_status(refresh=False) == JobStatus.STARTED:
            log.warning("job %s was abandoned by worker %s; queueing it again", job_id, existing.worker_name)
        existing.delete()
        try:
            return q.enqueue_call(job_path, **options)
        except DuplicateJobError:
            # Another process re-enqueued it between our delete and our enqueue.
            return Job.fetch(job_id, connection=q.connection)


def try_enqueue(job_path: str, *args, **kwargs) -> bool:
    """Enqueue, or log and return False when Redis is down: callers rely on a sweep."""
    try:
        enqueue(job_path, *args, **kwargs)
        return True
    except RedisError as exc:
        log.warning("enqueue of %s failed, a sweep will retry: %s", job_path, type(exc).__name__)
        return False
