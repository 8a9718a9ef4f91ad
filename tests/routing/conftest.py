"""Helpers for the routing tests: complaints created through the intake service and routed by the
real router (the model the session trains once, see tests/conftest.py `router_model`)."""

from __future__ import annotations

import pytest


@pytest.fixture
def routed(app_ctx, router_model):
    """routed(description, lat=, lon=, category=) -> the ticket after route_ticket."""
    from ticketing.services.intake import create_ticket
    from ticketing.services.routing import route_ticket

    def make(
        description: str, lat: float | None = None, lon: float | None = None, category: str | None = None
    ):
        created = create_ticket(
            description=description, channel="web", category_code=category, lat=lat, lon=lon
        )
        return route_ticket(created.ticket.id)

    return make


@pytest.fixture
def area_units(app_ctx):
    """The kecamatan and kelurahan offices and their categories, as `seed-demo` creates them."""
    from ticketing.services.seeding import seed_area_units

    return seed_area_units()
