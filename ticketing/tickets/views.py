"""Staff API: reference data and the event feed (the ticket work list grows here)."""

from __future__ import annotations

from flask import Blueprint, current_app, g, request

from ticketing.extensions import limiter
from ticketing.http import json_body, require_roles, required_upload
from ticketing.ratelimits import PUBLIC_READS_SCOPE, public_reads_limit
from ticketing.roles import OPD_SCOPED_ROLES, PPID_ROLES, STAFF_ROLES, WORK_ROLES
from ticketing.services import proof
from ticketing.services.lifecycle import apply_action
from ticketing.services.ppid import add_document, document_limit_bytes, link_documents
from ticketing.services.queries import (
    events_for,
    list_item_for,
    list_tickets,
    ticket_detail,
    visible_ticket,
)
from ticketing.services.reference import active_categories, active_opds
from ticketing.services.region_comparison import region_stats
from ticketing.services.regions import region_payloads
from ticketing.tickets.schemas import (
    CategoryListSchema,
    EventListSchema,
    EventsQuerySchema,
    OpdListSchema,
    RegionSchema,
    StatsQuerySchema,
    StatsResponseSchema,
    TicketActionSchema,
    TicketDetailSchema,
    TicketDocumentSchema,
    TicketListQuerySchema,
    TicketListSchema,
    TicketPhotoSchema,
)

bp = Blueprint("tickets", __name__, url_prefix="/api/v1")


@bp.get("/opds")
def list_opds():
    return OpdListSchema().dump({"items": active_opds()})


@bp.get("/categories")
def list_categories():
    return CategoryListSchema().dump({"items": active_categories()})


@bp.get("/regions")
@limiter.shared_limit(public_reads_limit, scope=PUBLIC_READS_SCOPE)
def list_regions():
    """The regions this deployment serves (a province and its cities; a city alone)."""
    return RegionSchema(many=True).dump(region_payloads())


@bp.get("/events")
@require_roles(*STAFF_ROLES)
def list_events():
    query = EventsQuerySchema().load(request.args)
    items = events_for(g.user, query["since"], query["limit"])
    return EventListSchema().dump(
        {"items": items, "last_event_id": items[-1]["event_id"] if items else query["since"]}
    )


@bp.get("/tickets")
@require_roles(*STAFF_ROLES)
def list_work():
    query = TicketListQuerySchema().load(request.args)
    page = list_tickets(g.user, **query)
    return TicketListSchema().dump(
        {
            # `read_only`: transferred to another region (issue #16), listed with `transferred=away`.
            "items": [{**list_item_for(g.user, t), "read_only": page.read_only} for t in page.items],
            "next_cursor": page.next_cursor,
        }
    )


# Walls see the list (no reporter in it); the full ticket is for people who work on it.
@bp.get("/tickets/<ticket_number>")
@require_roles(*WORK_ROLES)
def show_ticket(ticket_number: str):
    return TicketDetailSchema().dump(ticket_detail(g.user, visible_ticket(g.user, ticket_number)))


@bp.post("/tickets/<ticket_number>/actions")
@require_roles(*WORK_ROLES)
def act_on_ticket(ticket_number: str):
    data = TicketActionSchema().load(json_body())
    ticket = visible_ticket(g.user, ticket_number)
    ticket = apply_action(
        ticket,
        g.user,
        data["action"],
        opd=data["opd"],
        note=data["note"],
        public=data["public"],
        reason=data["reason"],
        duplicate_of=data["duplicate_of"],
        category=data["category"],
        region=data["region"],
        body=data["body"],
        details={key: data[key] for key in ACTION_DETAILS if data.get(key) is not None},
    )
    if data["action"] == "decide":
        link_documents(ticket)
    return TicketDetailSchema().dump(ticket_detail(g.user, ticket))


# Issue #17: the fields only some actions read (hold, decide, dispose); issue #18: resolve's photo.
ACTION_DETAILS = ("until", "decision", "exemption", "document", "kind", "photo")
# Multipart overhead (boundary, headers) on top of the document itself.
DOCUMENT_PART_OVERHEAD = PHOTO_PART_OVERHEAD = 64 * 1024


@bp.post("/tickets/<ticket_number>/documents")
@require_roles(*PPID_ROLES)
def add_ticket_document(ticket_number: str):
    """An answer document (multipart `document`: PDF, JPEG or PNG by its bytes) for `decide`."""
    request.max_content_length = document_limit_bytes() + DOCUMENT_PART_OVERHEAD
    # The body is read (and an oversized one refused, 413) before the ticket is looked up, as
    # every other upload route does.
    upload = request.files.get("document")
    ticket = visible_ticket(g.user, ticket_number)
    upload = required_upload(
        upload, "document", not_multipart="error.document_missing", missing="error.document_missing"
    )
    content = upload.read(document_limit_bytes() + 1)
    document = add_document(ticket, g.user, content)
    return TicketDocumentSchema().dump(
        {
            "id": document.id,
            "ticket_number": ticket.ticket_number,
            "content_type": document.content_type,
            "size_bytes": document.size_bytes,
        }
    ), 201


@bp.post("/tickets/<ticket_number>/photos")
@require_roles(*WORK_ROLES)
def add_proof_photo(ticket_number: str):
    """An "after" photo for `resolve` (multipart `photo`, JPEG/PNG/WebP by its bytes; `geo_lat`,
    `geo_lon`: the device's position, as the console sends): a `needs_proof` category's resolve
    names its id (issue #18)."""
    request.max_content_length = int(current_app.config["CONSOLE_PHOTO_MAX_BYTES"]) + PHOTO_PART_OVERHEAD
    upload = request.files.get("photo")  # read (413) before the lookup, as every upload
    ticket = visible_ticket(g.user, ticket_number)
    upload = required_upload(
        upload, "photo", not_multipart="error.photo_multipart", missing="error.photo_missing"
    )
    content = upload.read(int(current_app.config["CONSOLE_PHOTO_MAX_BYTES"]) + 1)
    photo = proof.add_proof_photo(ticket, g.user, content, proof.form_geolocation(request.form))
    return TicketPhotoSchema().dump(
        {
            "id": photo.id,
            "ticket_number": ticket.ticket_number,
            "content_type": photo.content_type,
            "size_bytes": photo.size_bytes,
        }
    ), 201


@bp.get("/stats")
@require_roles(*STAFF_ROLES)
def stats():
    query = StatsQuerySchema().load(request.args)
    opd_code = g.user.opd_code if g.user.role in OPD_SCOPED_ROLES else None
    figures = region_stats(g.user, query["from_"], query["to"], opd_code, query["region"])
    return StatsResponseSchema().dump(figures)
