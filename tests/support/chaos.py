"""Fault injection for the chaos tests: private servers we may stop, and a load generator.

Nothing here touches the shared PostgreSQL or Redis other runs use: a private redis-server
(tests/support/processes.py: RedisServer) and a private PostgreSQL cluster (below) are started
on free ports, and the web and worker processes under test are pointed at them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path

import requests

from tests.support.processes import free_port, wait_for

COMPLAINT_TEXTS = (
    "Jalan berlubang besar di Jl. Hayam Wuruk dekat pasar, membahayakan pengendara motor",
    "Sampah menumpuk di TPS Jl. Veteran sudah tiga hari tidak diangkut",
    "Lampu penerangan jalan mati di Jl. Dhoho sejak minggu lalu",
    "Saluran air tersumbat dan meluap ke jalan setiap hujan di Kelurahan Bandar",
    "Lampu lalu lintas di perempatan Jl. Brawijaya mati, macet parah",
)


def _postgres_bin(name: str) -> str:
    found = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path is None:
        raise AssertionError(
            f"PostgreSQL's {name} is required for the chaos tests (apt-get install postgresql)"
        )
    return path


class PostgresCluster:
    """A throwaway PostgreSQL cluster (initdb into a temp dir, trust auth, its own port).

    initdb refuses to run as root, so as root the cluster belongs to the `postgres` user."""

    def __init__(self, base_dir: Path | None = None, port: int | None = None):
        self.base_dir = Path(base_dir or tempfile.mkdtemp(prefix="aduan-pg-"))
        self.data_dir = self.base_dir / "data"
        self.socket_dir = self.base_dir / "sock"
        self.log_path = self.base_dir / "postgres.log"
        self.port = port or free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/aduan"
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            self._as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str, check: bool = True, timeout: float = 60) -> subprocess.CompletedProcess:
        done = subprocess.run([*self._as_user, *args], capture_output=True, text=True, timeout=timeout)
        if check and done.returncode:
            raise AssertionError(
                f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}"
            )
        return done

    def init(self) -> None:
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        if self._as_user:
            shutil.chown(self.base_dir, "postgres", "postgres")
            shutil.chown(self.socket_dir, "postgres", "postgres")
        self._run(
            _postgres_bin("initdb"),
            "-D",
            str(self.data_dir),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        self.start()
        self._run(
            _postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "aduan"
        )

    def start(self) -> None:
        # fsync off: a test cluster, and restarts must be quick.
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            _postgres_bin("pg_ctl"),
            "-D",
            str(self.data_dir),
            "-l",
            str(self.log_path),
            "-o",
            options,
            "-w",
            "-t",
            "30",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(
            _postgres_bin("pg_ctl"),
            "-D",
            str(self.data_dir),
            "-m",
            mode,
            "-w",
            "-t",
            "30",
            "stop",
            check=False,
        )

    def destroy(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.base_dir, ignore_errors=True)


@dataclass
class Outcome:
    started: float
    status: int  # 0: no answer at all (connection refused, reset, timeout)
    ticket_number: str | None = None
    error_code: str | None = None


@dataclass
class LoadGenerator:
    """Posts complaints from a few threads until stopped; remembers every answer.

    `base_url` may change while it runs (a web process that comes back on the same port keeps
    it; nothing else needs to)."""

    base_url: str
    threads: int = 4
    pause: float = 0.02
    timeout: float = 10.0
    # Like a careful client: each complaint carries an Idempotency-Key and is sent again with
    # it after a refused or cut connection (or a 503) until it is answered 201.
    retry_with_key: bool = False
    outcomes: list[Outcome] = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._workers: list[threading.Thread] = []
        self._sent = 0
        self._run = uuid.uuid4().hex

    def _body(self, n: int) -> dict:
        return {"description": f"{COMPLAINT_TEXTS[n % len(COMPLAINT_TEXTS)]} (laporan {n})"}

    def _loop(self) -> None:
        session = requests.Session()
        while not self._stop.is_set():
            with self._lock:
                n = self._sent
                self._sent += 1
            headers = {"Idempotency-Key": f"{self._run}-{n}"} if self.retry_with_key else {}
            while True:
                outcome, session = self._post(session, n, headers)
                with self._lock:
                    self.outcomes.append(outcome)
                self._stop.wait(self.pause)
                if not self.retry_with_key or outcome.status not in (0, 502, 503) or self._stop.is_set():
                    break

    def _post(self, session, n: int, headers: dict):
        started = time.monotonic()
        try:
            response = session.post(
                self.base_url + "/api/v1/complaints",
                json=self._body(n),
                headers=headers,
                timeout=self.timeout,
            )
            outcome = Outcome(started, response.status_code)
            try:
                payload = response.json()
            except ValueError:
                payload = {}
            if response.status_code == 201:
                outcome.ticket_number = payload["ticket_number"]
            else:
                outcome.error_code = (payload.get("error") or {}).get("code")
        except requests.RequestException as exc:
            outcome = Outcome(started, 0, error_code=type(exc).__name__)
            session = requests.Session()
        return outcome, session

    def start(self) -> LoadGenerator:
        for index in range(self.threads):
            thread = threading.Thread(target=self._loop, name=f"load-{index}", daemon=True)
            thread.start()
            self._workers.append(thread)
        return self

    def stop(self) -> list[Outcome]:
        self._stop.set()
        for thread in self._workers:
            thread.join(self.timeout + 5)
        return self.outcomes

    def accepted(self) -> list[str]:
        with self._lock:
            return [o.ticket_number for o in self.outcomes if o.status == 201]

    def statuses(self) -> Counter:
        with self._lock:
            return Counter(o.status for o in self.outcomes)

    def wait_for_accepted(self, count: int, timeout: float = 30.0) -> None:
        baseline = len(self.accepted())
        wait_for(
            lambda: len(self.accepted()) >= baseline + count,
            timeout=timeout,
            message=f"{count} more accepted complaints",
        )

    def between(self, start: float, end: float) -> list[Outcome]:
        with self._lock:
            return [o for o in self.outcomes if start <= o.started < end]
