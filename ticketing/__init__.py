"""Aduan: complaint ticketing for city command centres."""
from __future__ import annotations

import logging

from flask import Flask

from config.settings import load_settings


def create_app(config: dict | None = None) -> Flask:
    settings = load_settings()
    settings.update(config or {})
    app = Flask(__name__, instance_path=settings["INSTANCE_PATH"], instance_relative_config=False)
    app.config.update(settings)
    app.json.ensure_ascii = False
    register_logging(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    return app


def register_logging(app: Flask) -> None:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def register_extensions(app: Flask) -> None:
    from ticketing import models  # noqa: F401 - registers the tables
    from ticketing.extensions import db, limiter, migrate, socketio
    from ticketing.realtime import channel_name

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"),
                     render_as_batch=True)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"])
    # A dead Redis must not turn complaints away: limits fail open, noted in the log.
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS",
                          {"socket_connect_timeout": 1, "socket_timeout": 1})
    limiter.init_app(app)
    socketio.init_app(app, message_queue=app.config["REDIS_URL"], channel=channel_name(),
                      cors_allowed_origins=app.config.get("SOCKETIO_CORS_ORIGINS", []))


def register_blueprints(app: Flask) -> None:
    from ticketing import auth, intake, ops, tickets, wall
    from ticketing.extensions import socketio

    for area in (intake, auth, tickets, ops, wall):
        app.register_blueprint(area.bp)
    wall.register_namespaces(socketio)


def register_errorhandlers(app: Flask) -> None:
    from ticketing.errors import register_errorhandlers as register

    register(app)


def register_commands(app: Flask) -> None:
    from ticketing.commands import register_commands as register

    register(app)
