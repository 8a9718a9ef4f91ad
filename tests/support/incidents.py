"""Helpers of the incident tests: the demo flood, declared over the API at a kelurahan's centre."""

from __future__ import annotations

from tests.support.tickets import bearer


def centre_of(app, code: str = "bandar-lor") -> tuple[float, float]:
    from ticketing.services.incident_areas import kelurahan_centroids

    with app.app_context():
        return kelurahan_centroids()[code]


def declare_flood(app, http, operator_token: str):
    """POST /api/v1/incidents: the Bandar Lor flood (BPBD leads, 1.5 km around the centre)."""
    lat, lon = centre_of(app)
    return http.post(
        "/api/v1/incidents",
        json={
            "kind": "flood",
            "title": "Banjir Bandar Lor",
            "categories": ["bencana", "drainase"],
            "area": {"lat": lat, "lon": lon, "radius_m": 1500},
            "lead_opd": "BPBD",
        },
        headers=bearer(operator_token),
    )
