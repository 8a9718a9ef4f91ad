"""The command-centre wall page: server-rendered HTML, one JS module, no inline script.

The page itself carries no ticket data; after login the browser gets the API.md §4 payloads
only (Socket.IO `/wall`, `/api/v1/events`, `/api/v1/stats`, and the counters below).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, render_template, request

from ticketing import catalogue
from ticketing.http import require_roles
from ticketing.models import STATUSES
from ticketing.roles import WALL_ROLES
from ticketing.services.reference import active_categories, active_opds
from ticketing.services.region_comparison import compared_regions, report_region, screen_region_codes
from ticketing.services.regions import default_region_code, get_region
from ticketing.services.stats import wall_summary

bp = Blueprint(
    "wall", __name__, template_folder="templates", static_folder="static", static_url_path="/wall/static"
)

# One vocabulary for statuses on every screen and message: the catalogue's.
STATUS_LABELS = {status: catalogue.text(f"status.{status}") for status in STATUSES}
CHANNEL_LABELS = {
    "web": "Web",
    "sms": "SMS",
    "whatsapp": "WhatsApp",
    "open311": "Open311",
    "telegram": "Telegram",
    "phone": "Telepon",
    "counter": "Loket",
}


def _map_center() -> tuple[float, float]:
    try:
        lat, lon = (float(part) for part in current_app.config["MAP_CENTER"].split(","))
        return lat, lon
    except (ValueError, AttributeError):
        return -7.82, 112.01  # Kota Kediri


def _tile_origin() -> str | None:
    """The tile server's origin for the CSP (`{s}` subdomains become a wildcard)."""
    parts = urlsplit(current_app.config.get("MAP_TILE_URL") or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}"


@bp.get("/wall")
def wall_page():
    lat, lon = _map_center()
    # `?region=CODE` (issue #16): that region's screen; a province's adds the board of its cities.
    region = report_region(request.args.get("region") or None)
    shown = get_region(region or default_region_code())
    cities = compared_regions(region) if region else []
    # The board's OPDs are the region's own; names for the feed come from its cities too (a
    # code the province and a city share reads with the city's name: the feed is the cities').
    named = [shown.code, *(city.code for city in cities)] if shown else None
    return render_template(
        "wall/wall.html",
        region=region or "",
        region_name=shown.name if shown else "Kota Kediri",
        cities=cities,
        opds=active_opds(kind="agency", region_codes=[shown.code] if shown else None),
        # Full names for the feed and the strip too: a code means nothing from across the room.
        opd_names={opd.code: opd.name for opd in active_opds(region_codes=named)},
        categories={category.code: category.name for category in active_categories(region_codes=named)},
        status_labels=STATUS_LABELS,
        channel_labels=CHANNEL_LABELS,
        map_settings={
            "tile_url": current_app.config.get("MAP_TILE_URL") or "",
            "attribution": current_app.config.get("MAP_TILE_ATTRIBUTION") or "",
            "center": [lat, lon],
            "zoom": current_app.config.get("MAP_ZOOM", 13),
        },
    )


@bp.get("/wall/summary")
@require_roles(*WALL_ROLES)
def summary():
    """Open counts per status/OPD and today's counters, re-read by the wall to stay exact."""
    return wall_summary(region_codes=screen_region_codes(g.user, request.args.get("region") or None))


@bp.after_request
def security_headers(response):
    # Only the wall's own responses: other pages (API docs) load what they need themselves.
    if request.path == "/wall":
        tiles = _tile_origin()
        sockets = f"ws://{request.host} wss://{request.host}"
        response.headers["Content-Security-Policy"] = "; ".join(
            [
                "default-src 'self'",
                "script-src 'self'",
                "style-src 'self'",
                f"img-src 'self' data:{' ' + tiles if tiles else ''}",
                f"connect-src 'self' {sockets}",
                "font-src 'self'",
                "object-src 'none'",
                "base-uri 'none'",
                "form-action 'self'",
                "frame-ancestors 'none'",
            ]
        )
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Origin only: tile servers ask for a Referer, and a `?token=` URL must never leak.
    response.headers["Referrer-Policy"] = "strict-origin"
    return response
