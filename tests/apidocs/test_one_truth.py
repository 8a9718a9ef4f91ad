"""The OpenAPI document shows the schemas the views dump their answers through, and the roles
their `require_roles` enforce: a key a service adds without its schema, or a role the document
names that the route refuses (or the other way round), fails here instead of drifting."""

from __future__ import annotations

import pytest

from ticketing.roles import OPD_SCOPED_ROLES, ROLES


def declared(schema) -> set[str]:
    """The keys of the object a schema dumps from (a field's `attribute`, else its name)."""
    return {field.attribute or name for name, field in schema.fields.items()}


def test_every_key_a_service_builds_is_in_the_schema_that_answers(app_ctx, make_ticket):
    from ticketing.extensions import db
    from ticketing.intake.schemas import PublicEventSchema, PublicTicketSchema
    from ticketing.models import TicketEvent, User
    from ticketing.services.events import event_payload
    from ticketing.services.queries import list_item, ticket_detail
    from ticketing.services.stats import ticket_stats
    from ticketing.services.tracking import public_view
    from ticketing.tickets import schemas

    ticket = make_ticket(
        "resolved",
        lat=-7.81,
        lon=112.01,
        address="Jl. Dhoho",
        feedback_rating=4,
        feedback_comment="Cepat",
        feedback_channel="web",
    )
    admin = User(username="doc-admin", password_hash="-", role="admin")
    detail = ticket_detail(admin, ticket)
    assert set(detail) <= declared(schemas.TicketDetailSchema())
    assert set(detail["location"]) <= declared(schemas.TicketLocationSchema())
    assert set(detail["reporter"]) <= declared(schemas.TicketReporterSchema())
    assert set(detail["feedback"]) <= declared(schemas.TicketFeedbackSchema())
    assert detail["history"] and set(detail["history"][0]) <= declared(schemas.HistoryEntrySchema())
    assert set(list_item(ticket)) <= declared(schemas.TicketListItemSchema())

    event = db.session.query(TicketEvent).filter_by(ticket_id=ticket.id).first()
    payload = event_payload(event, ticket)
    assert set(payload) <= declared(schemas.EventSchema())
    assert set(payload["ticket"]) <= declared(schemas.WallTicketSchema())
    assert set(payload["ticket"]["location"]) <= declared(schemas.PointSchema())

    stats = ticket_stats(start=None, end=None)
    assert set(stats) <= declared(schemas.StatsResponseSchema())
    assert stats["opds"] and set(stats["opds"][0]) <= declared(schemas.OpdStatsSchema())
    assert set(stats["overall"]) <= declared(schemas.OverallStatsSchema())

    public = public_view(ticket)
    assert set(public) <= declared(PublicTicketSchema())
    assert public["history"] and set(public["history"][0]) <= declared(PublicEventSchema())


def documented_roles(operation: dict) -> tuple[str, ...]:
    description = operation.get("description", "")
    if "Roles: " not in description:
        return ()
    return tuple(description.rsplit("Roles: ", 1)[1].rstrip(".").split(", "))


def test_the_documented_roles_are_the_enforced_ones(http, token_for):
    spec = http.get("/openapi.json").json()
    tokens = {role: token_for(role, "PUPR" if role in OPD_SCOPED_ROLES else None) for role in ROLES}
    checked = 0
    # Revoking ends the caller's tokens: that operation goes last.
    for path, operations in sorted(spec["paths"].items(), key=lambda item: "revoke" in item[0]):
        url = path.replace("{ticket_number}", "ZZZZ-9999")
        for method, operation in operations.items():
            roles = documented_roles(operation)
            assert bool(roles) == ("security" in operation), (method, path)
            if not roles:
                continue
            assert set(roles) <= set(ROLES), (method, path, roles)
            for role in ROLES:
                answer = http.request(
                    method.upper(), url, json={}, headers={"Authorization": f"Bearer {tokens[role]}"}
                )
                # A role the document leaves out is refused; a role it names gets past the check.
                assert (answer.status_code == 403) == (role not in roles), (
                    method,
                    path,
                    role,
                    answer.status_code,
                    answer.text[:200],
                )
                checked += 1
    assert checked >= 7 * len(ROLES)  # the seven staff operations at least, as every role


@pytest.mark.parametrize("path", ["/api/v1/tickets", "/api/v1/events", "/api/v1/stats"])
def test_staff_reads_answer_through_their_documented_schema(http, token_for, path):
    """What a staff read answers is exactly what its schema dumps: no undocumented key."""
    spec = http.get("/openapi.json").json()
    schema = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    name = schema["$ref"].rsplit("/", 1)[1]
    properties = set(spec["components"]["schemas"][name]["properties"])
    answer = http.get(path, headers={"Authorization": f"Bearer {token_for('admin')}"})
    assert answer.status_code == 200, answer.text
    assert set(answer.json()) <= properties and set(answer.json()) & properties
