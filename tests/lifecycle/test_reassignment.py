"""Issue 22 through the API: a reassignment cannot hide a late ticket, takes the new OPD's
category (the console's rule too), and a duplicate rejection keeps its reason in words."""

from __future__ import annotations

from datetime import timedelta

from tests.support.tickets import bearer


def _late(make_ticket, **fields):
    """A PUPR ticket whose deadline passed and which the SLA sweep flagged."""
    from ticketing.models.base import utcnow
    from ticketing.services.sla_sweep import sla_sweep

    ticket = make_ticket(status="assigned", sla_due_at=utcnow() - timedelta(hours=2), **fields)
    assert sla_sweep()["escalated"] >= 1
    return ticket


def test_dispose_to_the_current_opd_is_refused_and_a_reassignment_needs_a_reason(http, staff, make_ticket):
    ticket = _late(make_ticket)
    path = f"/api/v1/tickets/{ticket.ticket_number}/actions"
    operator = bearer(staff["operator"])
    before = http.get(f"/api/v1/tickets/{ticket.ticket_number}", headers=operator).json()
    assert before["overdue"] is True

    same = http.post(path, json={"action": "dispose", "opd": "PUPR", "note": "ulang"}, headers=operator)
    assert same.status_code == 409 and same.json()["error"]["code"] == "invalid_transition"
    silent = http.post(path, json={"action": "dispose", "opd": "DLHKP"}, headers=operator)
    assert silent.status_code == 422 and "note" in silent.json()["error"]["fields"]
    after = http.get(f"/api/v1/tickets/{ticket.ticket_number}", headers=operator).json()
    # Neither refusal touched the deadline or the overdue flag.
    assert after["overdue"] is True and after["sla_due_at"] == before["sla_due_at"]
    assert after["opd"] == "PUPR"

    moved = http.post(
        path,
        json={"action": "dispose", "opd": "DLHKP", "note": "Saluran tersumbat sampah: urusan DLHKP"},
        headers=operator,
    )
    assert moved.status_code == 200, moved.text
    event = moved.json()["history"][-1]
    assert event["note"] == "Saluran tersumbat sampah: urusan DLHKP"
    assert event["data"]["previous_opd"] == "PUPR" and event["data"]["sla_breached"] is True
    assert event["data"]["previous_sla_due_at"] == before["sla_due_at"]


def test_an_overdue_ticket_reassigned_and_resolved_in_time_still_counts_as_breached(
    http, staff, make_ticket, token_for
):
    ticket = _late(make_ticket)
    path = f"/api/v1/tickets/{ticket.ticket_number}/actions"
    operator = bearer(staff["operator"])
    dlhkp = bearer(token_for("officer", "DLHKP", username="petugas.dlhkp"))
    assert (
        http.post(
            path, json={"action": "dispose", "opd": "DLHKP", "note": "Urusan DLHKP"}, headers=operator
        ).status_code
        == 200
    )
    assert http.post(path, json={"action": "accept"}, headers=dlhkp).status_code == 200
    resolved = http.post(path, json={"action": "resolve", "note": "Sudah dibersihkan"}, headers=dlhkp)
    assert resolved.status_code == 200
    # Resolved well inside the new window, yet the first deadline was missed.
    stats = http.get("/api/v1/stats", headers=operator).json()
    row = next(row for row in stats["opds"] if row["opd"] == "DLHKP")
    assert row["sla_resolved"] == 1 and row["sla_compliance"] == 0.0


def test_api_and_console_disposes_give_the_same_category_and_sla(
    http, staff, make_ticket, make_user, console_client, app_ctx
):
    """The escalation list's reassignment used to keep PUPR's `jalan-rusak` (and its 7-day
    SLA) at PDAM; the lifecycle now picks the target OPD's category for both paths."""
    from ticketing.extensions import db
    from ticketing.services.intake import find_ticket

    by_api, by_console = _late(make_ticket), _late(make_ticket)
    note = "Pipa PDAM bocor di bawah jalan"
    answer = http.post(
        f"/api/v1/tickets/{by_api.ticket_number}/actions",
        json={"action": "dispose", "opd": "PDAM", "note": note},
        headers=bearer(staff["operator"]),
    )
    assert answer.status_code == 200, answer.text

    make_user("operator.konsol", "operator")
    console = console_client()
    console.login("operator.konsol")
    sent = console.post(
        f"/console/tickets/{by_console.ticket_number}/actions",
        data={
            "action": "dispose",
            "opd": "PDAM",
            "note": note,
            "back": "triage",
            "csrf_token": console.csrf("/console/triage"),
        },
    )
    assert sent.status_code == 303

    db.session.expire_all()
    api_row, console_row = find_ticket(by_api.ticket_number), find_ticket(by_console.ticket_number)
    assert api_row.category_code == console_row.category_code == "air-bersih"
    window = [row.sla_due_at - row.assigned_at for row in (api_row, console_row)]
    assert abs(window[0] - window[1]) < timedelta(minutes=5)
    assert api_row.sla_breached_at is not None and console_row.sla_breached_at is not None


def test_duplicate_rejection_errors_say_which_mistake_and_the_reason_is_kept(http, staff, make_ticket):
    original = make_ticket(status="assigned")
    duplicate = make_ticket(status="triage", opd=None)
    path = f"/api/v1/tickets/{duplicate.ticket_number}/actions"
    operator = bearer(staff["operator"])

    def refusal(number):
        body = {"action": "reject", "reason": "duplicate"}
        if number is not None:
            body["duplicate_of"] = number
        response = http.post(path, json=body, headers=operator)
        assert response.status_code == 422
        return response.json()["error"]["fields"]["duplicate_of"][0]

    empty, unknown, itself = refusal(None), refusal("ZZZZ-9999"), refusal(duplicate.ticket_number)
    assert len({empty, unknown, itself}) == 3

    rejected = http.post(
        path,
        json={"action": "reject", "reason": "duplicate", "duplicate_of": original.ticket_number},
        headers=operator,
    )
    assert rejected.status_code == 200
    event = rejected.json()["history"][-1]
    assert event["data"] == {"reason": "duplicate", "duplicate_of": original.ticket_number}
    assert original.ticket_number in event["note"] and event["public"] is True

    tracking = http.get(
        f"/api/v1/complaints/{duplicate.ticket_number}", params={"token": duplicate.tracking_token}
    ).json()
    assert original.ticket_number in tracking["history"][-1]["note"]


def test_reopening_keeps_the_first_deadline_in_the_history(http, staff, make_ticket):
    ticket = make_ticket(status="resolved")
    operator = bearer(staff["operator"])
    first_due = http.get(f"/api/v1/tickets/{ticket.ticket_number}", headers=operator).json()["sla_due_at"]
    reopened = http.post(
        f"/api/v1/tickets/{ticket.ticket_number}/actions", json={"action": "reopen"}, headers=operator
    )
    assert reopened.status_code == 200, reopened.text
    body = reopened.json()
    event = body["history"][-1]
    assert event["action"] == "reopen" and event["data"]["previous_sla_due_at"] == first_due
    assert event["data"]["previous_resolved_at"] and event["data"]["sla_breached"] is False
    assert body["sla_due_at"] != first_due and body["reopen_count"] == 1
