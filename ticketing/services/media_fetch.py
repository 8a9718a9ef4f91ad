"""A citizen's photo or file from SMS/WhatsApp: fetched by a job, swept when stuck, size-capped.

The inbound message stores a `pending` attachment and queues `fetch_media` after commit. Two
ways it could stay `pending` forever: the job was never queued (Redis down at that moment),
or it ran out of RQ retries (the provider failing for minutes). `sweep_pending_media` finds
attachments pending longer than `MEDIA_SWEEP_AGE_SECONDS` and queues the fetch again (a job
still waiting or running under the same id is left alone); after `MAX_FETCH_ATTEMPTS` real
attempts, or a day, the attachment is `failed` with the reason in `last_error`, so the console
says so instead of waiting. A file over `MEDIA_MAX_BYTES` fails at once (no retry helps).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ticketing.extensions import db
from ticketing.models import MediaAttachment
from ticketing.models.base import utcnow
from ticketing.queueing import FETCH_MEDIA_JOB, QUEUE_OUTBOUND, try_enqueue

log = logging.getLogger(__name__)

MAX_FETCH_ATTEMPTS = 8  # one job's RQ tries (6) plus two sweeps' worth
GIVE_UP_AFTER = timedelta(days=1)  # provider media links do not outlive this
SWEEP_BATCH = 200
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/pdf": ".pdf",
    "audio/ogg": ".ogg",
    "video/mp4": ".mp4",
}


class MediaTooLarge(Exception):
    """The provider's file is larger than MEDIA_MAX_BYTES (said by Content-Length or counted)."""


def max_media_bytes() -> int:
    return int(current_app.config.get("MEDIA_MAX_BYTES", 16 * 1024 * 1024))


def enqueue_media_fetch(attachment_id: int) -> bool:
    return try_enqueue(FETCH_MEDIA_JOB, attachment_id, queue=QUEUE_OUTBOUND, job_id=f"media-{attachment_id}")


def store_media(attachment_id: int, fetcher) -> str:
    """Download one attachment into the instance folder's `media/` (job side).

    `fetcher.fetch(provider, ref, max_bytes)` streams and stops at the cap. Any other failure is
    counted on the row and raised, so RQ retries the job."""
    attachment = db.session.get(MediaAttachment, attachment_id)
    if attachment is None or attachment.state != "pending":
        db.session.rollback()
        return "skipped"
    provider, ref = attachment.provider, attachment.media_ref
    db.session.rollback()
    try:
        content, content_type = fetcher.fetch(provider, ref, max_bytes=max_media_bytes())
    except MediaTooLarge as exc:
        _record_attempt(attachment_id, f"too_large: {exc}", failed=True)
        return "failed"
    except Exception as exc:
        _record_attempt(attachment_id, f"{type(exc).__name__}: {exc}"[:1000], failed=False)
        raise
    extension = EXTENSIONS.get((content_type or "").split(";")[0], ".bin")
    folder = Path(current_app.config.get("MEDIA_DIR") or Path(current_app.instance_path) / "media")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{attachment_id}{extension}"
    path.write_bytes(content)
    attachment = db.session.get(MediaAttachment, attachment_id)
    attachment.state, attachment.path, attachment.last_error = "stored", str(path), None
    attachment.fetch_attempts += 1
    attachment.content_type = attachment.content_type or content_type
    db.session.commit()
    return "stored"


def _record_attempt(attachment_id: int, error: str, *, failed: bool) -> None:
    attachment = db.session.get(MediaAttachment, attachment_id)
    if attachment is None or attachment.state != "pending":
        db.session.rollback()
        return
    attachment.fetch_attempts += 1
    attachment.last_error = error
    if failed:
        attachment.state = "failed"
        log.warning("media %s failed: %s", attachment_id, error.split(":")[0])
    db.session.commit()


def sweep_pending_media(now=None) -> dict:
    """Queue again the fetch of attachments stuck `pending`; give up on hopeless ones."""
    now = now or utcnow()
    age = timedelta(seconds=int(current_app.config.get("MEDIA_SWEEP_AGE_SECONDS", 300)))
    stuck = db.session.scalars(
        select(MediaAttachment)
        .where(MediaAttachment.state == "pending", MediaAttachment.updated_at < now - age)
        .order_by(MediaAttachment.id)
        .limit(SWEEP_BATCH)
    ).all()
    requeue, failed = [], 0
    for attachment in stuck:
        if attachment.fetch_attempts >= MAX_FETCH_ATTEMPTS:
            attachment.state = "failed"
            attachment.last_error = (
                f"gave up after {attachment.fetch_attempts} attempts; last: "
                f"{attachment.last_error or 'unknown'}"
            )[:1000]
            failed += 1
        elif attachment.created_at < now - GIVE_UP_AFTER:
            attachment.state = "failed"
            attachment.last_error = (
                f"not fetched within a day ({attachment.fetch_attempts} "
                f"attempts); last: {attachment.last_error or 'job never ran'}"
            )[:1000]
            failed += 1
        else:
            requeue.append(attachment.id)
    db.session.commit()
    queued = sum(1 for attachment_id in requeue if enqueue_media_fetch(attachment_id))
    return {"requeued": queued, "failed": failed}
