"""A month of generated tickets (March 2025, Asia/Jakarta) across every OPD, channel and state."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from tests.support.reports import MONTH_START


@pytest.fixture
def month_of_tickets(app_ctx):
    from ticketing.extensions import db
    from ticketing.models import Category, Ticket
    from ticketing.services.intake import hash_tracking_token, new_ticket_number

    rng = random.Random(7)
    categories = [c for c in db.session.query(Category).all() if c.default_opd_code]
    channels = ("web", "sms", "whatsapp", "open311")
    tickets = []
    for i in range(320):
        category = categories[i % len(categories)]
        created = MONTH_START + timedelta(minutes=rng.randrange(0, 30 * 24 * 60))
        ticket = Ticket(
            ticket_number=new_ticket_number(),
            tracking_token_hash=hash_tracking_token(str(i)),
            channel=channels[i % 4],
            description=f"Laporan nomor {i}",
            category_code=category.code,
            opd_code=category.default_opd_code,
            status="assigned",
            created_at=created,
            updated_at=created,
            assigned_at=created + timedelta(minutes=5),
            sla_due_at=created + timedelta(hours=category.sla_hours),
            lat=-7.8 + rng.random() / 10,
            lon=112.0 + rng.random() / 10,
        )
        if i % 3:
            ticket.status = "in_progress"
            ticket.accepted_at = ticket.assigned_at + timedelta(hours=rng.uniform(0.5, 8))
        if i % 3 == 2:
            ticket.status = "resolved"
            ticket.resolved_at = ticket.accepted_at + timedelta(hours=rng.uniform(1, 200))
            if i % 2:
                ticket.feedback_rating = rng.randint(1, 5)
        tickets.append(ticket)
    # Outside the month: must not count.
    tickets.append(
        Ticket(
            ticket_number=new_ticket_number(),
            tracking_token_hash="x" * 64,
            channel="web",
            description="April",
            status="received",
            created_at=MONTH_START + timedelta(days=32),
            updated_at=MONTH_START + timedelta(days=32),
        )
    )
    db.session.add_all(tickets)
    db.session.commit()
    return tickets[:-1]
