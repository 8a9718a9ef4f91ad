"""Channel jobs: send one outbox row, fetch one photo, sweep unsent rows and stuck photos."""

from __future__ import annotations

from flask import current_app

from workers.jobs import job


@job
def send_outbox(outbox_id: int) -> str:
    from ticketing.services.outbox import deliver
    from workers.senders import senders_for

    # RetryLater propagates: RQ schedules the next attempt with the row's backoff.
    return deliver(outbox_id, senders_for(current_app.config))


@job
def fetch_media(attachment_id: int) -> str:
    from ticketing.services.media_fetch import store_media
    from workers.senders import MediaFetcher

    return store_media(attachment_id, MediaFetcher(current_app.config))


@job
def requeue_unsent_outbox() -> int:
    from ticketing.services.outbox import requeue_unsent

    return requeue_unsent()


@job
def sweep_pending_media() -> dict:
    from ticketing.services.media_fetch import sweep_pending_media as sweep

    return sweep()


@job
def drain_inbound_spool() -> dict:
    from ticketing.services.inbound_spool import drain

    return drain()
