"""Socket.IO namespaces: `/wall` for command-centre screens, `/opd` for officers."""

from __future__ import annotations

from flask_socketio import Namespace, emit, join_room
from socketio.exceptions import ConnectionRefusedError

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.realtime import OPD_NAMESPACE, WALL_NAMESPACE, opd_room, region_room
from ticketing.roles import OFFICER, WALL_ROLES
from ticketing.services.accounts import user_for_token
from ticketing.services.province_wall import recent_movements
from ticketing.services.region_comparison import screen_region_codes
from ticketing.services.stats import today_counters, wall_snapshot


def _token(auth) -> str | None:
    if isinstance(auth, dict):
        token = auth.get("token")
        return token if isinstance(token, str) else None
    return None


class WallNamespace(Namespace):
    def on_connect(self, auth=None):
        user = user_for_token(_token(auth))
        if user is None or user.role not in WALL_ROLES:
            raise ConnectionRefusedError(
                {"code": "unauthorized", "message": catalogue.text("error.wall_token")}
            )
        # The account's regions (a province's: its cities' too), each its own room; a screen
        # opened as /wall?region=CODE hears that region and its cities only (issue #16).
        region = auth.get("region") if isinstance(auth, dict) else None
        try:
            regions = screen_region_codes(user, region if isinstance(region, str) and region else None)
        except APIError as error:
            raise ConnectionRefusedError({"code": error.code, "message": error.message}) from None
        for code in regions:
            join_room(region_room(code))
        # Today's counters ride along so a screen that just (re)connected is whole at once, and
        # the newest transfers and escalations (issue #16: the province wall's feed of them).
        snapshot = wall_snapshot(region_codes=regions)
        snapshot["movements"] = recent_movements(regions)
        emit("snapshot", {**snapshot, "today": today_counters(region_codes=regions)})


class OpdNamespace(Namespace):
    def on_connect(self, auth=None):
        user = user_for_token(_token(auth))
        if user is None or user.role != OFFICER or not user.opd_code:
            raise ConnectionRefusedError(
                {"code": "unauthorized", "message": catalogue.text("error.officer_token")}
            )
        join_room(opd_room(user.region_code, user.opd_code))
        emit("snapshot", wall_snapshot(opd_code=user.opd_code, region_codes=[user.region_code]))


def register_namespaces(socketio) -> None:
    socketio.on_namespace(WallNamespace(WALL_NAMESPACE))
    socketio.on_namespace(OpdNamespace(OPD_NAMESPACE))
