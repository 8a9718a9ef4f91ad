"""Queue names, job defaults and enqueueing by dotted path.

The web and the services name jobs as strings ("workers.jobs.route_ticket") so that they never
import worker code; `workers/` imports this module for the same names.
"""
from __future__ import annotations

import logging
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

DEFAULT_RETRY = Retry(max=5, interval=[2, 5, 15, 60, 300])
DEFAULT_JOB_TIMEOUT = 60


@lru_cache(maxsize=8)
def _redis_for(url: str) -> Redis:
    # Short timeouts: a web request must not hang on a dead Redis, it must fall back.
    return Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2,
                          health_check_interval=30)


def redis_connection(url: str | None = None) -> Redis:
    return _redis_for(url or current_app.config["REDIS_URL"])


def get_queue(name: str, connection: Redis | None = None) -> Queue:
    return Queue(name, connection=connection or redis_connection())


PENDING_JOB_STATES = {JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED,
                      JobStatus.DEFERRED}


def enqueue(job_path: str, *args, queue: str, job_id: str | None = None,
            retry: Retry | None = DEFAULT_RETRY, timeout: int = DEFAULT_JOB_TIMEOUT,
            connection: Redis | None = None):
    """Enqueue `job_path(*args)`.

    With a `job_id`, a job that is already waiting or running under that id is left alone
    (no second copy); a finished or failed one is replaced, so sweeps can re-enqueue.
    """
    q = get_queue(queue, connection)
    options = dict(args=args, job_id=job_id, retry=retry, timeout=timeout, result_ttl=300,
                   failure_ttl=7 * 24 * 3600, unique=job_id is not None)
    try:
        return q.enqueue_call(job_path, **options)
    except DuplicateJobError:
        existing = Job.fetch(job_id, connection=q.connection)
        if existing.get_status(refresh=False) in PENDING_JOB_STATES:
            return existing
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
