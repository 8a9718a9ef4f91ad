"""Routing test helpers: points in the demo city's areas, a ticket's routing event."""

from __future__ import annotations

# Points near the approximate centroids of config/areas/kediri_centroids.csv.
BANDAR_LOR = (-7.8080, 112.0000)
SEMAMPIR = (-7.7970, 112.0200)
OUTSIDE_CITY = (-7.7000, 112.2000)


def routed_event(ticket):
    from ticketing.services.lifecycle import history

    return [e for e in history(ticket) if e.type == "ticket.routed"][-1]
