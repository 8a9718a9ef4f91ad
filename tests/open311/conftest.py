"""Open311 fixtures: an API key, tickets in known states, and XML parsed (never string-matched)."""

from __future__ import annotations

import pytest


@pytest.fixture
def api_key(app_ctx):
    from ticketing.services.api_keys import create_api_key

    return create_api_key("Aplikasi Kota Pintar").key


@pytest.fixture
def lifecycle(app_ctx, make_user):
    """Move tickets through the real lifecycle service, as staff would."""
    from ticketing.extensions import db
    from ticketing.models import Ticket, User
    from ticketing.services.lifecycle import apply_action

    make_user("o311-operator", "operator")
    make_user("o311-pupr", "officer", "PUPR")

    def act(number: str, action: str, who: str = "o311-operator", **kwargs) -> Ticket:
        db.session.expire_all()
        ticket = db.session.query(Ticket).filter_by(ticket_number=number).one()
        user = db.session.query(User).filter_by(username=who).one()
        return apply_action(ticket, user, action, **kwargs)

    return act
