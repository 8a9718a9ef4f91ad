"""Issue 22, bug 8: the escalation strip after a reload, rejected tickets and old escalations.

The `/wall` snapshot carried only the newest 50 tickets, so a screen that (re)loaded showed an
empty escalation strip while the board counted overdue tickets. Now it carries every open
overdue ticket and the true open count; the feed ("Aduan terbaru") drops rejected tickets and
does not put an old ticket on top because it went overdue.
"""

from __future__ import annotations

from datetime import timedelta

import socketio
from playwright.sync_api import expect

from tests.support.processes import wait_for

NEW_TICKETS = 55  # more than the snapshot's newest 50


def _route(number: str) -> None:
    from ticketing.services.intake import find_ticket
    from ticketing.services.routing import route_ticket

    route_ticket(find_ticket(number).id)


def _file(description: str, category: str = "jalan-rusak", lat: float | None = None) -> str:
    from ticketing.services.intake import create_ticket

    return create_ticket(
        description=description,
        channel="web",
        category_code=category,
        lat=lat,
        lon=112.01 if lat is not None else None,
    ).ticket.ticket_number


def _escalate_due_now() -> int:
    """The real SLA sweep, run as if two months had passed: every routed ticket is late."""
    from ticketing.services import sla
    from ticketing.services.sla_sweep import sla_sweep

    return sla_sweep(now=sla.now() + timedelta(days=60))["escalated"]


def arrange_old_overdue(old: int = 3) -> list[str]:
    late = [
        _file(f"Jalan berlubang lama di Jl. Mayor Bismo nomor {i}", lat=-7.81 - i * 1e-3) for i in range(old)
    ]
    for number in late:
        _route(number)
    assert _escalate_due_now() == old
    return late


def file_many_new() -> list[str]:
    return [_file(f"Sampah menumpuk di Jl. Dhoho nomor {i}", category="sampah") for i in range(NEW_TICKETS)]


def snapshot_of(http, token: str, namespace: str = "/wall") -> dict:
    received = {}
    client = socketio.Client(reconnection=False)
    client.on("snapshot", lambda data: received.setdefault("snapshot", data), namespace=namespace)
    client.connect(http.base_url, namespaces=[namespace], auth={"token": token}, wait_timeout=10)
    try:
        wait_for(lambda: "snapshot" in received, message="snapshot")
    finally:
        client.disconnect()
    return received["snapshot"]


def test_snapshot_carries_every_open_overdue_ticket_and_the_true_open_count(
    http, app_ctx, router_model, token_for
):
    late, new = arrange_old_overdue(), file_many_new()

    snapshot = snapshot_of(http, token_for("wall"))
    # The API.md §4 contract stays: counts and the newest 50.
    assert len(snapshot["tickets"]) == 50
    assert snapshot["tickets"][0]["ticket_number"] == new[-1]
    assert not set(late) & {t["ticket_number"] for t in snapshot["tickets"]}
    assert snapshot["counts"]["by_opd"]["PUPR"]["overdue"] == 3
    # Added: the overdue tickets themselves, and the totals.
    assert [t["ticket_number"] for t in snapshot["overdue_tickets"]] == late
    assert all(t["overdue"] and t["opd"] == "PUPR" for t in snapshot["overdue_tickets"])
    assert snapshot["open_total"] == len(late) + len(new)
    assert snapshot["overdue_total"] == 3
    assert "reporter" not in snapshot["overdue_tickets"][0]

    # An officer's /opd snapshot carries its own OPD's overdue tickets only.
    officer = snapshot_of(http, token_for("officer", "PUPR"), "/opd")
    assert [t["ticket_number"] for t in officer["overdue_tickets"]] == late
    assert officer["open_total"] == 3
    other = snapshot_of(http, token_for("officer", "DLHKP", username="petugas-dlhkp"), "/opd")
    assert other["overdue_tickets"] == [] and other["overdue_total"] == 0


def ticker_numbers(page) -> list[str]:
    return page.locator("#ticker .ticker-item").evaluate_all("items => items.map(i => i.dataset.ticket)")


def feed_numbers(page) -> list[str]:
    return page.locator("#feed li").evaluate_all("items => items.map(i => i.dataset.ticket)")


def test_wall_reload_shows_old_escalations_and_the_feed_keeps_to_new_complaints(
    http, live_server, app_ctx, router_model, make_user, token_for, wall_page, wall_screenshots
):
    from ticketing.models import User
    from ticketing.services.intake import find_ticket
    from ticketing.services.lifecycle import apply_action

    late = arrange_old_overdue()
    # Routed, not yet late, and older than the newest 50: it goes overdue while the wall watches.
    later_late = _file("Jembatan kecil retak di Kelurahan Banjaran")
    _route(later_late)
    new = file_many_new()
    newer = [_file(f"Lampu jalan mati di gang {i}", category="pju") for i in range(3)]
    make_user("operator-1", "operator")
    operator = User.query.filter_by(username="operator-1").one()

    page = wall_page
    page.goto(f"{http.base_url}/wall?token={token_for('wall')}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=10_000)
    # The strip lists every overdue ticket, although none is among the newest 50.
    expect(page.locator("#ticker .ticker-item")).to_have_count(3)
    assert sorted(ticker_numbers(page)) == sorted(late)
    expect(page.locator("#overdue-total")).to_have_text("3")
    expect(page.locator("#open-total")).to_have_text(str(len(late) + len(new) + 4))
    assert not set(late) & set(feed_numbers(page))
    assert feed_numbers(page)[0] == newer[-1]
    # Old overdue tickets with a place are on the map even though they are not in the feed.
    expect(page.locator("#map-count")).to_have_text("(3 titik)")
    page.reload()
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=10_000)
    expect(page.locator("#ticker .ticker-item")).to_have_count(3)
    page.screenshot(path=str(wall_screenshots / "bug8-after-reload.png"))

    # An old ticket goes overdue live: it joins the strip, not the top of "Aduan terbaru".
    assert _escalate_due_now() == 1
    expect(page.locator(f'#ticker [data-ticket="{later_late}"]')).to_have_count(1, timeout=5_000)
    expect(page.locator("#overdue-total")).to_have_text("4")
    assert feed_numbers(page)[0] == newer[-1]
    assert later_late not in feed_numbers(page)

    # A rejected complaint leaves the feed.
    spam = newer[1]
    expect(page.locator(f'#feed li[data-ticket="{spam}"]')).to_have_count(1)
    apply_action(find_ticket(spam), operator, "reject", reason="spam")
    expect(page.locator(f'#feed li[data-ticket="{spam}"]')).to_have_count(0, timeout=5_000)
    expect(page.locator("#open-total")).to_have_text(str(len(late) + len(new) + 3))
    page.reload()
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=10_000)
    expect(page.locator(f'#feed li[data-ticket="{spam}"]')).to_have_count(0)
    expect(page.locator("#ticker .ticker-item")).to_have_count(4)
