"""Wall fan-out: many `/wall` screens connected while complaints arrive at a steady rate.

    .venv/bin/python bench/wall_fanout.py [--clients 500] [--rate 20] [--duration 60]
                                          [--procs 2] [--url http://host:port --token T]

Without --url it starts the web server the production way — `gunicorn -k gevent -w 1
wsgi:app` (async mode: gevent), on PostgreSQL (a fresh `aduan_bench_wall` database, migrated
and seeded as `make run` does) and Redis as the Socket.IO message queue. No worker runs, so
each complaint produces exactly one event (`ticket.created`) for every screen.

`--clients` python-socketio AsyncClients connect to `/wall` (spread over `--procs` processes:
one process decoding 10,000 messages a second is CPU-bound on a small machine); then
complaints are POSTed to /api/v1/complaints at `--rate` per second for `--duration` seconds.
Latency is the event's own `at` (stamped when the ticket is written) to its receipt at each
client, same clock; lost = (tickets created × clients) − distinct (client, ticket) receipts.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import multiprocessing as mp
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    PROJECT_DIR,
    hold_screens,
    machine,
    percentile,
    reset_postgres_database,
    service_env,
    start_at_rate,
    start_web,
)

DATABASE_URL = os.environ.get(
    "BENCH_WALL_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/aduan_bench_wall"
)
REDIS_URL = os.environ.get("BENCH_WALL_REDIS_URL", "redis://127.0.0.1:6379/10")
TEXTS = (
    "Jalan di depan Pasar Setono Betek berlubang besar, bahaya untuk motor",
    "Lampu PJU di Jl. Veteran mati sudah seminggu",
    "Sampah menumpuk di TPS dekat SDN Banjaran, bau sekali",
    "Air PDAM di Kelurahan Campurejo keruh sejak kemarin",
)
CATEGORIES = ("jalan-rusak", "pju", "sampah", "air-bersih")


# ---- the screens (child processes) --------------------------------------------------------
def screens(url: str, token: str, count: int, transports: list[str], ready, stop, results, progress):
    logging.getLogger("engineio.client").setLevel(logging.ERROR)  # one line per disconnect
    asyncio.run(_screens(url, token, count, transports, ready, stop, results, progress))


async def _screens(url, token, count, transports, ready, stop, results, progress):
    import socketio

    received: list[set[str]] = [set() for _ in range(count)]
    latencies: list[float] = []
    dropped: dict[str, int] = {}

    def handler(index):
        async def on_created(payload):
            latencies.append(time.time() - datetime.fromisoformat(payload["at"]).timestamp())
            received[index].add(payload["ticket"]["ticket_number"])
            progress.value += 1  # this process's own counter: no lock needed

        return on_created

    async def on_disconnect(reason=None):
        if not stop.is_set():  # a connection lost mid-run, by reason (ping timeout, …)
            dropped[str(reason)] = dropped.get(str(reason), 0) + 1

    async def connect(index):
        client = socketio.AsyncClient(reconnection=False)
        client.on("ticket.created", handler(index), namespace="/wall")
        client.on("disconnect", on_disconnect, namespace="/wall")
        await client.connect(
            url, namespaces=["/wall"], auth={"token": token}, transports=transports, wait_timeout=60
        )
        return client

    await hold_screens(connect, count, ready, stop)
    results.put({"latencies": latencies, "received": [sorted(r) for r in received], "dropped": dropped})


# ---- the complaints -----------------------------------------------------------------------
def complaint(i: int) -> dict:
    return {
        "description": f"{TEXTS[i % len(TEXTS)]} (uji {i})",
        "category": CATEGORIES[i % len(CATEGORIES)],
        "location": {"lat": -7.82 + (i % 40) * 0.001, "lon": 112.0 + (i % 37) * 0.001},
    }


def create_in_process(env: dict, rate: float, duration: float) -> tuple[list[str], int, float]:
    """The service function every channel calls (commit, then publish through Redis), at a
    fixed rate: the web process under test only fans out, as when complaints come in through
    other web processes, webhooks or workers."""
    os.environ.update(env)
    from ticketing import create_app
    from ticketing.services.intake import create_ticket

    app = create_app()
    numbers, errors = [], 0
    with app.app_context():
        started = time.monotonic()
        for i in range(int(rate * duration)):
            delay = started + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            body = complaint(i)
            try:
                numbers.append(
                    create_ticket(
                        description=body["description"],
                        channel="web",
                        category_code=body["category"],
                        lat=body["location"]["lat"],
                        lon=body["location"]["lon"],
                    ).ticket.ticket_number
                )
            except Exception:  # noqa: BLE001 - counted, the run goes on
                errors += 1
        return numbers, errors, time.monotonic() - started


async def post_complaints(url: str, rate: float, duration: float) -> tuple[list[str], int, float]:
    import aiohttp

    total = int(rate * duration)
    numbers: list[str] = []
    errors = 0

    async with aiohttp.ClientSession() as session:

        async def post(i):
            nonlocal errors
            body = complaint(i)
            try:
                async with session.post(url + "/api/v1/complaints", json=body) as response:
                    if response.status == 201:
                        numbers.append((await response.json())["ticket_number"])
                    else:
                        errors += 1
            except aiohttp.ClientError:
                errors += 1

        started = time.monotonic()
        await asyncio.gather(*await start_at_rate(post, total, rate))
        return numbers, errors, time.monotonic() - started


# ---- setup --------------------------------------------------------------------------------
SETUP = """
from ticketing import create_app
from ticketing.extensions import db
from ticketing.services.accounts import create_user
from ticketing.services.seeding import seed_demo_city
app = create_app()
with app.app_context():
    db.create_all()
    seed_demo_city()
    create_user(username="bench-wall", password="bench-wall-password", role="wall")
"""


def start_service(log_dir: Path):
    reset_postgres_database(DATABASE_URL)
    env = service_env(DATABASE_URL, REDIS_URL)
    # Tables from the models (as the tests build them), the demo city, one wall account.
    subprocess.run(
        [sys.executable, "-c", SETUP], cwd=PROJECT_DIR, env=env, check=True, stdout=subprocess.DEVNULL
    )
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    [server] = start_web(env, log_dir / "wall-fanout-web.log")
    return server, env


def cpu_seconds(master_pid: int) -> float:
    """User+system CPU of the gunicorn worker(s) under `master_pid`, from /proc."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def login(url: str) -> str:
    import requests

    response = requests.post(
        url + "/api/v1/auth/token",
        timeout=10,
        json={"username": "bench-wall", "password": "bench-wall-password"},
    )
    response.raise_for_status()
    return response.json()["access_token"]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rate", type=float, default=20.0, help="complaints per second")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--procs", type=int, default=2, help="client processes")
    parser.add_argument(
        "--create-via",
        choices=("service", "http"),
        default=None,
        help="service: create_ticket() in this process (default when this script"
        " starts the server); http: POST /api/v1/complaints to the server",
    )
    parser.add_argument(
        "--transports",
        default="polling,websocket",
        help="client transports (python-socketio order; upgrades when it can)",
    )
    parser.add_argument(
        "--grace",
        type=float,
        default=120.0,
        help="most seconds to wait for the fan-out to drain after the load",
    )
    parser.add_argument("--url", help="target a running server instead of starting one")
    parser.add_argument("--token", help="wall token for --url (else logs in as bench-wall)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args(argv)
    if (args.create_via or ("http" if args.url else "service")) == "service" and args.url:
        parser.error("--create-via service needs the database: use it without --url")
    return args


def connected_screens(states: list[dict]) -> tuple[int, dict[str, int]]:
    """How many screens connected across the client processes, and over which transports."""
    transports_used: dict[str, int] = {}
    for state in states:
        for name in state["transports"]:
            transports_used[name] = transports_used.get(name, 0) + 1
    return sum(s["connected"] for s in states), transports_used


def wait_for_deliveries(counters, expected: int, grace: float) -> None:
    """Until every delivery is in, or nothing has arrived for 10 s, or `grace` is up."""
    last, last_change, deadline = -1, time.monotonic(), time.monotonic() + grace
    while time.monotonic() < deadline:
        total = sum(counter.value for counter in counters)
        if total >= expected:
            return
        if total != last:
            last, last_change = total, time.monotonic()
        elif time.monotonic() - last_change > 10:
            return
        time.sleep(0.5)


def main() -> int:
    args = parse_args()
    create_via = args.create_via or ("http" if args.url else "service")

    server = env = None
    url = args.url
    if url is None:
        log_dir = Path(os.environ.get("BENCH_LOG_DIR", "/tmp"))
        server, env = start_service(log_dir)
        url = server.base_url
    try:
        token = args.token or login(url)
        ctx = mp.get_context("spawn")
        ready, results, stop = ctx.Queue(), ctx.Queue(), ctx.Event()
        transports = args.transports.split(",")
        shares = [
            args.clients // args.procs + (1 if i < args.clients % args.procs else 0)
            for i in range(args.procs)
        ]
        counters = [ctx.Value("q", 0, lock=False) for n in shares if n]
        children = [
            ctx.Process(target=screens, args=(url, token, n, transports, ready, stop, results, counter))
            for n, counter in zip([n for n in shares if n], counters, strict=True)
        ]
        started = time.monotonic()
        for child in children:
            child.start()
        states = [ready.get(timeout=600) for _ in children]
        connected, transports_used = connected_screens(states)
        print(
            f"connected {connected}/{args.clients} screens in {time.monotonic() - started:.1f}s"
            f" over {len(children)} processes; transports {transports_used}",
            flush=True,
        )
        for state in states:
            if state["failures"]:
                print(f"  {state['failures']} failed, e.g. {state['failed']}", flush=True)

        cpu_before = cpu_seconds(server.process.pid) if server else None
        load_started = time.monotonic()
        if create_via == "service":
            numbers, errors, elapsed = create_in_process(env, args.rate, args.duration)
        else:
            numbers, errors, elapsed = asyncio.run(post_complaints(url, args.rate, args.duration))
        print(
            f"created {len(numbers)} tickets via {create_via} in {elapsed:.1f}s"
            f" ({len(numbers) / elapsed:.1f}/s), {errors} errors; draining",
            flush=True,
        )
        expected = len(numbers) * connected
        wait_for_deliveries(counters, expected, args.grace)
        drained = time.monotonic() - load_started
        server_cpu = (cpu_seconds(server.process.pid) - cpu_before) if server else None
        stop.set()
        collected = [results.get(timeout=120) for _ in children]
        for child in children:
            child.join(30)
    finally:
        if server is not None:
            server.stop()

    created = set(numbers)
    latencies_ms = [1000 * v for c in collected for v in c["latencies"]]
    receipts = sum(len(created.intersection(r)) for c in collected for r in c["received"])
    lost = expected - receipts
    figures = {
        "machine": machine(),
        "server": "gunicorn -k gevent -w 1 wsgi:app (async mode gevent), PostgreSQL, Redis queue"
        if server
        else url,
        "clients": connected,
        "client_processes": len(children),
        "transports": transports_used,
        "created_via": create_via,
        "rate_per_s": args.rate,
        "duration_s": args.duration,
        "tickets": len(created),
        "create_errors": errors,
        "deliveries": receipts,
        "expected_deliveries": expected,
        "lost": lost,
        "dropped_connections": sum(n for c in collected for n in c["dropped"].values()),
        "dropped_reasons": {
            reason: sum(c["dropped"].get(reason, 0) for c in collected)
            for reason in {r for c in collected for r in c["dropped"]}
        },
        "deliveries_per_s": round(receipts / drained, 1),
        "server_cpu_share": round(server_cpu / drained, 2) if server_cpu is not None else None,
        "p50_ms": round(percentile(latencies_ms, 50), 1),
        "p99_ms": round(percentile(latencies_ms, 99), 1),
        "max_ms": round(max(latencies_ms), 1) if latencies_ms else None,
    }
    print(
        f"wall fan-out: {connected} clients × {len(created)} tickets = {expected} deliveries;"
        f" received {receipts}, lost {lost}, dropped connections"
        f" {figures['dropped_connections']} {figures['dropped_reasons'] or ''};"
        f" latency p50 {figures['p50_ms']} ms,"
        f" p99 {figures['p99_ms']} ms, max {figures['max_ms']} ms;"
        f" web worker CPU {figures['server_cpu_share']} of a core"
    )
    if args.json:
        print(json.dumps(figures))
    return 0 if lost == 0 and connected == args.clients else 1


if __name__ == "__main__":
    sys.exit(main())
