"""A screen that was away when a ticket was transferred out of its region learns it left when
it catches up (`GET /api/v1/events?since=`), as the live push tells it: the transfer event
reaches the region and the OPD it left, and nothing done to the ticket in its new region does.
Real HTTP, the demo province, both databases."""

from __future__ import annotations

import pytest

from tests.support.tickets import bearer

KEDIRI, BLITAR = "35.71", "35.72"


@pytest.fixture
def moved_away(app_ctx, make_ticket):
    from ticketing.services.seeding import seed_demo_province

    seed_demo_province()
    return make_ticket(description="Jalan perbatasan Kediri-Blitar berlubang")


def catch_up(http, token: str, since: int) -> list[dict]:
    response = http.get(f"/api/v1/events?since={since}&limit=100", headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_a_screen_away_during_a_transfer_out_learns_it_left_and_no_more(http, region_token, moved_away):
    kediri_wall = region_token("wall", KEDIRI, username="layar-kediri")
    kediri_pupr = region_token("officer", KEDIRI, "PUPR", username="pupr-kediri")
    kediri_dishub = region_token("officer", KEDIRI, "DISHUB", username="dishub-kediri")
    blitar_wall = region_token("wall", BLITAR, username="layar-blitar")
    blitar_pupr = region_token("officer", BLITAR, "PUPR", username="pupr-blitar")
    operator = region_token("operator", KEDIRI, username="op-kediri")
    number = moved_away.ticket_number
    since = max(item["event_id"] for item in catch_up(http, kediri_wall, 0))

    # While the screens are away: Kediri's operator sends it to Blitar's PUPR, which accepts it.
    moved = http.post(
        f"/api/v1/tickets/{number}/actions",
        json={"action": "transfer", "region": BLITAR, "opd": "PUPR", "note": "Wilayah Kota Blitar"},
        headers=bearer(operator),
    )
    assert moved.status_code == 200, moved.text
    accepted = http.post(
        f"/api/v1/tickets/{number}/actions", json={"action": "accept"}, headers=bearer(blitar_pupr)
    )
    assert accepted.status_code == 200, accepted.text

    for token in (kediri_wall, kediri_pupr):
        items = catch_up(http, token, since)
        assert [(item["action"], item["ticket"]["ticket_number"]) for item in items] == [("transfer", number)]
        assert items[0]["transfer"]["from_region"] == KEDIRI and items[0]["transfer"]["to_region"] == BLITAR
        assert items[0]["ticket"]["region"] == BLITAR  # where it is now: the screen lets it go
    assert catch_up(http, kediri_dishub, since) == []  # it was never DISHUB's
    # The region it went to hears both, as it always did.
    assert [item["action"] for item in catch_up(http, blitar_wall, since)] == ["transfer", "accept"]
