"""Shared pieces of the benchmarks: starting the service the documented ways, a load loop,
percentiles, and the machine description that BENCHMARKS.md records."""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

from tests.support.processes import WebServer, Worker

PG_BENCH_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/aduan_bench"
)
REDIS_BENCH_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")


def machine() -> str:
    cpu = "unknown cpu"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{os.cpu_count()} cores ({cpu}), {mem_gib:.0f} GiB, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(q / 100 * (len(ordered) - 1)))))
    return ordered[index]


def summary(latencies_ms: list[float], elapsed_s: float, errors: int) -> dict:
    return {
        "requests": len(latencies_ms) + errors,
        "ok": len(latencies_ms),
        "errors": errors,
        "per_second": len(latencies_ms) / elapsed_s if elapsed_s else 0.0,
        "p50_ms": percentile(latencies_ms, 50),
        "p99_ms": percentile(latencies_ms, 99),
        "mean_ms": statistics.fmean(latencies_ms) if latencies_ms else float("nan"),
    }


def reset_postgres_database(url: str = PG_BENCH_URL) -> None:
    """Drop and create the benchmark database so every run starts empty."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0].replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def service_env(database_url: str, redis_url: str = REDIS_BENCH_URL, **extra: str) -> dict:
    instance = Path(tempfile.mkdtemp(prefix="aduan-bench-"))
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        INSTANCE_PATH=str(instance),
        SECRET_KEY="bench-secret",
        RATELIMIT_ENABLED="false",
        OUTBOUND_MODE="log",
        PYTHONUNBUFFERED="1",
        ROUTING_MODEL_PATH=str(PROJECT_DIR / "instance" / "router.joblib"),
    )
    env.update(extra)
    return env


def prepare_database(env: dict) -> None:
    """Migrate and seed exactly as `make run` does."""
    flask = str(Path(sys.executable).parent / "flask")
    for args in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(
            [flask, "--app", "wsgi", *args],
            cwd=PROJECT_DIR,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def bulk_load_args(description: str, tickets: int, database_url: str) -> argparse.Namespace:
    """The command line of the benchmarks that bulk-load tickets and time queries over them."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--tickets", type=int, default=tickets)
    parser.add_argument("--database-url", default=database_url)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="reuse the loaded database")
    return parser.parse_args()


def in_process_app(database_url: str, reuse: bool = False):
    """The service's Flask app in this process, on `database_url`: the database is dropped and
    created empty first unless `reuse` (keep what an earlier run loaded)."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    admin_url = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    if not reuse:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{url.database}"')
            conn.execute(f'CREATE DATABASE "{url.database}"')
    os.environ.update(
        {
            "DATABASE_URL": database_url,
            "RATELIMIT_ENABLED": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-secret-not-for-production"),
        }
    )
    # Imported only now: the service reads its configuration from the environment set above.
    from ticketing import create_app

    return create_app()


def bulk_load_tickets(app, fill) -> tuple[float, float]:
    """Times a bulk load into `tickets`: drops its secondary indexes (the load is faster without
    them), runs `fill(cursor)` on a psycopg connection to the app's database and commits, then
    recreates the indexes and runs VACUUM ANALYZE. Returns the seconds of the fill and of all."""
    import psycopg

    from ticketing.extensions import db
    from ticketing.models import Ticket

    with app.app_context():
        indexes = list(Ticket.__table__.indexes)
        for index in indexes:
            index.drop(db.engine, checkfirst=True)
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    started = time.perf_counter()
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        fill(cur)
    loaded = time.perf_counter() - started
    with app.app_context():
        for index in indexes:
            index.create(db.engine)
        # What autovacuum does soon after a bulk load: statistics and the visibility map
        # (index-only scans for /stats need the latter).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE tickets")
    return loaded, time.perf_counter() - started


def measure(name: str, func, repeat: int) -> list[float]:
    """Calls `func` `repeat` times after one warm-up call; prints and returns the times in ms."""
    func()  # warm caches and plans
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"{name:<42} p50 {percentile(times, 50):8.2f} ms   p99 {percentile(times, 99):8.2f} ms   (n={repeat})"
    )
    return times


def ticket_pages():
    """`page(user, cursor=None, **filters)`: one page of GET /api/v1/tickets as its view builds
    it (50 tickets, each listed); `cursor_of_page(user, number, **filters)`: the cursor that
    opens page `number`, reached by paging from the first. Both run in an app context."""
    from ticketing.extensions import db
    from ticketing.services.queries import list_item, list_tickets

    def page(user, cursor=None, **filters):
        result = list_tickets(user, cursor=cursor, limit=50, **filters)
        [list_item(t) for t in result.items]
        db.session.rollback()
        return result

    def cursor_of_page(user, number, **filters):
        cursor = None
        for _ in range(number - 1):
            cursor = page(user, cursor, **filters).next_cursor
        return cursor

    return page, cursor_of_page


async def start_at_rate(start, total: int, rate: float) -> list[asyncio.Task]:
    """Starts `start(i)` as a task for each i < `total`, `rate` a second from now, and returns
    the tasks (still running). A fixed schedule, not "as fast as answers come back": the rate
    is the input."""
    started = time.monotonic()
    tasks = []
    for i in range(total):
        delay = started + i / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(start(i)))
    return tasks


async def hold_screens(connect, count: int, ready, stop) -> None:
    """A screen process's life: opens `count` /wall clients (`connect(i)` sets up and connects
    client i and returns it), puts on `ready` how many connected and over which transports,
    holds them until `stop` is set, then disconnects them."""
    clients = []
    gate = asyncio.Semaphore(25)  # connect in waves: a thundering herd measures nothing useful

    async def opened(index):
        async with gate:
            clients.append(await connect(index))

    outcomes = await asyncio.gather(*(opened(i) for i in range(count)), return_exceptions=True)
    failed = [repr(o) for o in outcomes if isinstance(o, BaseException)]
    await asyncio.sleep(1)  # let websocket upgrades settle before counting transports
    ready.put(
        {
            "connected": len(clients),
            "failed": failed[:3],
            "failures": len(failed),
            "transports": [c.transport() for c in clients],
        }
    )
    while not stop.is_set():
        await asyncio.sleep(0.2)
    for client in clients:
        await client.disconnect()


async def run_load(send, total: int, concurrency: int) -> dict:
    """Call `send(i)` `total` times from `concurrency` tasks; `send` returns True on success."""
    latencies: list[float] = []
    errors = 0
    counter = iter(range(total))

    async def client():
        nonlocal errors
        for i in counter:
            started = time.perf_counter()
            try:
                ok = await send(i)
            except Exception:  # noqa: BLE001 - a failed request is counted, not fatal
                ok = False
            if ok:
                latencies.append((time.perf_counter() - started) * 1000)
            else:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return summary(latencies, time.perf_counter() - started, errors)


def cpu_by_process_group() -> dict[str, float]:
    """CPU seconds (user + system) so far of this machine's processes by what they are: the web
    (gunicorn), PostgreSQL, Redis and this load generator, from /proc. Take one before and one
    after a run; `cpu_per_request` turns the two into milliseconds per request. A process that
    ends between the two is missed (a PostgreSQL backend whose connection a pool closed)."""
    ticks = os.sysconf("SC_CLK_TCK")
    groups = {"web": 0.0, "postgres": 0.0, "redis": 0.0, "load generator": 0.0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # the process ended while we looked
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / ticks
        if "gunicorn" in command:
            groups["web"] += seconds
        elif name.startswith("postgres"):
            groups["postgres"] += seconds
        elif name.startswith("redis"):
            groups["redis"] += seconds
        elif int(entry.name) == os.getpid():
            groups["load generator"] += seconds
    return groups


def cpu_per_request(before: dict[str, float], after: dict[str, float], requests: int) -> str:
    return ", ".join(f"{group} {(after[group] - before[group]) * 1000 / requests:.2f} ms" for group in before)


def start_web(env: dict, log: Path, processes: int = 1) -> list[WebServer]:
    servers = []
    for index in range(processes):
        server = WebServer(env, log.with_suffix(f".{index}.log"), fork=False)  # as in production
        server.start()
        servers.append(server)
    return servers


def start_workers(env: dict, log: Path, count: int) -> list[Worker]:
    workers = []
    for index in range(count):
        worker = Worker(env, log.with_suffix(f".{index}.log"), extra=["--no-scheduler"] if index else None)
        worker.start()
        workers.append(worker)
    return workers


class ProductionStack:
    """The README's production layout on this machine: PostgreSQL (fresh database), Redis,
    one gunicorn+gevent web process per core and `workers` RQ worker processes."""

    def __init__(self, web_processes: int | None = None, workers: int = 2, **extra_env: str):
        self.web_processes = web_processes or os.cpu_count() or 1
        self.worker_count = workers
        self.extra_env = extra_env
        self.logs = Path(tempfile.mkdtemp(prefix="aduan-bench-logs-"))

    def __enter__(self) -> ProductionStack:
        reset_postgres_database()
        self.env = service_env(PG_BENCH_URL, **self.extra_env)
        flush_redis(REDIS_BENCH_URL)
        prepare_database(self.env)
        self.webs = start_web(self.env, self.logs / "web", self.web_processes)
        self.workers = start_workers(self.env, self.logs / "worker", self.worker_count)
        self.urls = [server.base_url for server in self.webs]
        self.wait_until_workers_idle()
        return self

    def wait_until_workers_idle(self, timeout: float = 180.0) -> None:
        """Measure the service, not its start-up: every worker registered, queues empty."""
        import redis
        from rq import Queue, Worker

        from ticketing.queueing import ALL_QUEUES

        connection = redis.Redis.from_url(self.env["REDIS_URL"])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            workers = Worker.all(connection=connection)
            busy = sum(len(Queue(name, connection=connection)) for name in ALL_QUEUES)
            if (
                len(workers) >= self.worker_count
                and not busy
                and all(w.get_state() == "idle" for w in workers)
            ):
                return
            time.sleep(0.5)
        raise RuntimeError("workers did not become idle; see " + str(self.logs))

    def __exit__(self, *exc) -> None:
        for process in [*self.workers, *self.webs]:
            process.stop()

    def sql(self, query: str, *params):
        import psycopg

        with psycopg.connect(PG_BENCH_URL.replace("postgresql+psycopg://", "postgresql://")) as conn:
            return conn.execute(query, params).fetchall()

    def wall_token(self) -> str:
        flask = str(Path(sys.executable).parent / "flask")
        subprocess.run(
            [
                flask,
                "--app",
                "wsgi",
                "create-user",
                "--username",
                "bench-wall",
                "--password",
                "bench-wall-pass",
                "--role",
                "wall",
            ],
            env=self.env,
            check=True,
            cwd=PROJECT_DIR,
            stdout=subprocess.DEVNULL,
        )
        import requests

        response = requests.post(
            self.urls[0] + "/api/v1/auth/token",
            timeout=10,
            json={"username": "bench-wall", "password": "bench-wall-pass"},
        )
        response.raise_for_status()
        return response.json()["access_token"]
