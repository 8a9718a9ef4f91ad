"""`insert_unless_taken` (models/base.py) sends one INSERT, reads back only the new id and builds
the object from the values it sent. What the rest of the request reads from that object (the
receipt, the event payload, the channel's reply) must be what the database stored."""

from __future__ import annotations

from sqlalchemy import select


def stored_row(table, row_id: int) -> dict:
    from ticketing.extensions import db

    with db.engine.connect() as connection:
        return dict(connection.execute(select(table).where(table.c.id == row_id)).mappings().one())


def test_a_new_ticket_object_holds_exactly_what_was_stored(app_ctx):
    from ticketing.extensions import db
    from ticketing.models import Ticket
    from ticketing.services.intake import create_ticket

    created = create_ticket(
        description="  Lampu PJU di Jl. Veteran mati sudah seminggu",
        channel="web",
        reporter_name="Sari",
        reporter_phone="+6281234567890",
        lat=-7.8166,
        lon=112.0117,
        address="Jl. Veteran 12",
        commit=False,
    )
    ticket = created.ticket
    built = {column.key: getattr(ticket, column.key) for column in Ticket.__table__.columns}
    db.session.commit()
    stored = stored_row(Ticket.__table__, built["id"])
    assert built == stored
    # Columns left to their defaults (sent or not) are among them: no NULL where the database
    # put a value, and the other way round.
    assert built["summary"] and built["kind"] == "pengaduan" and built["opd_code"] is None


def test_a_key_already_taken_builds_nothing(app_ctx):
    from ticketing.extensions import db
    from ticketing.models import InboundMessage
    from ticketing.models.base import insert_unless_taken, utcnow

    values = dict(
        provider="whatsapp",
        provider_message_id="wamid.SAMA",
        sender="6281234567890",
        kind="text",
        text="Sampah menumpuk",
        payload={"raw": True},
        received_at=utcnow(),
    )
    first = insert_unless_taken(db.session, InboundMessage, values, ("provider", "provider_message_id"))
    again = insert_unless_taken(db.session, InboundMessage, values, ("provider", "provider_message_id"))
    assert first is not None and again is None
    built = {column.key: getattr(first, column.key) for column in InboundMessage.__table__.columns}
    db.session.commit()
    assert built == stored_row(InboundMessage.__table__, built["id"])
