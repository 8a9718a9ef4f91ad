"""Redis down at intake: the complaint is still stored and answered; the sweep routes it later."""

from __future__ import annotations

import pytest
import requests
from sqlalchemy import select

from tests.support.processes import RedisServer, WebServer, Worker, wait_for


@pytest.fixture
def private_stack(app, clean_state, process_env, run_dir):
    """Web + worker on a Redis of their own, so stopping it disturbs nobody else."""
    redis_server = RedisServer(run_dir / "redis-private.log")
    redis_server.start()
    env = dict(process_env, REDIS_URL=redis_server.url)
    web = WebServer(env, run_dir / "web-private.log")
    web.start()
    worker = Worker(env, run_dir / "worker-private.log")
    yield redis_server, web, worker
    worker.stop()
    web.stop()
    redis_server.stop()


def status_of(app, number: str) -> str:
    from ticketing.extensions import db
    from ticketing.models import Ticket

    with app.app_context():
        status = db.session.scalar(select(Ticket.status).where(Ticket.ticket_number == number))
        db.session.rollback()
        return status


def test_intake_survives_redis_outage_and_sweep_routes_later(app, private_stack):
    redis_server, web, worker = private_stack
    redis_server.stop()

    ready = requests.get(web.base_url + "/readyz", timeout=10)
    assert ready.status_code == 503
    assert ready.json()["checks"]["redis"].startswith("down")
    assert ready.json()["checks"]["database"] == "ok"

    response = requests.post(
        web.base_url + "/api/v1/complaints",
        timeout=15,
        json={"description": "Sampah menumpuk di TPS Jl. Veteran", "category": "sampah"},
    )
    assert response.status_code == 201, response.text
    number = response.json()["ticket_number"]
    assert status_of(app, number) == "received"

    redis_server.start()  # same port: the web and worker reconnect by themselves
    worker.start()
    wait_for(
        lambda: status_of(app, number) == "assigned",
        timeout=30,
        message="the sweep to route the ticket stored while Redis was down",
    )
    assert requests.get(web.base_url + "/readyz", timeout=10).status_code == 200
