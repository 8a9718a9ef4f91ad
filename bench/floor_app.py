"""The floor: the least a complaint endpoint can do on the same stack — parse JSON, one INSERT,
one RQ enqueue, answer 201. Aduan's intake is measured against it (bench/floor.py)."""

from __future__ import annotations

import os
import secrets

from flask import Flask, request
from redis import Redis
from rq import Queue
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, create_engine, insert

metadata = MetaData()
floor_tickets = Table(
    "floor_tickets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("number", String(16), nullable=False),
    Column("description", Text, nullable=False),
)

engine = create_engine(
    os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://"),
    pool_size=10,
    max_overflow=20,
)
metadata.create_all(engine)
queue = Queue("floor", connection=Redis.from_url(os.environ["REDIS_URL"]))
app = Flask(__name__)


def noop(ticket_id: int) -> None:
    """The enqueued job; never run by the benchmark."""


@app.post("/api/v1/complaints")
def complaint():
    description = request.get_json()["description"]
    number = secrets.token_hex(4)
    with engine.begin() as connection:
        ticket_id = connection.execute(
            insert(floor_tickets).values(number=number, description=description).returning(floor_tickets.c.id)
        ).scalar_one()
    queue.enqueue(noop, ticket_id)
    return {"ticket_number": number}, 201


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
