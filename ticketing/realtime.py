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


def opd_room(region_code: str, opd_code: str) -> str:
    """The officers of one OPD of one region: Kediri's PUPR and Blitar's PUPR are two rooms."""
    return f"opd:{region_code}:{opd_code}"


def region_room(region_code: str) -> str:
    """The `/wall` sockets that hear `region_code`: its own accounts' and, for a city, its
    province's (a province socket joins the room of each of its cities, wall/sockets.py)."""
    return f"region:{region_code}"


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


def payload_region(payload) -> str | None:
    """The region a payload is about: its ticket's (or incident's), or its own `region`."""
    if not isinstance(payload, dict):
        return None
    for key in ("ticket", "incident"):
        item = payload.get(key)
        if isinstance(item, dict) and isinstance(item.get("region"), str):
            return item["region"]
    region = payload.get("region")
    return region if isinstance(region, str) else None


def publish_to_region(
    event_name: str, payload: dict, *, region_code: str, opd_code: str | None = None
) -> bool:
    """`publish` to `region_code`'s screens whatever region the payload names (a transfer tells
    the region it left)."""
    return publish(event_name, payload, opd_code=opd_code, region_code=region_code)


def publish(
    event_name: str, payload: dict, *, opd_code: str | None = None, region_code: str | None = None
) -> bool:
    """Send to the walls that hear the ticket's region (`region_code`, else the payload's
    `ticket.region`; with neither, every wall), and to the officers of `opd_code` in that
    region. Best effort: a dead Redis loses the live push only; screens catch up from
    /api/v1/events."""
    region_code = region_code or payload_region(payload)
    try:
        manager = _manager(current_app.config["REDIS_URL"], channel_name())
        wall_room = region_room(region_code) if region_code else None
        officers = [opd_room(region_code, opd_code)] if opd_code and region_code else []
        moved = payload.get("transfer") if isinstance(payload, dict) else None
        if isinstance(moved, dict) and moved.get("from_region") and wall_room:
            # A transfer between regions (issue #16): the region it left hears it too, and the
            # OPD that held it; one emit to the rooms together reaches each socket once.
            wall_room = [wall_room, region_room(moved["from_region"])]
            if moved.get("from_opd"):
                officers.append(opd_room(moved["from_region"], moved["from_opd"]))
        manager.emit(event_name, payload, namespace=WALL_NAMESPACE, room=wall_room)
        if officers:
            manager.emit(event_name, payload, namespace=OPD_NAMESPACE, room=officers)
        return True
    except Exception as exc:  # noqa: BLE001 - the transport may raise anything; never fail the caller
        log.warning("socket publish of %s failed: %s", event_name, type(exc).__name__)
        return False
