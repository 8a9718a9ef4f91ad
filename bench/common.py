"""Shared pieces of the benchmarks: starting the service the documented ways, a load loop,
percentiles, and the machine description that BENCHMARKS.md records."""

from __future__ import annotations

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


def start_web(env: dict, log: Path, processes: int = 1) -> list[WebServer]:
    servers = []
    for index in range(processes):
        server = WebServer(env, log.with_suffix(f".{index}.log"))
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
