"""Issue #17, must show: a PLN complaint sent on WhatsApp is forwarded by e-mail (a real SMTP
server), acknowledged, updated and closed by PLN's staff through the signed link in a real
browser, without an account; the citizen hears who has it, each update and the done on
WhatsApp; the wall sees it waiting on an outside body apart from the city's backlog."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.support.processes import wait_for
from tests.support.tickets import bearer

PLN_EMAIL = "pengaduan.up3kediri@example.org"
LINK = re.compile(r"https?://\S+/instansi/[A-Za-z0-9_.\-]+")
COMPLAINT = "Tiang listrik PLN miring dan kabelnya menjuntai di Jalan Dhoho depan toko emas, berbahaya"


def whatsapp_texts(provider, sender: str) -> list[str]:
    return [
        r.json["text"]["body"]
        for r in provider.requests_for("whatsapp")
        if r.json.get("to") == sender and r.json.get("type") == "text"
    ]


def heard(provider, sender: str, *words: str) -> str:
    def found():
        return [text for text in whatsapp_texts(provider, sender) if all(word in text for word in words)]

    return wait_for(found, timeout=45, message=f"WhatsApp text with {words}")[0]


def test_a_pln_complaint_is_forwarded_updated_and_closed_through_the_signed_link(
    channels, provider, ready_worker, http, staff, mailbox, browser, socket_recorder, artifacts_dir
):
    operator = bearer(staff["operator"])
    sender = "6281300000017"
    channels.meta_text(COMPLAINT, sender)

    def filed():
        return http.get("/api/v1/tickets?channel=whatsapp", headers=operator).json()["items"]

    # Whatever the router made of it (an operator may forward it from the list at once).
    [item] = wait_for(filed, timeout=60, message="the WhatsApp complaint filed")
    heard(provider, sender, item["ticket_number"])  # the acknowledgement
    number = item["ticket_number"]
    wall = socket_recorder("/wall", staff["wall"])
    [before] = wall.wait_for(lambda r: r.of("snapshot"), message="snapshot")
    screen = browser.new_page(viewport={"width": 1920, "height": 1080})
    screen.goto(f"{http.base_url}/wall?token={staff['wall']}")
    expect(screen.locator("#feed")).to_contain_text(number, timeout=30_000)

    answer = http.post(
        f"/api/v1/tickets/{number}/actions",
        json={
            "action": "forward_external",
            "body": "PLN-UP3-KDR",
            "note": "Tiang di trotoar, ramai pejalan kaki",
        },
        headers=operator,
    )
    assert answer.status_code == 200, answer.text
    ticket = answer.json()
    assert (ticket["status"], ticket["external_body"]) == ("external", "PLN-UP3-KDR")
    assert ticket["sla_due_at"] is None and ticket["overdue"] is False
    assert ticket["allowed_actions"] == ["recall_external", "comment"]

    # The citizen is told who has it; PLN gets the e-mail with the link.
    heard(provider, sender, number, "PLN UP3 Kediri", "teruskan")
    [mail] = mailbox.wait_for(PLN_EMAIL)
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert number in mail["Subject"] and "Tiang di trotoar" in text
    link = LINK.search(text).group(0)

    # The wall: the event carries the hand-off; a screen connecting now counts it apart.
    wall.wait_for(
        lambda r: any(
            e["ticket"]["status"] == "external" and e["ticket"]["external_body"] == "PLN-UP3-KDR"
            for e in r.tickets(number)
        ),
        message="ticket.updated to external on /wall",
    )
    late = socket_recorder("/wall", staff["wall"])
    [snapshot] = late.wait_for(lambda r: r.of("snapshot"), message="snapshot")
    assert snapshot["external_total"] == 1
    assert [t["ticket_number"] for t in snapshot["external_tickets"]] == [number]
    assert snapshot["counts"]["external"]["by_body"] == {"PLN-UP3-KDR": 1}
    expect(screen.locator("#external-total")).to_have_text("1", timeout=30_000)
    # Out of the city's backlog: no longer open, in no OPD's figures.
    assert snapshot["open_total"] == before["open_total"] - 1
    assert before["external_total"] == 0

    # PLN's staff, in a browser, without an account.
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta")
    page = context.new_page()
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(link)
    expect(page.locator("#body-name")).to_have_text("PLN UP3 Kediri")
    expect(page.locator("#description")).to_contain_text("Tiang listrik PLN miring")
    page.click("#ack-form button")
    expect(page.locator("#notice")).to_contain_text("penerimaan pengaduan telah dicatat")
    expect(page.locator("#ack-form")).to_have_count(0)
    heard(provider, sender, number, "telah diterima oleh PLN UP3 Kediri")

    expected = (wall_day() + timedelta(days=2)).isoformat()
    page.fill("#update-note", "Regu gangguan dijadwalkan menegakkan tiang")
    page.fill("#update-reference", "PLN-2611-0042")
    page.fill("#update-expected", expected)
    page.click("#update-form button")
    expect(page.locator("#notice")).to_contain_text("perkembangan telah dicatat")
    expect(page.locator("#reference")).to_have_text("PLN-2611-0042")
    update = heard(provider, sender, "Kabar dari PLN UP3 Kediri", number)
    assert "Regu gangguan dijadwalkan menegakkan tiang" in update and "PLN-2611-0042" in update

    page.fill("#done-note", "Tiang sudah ditegakkan dan kabel dirapikan")
    page.click("#done-form button")
    expect(page.locator("#notice")).to_contain_text("ditandai selesai")
    expect(page.locator("#finished")).to_be_visible()
    expect(page.locator("#done-form")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "external-handoff-page.png"), full_page=True)
    done = heard(provider, sender, number, "telah diselesaikan oleh PLN UP3 Kediri")
    assert "Tiang sudah ditegakkan" in done
    assert problems == []  # no CSP violation, no script error
    context.close()
    expect(screen.locator("#external-total")).to_have_text("0", timeout=30_000)
    screen.close()

    detail = http.get(f"/api/v1/tickets/{number}", headers=operator).json()
    assert detail["status"] == "resolved" and detail["resolved_at"]
    assert (detail["external_body"], detail["external_reference"]) == ("PLN-UP3-KDR", "PLN-2611-0042")
    assert detail["external_expected_at"].startswith(expected)
    steps = [e["action"] for e in detail["history"] if e["action"].startswith(("forward", "external"))]
    assert steps == ["forward_external", "external_ack", "external_update", "external_done"]
    # Every payload carries the hand-off: the event feed as the wall catches up with it.
    feed = http.get("/api/v1/events", headers=bearer(staff["wall"])).json()["items"]
    last = [e for e in feed if e["ticket"]["ticket_number"] == number][-1]
    assert last["ticket"]["external_reference"] == "PLN-2611-0042"
    # The resolution message is the body's, not a second generic one.
    assert not [
        t for t in whatsapp_texts(provider, sender) if json.dumps(t).count("Dinas") and "selesai" in t
    ]


def wall_day():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Asia/Jakarta")).date()
