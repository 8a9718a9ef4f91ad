"""Fixtures shared across test folders (a plugin of tests/conftest.py): tickets in a given
state, a citizen's stored media, staff tokens, a recording Socket.IO client."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import socketio

from tests.support.processes import wait_for

# Fields a ticket has once it reached each status, so a fixture ticket is a realistic one.
OPD_STATUSES = (
    "assigned",
    "in_progress",
    "resolved",
    "closed",
    "on_hold",
    "objection",
    "closed_unresolved",
    "external",  # handed to an outside body, still the OPD's on record (services/handoffs.py)
)


@pytest.fixture
def make_ticket(app_ctx):
    """Create a ticket straight in the database in `status` (arrangement only; the behaviour
    under test always goes through the API or the services)."""
    from ticketing.extensions import db
    from ticketing.models.base import utcnow
    from ticketing.services.intake import after_ticket_created, create_ticket

    def make(
        status: str = "assigned",
        opd: str | None = "PUPR",
        category: str = "jalan-rusak",
        description: str = "Jalan berlubang di depan pasar",
        **fields,
    ):
        created = create_ticket(
            description=description,
            channel=fields.pop("channel", "web"),
            category_code=category,
            reporter_name=fields.pop("reporter_name", "Siti Rahayu"),
            reporter_phone=fields.pop("reporter_phone", "+6281234567890"),
            anonymous=fields.pop("anonymous", False),
            region_code=fields.pop("region_code", None),
            # Not queued for routing yet: a running worker could route it between this commit
            # and the next and overwrite the status asked for (and what a test does after).
            commit=False,
        )
        db.session.commit()  # filed as intake files it: its `ticket.created` goes out as always
        ticket = created.ticket
        now = utcnow()
        ticket.status = status
        if status in OPD_STATUSES or (status == "rejected" and opd):
            ticket.opd_code = opd
            ticket.assigned_at = now - timedelta(hours=3)
            ticket.sla_due_at = now + timedelta(days=5)
        if status in ("in_progress", "resolved", "closed", "on_hold", "objection", "closed_unresolved"):
            ticket.accepted_at = now - timedelta(hours=2)
        if status in ("resolved", "closed"):
            ticket.resolved_at = now - timedelta(hours=1)
        if status == "closed":
            ticket.closed_at = now
        if status == "external":
            ticket.sla_due_at = None  # the city's clock stops while the body has it
            ticket.external_body_code = "PLN-UP3-KDR"
        for key, value in fields.items():
            setattr(ticket, key, value)
        db.session.commit()
        if status == "received":
            after_ticket_created(ticket)  # queued for routing, as intake does
        ticket.tracking_token = created.tracking_token
        return ticket

    return make


def add_media_attachment(ticket, name: str, *, provider: str, content_type: str, **fields) -> int:
    """A citizen's photo on `ticket` and the inbound chat message that brought it, committed;
    `name` keeps the message's and the media's provider ids apart. `fields` set the attachment's
    fetch state (`state`, `path`, `fetch_attempts` …). Returns the attachment's id."""
    from ticketing.extensions import db
    from ticketing.models import InboundMessage, MediaAttachment

    message = InboundMessage(
        provider=provider,
        provider_message_id=f"wamid.{name}",
        sender="+6281234567890",
        kind="image",
        ticket_id=ticket.id,
    )
    db.session.add(message)
    db.session.flush()
    item = MediaAttachment(
        ticket_id=ticket.id,
        inbound_message_id=message.id,
        provider=provider,
        media_ref=f"media-{name}",
        content_type=content_type,
        **fields,
    )
    db.session.add(item)
    db.session.commit()
    return item.id


@pytest.fixture
def staff(token_for):
    """Tokens by name: operator, admin, wall, officer (PUPR), officer_other (DLHKP)."""
    return {
        "operator": token_for("operator"),
        "admin": token_for("admin"),
        "wall": token_for("wall"),
        "officer": token_for("officer", "PUPR"),
        "officer_other": token_for("officer", "DLHKP"),
    }


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


class Recorder:
    def __init__(self, base_url: str, namespace: str, token: str):
        self.namespace = namespace
        self.events: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._record, namespace=namespace)
        self.client.connect(
            base_url, namespaces=[namespace], auth={"token": token}, transports=["polling"], wait_timeout=10
        )

    def _record(self, event, data=None):
        with self.lock:
            self.events.append((event, data))

    def tickets(self, number: str) -> list[dict]:
        with self.lock:
            return [
                data
                for name, data in self.events
                if name.startswith("ticket.") and data["ticket"]["ticket_number"] == number
            ]

    def of(self, name: str) -> list:
        with self.lock:
            return [data for event, data in self.events if event == name]

    def wait_for(self, predicate, timeout=45.0, message="socket event"):
        return wait_for(lambda: predicate(self), timeout=timeout, message=message)


@pytest.fixture
def socket_recorder(live_server):
    recorders: list[Recorder] = []

    def connect(namespace: str, token: str) -> Recorder:
        recorder = Recorder(live_server.base_url, namespace, token)
        recorders.append(recorder)
        return recorder

    yield connect
    for recorder in recorders:
        if recorder.client.connected:
            recorder.client.disconnect()
