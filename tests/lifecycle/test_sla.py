"""Working-hours SLA and the sweep, with an injected clock across a weekend and a holiday."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ticketing.extensions import db
from ticketing.models import TicketEvent
from ticketing.services import sla
from ticketing.services.lifecycle import apply_action
from ticketing.services.sla_sweep import sla_sweep

WIB = ZoneInfo("Asia/Jakarta")


def wib(*args) -> datetime:
    return datetime(*args, tzinfo=WIB)


def test_calendar_skips_weekends_holidays_and_nights(app_ctx):
    # Thu 13 Aug 2026 10:00: 6 h left that day, Fri 8 h, Sat-Sun weekend, Mon 17 Aug is
    # Independence Day, Tue 8 h → 22 h; the 24th working hour ends Wed 19 Aug 10:00.
    assert sla.due_at(wib(2026, 8, 13, 10), 24, False) == wib(2026, 8, 19, 10)
    assert sla.due_at(wib(2026, 8, 13, 10), 18, False) == wib(2026, 8, 18, 12)
    # Started at night or on a holiday: the clock starts when the office opens.
    assert sla.due_at(wib(2026, 8, 16, 22), 2, False) == wib(2026, 8, 18, 10)
    # Cuti bersama (Idul Fitri 2026, 20 and 23-24 March) counts as a day off.
    assert sla.due_at(wib(2026, 3, 19, 9), 8, False) == wib(2026, 3, 25, 16)
    # Fires and disasters run on the clock.
    assert sla.due_at(wib(2026, 8, 15, 23), 2, True) == wib(2026, 8, 16, 1)
    assert sla.calendar().working_hours_between(wib(2026, 8, 13, 10), wib(2026, 8, 19, 10)) == 24


def test_sweep_reminds_once_at_75_percent_and_escalates_once_at_100(
    app_ctx, make_user, make_ticket, redis_client
):
    from ticketing.models import User

    make_user("op-sla", "operator")
    operator = db.session.scalar(select(User).where(User.username == "op-sla"))
    ticket = make_ticket(status="triage", opd=None, category="air-bersih")  # 24 working hours
    apply_action(ticket, operator, "dispose", opd="PDAM", now=wib(2026, 8, 13, 10))
    assert ticket.sla_due_at == wib(2026, 8, 19, 10)

    pubsub = redis_client.pubsub()
    pubsub.subscribe(app_ctx.config["SOCKETIO_CHANNEL"])
    pubsub.get_message(timeout=1)  # the subscription confirmation

    def sweep_at(*moment):
        return sla_sweep(now=wib(*moment))

    def notifications(action):
        return db.session.scalars(
            select(TicketEvent).where(TicketEvent.ticket_id == ticket.id, TicketEvent.action == action)
        ).all()

    # Clock hours would have reminded on Friday morning; office hours do not.
    assert sweep_at(2026, 8, 14, 17) == {"reminded": 0, "escalated": 0}
    assert sweep_at(2026, 8, 17, 15) == {"reminded": 0, "escalated": 0}  # a holiday
    assert sweep_at(2026, 8, 18, 11, 59) == {"reminded": 0, "escalated": 0}
    assert sweep_at(2026, 8, 18, 12, 1) == {"reminded": 1, "escalated": 0}
    assert sweep_at(2026, 8, 18, 12, 2) == {"reminded": 0, "escalated": 0}  # run twice
    assert sweep_at(2026, 8, 19, 9, 59) == {"reminded": 0, "escalated": 0}
    assert sweep_at(2026, 8, 19, 10, 1) == {"reminded": 0, "escalated": 1}
    assert sweep_at(2026, 8, 19, 10, 2) == {"reminded": 0, "escalated": 0}  # run twice
    assert sweep_at(2026, 8, 25, 10) == {"reminded": 0, "escalated": 0}

    db.session.expire_all()
    assert ticket.overdue is True
    assert ticket.reminded_at == wib(2026, 8, 18, 12, 1)
    assert ticket.escalated_at == wib(2026, 8, 19, 10, 1)
    assert len(notifications("sla_reminder")) == 1
    assert len(notifications("sla_escalated")) == 1
    reminder = notifications("sla_reminder")[0]
    assert reminder.type == "ticket.updated" and reminder.public is False
    # Published once each to the screens (the wall and PDAM's /opd room).
    published = []
    while (message := pubsub.get_message(timeout=0.5)) is not None:
        if message["type"] == "message":
            published.append(message["data"])
    assert sum(b"sla_reminder" in data for data in published) == 2  # /wall + /opd room
    assert sum(b"sla_escalated" in data for data in published) == 2
    pubsub.close()


def test_dispose_again_restarts_the_window_and_reminds_again(app_ctx, make_user, make_ticket):
    from ticketing.models import User

    make_user("op-sla2", "operator")
    operator = db.session.scalar(select(User).where(User.username == "op-sla2"))
    ticket = make_ticket(status="triage", opd=None, category="kebakaran")  # 2 h, round the clock
    apply_action(ticket, operator, "dispose", opd="DAMKAR", now=wib(2026, 8, 15, 23))
    assert ticket.sla_due_at == wib(2026, 8, 16, 1)
    assert sla_sweep(now=wib(2026, 8, 16, 0, 31)) == {"reminded": 1, "escalated": 0}
    apply_action(
        ticket,
        operator,
        "dispose",
        opd="BPBD",
        category="kebakaran",
        note="Kebakaran lahan: BPBD yang menangani",
        now=wib(2026, 8, 16, 0, 40),
    )
    assert ticket.overdue is False and ticket.reminded_at is None
    assert sla_sweep(now=wib(2026, 8, 16, 2, 41)) == {"reminded": 0, "escalated": 1}
