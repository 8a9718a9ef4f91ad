"""The province wall (issue #16): `/wall?region=35` in a real browser shows the board of its
cities (open, overdue, median first response, SLA kept) beside the province's own OPDs, its
map and feed hold every city's tickets; a city's screen account cannot open it (403 on the
summary, its Socket.IO connection refused) and `/wall?region=35.71` stays the city's wall."""

from __future__ import annotations

from datetime import timedelta

import pytest
import socketio
from playwright.sync_api import expect

from tests.support.tickets import bearer

KEDIRI, BLITAR, PROVINCE = "35.71", "35.72", "35"


@pytest.fixture
def province_tickets(app_ctx, make_ticket):
    """Kediri: two open PUPR tickets (one overdue) and one resolved in time; Blitar: one open."""
    from ticketing.extensions import db
    from ticketing.models.base import utcnow
    from ticketing.services.seeding import seed_demo_province

    seed_demo_province()
    now = utcnow()
    late = make_ticket(
        description="Jalan Dhoho berlubang dalam", overdue=True, sla_due_at=now - timedelta(hours=1)
    )
    kediri = make_ticket(description="Lampu jalan Mojoroto mati")
    done = make_ticket(status="resolved", description="Saluran Pesantren tersumbat")
    blitar = make_ticket(description="Jalan Merdeka Blitar retak", region_code=BLITAR)
    db.session.commit()
    return {"late": late, "kediri": kediri, "done": done, "blitar": blitar}


@pytest.fixture
def screens(http, app_ctx):
    from ticketing.services.accounts import create_user

    tokens = {}
    for username, region in (("layar-jatim", PROVINCE), ("layar-kediri", KEDIRI)):
        create_user(username=username, password="password123", role="wall", region_code=region)
        response = http.post("/api/v1/auth/token", json={"username": username, "password": "password123"})
        assert response.status_code == 200, response.text
        tokens[username] = response.json()["access_token"]
    return tokens


def city_cell(page, region: str, field: str):
    return page.locator(f'#city-board tr[data-region="{region}"] [data-field="{field}"]')


def test_province_wall_shows_its_cities_board_map_and_feed(
    http, live_server, province_tickets, screens, wall_page, wall_screenshots
):
    page = wall_page
    page.goto(f"{http.base_url}/wall?region={PROVINCE}&token={screens['layar-jatim']}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=10_000)
    expect(page.locator(".brand-title")).to_contain_text("Provinsi Jawa Timur")
    expect(city_cell(page, KEDIRI, "open")).to_have_text("2")
    expect(city_cell(page, KEDIRI, "overdue")).to_have_text("1")
    expect(city_cell(page, KEDIRI, "sla_compliance")).to_have_text("100%")
    expect(city_cell(page, KEDIRI, "median_hours_to_accept")).to_have_text("1,0")
    expect(city_cell(page, BLITAR, "open")).to_have_text("1")
    expect(city_cell(page, BLITAR, "overdue")).to_have_text("0")
    expect(city_cell(page, BLITAR, "sla_compliance")).to_have_text("–")
    # The province's own agencies on the OPD board; every city's tickets in the feed.
    expect(page.locator('#board tr[data-opd="DPUBM"]')).to_have_count(1)
    for ticket in province_tickets.values():
        expect(page.locator(f'#feed li[data-ticket="{ticket.ticket_number}"]')).to_have_count(1)
    page.screenshot(path=str(wall_screenshots / "province-wall.png"))

    # The city's own wall: no city board, only Kediri's tickets.
    page.goto(f"{http.base_url}/wall?region={KEDIRI}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=10_000)
    expect(page.locator(".brand-title")).to_contain_text("Kota Kediri")
    expect(page.locator("#city-board")).to_have_count(0)
    number = province_tickets["kediri"].ticket_number
    expect(page.locator(f'#feed li[data-ticket="{number}"]')).to_have_count(1)
    blitar = province_tickets["blitar"].ticket_number
    expect(page.locator(f'#feed li[data-ticket="{blitar}"]')).to_have_count(0)


def test_a_city_screen_cannot_open_the_province_wall(http, live_server, province_tickets, screens):
    token = screens["layar-kediri"]
    summary = http.get("/wall/summary", params={"region": PROVINCE}, headers=bearer(token))
    assert summary.status_code == 403 and summary.json()["error"]["code"] == "forbidden"
    assert http.get("/wall/summary", params={"region": KEDIRI}, headers=bearer(token)).status_code == 200
    assert http.get("/wall", params={"region": "99"}).status_code == 404

    client = socketio.Client(reconnection=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(
            live_server.base_url,
            namespaces=["/wall"],
            auth={"token": token, "region": PROVINCE},
            transports=["polling"],
            wait_timeout=10,
        )
    # The province's screen opening one of its cities hears that city only.
    snapshots = []
    province = socketio.Client(reconnection=False)
    province.on("snapshot", snapshots.append, namespace="/wall")
    province.connect(
        live_server.base_url,
        namespaces=["/wall"],
        auth={"token": screens["layar-jatim"], "region": BLITAR},
        transports=["polling"],
        wait_timeout=10,
    )
    try:
        from tests.support.processes import wait_for

        wait_for(lambda: snapshots, timeout=10, message="the snapshot")
        assert {t["region"] for t in snapshots[0]["tickets"]} == {BLITAR}
        assert snapshots[0]["open_total"] == 1
    finally:
        province.disconnect()


def test_a_transfer_to_the_province_reaches_the_province_wall_live(
    http, live_server, province_tickets, screens, wall_page
):
    from ticketing.services.accounts import create_user

    create_user(username="op-kediri", password="password123", role="operator", region_code=KEDIRI)
    operator = http.post("/api/v1/auth/token", json={"username": "op-kediri", "password": "password123"})
    page = wall_page
    page.goto(f"{http.base_url}/wall?region={PROVINCE}&token={screens['layar-jatim']}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=10_000)
    number = province_tickets["late"].ticket_number
    row = page.locator(f'#feed li[data-ticket="{number}"]')
    expect(row).to_have_count(1)
    expect(row).not_to_contain_text("Bina Marga")

    response = http.post(
        f"/api/v1/tickets/{number}/actions",
        json={"action": "transfer", "region": PROVINCE, "opd": "DPUBM", "note": "Jalan provinsi"},
        headers=bearer(operator.json()["access_token"]),
    )
    assert response.status_code == 200, response.text
    # Live, over the province's room: the feed row now names the province's roads agency.
    expect(row).to_contain_text("Bina Marga", timeout=10_000)
