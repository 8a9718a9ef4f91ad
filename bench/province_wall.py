"""Province wall fan-out (issue #16): every city's events reach every province wall screen, and
each city's screens get their own city's events only; 0 lost, 0 leaked.

    .venv/bin/python bench/province_wall.py [--cities 10] [--province-screens 50]
        [--city-screens 10] [--rate 10] [--duration 60] [--transfer-every 10] [--procs 2] [--web 1]

The service is started the production way (bench/common.py): PostgreSQL (a fresh
`aduan_bench_province_wall` database, `flask db upgrade` and `flask seed-demo` as `make run`
does: province 35 with Kota Kediri 35.71 and Kota Blitar 35.72), Redis as the Socket.IO message
queue, `--web` `gunicorn -k gevent` web processes (1: it holds every socket, as
bench/wall_fanout.py; 2: the README's one per core, screens and requests spread over them, so
most events cross processes through Redis) and one RQ worker (`python -m workers`) that routes
each complaint and so emits its `ticket.routed`. Cities beyond the demo's two are added under
province 35 with Kota Kediri's OPDs and categories copied into each (as bench/province.py
does); every region's router is trained before the clock starts.

Screens (python-socketio AsyncClients spread over `--procs` processes, as bench/wall_fanout.py):
`--province-screens` sockets of a province wall account opened as `/wall?region=35` (auth
`{token, region: "35"}`, what the wall page sends) and `--city-screens` per city, each of that
city's own wall account opened as `/wall?region=CITY`.

Load: complaints POSTed to /api/v1/complaints with their `region`, round robin over the cities,
at `--rate` per second for `--duration` seconds (no category: the router picks); every
`--transfer-every`-th ticket, once routed, is transferred by a province operator (POST
/api/v1/tickets/<n>/actions `transfer`): half of them to the province, a quarter to the
neighbouring city, a quarter to the province and sent back to the city with a reason. Both sides'
screens must hear each transfer, and the other cities' must not.

Expected deliveries come from the database after the run: each event of the run's tickets is
heard by the region its ticket was in at the time, a transfer by both sides (realtime.publish);
a province screen hears 35 and its cities, a city screen its own city. Lost = expected
(screen, event) pairs never received; leaked = a payload on a screen whose region (or a
transfer's `from_region`) is not one of the screen's; duplicated = an event twice on one screen.
Latency: the event's own `at` (stamped when it is recorded) to its receipt, same clock; a
listener process stamps each event's publish on the Redis channel, splitting it into recorded →
queue (commit, event-order lock, publish) and queue → screen (the web processes' fan-out).
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
    flush_redis,
    hold_screens,
    machine,
    percentile,
    prepare_database,
    reset_postgres_database,
    service_env,
    start_at_rate,
    start_web,
    start_workers,
)
from bench.wall_fanout import cpu_seconds, wait_for_deliveries

DATABASE_URL = os.environ.get(
    "BENCH_PROVINCE_WALL_DATABASE_URL",
    "postgresql+psycopg://postgres@127.0.0.1:5432/aduan_bench_province_wall",
)
REDIS_URL = os.environ.get("BENCH_PROVINCE_WALL_REDIS_URL", "redis://127.0.0.1:6379/11")
CHANNEL = "aduan-bench-province-wall"  # SOCKETIO_CHANNEL: apart from other runs sharing Redis
PROVINCE = "35"
DEMO_CITIES = ("35.71", "35.72")  # config/demo_province.json
# Further cities of Jawa Timur for --cities > 2 (Kemendagri codes), Kediri's agencies copied in.
MORE_CITIES = {
    "35.73": "Kota Malang",
    "35.74": "Kota Probolinggo",
    "35.75": "Kota Pasuruan",
    "35.76": "Kota Mojokerto",
    "35.77": "Kota Madiun",
    "35.78": "Kota Surabaya",
    "35.79": "Kota Batu",
    "35.01": "Kabupaten Pacitan",
    "35.02": "Kabupaten Ponorogo",
    "35.03": "Kabupaten Trenggalek",
    "35.04": "Kabupaten Tulungagung",
    "35.05": "Kabupaten Blitar",
    "35.06": "Kabupaten Kediri",
}
PASSWORD = "bench-province-wall-pass"
OPERATOR = "bench-province-operator"
TEXTS = (
    "Jalan di depan pasar berlubang besar, bahaya untuk motor",
    "Lampu penerangan jalan mati sudah seminggu",
    "Sampah menumpuk di TPS dekat sekolah, bau sekali",
    "Air PDAM keruh sejak kemarin",
    "Saluran air mampet, jalan tergenang setiap hujan",
    "Pohon tumbang menutup sebagian jalan",
)


def city_codes(count: int) -> list[str]:
    if not 1 <= count <= len(DEMO_CITIES) + len(MORE_CITIES):
        raise SystemExit(f"--cities must be 1..{len(DEMO_CITIES) + len(MORE_CITIES)}")
    return [*DEMO_CITIES, *MORE_CITIES][:count]


def wall_user(region: str) -> str:
    return f"bench-wall-{region}"


# ---- setup (run in a child process with the service's environment) -------------------------
def seed(cities: list[str]) -> None:
    """The extra cities (Kediri's OPDs and categories copied), the accounts, every router."""
    from sqlalchemy import text

    from ticketing import create_app
    from ticketing.extensions import db
    from ticketing.models import Category, Opd
    from ticketing.services.accounts import create_user
    from ticketing.services.region_routing import router_for
    from ticketing.services.regions import ensure_region

    app = create_app()
    with app.app_context():
        extra = [code for code in cities if code not in DEMO_CITIES]
        for n, code in enumerate(extra):
            ensure_region(code, name=MORE_CITIES[code], parent_code=PROVINCE, population=200_000 + 50_000 * n)
        db.session.flush()
        for model in (Opd, Category):  # OPDs first: categories name their default OPD
            table = model.__table__
            columns = ", ".join(c.name for c in table.columns if c.name != "region_code")
            for code in extra:
                db.session.execute(
                    text(
                        f"INSERT INTO {table.name} (region_code, {columns})"
                        f" SELECT :code, {columns} FROM {table.name} WHERE region_code = :source"
                    ),
                    {"code": code, "source": DEMO_CITIES[0]},
                )
        db.session.commit()
        create_user(username=wall_user(PROVINCE), password=PASSWORD, role="wall", region_code=PROVINCE)
        create_user(username=OPERATOR, password=PASSWORD, role="operator", region_code=PROVINCE)
        for code in cities:
            create_user(username=wall_user(code), password=PASSWORD, role="wall", region_code=code)
        for code in [PROVINCE, *cities]:
            router_for(code)  # trains and saves each region's model now, not under load
    print(f"seeded {len(cities)} cities under {PROVINCE} ({len(extra)} beyond the demo's)", flush=True)


def login(url: str, username: str) -> str:
    import requests

    response = requests.post(
        url + "/api/v1/auth/token", timeout=30, json={"username": username, "password": PASSWORD}
    )
    response.raise_for_status()
    return response.json()["access_token"]


def sql(query: str, *params):
    import psycopg

    with psycopg.connect(DATABASE_URL.replace("postgresql+psycopg://", "postgresql://")) as conn:
        return conn.execute(query, params).fetchall()


# ---- the screens (child processes) --------------------------------------------------------
def screens(specs: list[dict], transports: list[str], ready, stop, results, progress):
    logging.getLogger("engineio.client").setLevel(logging.ERROR)
    asyncio.run(_screens(specs, transports, ready, stop, results, progress))


def payload_regions(payload) -> set[str]:
    """The regions a payload is about: its ticket's (incident's) and a transfer's origin."""
    found = set()
    if isinstance(payload, dict):
        for key in ("ticket", "incident"):
            item = payload.get(key)
            if isinstance(item, dict) and item.get("region"):
                found.add(item["region"])
        if payload.get("region"):
            found.add(payload["region"])
        moved = payload.get("transfer")
        if isinstance(moved, dict) and moved.get("from_region"):
            found.add(moved["from_region"])
    return found


async def _screens(specs, transports, ready, stop, results, progress):
    import socketio

    received: list[dict[int, int]] = [{} for _ in specs]  # event id -> times received
    other: list[dict[str, int]] = [{} for _ in specs]  # incident.* and the like, by name
    leaks: list[list] = [[] for _ in specs]
    latencies: dict[str, list[float]] = {"province": [], "city": []}
    by_event: dict[str, list[float]] = {}  # ticket.created (web), ticket.routed (worker), …
    arrivals: list[tuple[int, float]] = []  # (event id, receipt time): the fan-out's own share
    stamps: dict[int, str] = {}  # event id -> its `at`
    dropped: dict[str, int] = {}

    def handler(index):
        spec = specs[index]
        allowed = set(spec["regions"])

        async def on_event(name, payload=None):
            if name == "snapshot":
                return
            regions = payload_regions(payload)
            if not regions & allowed:
                leaks[index].append((name, sorted(regions), (payload or {}).get("event_id")))
            event_id = payload.get("event_id") if isinstance(payload, dict) else None
            if event_id is None:
                other[index][name] = other[index].get(name, 0) + 1
                return
            now = time.time()
            arrivals.append((event_id, now))
            stamps.setdefault(event_id, payload["at"])
            took = now - datetime.fromisoformat(payload["at"]).timestamp()
            latencies[spec["kind"]].append(took)
            by_event.setdefault(f"{name}/{payload.get('action')}", []).append(took)
            received[index][event_id] = received[index].get(event_id, 0) + 1
            progress.value += 1

        return on_event

    async def on_disconnect(reason=None):
        if not stop.is_set():
            dropped[str(reason)] = dropped.get(str(reason), 0) + 1

    async def connect(index):
        spec = specs[index]
        client = socketio.AsyncClient(reconnection=False)
        client.on("*", handler(index), namespace="/wall")
        client.on("disconnect", on_disconnect, namespace="/wall")
        await client.connect(
            spec["url"],
            namespaces=["/wall"],
            auth={"token": spec["token"], "region": spec["region"]},
            transports=transports,
            wait_timeout=60,
        )
        return client

    await hold_screens(connect, len(specs), ready, stop)
    results.put(
        {
            "screens": [
                {
                    "spec": {k: v for k, v in spec.items() if k != "token"},
                    "received": received[i],
                    "other": other[i],
                    "leaks": leaks[i],
                }
                for i, spec in enumerate(specs)
            ],
            "latencies": latencies,
            "by_event": by_event,
            "arrivals": arrivals,
            "stamps": stamps,
            "dropped": dropped,
        }
    )


# ---- the load -----------------------------------------------------------------------------
class Load:
    """Complaints POSTed at a fixed rate, round robin over the cities (and the web processes);
    every `transfer_every`-th moved by the province's operator once the worker has routed it."""

    def __init__(self, urls, cities, transfer_every, operator_token):
        self.urls, self.cities, self.transfer_every = urls, cities, transfer_every
        self.headers = {"Authorization": f"Bearer {operator_token}"}
        self.created: dict[str, str] = {}  # ticket number -> city
        self.transfers = 0
        self.errors = {"create": 0, "transfer": 0}
        self.refused: dict[str, int] = {}  # a failed transfer's last answer -> count

    async def transfer(self, session, url, number, region, note) -> bool:
        import aiohttp

        body = {"action": "transfer", "region": region, "note": note}
        status = None
        # The worker routes behind the load when the box is busy: wait up to 5 minutes.
        for _ in range(300):
            await asyncio.sleep(1)
            try:
                async with session.post(
                    f"{url}/api/v1/tickets/{number}/actions", json=body, headers=self.headers
                ) as response:
                    status = response.status
                    if status == 200:
                        self.transfers += 1
                        return True
                    if status != 409:  # 409: not routed yet (still `received`)
                        break
            except aiohttp.ClientError as error:
                status = type(error).__name__
        self.errors["transfer"] += 1
        self.refused[str(status)] = self.refused.get(str(status), 0) + 1
        return False

    async def move(self, session, url, number, city, k) -> None:
        """Half to the province; a quarter to the neighbouring city; a quarter to the province
        and sent back to the city with a reason (the receiver's `transfer` back)."""
        neighbour = self.cities[(self.cities.index(city) + 1) % len(self.cities)]
        if k % 4 == 2 and neighbour != city:
            await self.transfer(session, url, number, neighbour, "Lokasi di wilayah tetangga (uji beban)")
        elif await self.transfer(session, url, number, PROVINCE, "Kewenangan provinsi (uji beban)"):
            if k % 4 == 3:
                await self.transfer(session, url, number, city, "Bukan kewenangan provinsi (uji beban)")

    async def post(self, session, i) -> None:
        import aiohttp

        city, url = self.cities[i % len(self.cities)], self.urls[i % len(self.urls)]
        body = {"description": f"{TEXTS[i % len(TEXTS)]} (uji {i})", "region": city}
        try:
            async with session.post(url + "/api/v1/complaints", json=body) as response:
                if response.status != 201:
                    self.errors["create"] += 1
                    return
                number = (await response.json())["ticket_number"]
        except aiohttp.ClientError:
            self.errors["create"] += 1
            return
        self.created[number] = city
        every = self.transfer_every
        if every and i % every == every - 1:
            await self.move(session, self.urls[(i + 1) % len(self.urls)], number, city, i // every)

    async def run(self, rate: float, duration: float) -> float:
        """The complaints on a fixed schedule; returns the seconds the filing took."""
        import aiohttp

        async with aiohttp.ClientSession() as session:
            started = time.monotonic()
            tasks = await start_at_rate(lambda i: self.post(session, i), int(rate * duration), rate)
            filed = time.monotonic() - started
            await asyncio.gather(*tasks)
        return filed


def wait_until_routed(numbers, timeout: float = 180.0) -> int:
    """Until none of `numbers` is still `received` (the worker routed them all); the rest."""
    deadline = time.monotonic() + timeout
    waiting = len(numbers)
    while numbers and time.monotonic() < deadline:
        waiting = sql(
            "SELECT count(*) FROM tickets WHERE status = 'received' AND ticket_number = ANY(%s)",
            list(numbers),
        )[0][0]
        if not waiting:
            return 0
        time.sleep(1)
    return waiting


def warm_up(url: str, cities: list[str]) -> None:
    """One complaint per city routed before the screens connect: every process has its
    routers and connections loaded; these tickets are not counted."""
    import requests

    numbers = []
    for city in cities:
        response = requests.post(
            url + "/api/v1/complaints",
            timeout=60,
            json={"description": TEXTS[0] + " (pemanasan)", "region": city},
        )
        response.raise_for_status()
        numbers.append(response.json()["ticket_number"])
    if wait_until_routed(numbers):
        raise RuntimeError("the worker did not route the warm-up complaints")


def expected_receivers(created: dict[str, str]) -> list[tuple[int, set[str]]]:
    """(event id, the regions that hear it) for every event of the run's tickets, from the
    database: the ticket's region at the time, and a transfer's both sides."""
    rows = sql(
        "SELECT e.id, t.ticket_number, e.action, e.data FROM ticket_events e"
        " JOIN tickets t ON t.id = e.ticket_id WHERE t.ticket_number = ANY(%s) ORDER BY e.id",
        list(created),
    )
    region = dict(created)
    heard = []
    for event_id, number, action, data in rows:
        if action == "transfer":
            data = data if isinstance(data, dict) else json.loads(data or "{}")
            heard.append((event_id, {data["from_region"], data["to_region"]}))
            region[number] = data["to_region"]
        else:
            heard.append((event_id, {region[number]}))
    return heard


# ---- the run ------------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=10, help="cities under the province (2 = the demo's)")
    parser.add_argument("--province-screens", type=int, default=50)
    parser.add_argument("--city-screens", type=int, default=10, help="screens per city")
    parser.add_argument("--rate", type=float, default=10.0, help="complaints per second, all cities")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--transfer-every", type=int, default=10, help="transfer every Nth ticket (0: none)")
    parser.add_argument("--procs", type=int, default=2, help="client processes")
    parser.add_argument(
        "--web", type=int, default=1, help="web processes (screens and complaints spread over them)"
    )
    parser.add_argument("--transports", default="polling,websocket")
    parser.add_argument("--grace", type=float, default=120.0, help="most seconds to wait for the drain")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    return parser.parse_args(argv)


def screen_specs(cities, province_screens, city_screens, tokens) -> list[dict]:
    """The province's screens (they hear 35 and every city), then each city's own."""
    specs = [
        {"kind": "province", "region": PROVINCE, "regions": [PROVINCE, *cities], "token": tokens[PROVINCE]}
        for _ in range(province_screens)
    ]
    for city in cities:
        own = {"kind": "city", "region": city, "regions": [city], "token": tokens[city]}
        specs += [dict(own) for _ in range(city_screens)]
    return specs


def start_service(cities: list[str], web: int):
    """Fresh database migrated and seeded as `make run` does, the extra cities and accounts;
    the web process and one worker."""
    log_dir = Path(os.environ.get("BENCH_LOG_DIR", "/tmp"))
    reset_postgres_database(DATABASE_URL)
    env = service_env(DATABASE_URL, REDIS_URL, SOCKETIO_CHANNEL=CHANNEL)
    # Each region's router is saved beside the default one: keep them in this run's instance.
    env["ROUTING_MODEL_PATH"] = str(Path(env["INSTANCE_PATH"]) / "router.joblib")
    flush_redis(REDIS_URL)
    prepare_database(env)
    subprocess.run(
        [sys.executable, "-c", f"from bench.province_wall import seed; seed({cities!r})"],
        cwd=PROJECT_DIR,
        env=env,
        check=True,
    )
    servers = start_web(env, log_dir / "province-wall-web.log", web)
    workers = start_workers(env, log_dir / "province-wall-worker.log", 1)
    return servers, workers


def listen_publishes(redis_url: str, channel: str, ready, stop, results) -> None:
    """When each /wall event reached the Socket.IO queue (Redis pub/sub, what the web process
    reads): splits latency into record → publish (commit, event-order lock, publish) and
    publish → screen (the web process's fan-out). Its own process, so the load loop's CPU
    does not delay the stamps."""
    import redis

    pubsub = redis.Redis.from_url(redis_url).pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(channel)
    published: dict[int, float] = {}
    ready.put(True)
    while not stop.is_set():
        message = pubsub.get_message(timeout=0.2)
        if message is None:
            continue
        now = time.time()
        try:
            data = json.loads(message["data"])
        except (TypeError, ValueError):
            continue
        args = data.get("data") if isinstance(data, dict) else None  # the emit's arguments
        payload = args[0] if isinstance(args, list) and args else None
        if data.get("namespace") == "/wall" and isinstance(payload, dict) and "event_id" in payload:
            published.setdefault(payload["event_id"], now)
    pubsub.close()
    results.put(published)


class Screens:
    """The screen processes: connect, count receipts while the load runs, hand back results."""

    def __init__(self, specs: list[dict], procs: int, transports: list[str]):
        ctx = mp.get_context("spawn")
        self.ready, self.results, self.stop = ctx.Queue(), ctx.Queue(), ctx.Event()
        self.published = ctx.Queue()
        self.listener = ctx.Process(
            target=listen_publishes,
            args=(REDIS_URL, CHANNEL, self.ready, self.stop, self.published),
        )
        shares = [specs[i::procs] for i in range(procs) if specs[i::procs]]
        self.counters = [ctx.Value("q", 0, lock=False) for _ in shares]
        self.children = [
            ctx.Process(
                target=screens,
                args=(share, transports, self.ready, self.stop, self.results, counter),
            )
            for share, counter in zip(shares, self.counters, strict=True)
        ]

    def connect(self) -> tuple[int, dict[str, int], list[dict]]:
        self.listener.start()
        self.ready.get(timeout=120)
        for child in self.children:
            child.start()
        states = [self.ready.get(timeout=600) for _ in self.children]
        transports: dict[str, int] = {}
        for state in states:
            for name in state["transports"]:
                transports[name] = transports.get(name, 0) + 1
        return sum(s["connected"] for s in states), transports, [s for s in states if s["failures"]]

    def collect(self) -> list[dict]:
        self.stop.set()
        collected = [self.results.get(timeout=120) for _ in self.children]
        published = self.published.get(timeout=60)
        for child in [*self.children, self.listener]:
            child.join(30)
        stamps: dict[int, str] = {}
        for chunk in collected:
            chunk["fan_out"] = [t - published[e] for e, t in chunk.pop("arrivals") if e in published]
            stamps.update(chunk.pop("stamps"))
        # Once per event: its `at` (recorded) to its publish on the queue.
        self.to_queue = [
            1000 * (published[e] - datetime.fromisoformat(at).timestamp())
            for e, at in stamps.items()
            if e in published
        ]
        return collected


def tally(collected: list[dict], heard: list[tuple[int, set[str]]]) -> dict:
    """Expected against received, per screen: lost, leaked, duplicated; latencies by kind."""
    run_events = {e for e, _ in heard}
    counts = {"province": [0, 0], "city": [0, 0]}  # expected, received
    leaked, examples, duplicated, other, dropped = 0, [], 0, {}, {}
    for chunk in collected:
        for screen in chunk["screens"]:
            spec = screen["spec"]
            wanted = {e for e, regions in heard if regions & set(spec["regions"])}
            got = {int(e) for e in screen["received"]}
            counts[spec["kind"]][0] += len(wanted)
            counts[spec["kind"]][1] += len(wanted & got)
            # A payload naming none of the screen's regions, or an event of the run the screen
            # should not hear whatever its payload says: each counted once.
            stray = (got & run_events) - wanted
            named = [leak for leak in screen["leaks"] if leak[2] is None or int(leak[2]) not in stray]
            leaked += len(stray) + len(named)
            screen_name = f"{spec['kind']} screen {spec['region']}"
            examples += [(screen_name, *leak) for leak in screen["leaks"][:2]]
            examples += [(screen_name, "event", e) for e in sorted(stray)[:2] if not screen["leaks"]]
            duplicated += sum(n - 1 for n in screen["received"].values() if n > 1)
            for name, n in screen["other"].items():
                other[name] = other.get(name, 0) + n
        for reason, n in chunk["dropped"].items():
            dropped[reason] = dropped.get(reason, 0) + n
    latency = {kind: [1000 * v for c in collected for v in c["latencies"][kind]] for kind in counts}
    every = latency["province"] + latency["city"]
    fan_out = [1000 * v for c in collected for v in c["fan_out"]]
    by_event: dict[str, list[float]] = {}
    for chunk in collected:
        for name, values in chunk["by_event"].items():
            by_event.setdefault(name, []).extend(1000 * v for v in values)
    return {
        "events": len(heard),
        "expected_deliveries": counts["province"][0] + counts["city"][0],
        "province_deliveries": counts["province"],
        "city_deliveries": counts["city"],
        "deliveries": counts["province"][1] + counts["city"][1],
        "lost": counts["province"][0] - counts["province"][1] + counts["city"][0] - counts["city"][1],
        "leaked": leaked,
        "leak_examples": examples[:5],
        "duplicated": duplicated,
        "other_events": other,
        "dropped_connections": sum(dropped.values()),
        "dropped_reasons": dropped,
        "p50_ms": round(percentile(every, 50), 1),
        "p99_ms": round(percentile(every, 99), 1),
        "max_ms": round(max(every), 1) if every else None,
        "province_p99_ms": round(percentile(latency["province"], 99), 1),
        "city_p99_ms": round(percentile(latency["city"], 99), 1),
        "fan_out_p50_p99_ms": [round(percentile(fan_out, 50), 1), round(percentile(fan_out, 99), 1)],
        "p50_p99_ms_by_event": {
            name: [round(percentile(values, 50), 1), round(percentile(values, 99), 1)]
            for name, values in sorted(by_event.items())
        },
    }


def report(f: dict) -> str:
    province, city = f["province_deliveries"], f["city_deliveries"]
    leaks = f" {f['leak_examples'][:3]}" if f["leak_examples"] else ""
    return (
        f"province wall: {f['events']} events ({f['tickets']} complaints, {f['transfers']} transfers),"
        f" {f['events_per_s']}/s; province screens received {province[1]}/{province[0]}, city"
        f" screens {city[1]}/{city[0]}; lost {f['lost']}, leaked {f['leaked']}{leaks}, duplicated"
        f" {f['duplicated']}; other events {f['other_events'] or '{}'}; dropped connections"
        f" {f['dropped_connections']}; latency p50 {f['p50_ms']} ms, p99 {f['p99_ms']} ms (province"
        f" {f['province_p99_ms']}, city {f['city_p99_ms']}), max {f['max_ms']} ms; p50/p99 by event"
        f" {f['p50_p99_ms_by_event']}; of which recorded → on the queue p50/p99 {f['to_queue_p50_p99_ms']}"
        f" (commit, lock, publish) and queue → screen {f['fan_out_p50_p99_ms']} (the fan-out);"
        f" {f['deliveries_per_s']} deliveries/s; web CPU {f['server_cpu_share']} of a core;"
        f" load average {f['load_average_before'][0]} before, {f['load_average_after'][0]} after"
    )


def main() -> int:
    args = parse_args()
    cities = city_codes(args.cities)
    load_before = os.getloadavg()
    servers, workers = start_service(cities, args.web)
    urls = [server.base_url for server in servers]
    url = urls[0]
    try:
        tokens = {code: login(url, wall_user(code)) for code in [PROVINCE, *cities]}
        operator_token = login(url, OPERATOR)
        warm_up(url, cities)
        specs = screen_specs(cities, args.province_screens, args.city_screens, tokens)
        for i, spec in enumerate(specs):  # each web process holds its share of every kind
            spec["url"] = urls[i % len(urls)]
        walls = Screens(specs, args.procs, args.transports.split(","))
        started = time.monotonic()
        connected, transports, failures = walls.connect()
        print(
            f"{len(cities)} cities under {PROVINCE}: connected {connected}/{len(specs)} screens"
            f" ({args.province_screens} province, {args.city_screens} per city) in"
            f" {time.monotonic() - started:.1f}s over {len(walls.children)} processes, {len(urls)} web"
            f" process(es);"
            f" transports {transports}",
            flush=True,
        )
        for state in failures:
            print(f"  {state['failures']} failed, e.g. {state['failed']}", flush=True)

        cpu_before = sum(cpu_seconds(server.process.pid) for server in servers)
        load_started = time.monotonic()
        load = Load(urls, cities, args.transfer_every, operator_token)
        filed = asyncio.run(load.run(args.rate, args.duration))
        created, errors = load.created, load.errors
        unrouted = wait_until_routed(list(created))
        refused = f" {load.refused}" if load.refused else ""
        print(
            f"filed {len(created)} complaints in {filed:.1f}s ({len(created) / filed:.1f}/s) over"
            f" {len(cities)} cities, {errors['create']} errors; {load.transfers} transfers (to the"
            f" province, the neighbour, back), {errors['transfer']} errors{refused}; {unrouted} left"
            " unrouted; draining",
            flush=True,
        )
        heard = expected_receivers(created)
        expected = sum(1 for spec in specs for _, regions in heard if regions & set(spec["regions"]))
        wait_for_deliveries(walls.counters, expected, args.grace)
        drained = time.monotonic() - load_started
        server_cpu = sum(cpu_seconds(server.process.pid) for server in servers) - cpu_before
        collected = walls.collect()
    finally:
        for process in [*workers, *servers]:
            process.stop()

    figures = {
        "machine": machine(),
        "load_average_before": [round(v, 1) for v in load_before],
        "load_average_after": [round(v, 1) for v in os.getloadavg()],
        "server": f"{args.web} x gunicorn -k gevent -w 1 wsgi:app + 1 RQ worker, PostgreSQL, Redis queue",
        "cities": len(cities),
        "screens": connected,
        "province_screens": args.province_screens,
        "city_screens_per_city": args.city_screens,
        "transports": transports,
        "rate_per_s": args.rate,
        "duration_s": args.duration,
        "tickets": len(created),
        "transfers": load.transfers,
        "errors": errors,
        **tally(collected, heard),
        "to_queue_p50_p99_ms": [round(percentile(walls.to_queue, q), 1) for q in (50, 99)],
        "events_per_s": round(len(heard) / drained, 1),
        "server_cpu_share": round(server_cpu / drained, 2),
    }
    figures["deliveries_per_s"] = round(figures["deliveries"] / drained, 1)
    print(report(figures))
    if args.json:
        print(json.dumps(figures))
    clean = not (figures["lost"] or figures["leaked"] or figures["duplicated"] or any(errors.values()))
    return 0 if clean and connected == len(specs) else 1


if __name__ == "__main__":
    sys.exit(main())
