"""RQ jobs and the worker entry point (`python -m workers`)."""

from __future__ import annotations

import threading

from flask import Flask, current_app, has_app_context

_app: Flask | None = None
_app_lock = threading.Lock()


def get_app() -> Flask:
    """The Flask app of this worker process, built once on first use (never at import)."""
    global _app
    if has_app_context():
        return current_app._get_current_object()
    with _app_lock:
        if _app is None:
            from ticketing import create_app

            _app = create_app()
        return _app


def set_app(app: Flask) -> None:
    global _app
    _app = app
