"""Readiness of the services Aduan depends on."""

from __future__ import annotations

from sqlalchemy import text

from ticketing.extensions import db
from ticketing.queueing import redis_connection


def dependency_status() -> dict[str, str]:
    status: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        status["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        status["database"] = f"down: {type(exc).__name__}"
    finally:
        db.session.rollback()
    try:
        redis_connection().ping()
        status["redis"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        status["redis"] = f"down: {type(exc).__name__}"
    return status
