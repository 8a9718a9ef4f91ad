"""The requester's objection (keberatan, UU 14/2008 Art. 35) from the tracking page: a plain
form, over real HTTP with its CSRF token and in a real phone browser without JavaScript. It is
offered only while the service would take one (objection_closed), filed by the API's own
service function, seen by the atasan PPID through the staff API, and the page then shows the
objection and the superior's decision; refusals are sentences from the catalogue, never a 500."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from playwright.sync_api import expect

from tests.support.citizen import hidden, script_errors
from tests.support.tickets import bearer

REASON = "Data anggaran perbaikan jalan bukan rahasia negara"


def text(key: str, **values) -> str:
    from ticketing import catalogue

    return catalogue.text(key, **values)


def act(http, token, number, **body) -> dict:
    response = http.post(f"/api/v1/tickets/{number}/actions", json=body, headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()


def tracking(http, number: str, token: str) -> str:
    response = http.get(f"/lacak/{number}", params={"token": token})
    assert response.status_code == 200, response.text[:300]
    return response.text


def notices(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<p class="notice (\w+)" role="status">([^<]*)</p>', html)


def post_objection(http, number: str, token: str, data: dict) -> str:
    """The form's post (a 303 back to the page, never a 500); the page it leads to."""
    response = http.post(
        f"/lacak/{number}/keberatan", params={"token": token}, data=data, allow_redirects=False
    )
    assert response.status_code == 303, response.text[:300]
    assert f"/lacak/{number}?token=" in response.headers["Location"]
    return tracking(http, number, token)


def field(html: str, element_id: str) -> str | None:
    match = re.search(rf'id="{element_id}">([^<]*)<', html)
    return match.group(1) if match else None


def test_objection_filed_on_the_tracking_page_reaches_the_atasan_ppid_and_its_answer_shows(
    http, staff, token_for
):
    from ticketing.formatting import moment_label
    from ticketing.services import sla

    ppid = token_for("ppid", "DISKOMINFO")
    atasan = token_for("atasan_ppid")
    created = http.post(
        "/api/v1/complaints",
        json={"description": "Minta data realisasi anggaran perbaikan jalan 2025", "kind": "informasi"},
    ).json()
    number, token = created["ticket_number"], created["tracking_token"]
    act(http, staff["operator"], number, action="dispose", opd="DISKOMINFO", note="Permintaan informasi.")

    # Not answered and still within its deadline: the section, but no form yet.
    html = tracking(http, number, token)
    assert "<h1>Permintaan informasi" in html
    assert 'id="objection"' in html and 'id="objection-form"' not in html
    assert field(html, "ppid-decision") == "Belum diputus"
    csrf = hidden(html, "csrf_token")
    early = post_objection(http, number, token, {"csrf_token": csrf, "reason": "Belum dijawab"})
    assert notices(early) == [("error", text("error.objection_window"))]

    act(http, ppid, number, action="decide", decision="refused", exemption="c", note="Menyangkut keamanan.")
    decided = http.get(f"/api/v1/tickets/{number}", headers=bearer(ppid)).json()
    until = sla.add_working_days(datetime.fromisoformat(decided["decided_at"]), 30)
    html = tracking(http, number, token)
    assert 'id="objection-form"' in html and 'name="reason"' in html
    assert field(html, "ppid-decision") == "Ditolak"
    assert "Pasal 17 huruf c UU 14/2008" in html
    assert text("web.objection.invite", until=moment_label(until)) in html
    assert "WIB" in moment_label(until) and re.search(r"\d+ [A-Z][a-z]+ \d{4} pukul", html)
    # The ground (UU 14/2008 Art. 35(1)) is offered with the one this answer shows chosen: a
    # refusal on an exemption, letter a.
    assert '<option value="a" selected>' in html and '<option value="g">' in html

    # Without its CSRF token, or without a reason: refused in words, nothing filed.
    no_csrf = post_objection(http, number, token, {"reason": REASON})
    assert notices(no_csrf) == [("error", text("web.csrf"))]
    blank = post_objection(http, number, token, {"csrf_token": csrf, "reason": "   "})
    assert notices(blank) == [("error", text("error.objection_reason"))]
    unknown_ground = post_objection(
        http, number, token, {"csrf_token": csrf, "reason": REASON, "ground": "z"}
    )
    assert notices(unknown_ground) == [("error", text("error.objection_ground"))]
    assert http.get(f"/api/v1/tickets/{number}", headers=bearer(atasan)).json()["objection_at"] is None

    filed = post_objection(http, number, token, {"csrf_token": csrf, "reason": REASON, "ground": "e"})
    seen = http.get(f"/api/v1/tickets/{number}", headers=bearer(atasan)).json()
    assert seen["status"] == "objection" and seen["objection_reason"] == REASON
    assert seen["objection_ground"] == "e"
    assert field(filed, "objection-ground-named") == text("objection_ground.e").capitalize()
    due = datetime.fromisoformat(seen["due_at"])
    assert due == sla.add_working_days(datetime.fromisoformat(seen["objection_at"]), 30)
    assert notices(filed) == [("ok", text("web.objection_filed", due=moment_label(due)))]
    objection = seen["history"][-1]
    assert objection["action"] == "object" and objection["actor"] == "citizen:web"
    assert objection["public"] and objection["data"]["missed_deadline"] is False
    assert "decide" in seen["allowed_actions"]
    queue = http.get("/api/v1/tickets", params={"status": "objection"}, headers=bearer(atasan)).json()
    assert number in [item["ticket_number"] for item in queue["items"]]

    # The page: the objection pending with the superior, and no second form.
    assert field(filed, "status") == "Keberatan diproses"
    assert field(filed, "objection-reason") == REASON
    assert field(filed, "objection-due") == moment_label(due)
    assert field(filed, "objection-status") == text("web.objection.pending")
    assert 'id="objection-form"' not in filed and 'id="objection-decision"' not in filed
    # A stale form posted again: one objection per request.
    again = post_objection(http, number, token, {"csrf_token": csrf, "reason": "Sekali lagi"})
    assert notices(again) == [("error", text("error.objection_once"))]

    act(http, atasan, number, action="decide", decision="granted", note="Seluruh rincian diberikan.")
    answered = tracking(http, number, token)
    assert field(answered, "objection-decision") == "Dikabulkan seluruhnya"
    assert field(answered, "ppid-decision") == "Ditolak"  # the PPID's own answer stays
    assert field(answered, "objection-next") == text("web.objection.next")
    assert "Seluruh rincian diberikan." in answered
    assert 'id="objection-status"' not in answered and 'id="objection-form"' not in answered
    assert 'id="objection-due"' not in answered


def test_objection_is_not_offered_and_refused_in_words_outside_its_rule(http, make_ticket):
    from ticketing.models.base import utcnow

    # A complaint is not an information request: no section, and a crafted post is refused.
    complaint = make_ticket("resolved")
    html = tracking(http, complaint.ticket_number, complaint.tracking_token)
    assert "<h1>Pengaduan" in html and 'id="objection"' not in html
    csrf = hidden(html, "csrf_token")
    refused = post_objection(
        http, complaint.ticket_number, complaint.tracking_token, {"csrf_token": csrf, "reason": "Tidak puas"}
    )
    assert notices(refused) == [("error", text("error.objection_not_informasi"))]
    assert field(refused, "status") == "Selesai ditindaklanjuti"

    # Answered long ago: the 30 working days have passed.
    old = make_ticket(
        "resolved",
        opd="DISKOMINFO",
        kind="informasi",
        decision="granted",
        decided_at=utcnow() - timedelta(days=120),
        due_at=utcnow() - timedelta(days=125),
    )
    html = tracking(http, old.ticket_number, old.tracking_token)
    assert 'id="objection"' in html and 'id="objection-form"' not in html
    assert field(html, "ppid-decision") == "Dikabulkan seluruhnya"
    late = post_objection(
        http, old.ticket_number, old.tracking_token, {"csrf_token": csrf, "reason": "Terlambat"}
    )
    assert notices(late) == [("error", text("error.objection_window"))]
    assert field(late, "status") == "Selesai ditindaklanjuti"

    # A wrong token is the tracking page's 404, whatever the form says.
    wrong = http.post(
        f"/lacak/{old.ticket_number}/keberatan",
        params={"token": "salah"},
        data={"csrf_token": csrf, "reason": "Terlambat"},
        allow_redirects=False,
    )
    assert wrong.status_code == 404


def test_objection_on_a_phone_without_javascript_then_the_superiors_answer(
    http, live_server, phone, make_ticket, token_for, artifacts_dir
):
    from ticketing.models.base import utcnow

    atasan = token_for("atasan_ppid")
    # Unanswered past its deadline: the requester may object at once.
    ticket = make_ticket(
        "assigned",
        opd="DISKOMINFO",
        kind="informasi",
        description="Minta salinan kontrak pengadaan lampu jalan tahun 2025",
        due_at=utcnow() - timedelta(days=1),
    )
    url = f"{live_server.base_url}/lacak/{ticket.ticket_number}?token={ticket.tracking_token}"
    context = phone.context(java_script_enabled=False)
    page = phone.page(context)
    page.goto(url)
    stale = phone.page(context)  # the same page, open in a second tab
    stale.goto(url)
    expect(page.locator("h1")).to_contain_text("Permintaan informasi")
    expect(page.locator("#objection-form")).to_be_visible()
    expect(page.locator("#objection-until")).to_contain_text("paling lambat")
    button = page.locator("#objection-form button[type=submit]")
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390  # fits the phone
    reason = "Sudah lewat batas waktu dan belum ada jawaban dari PPID"
    expect(page.locator("#objection-ground")).to_have_value("c")  # not answered: Art. 35(1) c
    page.fill("#objection-text", reason)
    page.screenshot(path=str(artifacts_dir / "citizen-objection-form.png"), full_page=True)
    button.click()
    expect(page.locator(".notice.ok")).to_contain_text("atasan PPID")
    expect(page.locator("#status")).to_have_text("Keberatan diproses")
    expect(page.locator("#objection-reason")).to_have_text(
        "Sudah lewat batas waktu dan belum ada jawaban dari PPID"
    )
    expect(page.locator("#objection-form")).to_have_count(0)
    shown = page.locator("#objection-reason").bounding_box()
    assert shown is not None and shown["width"] > 300  # the sentence has the card's width
    page.screenshot(path=str(artifacts_dir / "citizen-objection.png"), full_page=True)

    seen = http.get(f"/api/v1/tickets/{ticket.ticket_number}", headers=bearer(atasan)).json()
    assert seen["status"] == "objection"
    assert seen["history"][-1]["data"]["missed_deadline"] is True
    assert seen["objection_ground"] == "c" and seen["history"][-1]["data"]["ground"] == "c"

    # The second tab's form, sent after the first: refused in words.
    stale.fill("#objection-text", "Keberatan kedua")
    stale.click("#objection-form button[type=submit]")
    expect(stale.locator(".notice.error")).to_have_text(text("error.objection_once"))

    act(
        http,
        atasan,
        ticket.ticket_number,
        action="decide",
        decision="refused",
        exemption="h",
        note="Data pribadi.",
    )
    page.reload()
    expect(page.locator("#objection-decision")).to_have_text("Ditolak")
    expect(page.locator("#ppid-decision")).to_have_text("Belum diputus")
    expect(page.locator("#objection-next")).to_contain_text("Komisi Informasi")

    # With JavaScript too: the same page, no script errors.
    scripted = phone.page()
    scripted.goto(url)
    expect(scripted.locator("#objection-decision")).to_have_text("Ditolak")
    assert script_errors(scripted) == []
