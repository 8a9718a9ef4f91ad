"""Provider webhooks that arrive while the database is down: kept, and stored when it is back.

Twilio does not redeliver an inbound SMS answered 5xx, so a 503 during a database outage
loses the citizen's complaint. A webhook whose signature checked out (the views verify before
calling here) is therefore handled as usual, and if the database fails, the parsed message
(or delivery status) is appended to a durable spool instead and the provider gets its normal
200: a Redis list (`SPOOL_KEY`; Redis keeps it across restarts with AOF on), or, when Redis is
down too, a local JSON-lines file under the instance folder. `drain` (a periodic worker job,
and the web process for its own file) stores spooled entries once the database answers: the
inbound path is idempotent by provider message id, so an entry stored twice (a drain that died
between storing and removing it, two drains at once) is one message.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy.exc import InterfaceError, OperationalError

from ticketing.extensions import db
from ticketing.queueing import redis_connection
from ticketing.services import outbox
from ticketing.services.conversation import Inbound, Outcome, handle_inbound

log = logging.getLogger(__name__)

SPOOL_KEY = "aduan:inbound-spool"
DEAD_KEY = "aduan:inbound-spool:unstorable"  # entries that fail for another reason than the DB
DATABASE_DOWN = (OperationalError, InterfaceError)


# -- web side ----------------------------------------------------------------------------------


def handle_or_spool(message: Inbound) -> Outcome:
    """`handle_inbound(message)`, or the message spooled when the database is down."""
    try:
        outcome = handle_inbound(message)
    except DATABASE_DOWN as exc:
        _forget_session()
        _spool({"type": "message", "message": _message_data(message)}, exc)
        return Outcome(effect="spooled")
    _flush_file_soon()
    return outcome


def record_status_or_spool(provider_id: str, status: str, error: str | None) -> None:
    """A delivery status (Twilio StatusCallback, Meta statuses), spooled like messages."""
    try:
        outbox.record_status(provider_id, status, error)
    except DATABASE_DOWN as exc:
        _forget_session()
        _spool({"type": "status", "id": provider_id, "status": status, "error": error}, exc)


def _forget_session() -> None:
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; the request teardown drops it
        log.debug("rollback after a lost database failed", exc_info=True)


def _message_data(message: Inbound) -> dict:
    data = asdict(message)
    if isinstance(data.get("received_at"), datetime):
        data["received_at"] = data["received_at"].isoformat()
    return data


def _spool(entry: dict, cause: BaseException) -> None:
    line = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
    try:
        redis_connection().rpush(SPOOL_KEY, line)
        log.warning(
            "database unavailable (%s): webhook %s spooled in Redis", type(cause).__name__, entry["type"]
        )
        return
    except RedisError as redis_exc:
        redis_error = redis_exc
    try:
        path = _file_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as spool_file:
            fcntl.flock(spool_file, fcntl.LOCK_EX)
            spool_file.write(line + "\n")
            spool_file.flush()
            os.fsync(spool_file.fileno())
    except OSError as file_exc:
        # Nowhere to keep it: the database error stands, and the provider hears 503.
        log.error(
            "webhook %s lost to this server: database (%s), Redis (%s) and %s (%s) all "
            "failed; the provider's retry is the only copy",
            entry["type"],
            type(cause).__name__,
            type(redis_error).__name__,
            _file_path(),
            type(file_exc).__name__,
        )
        raise cause from file_exc
    log.warning("database and Redis unavailable: webhook %s spooled in %s", entry["type"], path)


def _file_path() -> Path:
    return Path(current_app.instance_path) / "spool" / "inbound.jsonl"


def _flush_file_soon() -> None:
    """After a request the database answered: hand this machine's spool file to Redis."""
    if _file_path().exists():
        try:
            flush_file_to_redis()
        except (RedisError, OSError) as exc:
            log.warning("spool file kept for later: %s", type(exc).__name__)


def flush_file_to_redis() -> int:
    """Move the local spool file's entries into the Redis spool (the drain reads Redis)."""
    path = _file_path()
    if not path.exists():
        return 0
    with open(path, "r+", encoding="utf-8") as spool_file:
        fcntl.flock(spool_file, fcntl.LOCK_EX)
        lines = [line for line in spool_file.read().splitlines() if line.strip()]
        if lines:
            redis_connection().rpush(SPOOL_KEY, *lines)
        spool_file.seek(0)
        spool_file.truncate()
    path.unlink(missing_ok=True)
    return len(lines)


# -- worker side -------------------------------------------------------------------------------


def drain(limit: int = 500) -> dict:
    """Store spooled webhooks, oldest first, while the database answers."""
    flush_file_to_redis()
    connection = redis_connection()
    stored = 0
    while stored < limit:
        raw = connection.lindex(SPOOL_KEY, 0)
        if raw is None:
            break
        try:
            _store(json.loads(raw))
        except DATABASE_DOWN as exc:
            _forget_session()
            log.warning(
                "spooled webhooks wait for the database (%s): %d stored, %d waiting",
                type(exc).__name__,
                stored,
                connection.llen(SPOOL_KEY),
            )
            return {"stored": stored, "waiting": connection.llen(SPOOL_KEY), "database": "down"}
        except Exception:
            # Not the database: it would block the spool for ever. Kept aside for a person.
            _forget_session()
            log.exception("a spooled webhook could not be stored; moved to %s", DEAD_KEY)
            connection.rpush(DEAD_KEY, raw)
        # LREM, not LPOP: another drain may have taken the head meanwhile (stored twice is fine).
        connection.lrem(SPOOL_KEY, 1, raw)
        stored += 1
    return {"stored": stored, "waiting": connection.llen(SPOOL_KEY), "database": "ok"}


def _store(entry: dict) -> None:
    if entry["type"] == "status":
        outbox.record_status(entry["id"], entry["status"], entry.get("error"))
        return
    data = dict(entry["message"])
    if data.get("received_at"):
        data["received_at"] = datetime.fromisoformat(data["received_at"])
    handle_inbound(Inbound(**data))
