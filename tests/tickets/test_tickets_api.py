"""The staff ticket API through HTTP: list filters, keyset pages, search, detail, returns,
duplicates, stats and clear 4xx for bad input."""

from __future__ import annotations

from tests.support.tickets import bearer


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["ticket_number"] for item in response.json()["items"]]


def test_keyset_pages_cover_every_ticket_once_newest_first(http, staff, make_ticket):
    made = [make_ticket(status="assigned").ticket_number for _ in range(7)]
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        response = http.get("/api/v1/tickets", params=params, headers=bearer(staff["operator"]))
        seen += numbers(response)
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(made))


def test_keyset_pages_over_several_statuses_merge_them_newest_first(http, staff, make_ticket):
    """The open queue (assigned + in_progress) is merged from one index range per status."""
    statuses = [
        "assigned",
        "in_progress",
        "in_progress",
        "assigned",
        "resolved",
        "in_progress",
        "assigned",
        "assigned",
    ]
    made = [(make_ticket(status=status).ticket_number, status) for status in statuses]
    wanted = [number for number, status in reversed(made) if status != "resolved"]
    for role in ("operator", "officer"):
        seen, cursor = [], None
        while True:
            params = {"limit": 3, "status": "assigned,in_progress", **({"cursor": cursor} if cursor else {})}
            response = http.get("/api/v1/tickets", params=params, headers=bearer(staff[role]))
            page = numbers(response)
            assert len(page) <= 3
            seen += page
            cursor = response.json()["next_cursor"]
            if cursor is None:
                break
        assert seen == wanted, role


def test_filters_and_search(http, staff, make_ticket):
    pothole = make_ticket(status="assigned", description="Jalan berlubang besar di Jl. Dhoho")
    lamp = make_ticket(
        status="in_progress",
        opd="DISHUB",
        category="pju",
        description="Lampu jalan mati sejak minggu lalu",
        channel="sms",
    )
    late = make_ticket(status="assigned", description="Trotoar rusak", overdue=True)
    triage = make_ticket(status="triage", opd=None, flagged_for_supervisor=True, return_count=2)
    operator = bearer(staff["operator"])

    def query(**params):
        return set(numbers(http.get("/api/v1/tickets", params=params, headers=operator)))

    assert query(status="assigned") == {pothole.ticket_number, late.ticket_number}
    assert query(status="assigned,in_progress", opd="DISHUB") == {lamp.ticket_number}
    assert query(category="pju") == {lamp.ticket_number}
    assert query(channel="sms") == {lamp.ticket_number}
    assert query(overdue="true") == {late.ticket_number}
    assert query(flagged="true") == {triage.ticket_number}
    assert query(q="lampu MATI") == {lamp.ticket_number}
    assert query(q="berlubang dhoho") == {pothole.ticket_number}
    assert query(q=pothole.ticket_number.lower()) == {pothole.ticket_number}
    assert query(q="tidak-ada-kata-ini") == set()
    for bad in ({"status": "open"}, {"limit": 0}, {"limit": "x"}, {"overdue": "maybe"}):
        response = http.get("/api/v1/tickets", params=bad, headers=operator)
        assert response.status_code == 422, (bad, response.text)
    # A cursor we never issued is a malformed request (tests/security/test_odd_dates_and_cursors.py).
    assert http.get("/api/v1/tickets", params={"cursor": "@@@"}, headers=operator).status_code == 400
    assert http.get("/api/v1/tickets").status_code == 401


def test_anonymous_reporter_is_hidden_from_officers_not_operators(http, staff, make_ticket):
    ticket = make_ticket(status="assigned", anonymous=True, reporter_name="Rahasia Sekali")
    path = f"/api/v1/tickets/{ticket.ticket_number}"
    officer_view = http.get(path, headers=bearer(staff["officer"])).json()
    assert officer_view["reporter"] is None and "Rahasia" not in str(officer_view)
    assert http.get(path, headers=bearer(staff["operator"])).json()["reporter"]["name"] == "Rahasia Sekali"
    assert http.get(path, headers=bearer(staff["wall"])).status_code == 403


def test_returned_twice_is_flagged_for_the_supervisor(http, staff, make_ticket):
    ticket = make_ticket(status="assigned")
    path = f"/api/v1/tickets/{ticket.ticket_number}/actions"
    officer, operator = bearer(staff["officer"]), bearer(staff["operator"])
    missing_note = http.post(path, json={"action": "return"}, headers=officer)
    assert missing_note.status_code == 422 and "note" in missing_note.json()["error"]["fields"]
    first = http.post(
        path, json={"action": "return", "note": "Bukan kewenangan PUPR"}, headers=officer
    ).json()
    assert first["status"] == "triage" and first["opd"] is None and first["return_count"] == 1
    assert first["flagged_for_supervisor"] is False
    assert first["history"][-1]["note"] == "Bukan kewenangan PUPR"
    again = http.post(path, json={"action": "dispose", "opd": "PUPR"}, headers=operator).json()
    assert again["status"] == "assigned" and again["sla_due_at"]
    second = http.post(path, json={"action": "return", "note": "Tetap bukan"}, headers=officer).json()
    assert second["flagged_for_supervisor"] is True and second["return_count"] == 2
    flagged = http.get("/api/v1/tickets", params={"flagged": "true"}, headers=operator)
    assert numbers(flagged) == [ticket.ticket_number]
    bad = http.post(path, json={"action": "dispose", "opd": "NOPE"}, headers=operator)
    assert bad.status_code == 422


def test_duplicate_follows_the_original(http, staff, make_ticket, app_ctx):
    from ticketing.services.intake import find_ticket
    from ticketing.services.lifecycle import subscribers_of

    original = make_ticket(status="assigned")
    duplicate = make_ticket(status="triage", opd=None)
    path = f"/api/v1/tickets/{duplicate.ticket_number}/actions"
    operator = bearer(staff["operator"])
    assert (
        http.post(path, json={"action": "reject", "reason": "duplicate"}, headers=operator).status_code == 422
    )
    assert http.post(path, json={"action": "reject", "reason": "other"}, headers=operator).status_code == 422
    rejected = http.post(
        path,
        json={"action": "reject", "reason": "duplicate", "duplicate_of": original.ticket_number},
        headers=operator,
    )
    assert rejected.status_code == 200, rejected.text
    body = rejected.json()
    assert body["status"] == "rejected" and body["duplicate_of"] == original.ticket_number
    assert body["rejection_reason"] == "duplicate"
    followers = subscribers_of(find_ticket(original.ticket_number))
    assert [t.ticket_number for t in followers] == [duplicate.ticket_number]


def test_actions_reject_bad_bodies_with_4xx(http, staff, make_ticket):
    ticket = make_ticket(status="assigned")
    path = f"/api/v1/tickets/{ticket.ticket_number}/actions"
    operator = bearer(staff["operator"])
    assert (
        http.post(path, data="{", headers={**operator, "Content-Type": "application/json"}).status_code == 400
    )
    assert http.post(path, data="action=accept", headers=operator).status_code == 415
    assert http.post(path, json={"action": "explode"}, headers=operator).status_code == 422
    assert http.post(path, json={}, headers=operator).status_code == 422
    assert (
        http.post(path, json={"action": "accept", "public": "yes please"}, headers=operator).status_code
        == 422
    )
    assert (
        http.post("/api/v1/tickets/NOPE/actions", json={"action": "accept"}, headers=operator).status_code
        == 404
    )


def test_stats_per_opd_and_overall(http, staff, make_ticket):
    from datetime import timedelta

    from ticketing.models.base import utcnow

    now = utcnow()
    make_ticket(status="assigned", overdue=True)
    make_ticket(
        status="closed",
        feedback_rating=4,
        assigned_at=now - timedelta(hours=10),
        accepted_at=now - timedelta(hours=8),
        resolved_at=now - timedelta(hours=4),
        sla_due_at=now,
    )
    make_ticket(
        status="closed",
        feedback_rating=2,
        assigned_at=now - timedelta(hours=10),
        accepted_at=now - timedelta(hours=6),
        resolved_at=now - timedelta(hours=2),
        sla_due_at=now - timedelta(hours=3),
    )
    make_ticket(status="in_progress", opd="DISHUB", category="pju", channel="whatsapp")
    stats = http.get("/api/v1/stats", headers=bearer(staff["operator"]))
    assert stats.status_code == 200, stats.text
    body = stats.json()
    pupr = next(row for row in body["opds"] if row["opd"] == "PUPR")
    assert pupr["open"] == 1 and pupr["overdue"] == 1
    assert pupr["median_hours_to_accept"] == 3.0  # 2 h and 4 h
    assert pupr["median_hours_to_resolve"] == 7.0  # 6 h and 8 h
    assert pupr["sla_compliance"] == 0.5 and pupr["average_rating"] == 3.0
    assert body["overall"]["by_channel"] == {"web": 3, "whatsapp": 1}
    assert body["overall"]["by_category"] == {"jalan-rusak": 3, "pju": 1}
    officer = http.get("/api/v1/stats", headers=bearer(staff["officer"])).json()
    assert [row["opd"] for row in officer["opds"]] == ["PUPR"]
    ranged = http.get(
        "/api/v1/stats",
        params={"from": "2020-01-01T00:00:00Z", "to": "2020-02-01T00:00:00+07:00"},
        headers=bearer(staff["operator"]),
    ).json()
    assert ranged["overall"]["tickets"] == 0
    assert (
        http.get("/api/v1/stats", params={"from": "kemarin"}, headers=bearer(staff["operator"])).status_code
        == 422
    )
