"""Console fixtures: headless Debian Chromium through Playwright, logins, arranged tickets."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.console import DESK


@pytest.fixture
def open_page(browser, live_server, clean_state):
    """A fresh browser context (own cookies) per call: `open_page(PHONE)`."""
    contexts = []

    def open_(viewport=DESK):
        context = browser.new_context(
            viewport=viewport, base_url=live_server.base_url, locale="id-ID", timezone_id="Asia/Jakarta"
        )
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # the confirmations say yes
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def shots(artifacts_dir) -> Path:
    folder = artifacts_dir / "console"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def triage_ticket(app_ctx):
    """A ticket the router sent to triage with three suggestions (arranged as the router
    stores them on its `ticket.routed` event)."""
    from ticketing.extensions import db
    from ticketing.services.events import record_event
    from ticketing.services.intake import create_ticket

    def make(candidates, description="Lampu jalan mati dan ada lubang besar di Jl. Dhoho"):
        created = create_ticket(
            description=description, channel="web", reporter_name="Budi", reporter_phone="+6281234500001"
        )
        ticket = created.ticket
        ticket.status = "triage"
        record_event(
            ticket,
            type="ticket.routed",
            action="route",
            actor_label="router",
            from_status="received",
            public=True,
            data={"method": "model", "confidence": candidates[0]["confidence"], "candidates": candidates},
        )
        db.session.commit()
        return ticket.ticket_number

    return make
