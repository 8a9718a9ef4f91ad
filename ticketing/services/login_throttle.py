"""Failed sign-ins slow down one (address, username) pair, not the account.

A lock on the account let anyone who knew an officer's username keep the officer out (30 bad
guesses from anywhere), and answering "locked" only for real accounts told a guesser which
usernames exist. So failures are counted per pair, for any username, existing or not; after
`FREE_ATTEMPTS` each further failure locks the pair for twice as long as the last time (up to
`MAX_LOCK_SECONDS`). While the lock is short (≤ `SHORT_LOCK_SECONDS`, a colleague who mistyped)
the right password still gets in; a longer lock holds everyone at that address for that name.

State lives in Redis (one small hash per pair, expiring on its own). When Redis is down the
throttle fails open, like the rate limits: staff must still be able to sign in.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass

from redis.exceptions import RedisError

from ticketing.queueing import redis_connection

log = logging.getLogger(__name__)

FREE_ATTEMPTS = 4
SHORT_LOCK_SECONDS = 30
MAX_LOCK_SECONDS = 15 * 60
# A pair's count is forgotten after this long without a failure.
FORGET_AFTER_SECONDS = 2 * MAX_LOCK_SECONDS


@dataclass(frozen=True)
class PairState:
    failures: int = 0
    locked_until: float = 0.0
    lock_seconds: int = 0

    def wait_seconds(self, now: float) -> int:
        return max(0, int(self.locked_until - now + 0.999))

    def is_locked(self, now: float) -> bool:
        return self.locked_until > now

    @property
    def is_short(self) -> bool:
        return self.lock_seconds <= SHORT_LOCK_SECONDS


def pair_key(address: str, username: str) -> str:
    # Hashed: Redis holds neither the address nor the username someone tried.
    digest = hashlib.sha256(f"{address}\x1f{username.strip().casefold()}".encode()).hexdigest()
    return f"aduan:login-fail:{digest[:40]}"


def pair_state(address: str, username: str) -> PairState:
    try:
        failures, until, seconds = redis_connection().hmget(
            pair_key(address, username), "failures", "until", "seconds"
        )
    except RedisError as exc:
        log.warning("login throttle unavailable: %s", type(exc).__name__)
        return PairState()
    return PairState(int(failures or 0), float(until or 0), int(seconds or 0))


def record_failure(address: str, username: str) -> PairState:
    """Count one failure; lock the pair once past the free attempts. Returns the new state."""
    key = pair_key(address, username)
    try:
        redis = redis_connection()
        failures = int(redis.hincrby(key, "failures", 1))
        if failures <= FREE_ATTEMPTS:
            redis.expire(key, FORGET_AFTER_SECONDS)
            return PairState(failures)
        seconds = min(2 ** (failures - FREE_ATTEMPTS), MAX_LOCK_SECONDS)
        until = time.time() + seconds
        redis.pipeline().hset(key, mapping={"until": until, "seconds": seconds}).expire(
            key, FORGET_AFTER_SECONDS + seconds
        ).execute()
        return PairState(failures, until, seconds)
    except RedisError as exc:
        log.warning("login throttle unavailable: %s", type(exc).__name__)
        return PairState()


def forget(address: str, username: str) -> None:
    try:
        redis_connection().delete(pair_key(address, username))
    except RedisError as exc:
        log.warning("login throttle unavailable: %s", type(exc).__name__)
