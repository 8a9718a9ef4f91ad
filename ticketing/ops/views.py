"""Liveness and readiness probes."""

from __future__ import annotations

from flask import Blueprint

from ticketing.services.health import dependency_status

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    status = dependency_status()
    down = sorted(name for name, state in status.items() if state != "ok")
    if down:
        body = {
            "status": "unavailable",
            "checks": status,
            "error": {
                "code": "dependency_down",
                "message": f"Unavailable: {', '.join(down)}.",
                "fields": {"down": down},
            },
        }
        return body, 503
    return {"status": "ok", "checks": status}
