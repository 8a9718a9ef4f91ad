"""Jobs: thin wrappers that take ids, open an app context and call one service."""
from __future__ import annotations

import logging
from functools import wraps

from rq import get_current_job

from workers import get_app

log = logging.getLogger(__name__)


def job(func):
    """Run `func` in a fresh app context (a fresh DB session per job) and log with the job id."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        current = get_current_job()
        with get_app().app_context():
            result = func(*args, **kwargs)
        log.debug("job %s %s%r done", current.id if current else "-", func.__name__, args)
        return result

    return wrapper


@job
def route_ticket(ticket_id: int) -> str | None:
    from ticketing.services.routing import route_ticket as route

    ticket = route(ticket_id)
    return ticket.status if ticket else None


@job
def requeue_stale_received() -> int:
    from flask import current_app

    from ticketing.services.intake import requeue_stale_received as requeue

    return requeue(current_app.config["RECEIVED_SWEEP_AGE_SECONDS"])
