"""The OpenAPI 3.1 document of /api/v1, built with apispec from the marshmallow schemas.

One table, `OPERATIONS`, names each operation with the schemas its view loads and the schema
it dumps its answer through (the very ones, so the document cannot drift from what is sent);
the roles of an operation are read from its view's `require_roles`, and only operations whose
URL rule exists in the running app are published, so the document never promises an endpoint
that is not there. This is the one module that reads other blueprints'
schemas (never their views): documentation is cross-cutting by nature.
"""

from __future__ import annotations

from dataclasses import dataclass

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask

from ticketing.apidocs.incidents import PROOF_DESCRIPTION
from ticketing.apidocs.skm import skm_operations
from ticketing.auth.schemas import (
    RevokeRequestSchema,
    RevokeResponseSchema,
    TokenRequestSchema,
    TokenSchema,
)
from ticketing.external.schemas import ExternalBodyListSchema
from ticketing.intake.schemas import (
    CategoryGuessSchema,
    CitizenPhotoSchema,
    ComplaintCreatedSchema,
    ComplaintSchema,
    FeedbackSchema,
    PublicTicketSchema,
    ReopenSchema,
    TrackingTokenQuerySchema,
)
from ticketing.reports.schemas import TicketsCsvQuerySchema
from ticketing.schemas import ErrorSchema
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
    TicketListQuerySchema,
    TicketListSchema,
    TicketNumberPathSchema,
)

ERRORS = {
    400: "Malformed request (bad JSON)",
    401: "Missing, invalid or expired access token",
    403: "Your role may not do this",
    404: "Not found",
    409: "Not allowed in the ticket's status",
    413: "Body too large",
    415: "Not JSON",
    422: "Invalid fields (see `fields`)",
    429: "Rate-limited",
    503: "A dependency (database, Redis) is down",
}


@dataclass
class Operation:
    path: str  # OpenAPI path
    rule: str  # Flask rule it documents
    method: str
    summary: str
    tag: str
    response: type | None  # 2xx body schema (None: not JSON)
    status: int = 200
    body: type | None = None
    query: type | None = None
    path_params: bool = False
    token_param: bool = False
    errors: tuple[int, ...] = ()
    content_type: str = "application/json"
    description: str = ""
    headers: tuple[dict, ...] = ()  # OpenAPI header parameters
    body_content_type: str = "application/json"
    path_schema: type | None = None  # the path's parameters, when not just a ticket number


IDEMPOTENCY_KEY_HEADER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "16–200 visible ASCII characters, unguessable (a random UUID): the same "
    "key, the same ticket.",
    "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{16,200}$"},
}

PHOTO_UPLOAD = {
    "type": "object",
    "required": ["photo"],
    "properties": {"photo": {"type": "string", "format": "binary"}},
}

TICKET = "/api/v1/tickets/{ticket_number}"
COMPLAINT = "/api/v1/complaints/{ticket_number}"

OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "/api/v1/auth/token",
        "/api/v1/auth/token",
        "post",
        "Log in: a Bearer token",
        "auth",
        TokenSchema,
        body=TokenRequestSchema,
        errors=(400, 401, 415, 422, 429),
    ),
    Operation(
        "/api/v1/auth/revoke",
        "/api/v1/auth/revoke",
        "post",
        "Revoke every token of the caller, or (admins) of `user_id`",
        "auth",
        RevokeResponseSchema,
        body=RevokeRequestSchema,
        errors=(400, 401, 403, 404, 415, 422),
    ),
    Operation(
        "/api/v1/complaints",
        "/api/v1/complaints",
        "post",
        "File a complaint",
        "citizens",
        ComplaintCreatedSchema,
        status=201,
        body=ComplaintSchema,
        errors=(400, 409, 413, 415, 422, 429, 503),
        headers=(IDEMPOTENCY_KEY_HEADER,),
        description="With an `Idempotency-Key`, a retry of the same complaint answers "
        "201 with the ticket filed the first time (same number and token, "
        "header `Idempotent-Replayed: true`); the key with another "
        "description is 409 `idempotency_key_reused`.",
    ),
    Operation(
        COMPLAINT,
        "/api/v1/complaints/<ticket_number>",
        "get",
        "Track a complaint (public view, no personal data)",
        "citizens",
        PublicTicketSchema,
        path_params=True,
        token_param=True,
        errors=(404, 429),
    ),
    Operation(
        COMPLAINT + "/feedback",
        "/api/v1/complaints/<ticket_number>/feedback",
        "post",
        "Rate a resolved complaint (1-5), once",
        "citizens",
        PublicTicketSchema,
        body=FeedbackSchema,
        path_params=True,
        token_param=True,
        errors=(400, 404, 409, 415, 422),
    ),
    Operation(
        COMPLAINT + "/reopen",
        "/api/v1/complaints/<ticket_number>/reopen",
        "post",
        "Reopen a resolved complaint within the window",
        "citizens",
        PublicTicketSchema,
        body=ReopenSchema,
        path_params=True,
        token_param=True,
        errors=(400, 404, 409, 415, 422),
    ),
    Operation(
        COMPLAINT + "/photos",
        "/api/v1/complaints/<ticket_number>/photos",
        "post",
        "Add a photo to a complaint (the token holder)",
        "citizens",
        CitizenPhotoSchema,
        status=201,
        body=PHOTO_UPLOAD,
        body_content_type="multipart/form-data",
        path_params=True,
        token_param=True,
        errors=(404, 413, 415, 422, 429),
        description="Multipart field `photo`: JPEG, PNG or WebP, told by the file's bytes "
        "(not its name or declared type), at most CITIZEN_PHOTO_MAX_BYTES "
        "(5 MB by default; 413 above). At most 10 photos per complaint.",
    ),
    Operation(
        "/api/v1/complaints/category-guess",
        "/api/v1/complaints/category-guess",
        "post",
        "The category the router would pick for a description (nothing is stored)",
        "citizens",
        CategoryGuessSchema,
        body=CategoryGuessSchema,
        errors=(400, 415, 422, 429),
        description="For the complaint form's hint while the citizen types; `category` "
        "is null when the router would leave the choice to an operator.",
    ),
    Operation("/api/v1/opds", "/api/v1/opds", "get", "The city's OPDs", "reference", OpdListSchema),
    Operation(
        "/api/v1/external-bodies",
        "/api/v1/external-bodies",
        "get",
        "Outside bodies a ticket can be forwarded to (`forward_external`)",
        "reference",
        ExternalBodyListSchema,
        errors=(401, 403),
        description="PLN, BPJN, the police, developers…: the active bodies of the caller's "
        "regions and of the provinces above them (issue #17).",
    ),
    Operation(
        "/api/v1/regions",
        "/api/v1/regions",
        "get",
        "The regions served: a province and its cities, or one city",
        "reference",
        RegionSchema(many=True),
        errors=(429,),
        description="Kemendagri codes (`35` a province, `35.71` a city under it); "
        "`POST /api/v1/complaints` takes one as `region`.",
    ),
    Operation(
        "/api/v1/categories",
        "/api/v1/categories",
        "get",
        "Complaint categories",
        "reference",
        CategoryListSchema,
    ),
    Operation(
        "/api/v1/events",
        "/api/v1/events",
        "get",
        "Ticket events after `since` (wall catch-up)",
        "staff",
        EventListSchema,
        query=EventsQuerySchema,
        errors=(400, 401, 403, 422),
    ),
    Operation(
        "/api/v1/tickets",
        "/api/v1/tickets",
        "get",
        "The work list (keyset pages)",
        "staff",
        TicketListSchema,
        query=TicketListQuerySchema,
        errors=(400, 401, 403, 422),
    ),
    Operation(
        TICKET,
        "/api/v1/tickets/<ticket_number>",
        "get",
        "A ticket with its history",
        "staff",
        TicketDetailSchema,
        path_params=True,
        errors=(401, 403, 404),
    ),
    Operation(
        TICKET + "/actions",
        "/api/v1/tickets/<ticket_number>/actions",
        "post",
        "Act on a ticket (the actions and who may take them: the table below)",
        "staff",
        TicketDetailSchema,
        body=TicketActionSchema,
        path_params=True,
        errors=(400, 401, 403, 404, 409, 415, 422),
        description=PROOF_DESCRIPTION,
    ),
    Operation(
        "/api/v1/stats",
        "/api/v1/stats",
        "get",
        "Per-OPD performance",
        "staff",
        StatsResponseSchema,
        query=StatsQuerySchema,
        errors=(400, 401, 403, 422),
    ),
    Operation(
        "/api/v1/tickets.csv",
        "/api/v1/tickets.csv",
        "get",
        "Tickets as CSV (officers: their OPD's)",
        "staff",
        None,
        query=TicketsCsvQuerySchema,
        errors=(400, 401, 403, 422),
        content_type="text/csv",
    ),
)

# The surveys' rows (issue #19) live beside their schemas, in apidocs/skm.py.
OPERATIONS += skm_operations(Operation)


def _operation(op: Operation, roles: tuple[str, ...]) -> dict:
    """`roles`: those the view requires (empty: a public operation)."""
    responses: dict = {}
    if op.response is not None:
        responses[str(op.status)] = {
            "description": "OK",
            "content": {op.content_type: {"schema": op.response}},
        }
    else:
        responses[str(op.status)] = {
            "description": "OK",
            "content": {op.content_type: {"schema": {"type": "string"}}},
        }
    for status in op.errors:
        responses[str(status)] = {"$ref": f"#/components/responses/Error{status}"}
    # Anything else is still the one error shape (never a 500 by design, but documented).
    responses["default"] = {"$ref": "#/components/responses/Error"}
    parameters: list = []
    if op.path_params or op.path_schema is not None:
        parameters.append({"in": "path", "schema": op.path_schema or TicketNumberPathSchema})
    if op.token_param:
        parameters.append({"in": "query", "schema": TrackingTokenQuerySchema})
    if op.query is not None:
        parameters.append({"in": "query", "schema": op.query})
    parameters.extend(op.headers)
    operation = {
        "summary": op.summary,
        "tags": [op.tag],
        "responses": responses,
        "operationId": f"{op.method}_{op.rule.strip('/').replace('/', '_')}".replace("<", "")
        .replace(">", "")
        .replace(".", "_")
        .replace("-", "_"),
    }
    if op.description:
        operation["description"] = op.description
    if roles:
        operation["security"] = [{"bearerAuth": []}]
        operation["description"] = (operation.get("description", "") + f" Roles: {', '.join(roles)}.").strip()
    if parameters:
        operation["parameters"] = parameters
    if op.body is not None:
        operation["requestBody"] = {"required": True, "content": {op.body_content_type: {"schema": op.body}}}
    return operation


def build_spec(app: Flask) -> dict:
    spec = APISpec(
        title="Aduan API",
        version="1.0.0",
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={
            "description": "Complaint ticketing for city command centres. Errors are "
            'always `{"error": {"code", "message", "fields"}}`. Open311 '
            "GeoReport v2 lives under /open311/v2/."
        },
        servers=[{"url": "/"}],
    )
    spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", schema=ErrorSchema)
    error_ref = {"content": {"application/json": {"schema": "Error"}}}
    spec.components.response("Error", {"description": "An error", **error_ref})
    for status, text in ERRORS.items():
        spec.components.response(f"Error{status}", {"description": text, **error_ref})
    # Each rule's view, to read the roles its `require_roles` enforces.
    views = {
        (rule.rule, method.lower()): app.view_functions[rule.endpoint]
        for rule in app.url_map.iter_rules()
        for method in rule.methods or ()
    }
    paths: dict[str, dict] = {}
    from ticketing.apidocs.incidents import incident_operations
    from ticketing.apidocs.kinds import actions_description, kind_operations

    for op in OPERATIONS + incident_operations(Operation) + kind_operations(Operation):
        view = views.get((op.rule, op.method))
        if view is not None:
            roles = tuple(getattr(view, "required_roles", ()))
            paths.setdefault(op.path, {})[op.method] = _operation(op, roles)
    actions = paths.get(TICKET + "/actions", {}).get("post")
    if actions is not None:  # the lifecycle's one table, as the service enforces it
        actions["description"] = actions_description() + "\n\n" + actions.get("description", "")
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
