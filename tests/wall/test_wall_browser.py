"""The wall in a real browser: login, a live complaint, a web-process restart and the catch-up."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from tests.support.processes import wait_for

LIVE_TIMEOUT = 5_000  # ms: a new complaint shows up "live"
RECONNECT_TIMEOUT = 30_000  # ms: backoff is capped at 10 s, plus the server's start-up


def login(page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/wall")
    expect(page.locator("#login")).to_be_visible()
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-form button[type=submit]")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=10_000)


def feed_item(page, number: str):
    return page.locator(f'#feed li[data-ticket="{number}"]')


def opd_cell(page, opd: str, field: str):
    return page.locator(f'#board tr[data-opd="{opd}"] [data-field="{field}"]')


def csp_violations(page) -> list[str]:
    return [text for text in page.console_errors if "Content Security Policy" in text]


def script_errors(page) -> list[str]:
    """Console errors other than the expected network ones (no tiles, a server that was down)."""
    expected = ("Failed to load resource", "WebSocket connection to", "net::ERR_")
    return [text for text in page.console_errors if not any(part in text for part in expected)]


def wait_for_worker(redis_client, worker) -> None:
    """The worker loads the routing model and runs its start-up maintenance (a router retrain
    can hold the one SimpleWorker for seconds) before "live" is measured: wait until it is
    registered, idle, and every queue is empty, twice in a row."""
    from rq import Queue
    from rq import Worker as RQWorker

    from ticketing.queueing import ALL_QUEUES

    def idle():
        assert worker.running, "the worker exited"
        workers = RQWorker.all(connection=redis_client)
        queues_empty = all(Queue(name, connection=redis_client).count == 0 for name in ALL_QUEUES)
        return bool(workers) and queues_empty and all(w.get_state() == "idle" for w in workers)

    wait_for(
        lambda: idle() and (time.sleep(0.5) or idle()),
        timeout=180,
        interval=0.5,
        message="the worker to be idle",
    )


def test_wall_shows_live_complaint_then_catches_up_after_web_restart(
    http, live_server, worker, make_user, app_ctx, redis_client, wall_page, wall_screenshots
):
    page = wall_page
    wait_for_worker(redis_client, worker)
    username, password = make_user("layar-kediri", "wall")
    login(page, http.base_url, username, password)
    assert page.evaluate("localStorage.getItem('aduan.wall.token')")
    expect(page.locator("#login")).to_be_hidden()
    expect(page.locator("#today-received")).to_have_text("0")

    # A citizen complains through the API; the worker routes it to PUPR.
    response = http.post(
        "/api/v1/complaints",
        json={
            "description": "Jalan berlubang besar di Jl. Dhoho dekat alun-alun, hubungi 081234567890",
            "category": "jalan-rusak",
            "reporter": {"name": "Siti Rahayu", "phone": "081234567890", "email": "siti@example.com"},
            "location": {"lat": -7.8166, "lon": 112.0114},
        },
    )
    assert response.status_code == 201, response.text
    first = response.json()["ticket_number"]

    item = feed_item(page, first)
    expect(item).to_be_visible(timeout=LIVE_TIMEOUT)
    expect(item).to_contain_text("Diteruskan", timeout=LIVE_TIMEOUT)  # routed: assigned
    expect(item).to_contain_text("Dinas Pekerjaan Umum dan Penataan Ruang")  # the full name
    expect(opd_cell(page, "PUPR", "open")).to_have_text("1", timeout=LIVE_TIMEOUT)
    expect(page.locator("#today-received")).to_have_text("1")
    expect(page.locator("#today-channel-web")).to_have_text("1")
    expect(page.locator("#today-routed")).to_have_text("1", timeout=LIVE_TIMEOUT)
    # Its point is on the map although no tile can load here (no network in tests).
    expect(page.locator("#map .pin")).to_have_count(1)
    # Privacy: the summary is masked and the reporter never reaches the browser.
    expect(item).to_contain_text("[telepon]")
    html = page.content()
    assert "081234567890" not in html and "Siti Rahayu" not in html and "siti@example" not in html
    page.screenshot(path=str(wall_screenshots / "01-live.png"))

    # The web process goes away; two complaints arrive meanwhile (in-process, same DB/Redis).
    from ticketing.services.intake import create_ticket

    live_server.stop()
    try:
        expect(page.locator("#connection")).not_to_have_attribute("data-state", "live", timeout=10_000)
        page.screenshot(path=str(wall_screenshots / "02-reconnecting.png"))
        while_away = [
            create_ticket(
                description="Sampah menumpuk di pinggir Sungai Brantas, bau sekali",
                channel="whatsapp",
                category_code="sampah",
                lat=-7.8101,
                lon=112.0042,
            ).ticket.ticket_number,
            create_ticket(
                description="Lampu PJU mati sepanjang Jl. Hayam Wuruk", channel="sms", category_code="pju"
            ).ticket.ticket_number,
        ]
        requests_before = len(page.requests)
    finally:
        live_server.start()  # same port: the page reconnects to where it was

    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=RECONNECT_TIMEOUT)
    for number in while_away:
        expect(feed_item(page, number)).to_be_visible(timeout=RECONNECT_TIMEOUT)
    # They came through the catch-up from the last event seen, not from a page reload.
    catch_up = [
        url for url in page.requests[requests_before:] if re.search(r"/api/v1/events\?since=[1-9]\d*", url)
    ]
    assert catch_up, page.requests[requests_before:]
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    expect(feed_item(page, first)).to_be_visible()  # the feed kept what it had
    expect(page.locator("#today-received")).to_have_text("3")
    expect(page.locator("#today-channel-whatsapp")).to_have_text("1")
    expect(page.locator("#today-channel-sms")).to_have_text("1")
    # Routed by the worker while the web was down (or just after): the board counts them.
    expect(opd_cell(page, "DLHKP", "open")).to_have_text("1", timeout=RECONNECT_TIMEOUT)
    expect(opd_cell(page, "DISHUB", "open")).to_have_text("1", timeout=RECONNECT_TIMEOUT)
    expect(opd_cell(page, "PUPR", "open")).to_have_text("1")
    # Newest first.
    numbers = page.locator("#feed li").evaluate_all("items => items.map(i => i.dataset.ticket)")
    assert numbers.index(while_away[1]) < numbers.index(while_away[0]) < numbers.index(first)
    page.screenshot(path=str(wall_screenshots / "03-after-restart.png"))
    # The board's medians and SLA compliance come from the staff stats API, with the token.
    assert any(url.endswith("/api/v1/stats") for url in page.requests)
    assert csp_violations(page) == []
    assert script_errors(page) == []


def test_token_in_url_logs_in_and_is_stripped(http, live_server, token_for, wall_page):
    page = wall_page
    token = token_for("wall")
    page.goto(f"{http.base_url}/wall?token={token}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=10_000)
    assert "token" not in page.url
    assert page.evaluate("localStorage.getItem('aduan.wall.token')") == token
    expect(page.locator("#login")).to_be_hidden()
    assert csp_violations(page) == [] and script_errors(page) == []


def test_wrong_password_and_officer_account_stay_on_the_login_form(http, make_user, wall_page):
    page = wall_page
    make_user("layar-1", "wall")
    make_user("petugas-pupr", "officer", "PUPR")
    page.goto(http.base_url + "/wall")
    page.fill("#username", "layar-1")
    page.fill("#password", "salah-sekali")
    page.click("#login-form button[type=submit]")
    expect(page.locator("#login-error")).to_have_text("Nama pengguna atau kata sandi salah.")
    page.fill("#username", "petugas-pupr")
    page.fill("#password", "password123")
    page.click("#login-form button[type=submit]")
    expect(page.locator("#login-error")).to_contain_text("tidak boleh")
    assert page.evaluate("localStorage.getItem('aduan.wall.token')") is None


def test_stale_token_in_storage_brings_back_the_login_form(http, live_server, wall_page):
    page = wall_page
    page.goto(http.base_url + "/wall")
    page.evaluate("localStorage.setItem('aduan.wall.token', 'not-a-real-token')")
    page.reload()
    expect(page.locator("#login")).to_be_visible(timeout=15_000)
    expect(page.locator("#login-error")).to_contain_text("masuk lagi")
    assert page.evaluate("localStorage.getItem('aduan.wall.token')") is None


def test_feed_stays_bounded_and_newest_first(http, live_server, app_ctx, token_for, wall_page):
    from ticketing.services.intake import create_ticket

    page = wall_page
    page.goto(f"{http.base_url}/wall?token={token_for('wall')}")
    expect(page.locator("#connection")).to_have_attribute("data-state", "live", timeout=10_000)
    numbers = [
        create_ticket(
            description=f"Genangan air di Jl. Brawijaya nomor {i}",
            channel="web",
            category_code="drainase",
            lat=-7.82 + i * 1e-4,
            lon=112.01,
        ).ticket.ticket_number
        for i in range(230)
    ]
    expect(feed_item(page, numbers[-1])).to_be_visible(timeout=15_000)
    expect(page.locator("#today-received")).to_have_text("230", timeout=15_000)
    # A day of events must not grow the page: the feed keeps the newest 200 rows.
    expect(page.locator("#feed li")).to_have_count(200)
    assert page.locator("#feed li").first.get_attribute("data-ticket") == numbers[-1]
    expect(feed_item(page, numbers[29])).to_have_count(0)
    expect(feed_item(page, numbers[30])).to_have_count(1)
    # Still received (no worker here): open, so every one is on the map, clustered.
    expect(page.locator("#map-count")).to_have_text("(230 titik)")
    assert page.locator("#map .marker-cluster").count() >= 1
