"""The incident pages in a real browser (issue #18): a spike proposal appears on the wall (map
layer, head of the feed) and in the operator console with its reports; the operator declares
it, sends an update and closes it from the console; the wall follows live."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.console import login
from tests.support.processes import wait_for
from tests.support.tickets import bearer


def report(http, lat: float, lon: float, text: str) -> str:
    answer = http.post(
        "/api/v1/complaints",
        json={
            "description": text,
            "category": "drainase",
            "reporter": {"phone": "081234567800"},
            "location": {"lat": lat, "lon": lon},
        },
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["ticket_number"]


def test_spike_proposal_on_the_wall_and_console_then_declared_updated_and_closed(
    http, ready_worker, make_user, staff, open_page
):
    make_user("layar", "wall")
    make_user("operator.satu", "operator")
    wall = open_page()
    wall.goto("/wall")
    wall.fill("#username", "layar")
    wall.fill("#password", "password123")
    wall.click("#login-form button[type=submit]")
    expect(wall.locator("#connection")).to_have_attribute("data-state", "live", timeout=20_000)

    numbers = [
        report(http, -7.8120 + i * 0.0003, 112.0080, f"Genangan setinggi betis di gang {i}") for i in range(8)
    ]
    proposal = wall.locator("#incident-feed li.incident-proposed")
    expect(proposal).to_be_visible(timeout=45_000)
    expect(proposal).to_contain_text("USULAN INSIDEN")
    expect(proposal).to_contain_text("8 laporan")
    # Drawn on the map: a dashed circle with its tooltip (title, count, age).
    expect(wall.locator(".leaflet-overlay-pane path")).to_have_count(1)
    expect(wall.locator(".incident-tip")).to_contain_text("8 laporan")

    console = open_page()
    login(console, "operator.satu")
    console.goto("/console/incidents")
    card = console.locator('.incident-proposals li[data-status="proposed"]')
    expect(card).to_be_visible()
    for number in numbers:
        expect(card.locator('[data-role="proposed-tickets"]')).to_contain_text(number)
    card.get_by_label("Judul").fill("Genangan Jl. Hasanudin")
    card.get_by_label("Jenis").select_option("flood")
    card.get_by_role("button", name="Nyatakan insiden").click()
    expect(console.locator(".flashes .flash-success")).to_contain_text("dinyatakan")
    expect(console.get_by_role("heading", level=1)).to_have_text("Genangan Jl. Hasanudin")
    expect(console.locator('[data-role="count"]')).to_have_text("8")

    active = wall.locator("#incident-feed li.incident-active")
    expect(active).to_contain_text("Genangan Jl. Hasanudin")
    expect(active).to_contain_text("INSIDEN")
    # The OPD board counts the incident once, not its eight reports.
    expect(wall.locator('#board tr[data-opd="PUPR"] [data-field="open"]')).to_have_text("1")

    console.get_by_label("Pesan (dikirim sekali ke setiap pelapor lewat kanalnya sendiri)").fill(
        "Pompa air dikerahkan, genangan mulai surut."
    )
    console.get_by_role("button", name="Kirim kabar").click()
    expect(console.locator(".flashes .flash-success")).to_contain_text("Kabar terbaru terkirim")
    expect(console.locator(".note")).to_contain_text("Pompa air dikerahkan")
    console.get_by_role("button", name="Tutup insiden").click()
    expect(console.locator(".flashes .flash-success")).to_contain_text("Insiden ditutup")
    expect(wall.locator("#incident-feed li")).to_have_count(0)
    expect(wall.locator(".leaflet-overlay-pane path")).to_have_count(0)

    def closed() -> bool:
        answer = http.get(f"/api/v1/tickets/{numbers[0]}", headers=bearer(staff["operator"]))
        return answer.json()["status"] == "closed"

    wait_for(closed, timeout=10)
    assert [e for e in wall.console_errors if "Failed to load resource" not in e and "net::" not in e] == []
