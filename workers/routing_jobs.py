"""Routing jobs: the weekly retrain of the router on the city's history."""

from __future__ import annotations

from workers.jobs import job

# Training on seeds plus a city's history takes seconds to minutes; the default job timeout
# (60 s) is for routing a single ticket.
RETRAIN_TIMEOUT_SECONDS = 3600


@job
def retrain_router() -> str:
    from ticketing.services.retraining import retrain_router as retrain

    return retrain().version


# A worker's first tick claims the current weekly slot; a model saved less than this long ago
# (by the previous retrain, or trained from the seeds at start-up) makes that tick a no-op, so
# restarting workers never stalls routing behind a retrain.
MIN_MODEL_AGE_SECONDS = 6 * 24 * 3600


@job
def schedule_retrain() -> bool:
    """The weekly tick: enqueue the retrain itself with a timeout long enough for training."""
    import os
    import time

    from flask import current_app

    from ticketing.queueing import QUEUE_MAINTENANCE, RETRAIN_ROUTER_JOB, try_enqueue

    model_path = current_app.config.get("ROUTING_MODEL_PATH")
    if (
        model_path
        and os.path.exists(model_path)
        and (time.time() - os.path.getmtime(model_path) < MIN_MODEL_AGE_SECONDS)
    ):
        return False
    return try_enqueue(
        RETRAIN_ROUTER_JOB,
        queue=QUEUE_MAINTENANCE,
        job_id="retrain-router",
        timeout=RETRAIN_TIMEOUT_SECONDS,
        retry=None,
    )
