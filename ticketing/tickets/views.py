"""Staff API: reference data and the event feed (the ticket work list grows here)."""
from __future__ import annotations

from flask import Blueprint, g, request
from ticketing.http import require_roles
from ticketing.services.events import events_since
from ticketing.services.reference import active_categories, active_opds
from ticketing.tickets.schemas import CategorySchema, EventsQuerySchema, OpdSchema

bp = Blueprint("tickets", __name__, url_prefix="/api/v1")

STAFF_ROLES = ("admin", "operator", "officer", "wall")


@bp.get("/opds")
def list_opds():
    return {"items": OpdSchema(many=True).dump(active_opds())}


@bp.get("/categories")
def list_categories():
    return {"items": CategorySchema(many=True).dump(active_categories())}


@bp.get("/events")
@require_roles(*STAFF_ROLES)
def list_events():
    query = EventsQuerySchema().load(request.args)
    opd_code = g.user.opd_code if g.user.role == "officer" else None
    items = events_since(query["since"], opd_code=opd_code, limit=query["limit"])
    return {"items": items, "last_event_id": items[-1]["event_id"] if items else query["since"]}
