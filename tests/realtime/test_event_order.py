"""Event ids are handed out before commit, so a screen catching up (`GET /api/v1/events?since=`)
could read event 11 while event 10 is still being committed, resume after 11 and never see 10.
Writers commit their events concurrently; a catch-up read never returns an event while a lower
id may still appear (services/events.py: `_insert_and_prepare`, `_event_horizon`)."""

from __future__ import annotations

import threading

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

WAIT = 30  # seconds; only a broken run waits this long


def test_a_catch_up_read_never_skips_an_event_still_being_committed(app, app_ctx, make_ticket):
    from ticketing.extensions import db
    from ticketing.services.events import events_since, latest_event_id, record_event

    first, second = make_ticket(status="assigned"), make_ticket(status="assigned")
    first_id, second_id = first.id, second.id
    since = latest_event_id()
    db.session.rollback()

    inserted, release = threading.Event(), threading.Event()
    held_thread = "slow-writer"

    def pause_before_commit(session):
        # Runs after the event INSERT (that listener was registered first): the slow writer
        # holds its event id, uncommitted, until released.
        if threading.current_thread().name == held_thread:
            inserted.set()
            assert release.wait(WAIT), "the slow writer was never released"

    def write(ticket_id: int, note: str, done: threading.Event | None = None) -> None:
        with app.app_context():
            ticket = db.session.get(type(first), ticket_id)
            record_event(ticket, type="ticket.commented", action="comment", note=note)
            db.session.commit()
        if done is not None:
            done.set()

    read: dict[str, list[dict]] = {}

    def catch_up() -> None:
        with app.app_context():
            read["events"] = events_since(since)
            db.session.rollback()

    sa_event.listen(Session, "before_commit", pause_before_commit)
    try:
        slow = threading.Thread(target=write, args=(first_id, "lambat"), name=held_thread)
        slow.start()
        assert inserted.wait(WAIT), "the slow writer never inserted its event"
        fast_done = threading.Event()
        fast = threading.Thread(target=write, args=(second_id, "cepat", fast_done))
        fast.start()
        # PostgreSQL: the second writer commits at once, its event above the held one. SQLite
        # writes one transaction at a time: it waits for the first.
        fast_done.wait(3)
        reader = threading.Thread(target=catch_up)
        reader.start()
        reader.join(1)
        release.set()
        for thread in (slow, fast, reader):
            thread.join(WAIT)
            assert not thread.is_alive()
    finally:
        release.set()
        sa_event.remove(Session, "before_commit", pause_before_commit)

    numbers = [entry["ticket"]["ticket_number"] for entry in read["events"]]
    # Whatever the read returned holds no event without every event below it.
    assert numbers in ([], [first.ticket_number, second.ticket_number]), numbers
    everything = events_since(since)
    assert [entry["ticket"]["ticket_number"] for entry in everything] == [
        first.ticket_number,
        second.ticket_number,
    ]
    assert [e["event_id"] for e in everything] == sorted(e["event_id"] for e in everything)
    assert latest_event_id() == everything[-1]["event_id"]
