"""Issue 13 item 7: a wall token reads what the wall page shows, nothing more.

The wall shows ticket payloads (API.md §4: rounded location, masked summary, no address, no
reporter) for open tickets and the day's movement. Its token used to read the full work list
(exact coordinates, street addresses, flags), search every description with `q`, and page
through the city's whole history in the work list and the event feed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.tickets import bearer

WALL_TICKET_FIELDS = {
    "ticket_number",
    "status",
    "category",
    "opd",
    "channel",
    "created_at",
    "updated_at",
    "sla_due_at",
    "overdue",
    "location",
    "summary",
}
# Added to every ticket payload by other issues (API.md §6); allowed, never required here.
WALL_TICKET_EXTRAS = {
    "region",
    "kind",
    "incident",
    "due_at",
    "external_body",
    "external_reference",
    "external_expected_at",
    "read_only",  # issue 16: a ticket transferred away, read by the region it left
}


@pytest.fixture
def city(make_ticket, app_ctx):
    """An open ticket at a house (exact point, street address), and one closed last month."""
    from ticketing.extensions import db
    from ticketing.models import Ticket, TicketEvent
    from ticketing.models.base import utcnow

    open_one = make_ticket(
        "assigned",
        description="Lubang di depan rumah Pak Budi",
        lat=-7.8166123,
        lon=112.0119456,
        address="Jl. Mawar 3 RT 02",
    )
    old = make_ticket(
        "closed",
        description="Sampah menumpuk di gang kelinci",
        lat=-7.8201234,
        lon=112.0154321,
        address="Gg. Kelinci 7",
    )
    month_ago = utcnow() - timedelta(days=30)
    db.session.get(Ticket, old.id).updated_at = month_ago
    db.session.query(TicketEvent).filter_by(ticket_id=old.id).update({"created_at": month_ago})
    db.session.commit()
    return {"open": open_one.ticket_number, "old": old.ticket_number}


def test_wall_list_is_wall_payloads_only(http, staff, city):
    wall = bearer(staff["wall"])
    response = http.get("/api/v1/tickets", headers=wall)
    assert response.status_code == 200
    items = {item["ticket_number"]: item for item in response.json()["items"]}
    assert set(items) == {city["open"]}  # last month's closed ticket is history, not the wall's
    item = items[city["open"]]
    assert WALL_TICKET_FIELDS <= set(item) <= WALL_TICKET_FIELDS | WALL_TICKET_EXTRAS, set(item)
    assert item["location"] == {"lat": -7.817, "lon": 112.012}
    assert "Mawar" not in response.text and "Kelinci" not in response.text
    # People who work tickets still get the full rows, the old ticket included.
    operator = http.get("/api/v1/tickets", headers=bearer(staff["operator"])).json()["items"]
    assert {item["ticket_number"] for item in operator} == {city["open"], city["old"]}
    full = next(item for item in operator if item["ticket_number"] == city["open"])
    assert full["location"]["lat"] == -7.8166123 and full["location"]["address"] == "Jl. Mawar 3 RT 02"


def test_wall_cannot_search_descriptions(http, staff, city):
    response = http.get("/api/v1/tickets", params={"q": "Budi"}, headers=bearer(staff["wall"]))
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    operator = http.get("/api/v1/tickets", params={"q": "Budi"}, headers=bearer(staff["operator"]))
    assert [item["ticket_number"] for item in operator.json()["items"]] == [city["open"]]


def test_wall_has_no_ticket_detail_and_no_old_history(http, staff, city):
    wall = bearer(staff["wall"])
    assert http.get(f"/api/v1/tickets/{city['open']}", headers=wall).status_code == 403
    events = http.get("/api/v1/events", params={"since": 0}, headers=wall).json()["items"]
    numbers = {event["ticket"]["ticket_number"] for event in events}
    assert numbers == {city["open"]}  # last month's events stay out of the wall's feed
    for event in events:
        assert set(event["ticket"]) <= WALL_TICKET_FIELDS | WALL_TICKET_EXTRAS
        assert "Mawar" not in str(event)
    operator = http.get("/api/v1/events", params={"since": 0}, headers=bearer(staff["operator"]))
    assert city["old"] in {e["ticket"]["ticket_number"] for e in operator.json()["items"]}
