"""Issue 13 item 9(b, c): a citizen's photo never stays `pending` forever, and never fills memory.

(b) A fetch job never queued (Redis down when the message came) or out of RQ retries left the
attachment `pending` for good. The sweep queues it again, and gives up with a reason.
(c) The download was `response.content`: a provider link to a huge file was read whole into
the worker's memory. It is streamed now and stops at MEDIA_MAX_BYTES.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rq.job import Job

from tests.support.tickets import add_media_attachment
from ticketing.services.media_fetch import MAX_FETCH_ATTEMPTS, MediaTooLarge

LIMIT = 256 * 1024


@pytest.fixture
def pending_media(app_ctx, make_ticket):
    ticket = make_ticket(status="assigned")

    def make(name: str, **fields) -> int:
        return add_media_attachment(
            ticket, name, provider="meta_whatsapp", content_type="image/jpeg", **fields
        )

    return make


def _age(attachment_id: int, minutes: int) -> None:
    from sqlalchemy import update

    from ticketing.extensions import db
    from ticketing.models import MediaAttachment
    from ticketing.models.base import utcnow

    old = utcnow() - timedelta(minutes=minutes)
    db.session.execute(
        update(MediaAttachment)
        .where(MediaAttachment.id == attachment_id)
        .values(updated_at=old, created_at=old)
    )
    db.session.commit()


def _attachment(attachment_id: int):
    from ticketing.extensions import db
    from ticketing.models import MediaAttachment

    db.session.expire_all()
    return db.session.get(MediaAttachment, attachment_id)


def test_stuck_pending_media_is_queued_again_then_failed_with_a_reason(app_ctx, pending_media, redis_client):
    from ticketing.services.media_fetch import sweep_pending_media

    never_queued = pending_media("never-queued")
    out_of_retries = pending_media(
        "out-of-retries", fetch_attempts=MAX_FETCH_ATTEMPTS, last_error="HTTPError: 500 Server Error"
    )
    too_old = pending_media("too-old", fetch_attempts=1, last_error="ConnectionError: refused")
    fresh = pending_media("fresh")
    _age(never_queued, 10)
    _age(out_of_retries, 10)
    _age(too_old, 60 * 25)

    assert sweep_pending_media() == {"requeued": 1, "failed": 2}
    job = Job.fetch(f"media-{never_queued}", connection=redis_client)
    assert job.func_name == "workers.channel_jobs.fetch_media" and job.args == (never_queued,)
    assert _attachment(never_queued).state == "pending"
    assert _attachment(fresh).state == "pending"  # its first job may still be on its way
    failed = _attachment(out_of_retries)
    assert failed.state == "failed"
    assert failed.last_error.startswith(f"gave up after {MAX_FETCH_ATTEMPTS} attempts")
    assert "500 Server Error" in failed.last_error
    late = _attachment(too_old)
    assert late.state == "failed" and late.last_error.startswith("not fetched within a day")

    # A second sweep does not queue a second copy of the waiting job, nor touch failed rows.
    assert sweep_pending_media() == {"requeued": 1, "failed": 0}
    assert redis_client.llen("rq:queue:outbound") == 1


def test_each_failed_fetch_is_counted_and_retried_by_rq(app_ctx, pending_media):
    from ticketing.services.media_fetch import store_media

    class Failing:
        def fetch(self, provider, ref, max_bytes):
            raise ConnectionError("provider unreachable")

    attachment_id = pending_media("flaky")
    for attempt in (1, 2):
        with pytest.raises(ConnectionError):
            store_media(attachment_id, Failing())
        stored = _attachment(attachment_id)
        assert (stored.state, stored.fetch_attempts) == ("pending", attempt)
        assert stored.last_error == "ConnectionError: provider unreachable"


class _BigFileServer:
    """Serves an endless stream of bytes, with or without an honest Content-Length, and counts
    what the client really read before it hung up."""

    def __init__(self):
        self.sent = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "image/jpeg")
                if self.path == "/declared":
                    self.send_header("Content-Length", str(50 * 1024 * 1024))
                self.end_headers()
                chunk = b"\xff" * 65536
                try:
                    for _ in range(800):  # 50 MiB if nobody stops reading
                        self.wfile.write(chunk)
                        server.sent += len(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.mark.parametrize("path", ["/declared", "/undeclared"])
def test_media_download_is_streamed_and_capped(app, path):
    from workers.senders import MediaFetcher

    server = _BigFileServer()
    try:
        fetcher = MediaFetcher({**app.config, "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t"})
        with pytest.raises(MediaTooLarge):
            fetcher.fetch("twilio_whatsapp", server.url + path, max_bytes=LIMIT)
        # Stopped near the cap (socket buffers hold a few MiB), never the whole 50 MiB.
        assert server.sent < 20 * 1024 * 1024
        small = MediaFetcher({**app.config, "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t"})
        body, content_type = small.fetch("twilio_whatsapp", server.url + path, max_bytes=60 * 1024 * 1024)
        assert len(body) == 50 * 1024 * 1024 and content_type == "image/jpeg"
    finally:
        server.close()


def test_too_large_media_fails_at_once_with_the_reason(app_ctx, pending_media):
    from ticketing.services.media_fetch import store_media

    class Huge:
        def fetch(self, provider, ref, max_bytes):
            raise MediaTooLarge(f"over {max_bytes} bytes")

    attachment_id = pending_media("huge")
    assert store_media(attachment_id, Huge()) == "failed"
    stored = _attachment(attachment_id)
    assert stored.state == "failed" and stored.last_error.startswith("too_large: over ")
