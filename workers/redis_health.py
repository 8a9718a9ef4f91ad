"""What a worker says about Redis: nothing while it answers, one clear line when it stops, one
when it is back.

RQ logs `ERROR rq.worker: … could not connect to Redis instance: …` for every failed blocking
read, including a read that merely timed out on an idle, healthy connection, and then once per
retry while Redis really is down; our heartbeat and ticker threads warned every second or two on
top. Operators learn to ignore such lines and then miss the real one. So every Redis complaint
in a worker goes through `RedisHealth`: it asks Redis itself (a PING on a connection of its own,
short timeouts) whether it is reachable. Reachable: the complaint was a passing timeout, logged
at DEBUG. Unreachable: one ERROR naming the address, then silence until Redis answers again,
which is said once at WARNING.
"""

from __future__ import annotations

import logging
import threading

from redis import Redis
from redis.exceptions import RedisError

log = logging.getLogger("workers.redis")

RQ_CONNECTION_COMPLAINT = "could not connect to Redis instance"


class RedisHealth:
    def __init__(self, url: str):
        self._probe = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
        kwargs = self._probe.connection_pool.connection_kwargs
        self.address = f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{kwargs.get('db', 0)}"
        self._down = False
        self._lock = threading.Lock()

    def reachable(self) -> bool:
        try:
            return bool(self._probe.ping())
        except RedisError:
            return False

    def trouble(self, what: str, exc: BaseException | str | None = None) -> None:
        """Something failed talking to Redis: say so once if Redis is really gone."""
        if self.reachable():
            self.back()
            log.debug("%s: a passing Redis error (%s); Redis answers", what, _describe(exc))
            return
        with self._lock:
            if self._down:
                return
            self._down = True
        log.error(
            "Redis at %s is unreachable (%s: %s); jobs wait, the worker retries quietly "
            "and logs again when Redis is back",
            self.address,
            what,
            _describe(exc),
        )

    def back(self) -> None:
        """Redis answered: if it had been reported unreachable, say that it is back."""
        with self._lock:
            if not self._down:
                return
            self._down = False
        log.warning("Redis is reachable again at %s; the worker takes jobs again", self.address)

    def filter(self, record: logging.LogRecord) -> bool:
        """A logging filter for RQ's loggers: its Redis complaints go through `trouble`."""
        if record.levelno >= logging.WARNING and RQ_CONNECTION_COMPLAINT in record.getMessage():
            exc = record.exc_info[1] if record.exc_info else None
            detail = record.getMessage().split(RQ_CONNECTION_COMPLAINT)[-1].split(" retrying in")[0]
            self.trouble("RQ dequeue", exc or detail)
            return False
        return True

    def install(self) -> None:
        for name in ("rq.worker", "rq.scheduler", "rq.queue"):
            logging.getLogger(name).addFilter(self.filter)


def _describe(exc: BaseException | str | None) -> str:
    if exc is None:
        return "no detail"
    if isinstance(exc, str):
        return exc.strip(" :") or "no detail"
    return f"{type(exc).__name__}: {exc}"
