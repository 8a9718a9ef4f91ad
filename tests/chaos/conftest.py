"""A private web + worker + Redis (+ fake SMS/WhatsApp provider) per chaos test.

The processes use the run's database (SQLite file or TEST_DATABASE_URL) unless a test gives
another one (the PostgreSQL restart uses a private cluster), and always a Redis of their own.
"""

from __future__ import annotations

import pytest

from tests.channels import fake_provider as fp
from tests.support.chaos import PostgresCluster
from tests.support.chaos_checks import Stack
from tests.support.processes import RedisServer, free_port


@pytest.fixture
def make_stack(app, clean_state, process_env, run_dir, router_model):
    """make_stack(database_url=None, **env) → a Stack with Redis and the fake provider up;
    the test starts the web and workers it needs."""
    stacks: list[Stack] = []

    def make(database_url: str | None = None, **extra_env) -> Stack:
        redis_server = RedisServer(run_dir / f"chaos-redis-{len(stacks)}.log")
        redis_server.start()
        provider_port = free_port()  # not the session's: tests/channels may hold that one
        provider = fp.FakeProvider(provider_port)
        provider.start()
        env = dict(process_env, REDIS_URL=redis_server.url, **fp.provider_env(provider_port))
        if database_url:
            env["DATABASE_URL"] = database_url
        env.update({k: str(v) for k, v in extra_env.items()})
        stack = Stack(env=env, run_dir=run_dir, redis=redis_server, provider=provider)
        stacks.append(stack)
        return stack

    yield make
    for stack in stacks:
        stack.stop()


@pytest.fixture
def private_postgres(app):
    """A cluster of our own, schema and demo city in place, and an app bound to it."""
    from ticketing import create_app
    from ticketing.extensions import db
    from ticketing.services.seeding import seed_demo_city

    cluster = PostgresCluster()  # under /tmp: pytest's own temp dirs are closed to `postgres`
    cluster.init()
    pg_app = create_app({"SQLALCHEMY_DATABASE_URI": cluster.url})
    with pg_app.app_context():
        db.create_all()
        seed_demo_city()
        db.session.commit()
    yield cluster, pg_app
    with pg_app.app_context():
        db.engine.dispose()
    cluster.destroy()
