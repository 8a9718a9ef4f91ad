"""The province wall's feed of transfers and escalations, its agencies' names and where a plain
`/wall` takes each account (issue #16), through a real browser, a real Socket.IO client and HTTP.

- `/wall?region=35` lists the transfers between its regions and the escalations in any of them:
  those made before the screen opened (the snapshot's `movements`) and, live, a Kediri operator's
  transfer to the province and the SLA sweep escalating a Kediri and a Blitar ticket.
- Agencies are named, not coded, and on the province's screen with their region: Kediri's PUPR
  and Blitar's PUPR read apart; the province's own DISHUB row counts the province's tickets only.
- A plain `/wall` opens the province wall for a province account and a city's own wall for a
  city's account; the default city's accounts stay where they are, as in a single-city deployment.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import socketio
from playwright.sync_api import expect

from tests.support.processes import wait_for
from tests.support.tickets import bearer

KEDIRI, BLITAR, PROVINCE = "35.71", "35.72", "35"
KEDIRI_PUPR = "Dinas Pekerjaan Umum dan Penataan Ruang"
LIVE = 10_000  # ms


@pytest.fixture
def province(app_ctx, make_ticket):
    """Kediri: a PUPR ticket already moved to the province's roads agency, one past its deadline
    and already escalated, one past its deadline not yet escalated, one to move live, and an open
    DISHUB ticket; Blitar: a PUPR ticket past its deadline not yet escalated."""
    from ticketing.extensions import db
    from ticketing.models.base import utcnow
    from ticketing.services.seeding import seed_demo_province

    seed_demo_province()
    now = utcnow()
    tickets = {
        "moved": make_ticket(description="Jalan provinsi Kediri-Nganjuk ambles"),
        "escalated": make_ticket(
            description="Drainase Jalan Dhoho meluap", sla_due_at=now - timedelta(hours=3)
        ),
        "late_kediri": make_ticket(description="Jalan Mojoroto berlubang dalam"),
        "to_move": make_ticket(description="Jembatan provinsi di Semampir retak"),
        "dishub": make_ticket(opd="DISHUB", category="pju", description="Lampu jalan Joyoboyo padam"),
        "late_blitar": make_ticket(description="Jalan Merdeka Blitar retak", region_code=BLITAR),
    }
    db.session.commit()
    return tickets


@pytest.fixture
def accounts(http, app_ctx):
    from ticketing.services.accounts import create_user

    tokens = {}
    for username, role, region in (
        ("layar-jatim", "wall", PROVINCE),
        ("layar-kediri", "wall", KEDIRI),
        ("layar-blitar", "wall", BLITAR),
        ("op-kediri", "operator", KEDIRI),
    ):
        create_user(username=username, password="password123", role=role, region_code=region)
        response = http.post("/api/v1/auth/token", json={"username": username, "password": "password123"})
        assert response.status_code == 200, response.text
        tokens[username] = response.json()["access_token"]
    return tokens


def _transfer(http, token: str, number: str) -> None:
    response = http.post(
        f"/api/v1/tickets/{number}/actions",
        json={"action": "transfer", "region": PROVINCE, "opd": "DPUBM", "note": "Jalan provinsi"},
        headers=bearer(token),
    )
    assert response.status_code == 200, response.text


def _sweep(app_ctx, *tickets, now=None) -> None:
    """The SLA sweep (as the worker runs it) after the deadline of `tickets` has passed."""
    from ticketing.extensions import db
    from ticketing.models import Ticket
    from ticketing.models.base import utcnow
    from ticketing.services.sla_sweep import sla_sweep

    for ticket in tickets:
        db.session.get(Ticket, ticket.id).sla_due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    counts = sla_sweep(now or utcnow())
    assert counts["escalated"] >= len(tickets)


def movement(page, action: str, number: str):
    return page.locator(f'#movements li[data-action="{action}"][data-ticket="{number}"]')


def test_the_province_wall_feeds_transfers_and_escalations(
    app_ctx, http, live_server, province, accounts, wall_page, wall_screenshots
):
    # Before the screen opens: one transfer to the province, one escalation in Kediri.
    _transfer(http, accounts["op-kediri"], province["moved"].ticket_number)
    _sweep(app_ctx, province["escalated"])

    page = wall_page
    page.goto(f"{http.base_url}/wall?region={PROVINCE}&token={accounts['layar-jatim']}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=LIVE)
    moved = movement(page, "transfer", province["moved"].ticket_number)
    expect(moved).to_have_count(1)
    expect(moved).to_contain_text("DIALIHKAN")
    expect(moved.locator(".movement-from")).to_have_text(f"Kota Kediri · {KEDIRI_PUPR}")
    expect(moved.locator(".movement-to")).to_have_text(
        "Provinsi Jawa Timur · Dinas Pekerjaan Umum Bina Marga Provinsi Jawa Timur"
    )
    escalated = movement(page, "sla_escalated", province["escalated"].ticket_number)
    expect(escalated).to_contain_text("ESKALASI")
    expect(escalated.locator(".movement-to")).to_have_text(f"Kota Kediri · {KEDIRI_PUPR}")
    expect(page.locator("#movements li")).to_have_count(2)
    expect(page.locator("#movements-empty")).to_be_hidden()

    # Live: a Kediri operator's transfer, then the sweep escalating a Kediri and a Blitar ticket.
    _transfer(http, accounts["op-kediri"], province["to_move"].ticket_number)
    expect(movement(page, "transfer", province["to_move"].ticket_number)).to_have_count(1, timeout=LIVE)
    _sweep(app_ctx, province["late_kediri"], province["late_blitar"])
    kediri = movement(page, "sla_escalated", province["late_kediri"].ticket_number)
    blitar = movement(page, "sla_escalated", province["late_blitar"].ticket_number)
    expect(kediri.locator(".movement-to")).to_have_text(f"Kota Kediri · {KEDIRI_PUPR}", timeout=LIVE)
    expect(blitar.locator(".movement-to")).to_have_text(
        "Kota Blitar · Dinas Pekerjaan Umum dan Penataan Ruang Kota Blitar", timeout=LIVE
    )
    # The region stays whole on the line; a long agency name gives way.
    for region in page.locator("#movements .where-region").all():
        assert region.evaluate(
            "node => node.getBoundingClientRect().right <= node.closest('li').getBoundingClientRect().right"
        )
    # The escalation strip names the region first too.
    expect(page.locator(f'#ticker [data-ticket="{province["late_kediri"].ticket_number}"]')).to_contain_text(
        f"Kota Kediri · {KEDIRI_PUPR}"
    )
    # Newest first, each once.
    order = page.locator("#movements li").evaluate_all("items => items.map(i => i.dataset.ticket)")
    assert len(order) == len(set(order)) == 5
    assert order[-2:] == [province["escalated"].ticket_number, province["moved"].ticket_number]
    assert order.index(province["to_move"].ticket_number) == 2
    page.screenshot(path=str(wall_screenshots / "province-wall-movements.png"))

    # A city's own wall keeps its escalation strip and has no such feed.
    page.goto(f"{http.base_url}/wall?region={KEDIRI}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=LIVE)
    expect(page.locator("#movements")).to_have_count(0)
    expect(page.locator(f'#ticker [data-ticket="{province["late_kediri"].ticket_number}"]')).to_have_count(1)


def _snapshot(base_url: str, token: str, region: str | None) -> dict:
    snapshots = []
    client = socketio.Client(reconnection=False)
    client.on("snapshot", snapshots.append, namespace="/wall")
    auth = {"token": token, **({"region": region} if region else {})}
    client.connect(base_url, namespaces=["/wall"], auth=auth, transports=["polling"], wait_timeout=10)
    try:
        wait_for(lambda: snapshots, timeout=10, message="the snapshot")
    finally:
        client.disconnect()
    return snapshots[0]


def test_the_snapshot_carries_the_movements_of_the_screens_regions(
    app_ctx, http, live_server, province, accounts
):
    _transfer(http, accounts["op-kediri"], province["moved"].ticket_number)
    _sweep(app_ctx, province["escalated"], province["late_blitar"])

    def seen(snapshot):
        return [(m["action"], m["ticket"]["ticket_number"]) for m in snapshot["movements"]]

    moved, kediri_late, blitar_late = (
        province[key].ticket_number for key in ("moved", "escalated", "late_blitar")
    )
    whole = _snapshot(live_server.base_url, accounts["layar-jatim"], PROVINCE)
    assert sorted(seen(whole)) == sorted(
        [("transfer", moved), ("sla_escalated", kediri_late), ("sla_escalated", blitar_late)]
    )
    ids = [m["event_id"] for m in whole["movements"]]
    assert ids == sorted(ids, reverse=True)  # newest first
    transfer = next(m for m in whole["movements"] if m["action"] == "transfer")
    assert transfer["type"] == "ticket.updated" and transfer["ticket"]["region"] == PROVINCE
    assert transfer["transfer"] == {
        "from_region": KEDIRI,
        "from_opd": "PUPR",
        "to_region": PROVINCE,
        "to_opd": "DPUBM",
        "returned": False,
    }
    # No reporter identity on a screen, in this list either.
    assert "Siti" not in str(whole["movements"]) and "6281234567890" not in str(whole["movements"])

    # Kediri's screen: the transfer out of Kediri and Kediri's escalation, not Blitar's.
    kediri = _snapshot(live_server.base_url, accounts["layar-kediri"], None)
    assert sorted(seen(kediri)) == sorted([("transfer", moved), ("sla_escalated", kediri_late)])
    blitar = _snapshot(live_server.base_url, accounts["layar-blitar"], None)
    assert seen(blitar) == [("sla_escalated", blitar_late)]


def test_agencies_are_named_with_their_region_on_the_province_wall(
    app_ctx, http, live_server, province, accounts, wall_page
):
    page = wall_page
    page.goto(f"{http.base_url}/wall?region={PROVINCE}&token={accounts['layar-jatim']}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=LIVE)
    kediri = page.locator(f'#feed li[data-ticket="{province["late_kediri"].ticket_number}"]')
    blitar = page.locator(f'#feed li[data-ticket="{province["late_blitar"].ticket_number}"]')
    expect(kediri.locator(".feed-region")).to_have_text("Kota Kediri")
    expect(kediri.locator(".feed-opd")).to_have_text(KEDIRI_PUPR)
    expect(blitar.locator(".feed-region")).to_have_text("Kota Blitar")
    expect(blitar.locator(".feed-opd")).to_have_text("Dinas Pekerjaan Umum dan Penataan Ruang Kota Blitar")
    dishub = page.locator(f'#feed li[data-ticket="{province["dishub"].ticket_number}"]')
    expect(dishub.locator(".feed-region")).to_have_text("Kota Kediri")
    expect(dishub.locator(".feed-opd")).to_have_text("Dinas Perhubungan")
    expect(dishub.locator(".feed-category")).to_have_text("Penerangan jalan umum")
    # The province's own DISHUB row counts the province's tickets, not Kediri's DISHUB.
    expect(page.locator('#board tr[data-opd="DISHUB"] [data-field="open"]')).to_have_text("0")
    expect(page.locator('#board tr[data-opd="DPUBM"] [data-field="open"]')).to_have_text("0")
    expect(page.locator(f'#city-board tr[data-region="{KEDIRI}"] [data-field="open"]')).to_have_text("5")
    # Live: a transfer moves the count from Kediri's PUPR to the province's roads agency, and
    # out of Kediri's row of the city board (its stats poll is 30 s away).
    _transfer(http, accounts["op-kediri"], province["to_move"].ticket_number)
    expect(page.locator('#board tr[data-opd="DPUBM"] [data-field="open"]')).to_have_text("1", timeout=LIVE)
    expect(page.locator(f'#city-board tr[data-region="{KEDIRI}"] [data-field="open"]')).to_have_text("4")
    expect(page.locator('#board tr[data-opd="DISHUB"] [data-field="open"]')).to_have_text("0")

    # Kediri's own wall: names alone, as before.
    page.goto(f"{http.base_url}/wall?region={KEDIRI}&token={accounts['layar-kediri']}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=LIVE)
    kediri = page.locator(f'#feed li[data-ticket="{province["late_kediri"].ticket_number}"]')
    expect(kediri.locator(".feed-opd")).to_have_text(KEDIRI_PUPR)
    expect(kediri.locator(".feed-region")).to_have_count(0)
    expect(page.locator('#board tr[data-opd="DISHUB"] [data-field="open"]')).to_have_text("1")


def test_a_plain_wall_opens_the_accounts_own_screen(
    app_ctx, http, live_server, province, accounts, wall_page
):
    page = wall_page
    page.goto(f"{http.base_url}/wall?token={accounts['layar-jatim']}")
    expect(page).to_have_url(f"{http.base_url}/wall?region={PROVINCE}", timeout=LIVE)
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=LIVE)
    expect(page.locator(".brand-title")).to_contain_text("Provinsi Jawa Timur")
    expect(page.locator(f'#city-board tr[data-region="{BLITAR}"] [data-field="open"]')).to_have_text("1")

    page.evaluate("localStorage.clear()")
    page.goto(f"{http.base_url}/wall?token={accounts['layar-blitar']}")
    expect(page).to_have_url(f"{http.base_url}/wall?region={BLITAR}", timeout=LIVE)
    expect(page.locator(".brand-title")).to_contain_text("Kota Blitar")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=LIVE)
    expect(page.locator(f'#feed li[data-ticket="{province["late_blitar"].ticket_number}"]')).to_have_count(1)
    expect(page.locator(f'#feed li[data-ticket="{province["late_kediri"].ticket_number}"]')).to_have_count(0)

    # The default city's account stays on the plain wall: one page load, no region.
    page.evaluate("localStorage.clear()")
    page.goto(f"{http.base_url}/wall?token={accounts['layar-kediri']}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=LIVE)
    assert page.url == f"{http.base_url}/wall"
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    expect(page.locator(".brand-title")).to_contain_text("Kota Kediri")


def test_the_summary_says_where_a_plain_wall_goes(http, live_server, province, accounts):
    expected = {"layar-jatim": PROVINCE, "layar-blitar": BLITAR, "layar-kediri": None, "op-kediri": None}
    for account, region in expected.items():
        response = http.get("/wall/summary", headers=bearer(accounts[account]))
        assert response.status_code == 200, response.text
        assert response.json()["screen_region"] == region, account
    # A screen that named its region is not sent anywhere.
    named = http.get("/wall/summary", params={"region": KEDIRI}, headers=bearer(accounts["layar-jatim"]))
    assert named.status_code == 200 and "screen_region" not in named.json()
    # Open counts per region too: the province's DISHUB and Kediri's DISHUB apart.
    counts = http.get("/wall/summary", headers=bearer(accounts["layar-jatim"])).json()["counts"]
    assert counts["by_region"][KEDIRI]["DISHUB"]["open"] == 1
    assert "DISHUB" not in counts["by_region"].get(PROVINCE, {})
    assert counts["by_opd"]["PUPR"]["open"] == 5  # API.md's by_opd: every region's PUPR together


def test_a_single_city_wall_stays_as_it_was(http, live_server, token_for, wall_page, make_ticket):
    """No province seeded: the demo city's accounts are never sent anywhere and see names alone."""
    ticket = make_ticket(description="Lampu taman Sekartaji mati", opd="DISHUB", category="pju")
    token = token_for("wall")
    summary = http.get("/wall/summary", headers=bearer(token)).json()
    assert summary["screen_region"] is None
    page = wall_page
    page.goto(f"{http.base_url}/wall?token={token}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=LIVE)
    assert page.url == f"{http.base_url}/wall"
    expect(page.locator(f'#feed li[data-ticket="{ticket.ticket_number}"] .feed-opd')).to_have_text(
        "Dinas Perhubungan"
    )
    expect(page.locator("#movements")).to_have_count(0)
    expect(page.locator('#board tr[data-opd="DISHUB"] [data-field="open"]')).to_have_text("1")
