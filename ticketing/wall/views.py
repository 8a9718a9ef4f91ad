"""The command-centre wall page: server-rendered HTML, one JS module, no inline script.

The page itself carries no ticket data; after login the browser gets the API.md §4 payloads
only (Socket.IO `/wall`, `/api/v1/events`, `/api/v1/stats`, and the counters below).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, g, render_template, request
from sqlalchemy import select

from ticketing import catalogue
from ticketing.extensions import db
from ticketing.http import require_roles
from ticketing.models import STATUSES, Region
from ticketing.roles import WALL_ROLES
from ticketing.services.province_wall import plain_wall_region
from ticketing.services.reference import active_opds
from ticketing.services.region_comparison import compared_regions, report_region, screen_region_codes
from ticketing.services.regions import (
    category_names,
    default_region_code,
    get_region,
    opd_names,
    region_codes_under,
)
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
    # Names for every region a ticket on this screen can be in or move to: the whole province
    # the shown region belongs to (a transfer goes up, down or across, never further). Keyed
    # `region:code`, as codes repeat across regions (Kediri's PUPR and Blitar's PUPR).
    named = _province_of(shown) if shown else None
    regions = _region_names(named) if named else {}
    return render_template(
        "wall/wall.html",
        region=region or "",
        home_region=shown.code if shown else "",
        region_name=shown.name if shown else "Kota Kediri",
        cities=cities,
        opds=active_opds(kind="agency", region_codes=[shown.code] if shown else None),
        # Full names for the feed and the strip too: a code means nothing from across the room.
        opd_names={f"{r}:{code}": name for (r, code), name in opd_names(named).items()},
        categories={f"{r}:{code}": name for (r, code), name in category_names(named).items()},
        region_names=regions,
        status_labels=STATUS_LABELS,
        channel_labels=CHANNEL_LABELS,
        map_settings={
            "tile_url": current_app.config.get("MAP_TILE_URL") or "",
            "attribution": current_app.config.get("MAP_TILE_ATTRIBUTION") or "",
            "center": [lat, lon],
            "zoom": current_app.config.get("MAP_ZOOM", 13),
        },
    )


def _province_of(region) -> list[str]:
    """`region`'s whole province: its province (or itself, a province or a lone city) and every
    region under it."""
    return region_codes_under(region.parent_code or region.code)


def _region_names(codes: list[str]) -> dict[str, str]:
    return dict(db.session.execute(select(Region.code, Region.name).where(Region.code.in_(codes))).all())


@bp.get("/wall/summary")
@require_roles(*WALL_ROLES)
def summary():
    """Open counts per status/OPD and today's counters, re-read by the wall to stay exact."""
    region = request.args.get("region") or None
    figures = wall_summary(region_codes=screen_region_codes(g.user, region))
    if region is None:
        # Issue #16: where a plain /wall should go for this account (its province's or its own
        # city's wall), null to stay: the page asks before it connects.
        figures["screen_region"] = plain_wall_region(g.user)
    return figures


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
