"""The city's clock is `TIMEZONE`, everywhere a person reads or writes a time. Every Indonesian
province lies in one zone, so one setting serves a deployment: a city in WITA (Makassar,
Denpasar, Balikpapan) or WIT (Jayapura) reads its own hours and its own zone's name, and a time
it writes without an offset is on its clock, not Jakarta's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

MAKASSAR = "Asia/Makassar"  # WITA, UTC+8


@pytest.fixture
def wita(app, monkeypatch):
    monkeypatch.setitem(app.config, "TIMEZONE", MAKASSAR)
    return app


def test_labels_and_hours_follow_the_setting(app_ctx, wita):
    from ticketing.formatting import moment_label, zone_label
    from ticketing.services import sla

    assert sla.calendar().tz.key == MAKASSAR  # office hours are the city's too
    moment = datetime(2026, 12, 3, 1, 50, tzinfo=UTC)
    assert moment_label(moment) == "Kamis, 3 Desember 2026 pukul 09.50 WITA"
    wita.config["TIMEZONE"] = "Asia/Jayapura"
    assert moment_label(moment) == "Kamis, 3 Desember 2026 pukul 10.50 WIT"
    wita.config["TIMEZONE"] = "Asia/Jakarta"
    assert moment_label(moment) == "Kamis, 3 Desember 2026 pukul 08.50 WIB"
    wita.config["TIMEZONE"] = "Europe/Amsterdam"  # not an Indonesian zone: its own abbreviation
    assert zone_label(moment) == "CET"


def test_times_written_without_an_offset_are_on_the_citys_clock(app_ctx, wita):
    from ticketing.open311.schemas import W3CDateTime
    from ticketing.schemas import CityDateRangeSchema
    from ticketing.tickets.schemas import TicketActionSchema

    held = TicketActionSchema().load({"action": "hold", "until": "2026-12-01T10:00:00"})
    assert held["until"].astimezone(UTC) == datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    # An offset written is kept as written.
    held = TicketActionSchema().load({"action": "hold", "until": "2026-12-01T10:00:00+07:00"})
    assert held["until"].astimezone(UTC) == datetime(2026, 12, 1, 3, 0, tzinfo=UTC)

    window = CityDateRangeSchema().load({"from": "2026-11-01", "to": "2026-11-30"})
    assert window["start"] == datetime(2026, 10, 31, 16, 0, tzinfo=UTC)
    assert window["end"] == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)

    field = W3CDateTime()
    assert field.deserialize("2025-01-31T00:00:00") == datetime(2025, 1, 30, 16, 0, tzinfo=UTC)


def test_pages_name_the_citys_zone(client, app_ctx, wita, make_ticket):
    from ticketing.models.base import utcnow

    ticket = make_ticket(status="assigned", sla_due_at=utcnow() + timedelta(days=2))
    page = client.get(f"/lacak/{ticket.ticket_number}?token={ticket.tracking_token}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "WITA" in text and " WIB" not in text

    wall = client.get("/wall").get_data(as_text=True)
    assert f'data-timezone="{MAKASSAR}"' in wall and 'data-zone-label="WITA"' in wall
