"""Fixtures: a real database (SQLite file or PostgreSQL), a real Redis, real processes.

TEST_DATABASE_URL selects the database (default: a SQLite file in the run's temp folder);
TEST_REDIS_URL the Redis database, flushed before each test (default db 13 of local Redis).
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest
import redis as redis_lib
import requests
from sqlalchemy import text

from tests.support.processes import ForkedWorker, WebServer, WorkerForkServer

# Fixtures shared across folders: the session browser (Playwright + Debian's chromium), the
# fake SMS/WhatsApp provider and signed webhook requests, a console session over HTTP, tickets
# in a given state, staff tokens, a Socket.IO recorder.
pytest_plugins = [
    "tests.support.browser",
    "tests.support.channels",
    "tests.support.console",
    "tests.support.tickets",
    "tests.support.province",  # the demo province (issue #16) and region accounts' tokens
]

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts"))


def router_cache_dir() -> Path:
    """Training the router takes seconds; keep one model per version of its inputs across runs."""
    project = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(
        [
            *project.glob("config/routing/*"),
            *project.glob("ticketing/router/*.py"),
            project / "config/demo_city.json",
        ]
    ):
        digest.update(path.name.encode() + path.read_bytes())
    folder = project / "instance" / "test-cache" / digest.hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def run_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("aduan")


@pytest.fixture(scope="session")
def settings_env(run_dir) -> dict[str, str]:
    database_url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{run_dir / 'test.db'}"
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
    model_dir = Path(os.environ.get("TEST_MODEL_DIR", router_cache_dir()))
    env = {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "INSTANCE_PATH": str(run_dir / "instance"),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "RATELIMIT_ENABLED": "false",
        # Hundreds of accounts and sign-ins a run: a cheap hash (scrypt costs 0.15 s of CPU each).
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Pub/sub is shared by every run on this Redis; keep this run's screens to itself.
        "SOCKETIO_CHANNEL": f"aduan-test-{run_dir.name}-{os.getpid()}",
        "OUTBOUND_MODE": "log",
        # Tests run the sweep on short timescales.
        "RECEIVED_SWEEP_AGE_SECONDS": "1",
        "ROUTING_MODEL_PATH": str(model_dir / "router.joblib"),
    }
    # SMS/WhatsApp providers, faked at their HTTP boundary on a port fixed before the live
    # server starts (tests/support/channels.py runs the fake; OUTBOUND_MODE becomes `send`).
    from tests.channels.fake_provider import provider_env
    from tests.support.processes import free_port

    env.update(provider_env(free_port()))
    # Outside bodies' e-mail: a real SMTP server (aiosmtpd) on this port, started by the tests
    # that read the mail (tests/handoffs/conftest.py); elsewhere nothing is sent to it.
    env["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"
    os.environ.update(env)
    return env


@pytest.fixture(scope="session")
def process_env(settings_env) -> dict[str, str]:
    env = dict(os.environ)
    env.update(settings_env)
    env["PYTHONUNBUFFERED"] = "1"
    return env


@pytest.fixture(scope="session")
def router_model(settings_env) -> str:
    """Train (or load) the router before any worker starts, so workers start in a second. The
    shards of `make test` share the cached file: the first trains it under a lock while the
    others wait, then load it (one training per run, not one per shard)."""
    import fcntl

    from ticketing.router import load_router

    path = settings_env["ROUTING_MODEL_PATH"]
    with open(Path(path).with_name(".training.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        load_router(path)
    return path


@pytest.fixture(scope="session")
def app(settings_env):
    from ticketing import create_app
    from ticketing.extensions import db

    app = create_app()
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


@pytest.fixture(scope="session")
def redis_url(settings_env) -> str:
    return settings_env["REDIS_URL"]


@pytest.fixture
def redis_client(redis_url):
    client = redis_lib.Redis.from_url(redis_url)
    try:
        client.ping()
    except redis_lib.ConnectionError as exc:
        pytest.fail(f"Redis is required at {redis_url} (make test starts one): {exc}")
    return client


# Every sequence a table's column owns (serial or identity), back to 1 as TRUNCATE … RESTART
# IDENTITY would: the tests' ids and tokens start from the same place on both databases.
RESTART_OWNED_SEQUENCES = text(
    "SELECT setval(s.oid, 1, false) FROM pg_class s"
    " JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')"
    " WHERE s.relkind = 'S'"
)


def _clean_database(app) -> None:
    """Empty every table, children first. DELETE rather than TRUNCATE on PostgreSQL too: the
    tables hold a few rows between tests, and TRUNCATE's new files for 22 tables and their
    indexes cost ~50 ms a test (DELETE ~5 ms), over 600 tests a pass."""
    from sqlalchemy.exc import IntegrityError, OperationalError

    from ticketing.extensions import db

    with app.app_context():
        tables = [table.name for table in reversed(db.metadata.sorted_tables)]
        # A previous test's worker may still hold a lock, or insert a row as we go: PostgreSQL
        # then fails us (a deadlock broken, a row that still refers to one), so try again.
        for attempt in range(5):
            try:
                for table in tables:
                    db.session.execute(text(f"DELETE FROM {table}"))
                if db.engine.dialect.name == "postgresql":
                    db.session.execute(RESTART_OWNED_SEQUENCES)
                db.session.commit()
                return
            except (OperationalError, IntegrityError):
                db.session.rollback()
                if attempt == 4:
                    raise
                time.sleep(1)


@pytest.fixture
def clean_state(app, redis_client):
    """Empty tables and Redis, then the demo city: every test starts from the same place."""
    from ticketing.services.seeding import seed_demo_city

    redis_client.flushdb()
    _clean_database(app)
    with app.app_context():
        seed_demo_city()
    yield
    redis_client.flushdb()


@pytest.fixture
def app_ctx(app, clean_state):
    with app.app_context():
        yield app


@pytest.fixture
def client(app, clean_state):
    """Flask's test client, for unit-level checks; end-to-end tests use `live_server`."""
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(app, process_env, run_dir):
    server = WebServer(process_env, run_dir / "web.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def http(live_server, clean_state):
    """A requests session bound to the live server: `http.get("/healthz")`."""
    session = requests.Session()
    base = live_server.base_url

    class Bound:
        base_url = base

        def request(self, method, path, **kwargs):
            kwargs.setdefault("timeout", 10)
            return session.request(method, base + path, **kwargs)

        def get(self, path, **kwargs):
            return self.request("GET", path, **kwargs)

        def post(self, path, **kwargs):
            return self.request("POST", path, **kwargs)

    return Bound()


@pytest.fixture(scope="session")
def worker_forks(process_env, run_dir, router_model):
    """Forks each test's worker from a process that has loaded the app and the router once
    (tests/support/worker_fork.py): ~3 s of CPU less per worker, ~90 workers a run."""
    server = WorkerForkServer(process_env, run_dir / "worker-forks.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker(app, worker_forks, run_dir, clean_state):
    process = ForkedWorker(worker_forks, run_dir / "worker.log")
    process.start()
    yield process
    process.stop()


@pytest.fixture
def make_user(app_ctx):
    from ticketing.services.accounts import create_user

    def make(username: str, role: str, opd: str | None = None, password: str = "password123"):
        create_user(username=username, password=password, role=role, opd_code=opd)
        return username, password

    return make


@pytest.fixture
def token_for(http, make_user):
    def issue(role: str, opd: str | None = None, username: str | None = None) -> str:
        username, password = make_user(username or f"{role}-{opd or 'x'}".lower(), role, opd)
        response = http.post("/api/v1/auth/token", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    return issue


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def pytest_collection_modifyitems(config, items):
    # `make test` runs without -m: the minutes-long chaos scenarios stay for `make chaos`.
    if config.getoption("markexpr"):
        return
    kept = [item for item in items if item.get_closest_marker("chaos") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
