"""A ticket held `until` a moment is resumed by the worker's scheduler when that moment passes
(services/sla_sweep.py: resume_due_holds), as a manual `resume` would be: back to in_progress,
the deadline moved by exactly the working time paused, one history entry, the citizen told
once, the screens told; running the job twice resumes once, and a hold still running is left
to the officer, who may resume it by hand before `until`."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.support.processes import wait_for
from tests.support.tickets import bearer
from ticketing.models.base import utcnow

WIB = "+07:00"


def act(http, token, number, **body):
    return http.post(f"/api/v1/tickets/{number}/actions", json=body, headers=bearer(token))


def run_sweep_job() -> None:
    """What the ticker enqueues every minute, run by the real worker; waits for its end."""
    from rq.job import JobStatus

    from ticketing.queueing import QUEUE_MAINTENANCE, RESUME_DUE_HOLDS_JOB, enqueue

    job = enqueue(RESUME_DUE_HOLDS_JOB, queue=QUEUE_MAINTENANCE, retry=None)

    def done():
        status = job.get_status(refresh=True)
        assert status != JobStatus.FAILED, job.latest_result()
        return status == JobStatus.FINISHED

    wait_for(done, timeout=60, message="resume_due_holds job finished")


def resume_events(http, token, number) -> list[dict]:
    response = http.get(f"/api/v1/tickets/{number}", headers=bearer(token))
    assert response.status_code == 200, response.text
    return [entry for entry in response.json()["history"] if entry["action"] == "resume"]


def resumed_messages(ticket_id: int) -> int:
    from sqlalchemy import func, select

    from ticketing.extensions import db
    from ticketing.models import OutboxMessage

    count = db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.ticket_id == ticket_id, OutboxMessage.kind == "resumed")
    )
    db.session.rollback()
    return count


def test_the_scheduler_is_what_runs_the_resume_job():
    from ticketing.queueing import RESUME_DUE_HOLDS_JOB
    from workers.schedule import PERIODIC_JOBS

    assert RESUME_DUE_HOLDS_JOB in {job.job_path for job in PERIODIC_JOBS}


def test_a_hold_whose_until_passed_is_resumed_once_by_the_worker(
    http, staff, make_ticket, app_ctx, worker, socket_recorder
):
    from ticketing.extensions import db
    from ticketing.models import Ticket
    from ticketing.services import sla
    from ticketing.services.kind_states import add_working_time, working_time_between

    ticket = make_ticket(status="in_progress", channel="sms")  # an SMS citizen is told by SMS
    number = ticket.ticket_number
    held = act(
        http,
        staff["officer"],
        number,
        action="hold",
        note="Menunggu jadwal pengaspalan",
        until=(utcnow() + timedelta(days=20)).isoformat(),
    )
    assert held.status_code == 200, held.text
    # Arrangement: the hold began last week's Friday at 15:00 WIB and ran until Monday 10:00
    # WIB (a known pause across a weekend), so `until` has passed whenever the test runs.
    today = utcnow().astimezone(sla.calendar().tz).date()
    friday = today - timedelta(days=(today.weekday() - 4) % 7 + 7)
    held_at = datetime.fromisoformat(f"{friday.isoformat()}T15:00:00{WIB}")
    until = datetime.fromisoformat(f"{(friday + timedelta(days=3)).isoformat()}T10:00:00{WIB}")
    # The screens listen before the hold is due: the worker's own minutely sweep may resume it
    # as soon as the arrangement commits (CI: it did, before the screens had connected).
    wall = socket_recorder("/wall", staff["wall"])
    opd = socket_recorder("/opd", staff["officer"])
    row = db.session.get(Ticket, ticket.id)
    row.held_at, row.hold_until = held_at, until
    row.sla_remind_at = row.sla_due_at - timedelta(days=1)
    before, remind_before = row.sla_due_at, row.sla_remind_at
    db.session.commit()

    run_sweep_job()
    run_sweep_job()  # a doubled period (two workers, a retry) changes nothing more

    entries = resume_events(http, staff["officer"], number)
    assert len(entries) == 1, entries
    entry = entries[0]
    assert entry["public"] is True and entry["actor"] == "system", entry
    assert entry["from_status"] == "on_hold" and entry["to_status"] == "in_progress"
    data = entry["data"]
    assert data["scheduled"] is True
    # As of `until`: the clock ran again from then, not from when the sweep came round.
    assert datetime.fromisoformat(data["held_at"]) == held_at
    assert datetime.fromisoformat(data["resumed_at"]) == until
    paused = working_time_between(held_at, until)  # Friday's last hour, Monday's first two
    assert data["paused_seconds"] == paused.total_seconds()

    detail = http.get(f"/api/v1/tickets/{number}", headers=bearer(staff["officer"])).json()
    assert detail["status"] == "in_progress"
    assert detail["held_at"] is None and detail["hold_until"] is None
    assert datetime.fromisoformat(detail["sla_due_at"]) == add_working_time(before, paused)
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).sla_remind_at == add_working_time(remind_before, paused)
    db.session.rollback()

    # The screens hear it as they hear a manual resume; the citizen is told once.
    for screen in (wall, opd):
        screen.wait_for(
            lambda r: any(e["action"] == "resume" for e in r.tickets(number)), message="resume event"
        )
        assert [e["action"] for e in screen.tickets(number)].count("resume") == 1
    assert resumed_messages(ticket.id) == 1  # written with the event, in its transaction


def test_a_hold_still_running_waits_and_the_officer_may_resume_it_first(
    http, staff, make_ticket, app_ctx, worker
):
    ticket = make_ticket(status="in_progress")
    number = ticket.ticket_number
    until = (utcnow() + timedelta(days=20)).isoformat()
    held = act(http, staff["officer"], number, action="hold", note="Menunggu warga", until=until)
    assert held.status_code == 200, held.text

    run_sweep_job()
    detail = http.get(f"/api/v1/tickets/{number}", headers=bearer(staff["officer"])).json()
    assert detail["status"] == "on_hold" and detail["hold_until"] is not None
    assert resume_events(http, staff["officer"], number) == []

    resumed = act(http, staff["officer"], number, action="resume")
    assert resumed.status_code == 200, resumed.text
    assert resumed.json()["status"] == "in_progress"
    run_sweep_job()
    entries = resume_events(http, staff["officer"], number)
    assert len(entries) == 1 and "scheduled" not in entries[0]["data"], entries
