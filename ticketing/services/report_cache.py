"""A closed month's report is rendered once and served from Redis.

Charts and the PDF cost hundreds of milliseconds of CPU each; the report is public, so without
a cache anyone could keep a web process busy by asking for it. A month that has ended changes
only at its edges (a late rating, a late resolution), so its rendering is kept for
`REPORT_CACHE_SECONDS` (default a day). The current month is always rendered fresh. When Redis
is down the report is rendered per request, as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import current_app
from redis.exceptions import RedisError

from ticketing.models.base import utcnow
from ticketing.queueing import redis_connection
from ticketing.services.reports import Month

log = logging.getLogger(__name__)

# Bump when the report's layout changes, so a deploy never serves the old rendering.
REPORT_CACHE_VERSION = 2  # 2: the summary page and grouped charts


def cache_key(month: Month, fmt: str) -> str:
    return f"aduan:report:v{REPORT_CACHE_VERSION}:{month.code}:{fmt}"


def is_closed(month: Month) -> bool:
    return month.bounds()[1] <= utcnow()


def cached_report(month: Month, fmt: str, render: Callable[[], bytes]) -> bytes:
    """The month's rendering in `fmt`, from the cache when the month is closed."""
    if not is_closed(month):
        return render()
    key = cache_key(month, fmt)
    try:
        redis = redis_connection()
        cached = redis.get(key)
        if cached is not None:
            return cached
    except RedisError as exc:
        log.warning("report cache unavailable: %s", type(exc).__name__)
        return render()
    body = render()
    try:
        redis.set(key, body, ex=int(current_app.config.get("REPORT_CACHE_SECONDS", 86400)))
    except RedisError as exc:
        log.warning("report cache unavailable: %s", type(exc).__name__)
    return body
