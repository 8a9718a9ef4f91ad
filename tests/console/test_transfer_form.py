"""The transfer form on the console's ticket page (issue #16), in headless Chromium: a Kediri
operator accepts the router's proposal and transfers a provincial road to the province's roads
agency; the page then reads it only; the province's operator sends it back with a reason."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.console import DESK, login, unlabelled_controls
from tests.support.province import BLITAR, KEDIRI, PROVINCE, PROVINCE_OPDS

ROAD = "Jalan provinsi Kediri - Tulungagung depan gudang rusak parah, aspalnya ambles dan berlubang"


def _routed_ticket(router_model):
    from ticketing.services.intake import create_ticket
    from ticketing.services.routing import route_ticket

    created = create_ticket(
        description=ROAD, channel="web", reporter_name="Warga Uji", reporter_phone="+6281234500077"
    )
    return route_ticket(created.ticket.id)


def test_an_operator_transfers_with_the_form_and_the_province_sends_it_back(
    http, app_ctx, make_user, open_page, shots, router_model, province
):
    from ticketing.services.accounts import create_user

    make_user("operator.kediri", "operator")
    create_user(username="operator.jatim", password="password123", role="operator", region_code=PROVINCE)
    ticket = _routed_ticket(router_model)
    number = ticket.ticket_number
    assert (ticket.region_code, ticket.status) == (KEDIRI, "triage")

    page = open_page(DESK)
    login(page, "operator.kediri")
    page.goto(f"/console/tickets/{number}")
    panel = page.locator("#transfer-panel")
    expect(panel.locator("#transfer-proposal")).to_contain_text("Provinsi Jawa Timur")
    expect(panel.locator("#transfer-proposal")).to_contain_text(PROVINCE_OPDS["DPUBM"])
    # The proposal is preselected; only the chosen region's agencies are offered.
    region = page.get_by_label("Wilayah tujuan")
    expect(region).to_have_value(PROVINCE)
    opd = page.locator("#transfer-opd")
    expect(opd).to_have_value("DPUBM")
    assert page.eval_on_selector(f"optgroup[data-region='{BLITAR}']", "g => g.hidden") is True
    region.select_option(BLITAR)
    assert page.eval_on_selector(f"optgroup[data-region='{PROVINCE}']", "g => g.hidden") is True
    expect(opd).to_have_value("")  # the province's agency is not Blitar's
    region.select_option(PROVINCE)
    opd.select_option("DPUBM")
    page.get_by_label("Alasan pengalihan ke wilayah lain").fill(
        "Ruas Kediri-Tulungagung adalah jalan provinsi."
    )
    assert unlabelled_controls(page) == []
    page.screenshot(path=shots / "transfer-form.png", full_page=True)
    page.get_by_role("button", name="Alihkan", exact=True).click()

    expect(page.locator(".flash-success")).to_contain_text(PROVINCE_OPDS["DPUBM"])
    # Kediri now reads it only: the notice, the transfer, no action.
    expect(page.locator("#transferred-away")).to_contain_text("Provinsi Jawa Timur")
    expect(page.locator("#transfer-history li")).to_have_count(1)
    expect(page.locator("#transfer-form")).to_have_count(0)
    expect(page.get_by_text("Tidak ada tindakan untuk status ini.")).to_be_visible()
    page.screenshot(path=shots / "transfer-read-only.png", full_page=True)

    # The province's operator sends it back to Kediri with the reason.
    province_page = open_page(DESK)
    login(province_page, "operator.jatim")
    province_page.goto(f"/console/tickets/{number}")
    expect(province_page.locator("#transferred-away")).to_have_count(0)
    province_page.get_by_label("Wilayah tujuan").select_option(KEDIRI)
    province_page.get_by_label("Alasan pengalihan ke wilayah lain").fill(
        "Lubangnya di ruas jalan kota, bukan provinsi."
    )
    province_page.get_by_role("button", name="Alihkan", exact=True).click()
    expect(province_page.locator(".flash-success")).to_contain_text("Kota Kediri")

    page.reload()
    expect(page.locator("#transferred-away")).to_have_count(0)
    expect(page.locator("#transfer-history li")).to_have_count(2)
    expect(page.locator("#transfer-history li").first).to_contain_text("bukan provinsi")
    expect(page.locator("#transfer-form")).to_have_count(1)  # Kediri holds it again
