"""Publishing ticket events to Socket.IO clients through the Redis message queue.

Web processes and workers publish the same way, so whichever process changed a ticket,
every web process delivers the event to the sockets it holds.
"""

from __future__ import annotations

import logging
import threading

import socketio
from flask import current_app

log = logging.getLogger(__name__)

WALL_NAMESPACE = "/wall"
OPD_NAMESPACE = "/opd"

_managers: dict[tuple[str, str], socketio.RedisManager] = {}
_lock = threading.Lock()


def opd_room(opd_code: str) -> str:
    return f"opd:{opd_code}"


def channel_name() -> str:
    # Redis pub/sub ignores the database number: deployments (and test runs) sharing one
    # Redis keep their screens apart by channel.
    return current_app.config["SOCKETIO_CHANNEL"]


def _manager(url: str, channel: str) -> socketio.RedisManager:
    with _lock:
        manager = _managers.get((url, channel))
        if manager is None:
            manager = socketio.RedisManager(
                url,
                channel=channel,
                write_only=True,
                redis_options={"socket_connect_timeout": 1, "socket_timeout": 2},
            )
            _managers[(url, channel)] = manager
        return manager


def publish(event_name: str, payload: dict, *, opd_code: str | None = None) -> bool:
    """Send to every wall, and to the officers of `opd_code`. Best effort: a dead Redis loses
    the live push only; screens catch up from /api/v1/events."""
    try:
        manager = _manager(current_app.config["REDIS_URL"], channel_name())
        manager.emit(event_name, payload, namespace=WALL_NAMESPACE)
        if opd_code:
            manager.emit(event_name, payload, namespace=OPD_NAMESPACE, room=opd_room(opd_code))
        return True
    except Exception as exc:  # noqa: BLE001 - the transport may raise anything; never fail the caller
        log.warning("socket publish of %s failed: %s", event_name, type(exc).__name__)
        return False
