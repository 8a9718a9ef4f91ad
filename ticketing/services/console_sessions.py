"""Access tokens that live inside console pages end with the console session.

The console embeds an access token in its pages (the officer queue's `/opd` socket). Such a
token carries the console session's id (claim `c`); logging out lists that id in Redis for as
long as a staff token can live, and `user_for_token` refuses a listed one. The user's other
sessions and API tokens (an officer's phone, a script) stay signed in: a logout is not a
password change.

When Redis cannot be asked, a console token is refused (its socket needs Redis anyway), and a
logout that cannot list its session revokes every token of the user instead.
"""

from __future__ import annotations

import logging
import secrets

from flask import current_app
from redis.exceptions import RedisError

from ticketing.queueing import redis_connection

log = logging.getLogger(__name__)


def new_session_id() -> str:
    return secrets.token_urlsafe(18)


def _key(session_id: str) -> str:
    return f"aduan:console-session-ended:{session_id[:64]}"


def end_session(session_id: str) -> bool:
    """List the session as ended; False when Redis could not be told."""
    try:
        redis_connection().set(
            _key(session_id), "1", ex=int(current_app.config["ACCESS_TOKEN_TTL_SECONDS"]) + 60
        )
        return True
    except RedisError as exc:
        log.warning("console logout could not reach Redis: %s", type(exc).__name__)
        return False


def has_ended(session_id: str) -> bool:
    try:
        return bool(redis_connection().exists(_key(session_id)))
    except RedisError as exc:
        log.warning("console token check could not reach Redis: %s", type(exc).__name__)
        return True
