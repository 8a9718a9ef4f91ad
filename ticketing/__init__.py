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
    register_template_globals(app)
    register_errorhandlers(app)
    register_commands(app)
    from ticketing.security import register_security

    register_security(app)
    from ticketing.ratelimits import trust_proxies

    # Outermost, so Socket.IO and every view see the client's address and scheme.
    trust_proxies(app)
    return app


def register_logging(app: Flask) -> None:
    from ticketing import logcontext

    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO)
    # Request ids on request lines, job ids and ticket numbers on job lines (workers/jobs.py).
    logcontext.install(app.config["LOG_FORMAT"])
    logcontext.register_request_ids(app)
    # Alembic announces every plugin at INFO on import; that is noise in every process log.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def register_extensions(app: Flask) -> None:
    from ticketing import models  # noqa: F401 - registers the tables
    from ticketing.extensions import db, limiter, migrate, socketio

    configure_database_engine(app)
    db.init_app(app)
    register_session_teardown(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"])
    # A dead Redis must not turn complaints away: limits fail open, noted in the log.
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1})
    limiter.init_app(app)
    from ticketing.extensions import csrf

    csrf.init_app(app)
    from ticketing.security import socket_origin_check

    # `[]` would switch Engine.IO's origin check off: any site could open a socket from a
    # visitor's browser. Same origin, or an origin listed in CORS_ALLOWED_ORIGINS.
    socketio.init_app(
        app,
        message_queue=app.config["REDIS_URL"],
        channel=app.config["SOCKETIO_CHANNEL"],
        cors_allowed_origins=socket_origin_check(app),
        cors_credentials=False,
    )


def configure_database_engine(app: Flask) -> None:
    options = app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    # Survive a database restart without restarting the service.
    options.setdefault("pool_pre_ping", True)
    # SQL errors in logs show the statement, never the values (phone numbers, e-mail addresses).
    options.setdefault("hide_parameters", True)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # Web and worker processes share one file: wait for the lock instead of failing.
        options.setdefault("connect_args", {"timeout": 30})
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        if not event.contains(Engine, "connect", _sqlite_pragmas):
            event.listen(Engine, "connect", _sqlite_pragmas)
    else:
        options.setdefault("pool_size", 10)
        options.setdefault("max_overflow", 20)


def register_session_teardown(app: Flask) -> None:
    from ticketing.extensions import db

    @app.teardown_appcontext
    def end_session_even_if_the_database_died(_exc):
        # Runs just before Flask-SQLAlchemy's own teardown (teardowns run in reverse). When
        # PostgreSQL goes away mid-request (restart, failover) even the ROLLBACK fails, and
        # that error would escape the request after its 503 was built and become a bare 500
        # from gunicorn. Drop the broken connection instead; the pool opens a new one.
        try:
            db.session.rollback()
        except Exception as exc:  # noqa: BLE001 - any driver error here means "connection gone"
            logging.getLogger(__name__).warning(
                "database connection lost at teardown: %s", type(exc).__name__
            )
            try:
                db.session.invalidate()
            except Exception:  # noqa: BLE001 - the connection is being thrown away anyway
                pass


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def register_template_globals(app: Flask) -> None:
    from ticketing.formatting import city_zone, zone_label

    # Pages name the city's clock as the city does (WIB, WITA or WIT), from `TIMEZONE`.
    app.add_template_global(zone_label)
    app.add_template_global(lambda: city_zone().key, "city_zone_name")


def register_blueprints(app: Flask) -> None:
    from ticketing import auth, intake, ops, tickets, wall
    from ticketing.extensions import socketio

    for area in (intake, auth, tickets, ops, wall):
        app.register_blueprint(area.bp)
    from ticketing import channels

    app.register_blueprint(channels.bp)
    from ticketing import apidocs, metrics, open311, opendata, reports

    for area in (open311, opendata, reports, metrics, apidocs):
        app.register_blueprint(area.bp)
    from ticketing import console

    app.register_blueprint(console.bp)
    from ticketing import citizen

    app.register_blueprint(citizen.bp)
    from ticketing import external

    app.register_blueprint(external.bp)
    from ticketing import skm

    app.register_blueprint(skm.bp)
    from ticketing import incidents

    app.register_blueprint(incidents.bp)
    wall.register_namespaces(socketio)


def register_errorhandlers(app: Flask) -> None:
    from ticketing.errors import register_errorhandlers as register

    register(app)


def register_commands(app: Flask) -> None:
    from ticketing.commands import register_commands as register

    register(app)
