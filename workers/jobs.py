"""Jobs: thin wrappers that take ids, open an app context and call one service."""

from __future__ import annotations

import inspect
import logging
from functools import wraps

from rq import get_current_job

from ticketing.logcontext import log_fields
from workers import get_app

log = logging.getLogger(__name__)


def job(func):
    """Run `func` in a fresh app context (a fresh DB session per job). Every line it logs
    carries the job id and the id it was given (`ticket_id=…`, `outbox_id=…`); services add the
    ticket number once they have loaded the ticket (ticketing/logcontext.py `bind`)."""
    parameters = list(inspect.signature(func).parameters)

    @wraps(func)
    def wrapper(*args, **kwargs):
        current = get_current_job()
        ids = dict(zip(parameters, args, strict=False))
        with log_fields(job_id=current.id if current else None, **ids), get_app().app_context():
            result = func(*args, **kwargs)
        log.debug("job %s %s%r done", current.id if current else "-", func.__name__, args)
        return result

    return wrapper


@job
def route_ticket(ticket_id: int) -> str | None:
    from ticketing.services.routing import route_ticket as route
    from ticketing.services.spikes import check_after_route

    ticket = route(ticket_id)
    status = ticket.status if ticket else None
    # Is this the report that makes a spike? (Its category is known only now.)
    check_after_route(ticket_id)
    return status


@job
def requeue_stale_received() -> int:
    from flask import current_app

    from ticketing.services.intake import requeue_stale_received as requeue

    return requeue(current_app.config["RECEIVED_SWEEP_AGE_SECONDS"])
