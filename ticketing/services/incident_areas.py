"""Where an incident is (issue #18): its area (a point and radius, or a polygon), where a report
is (its own point, else the centre of the kelurahan its text names), and the API's `area`."""

from __future__ import annotations

import json
import math
import threading

from flask import current_app

from ticketing import catalogue
from ticketing.errors import APIError
from ticketing.models import Incident, Ticket

EARTH_RADIUS_M = 6_371_000.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine): exact enough for a city, metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _in_polygon(lat: float, lon: float, polygon: list) -> bool:
    inside = False
    points = [(float(p[0]), float(p[1])) for p in polygon]
    for (lat1, lon1), (lat2, lon2) in zip(points, points[1:] + points[:1], strict=True):
        if (lon1 > lon) != (lon2 > lon) and lat < (lat2 - lat1) * (lon - lon1) / (lon2 - lon1) + lat1:
            inside = not inside
    return inside


def contains(incident: Incident, lat: float, lon: float) -> bool:
    if incident.polygon:
        return _in_polygon(lat, lon, incident.polygon)
    return distance_m(incident.center_lat, incident.center_lon, lat, lon) <= (incident.radius_m or 0)


_centroids: dict[str, dict[str, tuple[float, float]]] = {}
_centroids_lock = threading.Lock()


def kelurahan_centroids() -> dict[str, tuple[float, float]]:
    """(lat, lon) inside each kelurahan of the area file, read once per process."""
    path = current_app.config["AREAS_GEOJSON_PATH"]
    found = _centroids.get(path)
    if found is None:
        from shapely.geometry import shape

        with _centroids_lock, open(path, encoding="utf-8") as handle:
            found = {}
            for feature in json.load(handle)["features"]:
                if feature["properties"].get("kind") == "kelurahan":
                    point = shape(feature["geometry"]).representative_point()
                    found[feature["properties"]["code"]] = (point.y, point.x)
            _centroids[path] = found
    return found


def ticket_point(ticket: Ticket) -> tuple[float, float] | None:
    """Where a report is: its own point, else its kelurahan's centre (a chat report naming
    "Kelurahan Bandar Lor" and nothing else), else nowhere."""
    if ticket.lat is not None and ticket.lon is not None:
        return ticket.lat, ticket.lon
    if ticket.kelurahan_code:
        return kelurahan_centroids().get(ticket.kelurahan_code)
    return None


def covers(incident: Incident, ticket: Ticket) -> bool:
    if ticket.category_code not in (incident.categories or []) or ticket.region_code != incident.region_code:
        return False
    if ticket.created_at is not None and ticket.created_at < incident.starts_at:
        return False
    point = ticket_point(ticket)
    return point is not None and contains(incident, *point)


def area_of(incident: Incident) -> dict:
    area = {"lat": incident.center_lat, "lon": incident.center_lon}
    if incident.polygon:
        area["polygon"] = incident.polygon
    else:
        area["radius_m"] = incident.radius_m
    return area


def _area_error() -> APIError:
    message = catalogue.text("incident.area_invalid")
    return APIError(422, "invalid_fields", message, {"area": [message]})


def parse_area(area) -> dict:
    """{center_lat, center_lon, radius_m, polygon} from the API's `area`, or a 422."""
    if not isinstance(area, dict):
        raise _area_error()
    polygon = area.get("polygon")
    if polygon is not None:
        ok = isinstance(polygon, list) and 3 <= len(polygon) <= 200
        ok = ok and all(
            isinstance(p, list | tuple)
            and len(p) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in p)
            and -90 <= p[0] <= 90
            and -180 <= p[1] <= 180
            for p in polygon
        )
        if not ok:
            raise _area_error()
        lats, lons = [p[0] for p in polygon], [p[1] for p in polygon]
        return {
            "center_lat": sum(lats) / len(lats),
            "center_lon": sum(lons) / len(lons),
            "radius_m": None,
            "polygon": [[float(p[0]), float(p[1])] for p in polygon],
        }
    lat, lon, radius = area.get("lat"), area.get("lon"), area.get("radius_m")
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon, radius))
    if not numbers or not (-90 <= lat <= 90 and -180 <= lon <= 180 and 10 <= radius <= 50_000):
        raise _area_error()
    return {"center_lat": float(lat), "center_lon": float(lon), "radius_m": int(radius), "polygon": None}
