"""Routing jobs: the weekly retrain of the router on the city's history."""
from __future__ import annotations

from workers.jobs import job

RETRAIN_JOB = "workers.routing_jobs.retrain_router"
# Training on seeds plus a city's history takes seconds to minutes; the default job timeout
# (60 s) is for routing a single ticket.
RETRAIN_TIMEOUT_SECONDS = 3600


@job
def retrain_router() -> str:
    from ticketing.services.retraining import retrain_router as retrain

    return retrain().version


@job
def schedule_retrain() -> bool:
    """The weekly tick: enqueue the retrain itself with a timeout long enough for training."""
    from ticketing.queueing import QUEUE_MAINTENANCE, try_enqueue

    return try_enqueue(RETRAIN_JOB, queue=QUEUE_MAINTENANCE, job_id="retrain-router",
                       timeout=RETRAIN_TIMEOUT_SECONDS, retry=None)
