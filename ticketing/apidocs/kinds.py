"""Issue #17's operations in the OpenAPI document (beside spec.py's table): the requester's
objection and the PPID's answer document; the actions' transition table comes from
services/lifecycle.py (the one table the service enforces)."""

from __future__ import annotations

from ticketing.intake.schemas import ObjectionSchema, PublicTicketSchema
from ticketing.tickets.schemas import TicketDocumentSchema

DOCUMENT_UPLOAD = {
    "type": "object",
    "required": ["document"],
    "properties": {"document": {"type": "string", "format": "binary"}},
}


def actions_description() -> str:
    """The transition table (status x action -> status, roles, kinds) as Markdown."""
    from ticketing.services.lifecycle import docs_table

    lines = ["| from | action | to | roles | kinds |", "|---|---|---|---|---|"]
    for row in docs_table():
        cells = (row["from"], row["action"], row["to"], ", ".join(row["roles"]), ", ".join(row["kinds"]))
        lines.append("| " + " | ".join(cells) + " |")
    return "The ticket lifecycle, generated from its one table:\n\n" + "\n".join(lines)


def kind_operations(operation) -> tuple:
    """The rows, built with spec.py's `Operation` (passed in: this module sits below it)."""
    return (
        operation(
            "/api/v1/complaints/{ticket_number}/objection",
            "/api/v1/complaints/<ticket_number>/objection",
            "post",
            "Object (keberatan) to an information request's answer or missed deadline",
            "citizens",
            PublicTicketSchema,
            body=ObjectionSchema,
            path_params=True,
            token_param=True,
            errors=(400, 404, 409, 415, 422),
            description="Within 30 working days of the PPID's answer or of the missed deadline; "
            "goes to the atasan PPID, who has 30 working days. Once per request.",
        ),
        operation(
            "/api/v1/tickets/{ticket_number}/documents",
            "/api/v1/tickets/<ticket_number>/documents",
            "post",
            "Keep an answer document for `decide` (PDF, JPEG or PNG by its bytes)",
            "staff",
            TicketDocumentSchema,
            status=201,
            body=DOCUMENT_UPLOAD,
            body_content_type="multipart/form-data",
            path_params=True,
            errors=(401, 403, 404, 413, 415, 422),
            description="Multipart field `document`, at most DOCUMENT_MAX_BYTES (10 MB by default). "
            "Pass the returned `id` as `document` in a `decide` action: the requester can then "
            "download it from the tracking page.",
        ),
    )
