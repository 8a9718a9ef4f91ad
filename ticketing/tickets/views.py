"""Staff API: reference data and the event feed (the ticket work list grows here)."""
from __future__ import annotations

from flask import Blueprint, g, request
from ticketing.http import json_body, require_roles
from ticketing.services.events import events_since
from ticketing.services.lifecycle import apply_action
from ticketing.services.queries import list_item, list_tickets, ticket_detail, visible_ticket
from ticketing.services.reference import active_categories, active_opds
from ticketing.services.stats import ticket_stats
from ticketing.tickets.schemas import (
    CategorySchema, EventsQuerySchema, OpdSchema, StatsQuerySchema, TicketActionSchema,
    TicketListQuerySchema,
)

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


# Walls see the list (no reporter in it); the full ticket is for people who work on it.
WORK_ROLES = ("admin", "operator", "officer")


@bp.get("/tickets")
@require_roles(*STAFF_ROLES)
def list_work():
    query = TicketListQuerySchema().load(request.args)
    page = list_tickets(g.user, **query)
    return {"items": [list_item(ticket) for ticket in page.items], "next_cursor": page.next_cursor}


@bp.get("/tickets/<ticket_number>")
@require_roles(*WORK_ROLES)
def show_ticket(ticket_number: str):
    return ticket_detail(g.user, visible_ticket(g.user, ticket_number))


@bp.post("/tickets/<ticket_number>/actions")
@require_roles(*WORK_ROLES)
def act_on_ticket(ticket_number: str):
    data = TicketActionSchema().load(json_body())
    ticket = visible_ticket(g.user, ticket_number)
    ticket = apply_action(ticket, g.user, data["action"], opd=data["opd"], note=data["note"],
                          public=data["public"], reason=data["reason"],
                          duplicate_of=data["duplicate_of"], category=data["category"])
    return ticket_detail(g.user, ticket)


@bp.get("/stats")
@require_roles(*STAFF_ROLES)
def stats():
    query = StatsQuerySchema().load(request.args)
    opd_code = g.user.opd_code if g.user.role == "officer" else None
    return ticket_stats(start=query["from_"], end=query["to"], opd_code=opd_code)
