"""Issue 22, wall friction: the wall fits any 16:9 screen from 1280×720 to 3840×2160, text is
readable from 5 m (at least 28 px of body text on 1080p), OPDs go by their full names and
numbers are written the Indonesian way.

Before, the page was drawn for exactly 1920×1080: on 1280×720 the board and the escalation
strip fell off the screen, on 4K the wall filled a quarter of it, and body text was 19-22 px.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

PANELS = (
    "header.topbar",
    "section.counters",
    "section.feed-panel",
    "section.map-panel",
    "section.board-panel",
    "footer.ticker",
)
BODY_TEXT = ("#feed .feed-summary", "#board td.num", "#ticker .ticker-item")


def arrange(app_ctx) -> list[str]:
    """A ticket per OPD so every text kind is on screen, two of them late."""
    from datetime import timedelta

    from ticketing.services import sla
    from ticketing.services.intake import create_ticket, find_ticket
    from ticketing.services.routing import route_ticket
    from ticketing.services.sla_sweep import sla_sweep

    numbers = []
    for category in ("jalan-rusak", "sampah"):
        number = create_ticket(
            description=f"Keluhan {category} di Jl. Dhoho",
            channel="web",
            category_code=category,
            lat=-7.82,
            lon=112.01,
        ).ticket.ticket_number
        route_ticket(find_ticket(number).id)
        numbers.append(number)
    sla_sweep(now=sla.now() + timedelta(days=60))
    for i in range(12):
        numbers.append(
            create_ticket(
                description=f"Lampu jalan mati di gang {i}, sudah seminggu",
                channel="sms",
                category_code="pju",
            ).ticket.ticket_number
        )
    return numbers


def boxes(page) -> dict:
    return page.evaluate(
        """(selectors) => Object.fromEntries(selectors.map((s) => {
        const r = document.querySelector(s).getBoundingClientRect();
        return [s, {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                    width: r.width, height: r.height}];
    }))""",
        [*PANELS, "#board tr:last-child", "#feed li:first-child"],
    )


def font_px(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("node => parseFloat(getComputedStyle(node).fontSize)")


@pytest.mark.parametrize("width,height", [(1280, 720), (1920, 1080), (3840, 2160)])
def test_every_panel_is_on_screen_and_text_scales(
    width, height, browser, http, app_ctx, router_model, token_for, wall_screenshots
):
    arrange(app_ctx)
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="id-ID", timezone_id="Asia/Jakarta"
    )
    try:
        page = context.new_page()
        page.goto(f"{http.base_url}/wall?token={token_for('wall')}")
        expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=10_000)
        expect(page.locator("#ticker .ticker-item")).to_have_count(2)
        page.screenshot(path=str(wall_screenshots / f"scales-{width}x{height}.png"))

        found = boxes(page)
        for selector, box in found.items():
            assert box["width"] > 0 and box["height"] > 0, (selector, box)
            assert box["left"] >= 0 and box["top"] >= 0, (selector, box)
            assert box["right"] <= width + 0.5 and box["bottom"] <= height + 0.5, (selector, box)
        # The layout uses the screen: the panels reach its far edges.
        assert found["footer.ticker"]["bottom"] >= height - 1
        assert found["section.board-panel"]["right"] >= width * 0.97
        # Nothing scrolls: every OPD's row is on the board, the page is the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.evaluate("document.documentElement.scrollHeight") <= height
        rows = page.locator("#board tr[data-opd]")
        expect(rows).to_have_count(18)
        for index in range(18):
            box = rows.nth(index).bounding_box()
            assert box["y"] + box["height"] <= found["section.board-panel"]["bottom"] + 0.5

        # Readable from 5 m: 28 px of body text at 1080p, in proportion on other screens.
        scale = height / 1080
        for selector in BODY_TEXT:
            assert font_px(page, selector) >= 28 * scale - 0.01, selector
    finally:
        context.close()


def test_full_opd_names_and_indonesian_numbers(http, app_ctx, router_model, token_for, wall_page):
    numbers = arrange(app_ctx)
    page = wall_page
    # The board's medians come from /api/v1/stats: answered here with figures to format.
    page.route(
        "**/api/v1/stats",
        lambda route: route.fulfill(
            json={
                "opds": [
                    {
                        "opd": "PUPR",
                        "median_hours_to_accept": 2.5,
                        "median_hours_to_resolve": 1234.4,
                        "sla_compliance": 0.875,
                    }
                ]
            }
        ),
    )
    page.goto(f"{http.base_url}/wall?token={token_for('wall')}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=10_000)
    pupr = page.locator('#board tr[data-opd="PUPR"] .col-opd')
    expect(pupr).to_have_text("Dinas Pekerjaan Umum dan Penataan Ruang")
    # The whole name is shown, not cut off with an ellipsis.
    assert pupr.evaluate("node => node.scrollWidth <= node.clientWidth")
    late = page.locator(f'#ticker [data-ticket="{numbers[0]}"]')
    expect(late).to_contain_text("Dinas Pekerjaan Umum dan Penataan Ruang")
    expect(page.locator(f'#feed li[data-ticket="{numbers[0]}"]')).to_have_count(1)
    expect(page.locator(f'#feed li[data-ticket="{numbers[0]}"] .feed-opd')).to_have_text(
        "Dinas Pekerjaan Umum dan Penataan Ruang"
    )
    # One vocabulary with the citizen's messages: the catalogue's status words.
    from ticketing import catalogue

    expect(page.locator(f'#feed li[data-ticket="{numbers[-1]}"] .feed-status')).to_have_text(
        catalogue.text("status.received")
    )

    # Thousands with a dot, decimals with a comma (the formatters the page uses).
    assert page.evaluate("""() => [
        new Intl.NumberFormat('id-ID', {maximumFractionDigits: 0}).format(1234),
        new Intl.NumberFormat('id-ID', {minimumFractionDigits: 1, maximumFractionDigits: 1}).format(2.5),
    ]""") == ["1.234", "2,5"]
    row = page.locator('#board tr[data-opd="PUPR"]')
    expect(row.locator('[data-field="median_hours_to_accept"]')).to_have_text("2,5")
    expect(row.locator('[data-field="median_hours_to_resolve"]')).to_have_text("1.234")
    expect(row.locator('[data-field="sla_compliance"]')).to_have_text("88%")
    expect(page.locator("#open-total")).to_have_text("14")
