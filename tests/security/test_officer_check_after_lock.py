"""Issue 13 item 10: an officer's OPD is checked against the ticket as it is under the row lock.

The officer's request reads the ticket (still PUPR's), then an operator's reassignment to DLHKP
commits, then the officer's action takes the row lock and re-reads the row. The check made on
the first read said yes; only the check after the lock sees that PUPR no longer owns it.
The stale first read is reproduced exactly: the row is reassigned in the database while the
officer's session still holds the ticket as it was read before."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from ticketing.errors import APIError


def _reassigned_under_a_stale_read(make_ticket, status: str):
    from ticketing.extensions import db
    from ticketing.models import Ticket

    ticket = make_ticket(status=status, opd="PUPR")
    assert ticket.opd_code == "PUPR"  # what the officer's request read
    db.session.execute(
        update(Ticket)
        .where(Ticket.id == ticket.id)
        .values(opd_code="DLHKP")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()  # the operator's reassignment commits
    ticket.status  # noqa: B018 (loads the row again, as the officer's read did)
    set_committed_value(ticket, "opd_code", "PUPR")  # … but read before the reassignment
    return ticket


@pytest.mark.parametrize(
    "status, action", [("assigned", "accept"), ("in_progress", "resolve"), ("assigned", "return")]
)
def test_old_opd_cannot_act_after_a_reassignment(app_ctx, make_ticket, make_user, status, action):
    from ticketing.extensions import db
    from ticketing.models import Ticket, TicketEvent, User
    from ticketing.services.lifecycle import apply_action

    make_user("petugas-pupr", "officer", "PUPR")
    officer = db.session.scalar(select(User).where(User.username == "petugas-pupr"))
    ticket = _reassigned_under_a_stale_read(make_ticket, status)
    events_before = db.session.scalar(select(db.func.count()).select_from(TicketEvent))

    with pytest.raises(APIError) as refused:
        apply_action(ticket, officer, action, note="sudah kami tangani", public=True)
    assert refused.value.status == 404 and refused.value.code == "not_found"

    db.session.expire_all()
    stored = db.session.get(Ticket, ticket.id)
    assert (stored.opd_code, stored.status) == ("DLHKP", status)
    assert db.session.scalar(select(db.func.count()).select_from(TicketEvent)) == events_before


def test_new_opd_can_act_after_the_reassignment(app_ctx, make_ticket, make_user):
    from ticketing.extensions import db
    from ticketing.models import User
    from ticketing.services.lifecycle import apply_action

    make_user("petugas-dlhkp", "officer", "DLHKP")
    officer = db.session.scalar(select(User).where(User.username == "petugas-dlhkp"))
    ticket = make_ticket(status="assigned", opd="DLHKP")
    assert apply_action(ticket, officer, "accept").status == "in_progress"
