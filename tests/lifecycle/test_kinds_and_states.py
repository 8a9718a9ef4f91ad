"""Issue #17 through the public API: report kinds, the hold and close-unresolved states, and
an aspirasi that is answered but never overdue. (The PPID's WhatsApp journey is in
test_ppid_journey.py; the console buttons in tests/console/test_kinds_console_browser.py.)"""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.support.tickets import bearer
from ticketing.models.base import utcnow
from ticketing.services.lifecycle import TRANSITIONS

WIB = "+07:00"


def act(http, token, number, **body):
    return http.post(f"/api/v1/tickets/{number}/actions", json=body, headers=bearer(token))


def detail(http, token, number) -> dict:
    response = http.get(f"/api/v1/tickets/{number}", headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()


def test_kind_is_taken_at_intake_shown_in_every_payload_and_a_bad_one_is_refused(http, staff):
    bad = http.post("/api/v1/complaints", json={"description": "Usul taman baca di RW 3", "kind": "saran"})
    assert bad.status_code == 400
    assert set(bad.json()["error"]["fields"]) == {"kind"}
    assert http.post("/api/v1/complaints", json={"description": "Usul", "kind": 5}).status_code == 400

    numbers = {}
    for kind in ("aspirasi", "informasi", None):
        body = {"description": f"Laporan uji jenis {kind} di Kelurahan Bandar Lor"}
        if kind:
            body["kind"] = kind
        response = http.post("/api/v1/complaints", json=body)
        assert response.status_code == 201, response.text
        numbers[kind] = response.json()["ticket_number"]

    listed = http.get("/api/v1/tickets", headers=bearer(staff["operator"])).json()["items"]
    by_number = {item["ticket_number"]: item for item in listed}
    assert by_number[numbers["aspirasi"]]["kind"] == "aspirasi"
    assert by_number[numbers[None]]["kind"] == "pengaduan"
    assert by_number[numbers[None]]["due_at"] is None
    request = detail(http, staff["operator"], numbers["informasi"])
    assert request["kind"] == "informasi"
    # Ten working days (of eight office hours) after receipt, on the SLA calendar.
    from ticketing.services import sla

    created = datetime.fromisoformat(request["created_at"])
    assert datetime.fromisoformat(request["due_at"]) == sla.add_working_days(created, 10)
    # The wall's catch-up feed carries the kind too.
    events = http.get("/api/v1/events", headers=bearer(staff["wall"])).json()["items"]
    assert {e["ticket"]["ticket_number"]: e["ticket"]["kind"] for e in events}[
        numbers["aspirasi"]
    ] == "aspirasi"


def test_actions_of_another_kind_are_refused(http, staff, make_ticket):
    complaint = make_ticket(status="in_progress")
    for action, body in (
        ("decide", {"decision": "granted", "note": "Terlampir."}),
        ("extend", {"note": "Perlu waktu."}),
        ("answer", {"note": "Terima kasih."}),
    ):
        response = act(http, staff["admin"], complaint.ticket_number, action=action, **body)
        assert response.status_code == 409, (action, response.text)
        assert response.json()["error"]["code"] == "invalid_transition"
    request = make_ticket(status="in_progress", kind="informasi")
    response = act(http, staff["officer"], request.ticket_number, action="resolve", note="Selesai.")
    assert response.status_code == 409
    # The detail offers only what the table allows for this kind and role.
    allowed = detail(http, staff["admin"], request.ticket_number)["allowed_actions"]
    assert "decide" in allowed and "extend" in allowed and "resolve" not in allowed


def test_close_unresolved_needs_a_known_reason_and_says_it(http, staff, make_ticket):
    ticket = make_ticket(status="in_progress")
    refused = act(http, staff["officer"], ticket.ticket_number, action="close_unresolved", reason="malas")
    assert refused.status_code == 422 and "reason" in refused.json()["error"]["fields"]
    done = act(
        http, staff["officer"], ticket.ticket_number, action="close_unresolved", reason="planned_later"
    )
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["status"] == "closed_unresolved" and body["close_reason"] == "planned_later"
    assert body["history"][-1]["public"] is True
    public = http.get(f"/api/v1/complaints/{ticket.ticket_number}", params={"token": ticket.tracking_token})
    assert public.json()["status"] == "closed_unresolved"


def test_on_hold_pauses_the_clock_and_resume_moves_the_deadline_by_the_paused_working_time(
    http, staff, make_ticket, app_ctx
):
    from ticketing.extensions import db
    from ticketing.models import Ticket
    from ticketing.services import sla
    from ticketing.services.kind_states import add_working_time, working_time_between

    ticket = make_ticket(status="in_progress")
    until = (utcnow() + timedelta(days=20)).isoformat()
    held = act(
        http, staff["officer"], ticket.ticket_number, action="hold", note="Menunggu warga", until=until
    )
    assert held.status_code == 200, held.text
    assert held.json()["status"] == "on_hold" and held.json()["hold_until"] is not None
    assert act(http, staff["officer"], ticket.ticket_number, action="hold", note="lagi").status_code == 409
    # Arrangement: the hold began last week on a Friday at 15:00 WIB (a known, long pause that
    # spans a weekend), so the pause is many working hours whenever the test runs.
    today = utcnow().astimezone(sla.calendar().tz).date()
    friday = today - timedelta(days=(today.weekday() - 4) % 7 + 7)
    held_at = datetime.fromisoformat(f"{friday.isoformat()}T15:00:00{WIB}")
    row = db.session.get(Ticket, ticket.id)
    row.held_at = held_at
    before = row.sla_due_at
    db.session.commit()

    resumed = act(http, staff["officer"], ticket.ticket_number, action="resume")
    assert resumed.status_code == 200, resumed.text
    body = resumed.json()
    assert body["status"] == "in_progress" and body["held_at"] is None
    entry = body["history"][-1]
    assert entry["action"] == "resume" and entry["public"] is True
    data = entry["data"]
    assert datetime.fromisoformat(data["held_at"]) == held_at
    assert datetime.fromisoformat(data["previous_sla_due_at"]) == before
    resumed_at = datetime.fromisoformat(data["resumed_at"])
    paused = working_time_between(held_at, resumed_at)
    assert paused >= timedelta(hours=8)  # at least Friday's last hour and a whole working day
    assert data["paused_seconds"] == paused.total_seconds()
    after = datetime.fromisoformat(body["sla_due_at"])
    # Exactly the paused working time: the same office time lies between the old and new deadline.
    assert working_time_between(before, after) == paused
    assert after == add_working_time(before, paused)


def test_hold_and_resume_on_a_frozen_clock_move_the_deadline_by_three_office_hours(make_ticket, app_ctx):
    """Held Friday 4 Dec 2026 15:00 WIB, resumed Monday 7 Dec 10:00: one hour on Friday and two
    on Monday (08:00-16:00 office hours; the weekend does not count); the deadline moves from
    Tuesday 15:00 to Wednesday 10:00."""
    from ticketing.extensions import db
    from ticketing.models import Ticket, User
    from ticketing.services import sla
    from ticketing.services.accounts import create_user
    from ticketing.services.lifecycle import apply_action

    officer = create_user(username="petugas-jam", password="password123", role="officer", opd_code="PUPR")
    ticket = make_ticket(status="in_progress")
    row = db.session.get(Ticket, ticket.id)
    row.sla_due_at = datetime.fromisoformat(f"2026-12-08T15:00:00{WIB}")
    db.session.commit()
    with sla.frozen_clock(datetime.fromisoformat(f"2026-12-04T15:00:00{WIB}")):
        apply_action(row, db.session.get(User, officer.id), "hold", note="Menunggu material")
    with sla.frozen_clock(datetime.fromisoformat(f"2026-12-07T10:00:00{WIB}")):
        apply_action(row, db.session.get(User, officer.id), "resume")
    assert row.status == "in_progress"
    assert row.sla_due_at == datetime.fromisoformat(f"2026-12-09T10:00:00{WIB}")


def test_aspirasi_is_acknowledged_answered_and_never_overdue(http, staff, app_ctx, make_ticket):
    from ticketing.services.sla_sweep import sla_sweep

    created = http.post(
        "/api/v1/complaints",
        json={"description": "Usul dibuatkan taman baca anak di balai RW 5", "kind": "aspirasi"},
    )
    number = created.json()["ticket_number"]
    disposed = act(http, staff["operator"], number, action="dispose", opd="PUPR")
    assert disposed.status_code == 200, disposed.text
    assert disposed.json()["sla_due_at"] is None
    assert act(http, staff["officer"], number, action="accept").json()["status"] == "in_progress"
    # A complaint of the same OPD with a deadline, as the control that the sweep does flag.
    control = make_ticket(status="in_progress")

    counts = sla_sweep(now=utcnow() + timedelta(days=90))
    assert counts["escalated"] >= 1
    assert detail(http, staff["operator"], control.ticket_number)["overdue"] is True
    assert detail(http, staff["operator"], number)["overdue"] is False
    stats = http.get("/api/v1/stats", headers=bearer(staff["operator"])).json()
    pupr = next(row for row in stats["opds"] if row["opd"] == "PUPR")
    assert pupr["open"] == 2 and pupr["overdue"] == 1
    assert stats["overall"]["by_kind"]["aspirasi"] == 1
    overdue = http.get("/api/v1/tickets", params={"overdue": "true"}, headers=bearer(staff["wall"])).json()
    assert [item["ticket_number"] for item in overdue["items"]] == [control.ticket_number]

    answered = act(http, staff["officer"], number, action="answer", note="Usulan masuk musrenbang 2027.")
    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == "resolved"
    public = http.get(f"/api/v1/complaints/{number}", params={"token": created.json()["tracking_token"]})
    assert public.json()["status"] == "resolved"
    assert ("in_progress", "answer") in TRANSITIONS
