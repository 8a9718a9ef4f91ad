"""Real processes for tests: the web server (gunicorn + gevent, as in production) and workers."""

from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

PROJECT_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


PORT_BLOCK = 1000
_ports_handed = 0


def _ephemeral_floor() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def _port_block_start() -> int:
    """This process's block of ports: bin/run-tests.sh gives each shard its own (TEST_PORT_BASE);
    a lone pytest takes one at random, below the kernel's ephemeral range either way."""
    given = os.environ.get("TEST_PORT_BASE")
    if given:
        return int(given)
    import random

    return random.randrange(10_000, _ephemeral_floor() - PORT_BLOCK, PORT_BLOCK)


_block_start = _port_block_start()


def free_port() -> int:
    """A port for a server a test starts, which no other process of the run is handed meanwhile.
    Not the kernel's pick (bind to 0): that comes from the ephemeral range, the one outgoing
    connections draw their local ports from, so a session's port that a server binds only later
    could be taken by any connection of the run before it (seen: the fake provider's, minutes
    after it was picked). Each shard has its own block and a port is handed once per process."""
    global _ports_handed
    for _ in range(PORT_BLOCK):
        port = _block_start + _ports_handed % PORT_BLOCK
        _ports_handed += 1
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue  # still held by an earlier server of this shard, or lingering
            return port
    raise RuntimeError(f"no free port in {_block_start}-{_block_start + PORT_BLOCK - 1}")


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.05, message: str = "condition"):
    """`predicate()`'s first truthy value, asked every `interval` at first and then less often (up
    to every quarter second): a wait of a few seconds on a busy box otherwise asked a hundred
    times, each a query or a request taking CPU from the shards doing the work waited for."""
    deadline = time.monotonic() + timeout
    slowest = max(interval, 0.25)
    last = None
    while time.monotonic() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
        interval = min(interval * 1.5, slowest)
    raise AssertionError(f"timed out after {timeout}s waiting for {message} (last: {last!r})")


class ManagedProcess:
    def __init__(self, args: list[str], env: dict[str, str], log_path: Path):
        self.args, self.env, self.log_path = args, env, log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            self.args,
            cwd=PROJECT_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)

    def kill(self) -> None:
        self.stop(signal.SIGKILL)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class ForkServer:
    """`python -m <module>`: a process that loaded what its children need once and forks one per
    request (tests/support/worker_fork.py, tests/support/web_fork.py)."""

    def __init__(self, module: str, env: dict[str, str], log_path: Path):
        self.module, self.env, self.log_path = module, env, log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", self.module],
            cwd=PROJECT_DIR,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            start_new_session=True,
        )
        ready = self.process.stdout.readline()
        if not ready:
            raise AssertionError(f"fork server {self.module} exited, see {self.log_path}")

    def fork(self, **request) -> int:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())["pid"]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.stdin.close()
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(10)


class WorkerForkServer(ForkServer):
    """Forks ready-loaded `python -m workers` (see tests/support/worker_fork.py)."""

    def __init__(self, env: dict[str, str], log_path: Path):
        super().__init__("tests.support.worker_fork", env, log_path)


class _Forked:
    """The part of Popen the tests use of a forked process (its pid)."""

    def __init__(self, pid: int):
        self.pid = pid


class ForkedProcess:
    """A process a ForkServer forked, in a session of its own: watched and stopped by its pid
    (the fork server's children are reaped by the kernel, so a stopped one disappears)."""

    process: _Forked | None = None

    @property
    def running(self) -> bool:
        if self.process is None:
            return False
        try:
            with open(f"/proc/{self.process.pid}/stat") as stat:
                return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
        except (FileNotFoundError, ProcessLookupError):  # gone, or going while we read
            return False

    def _signal(self, sig: int) -> None:
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:  # it exited between the check and the signal
            pass

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> None:
        if not self.running:
            return
        self._signal(sig)
        deadline = time.monotonic() + timeout
        while self.running and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.running:
            self._signal(signal.SIGKILL)
            while self.running:
                time.sleep(0.05)

    def kill(self) -> None:
        self.stop(signal.SIGKILL)


class ForkedWorker(ForkedProcess):
    """A `python -m workers` forked by a WorkerForkServer: the same interface as Worker."""

    def __init__(self, server: WorkerForkServer, log_path: Path, extra: list[str] | None = None):
        self.server, self.log_path, self.extra = server, log_path, extra or []

    def start(self) -> None:
        self.process = _Forked(self.server.fork(log=str(self.log_path), argv=self.extra))


_web_forks: ForkServer | None = None


def _web_fork_server(log_dir: Path) -> ForkServer:
    """This process's web fork server, started with its first web server and stopped at exit."""
    global _web_forks
    if _web_forks is None or _web_forks.process.poll() is not None:
        _web_forks = ForkServer("tests.support.web_fork", dict(os.environ), log_dir / "web-forks.log")
        _web_forks.start()
        atexit.register(_web_forks.stop)
    return _web_forks


class WebServer(ForkedProcess):
    """`gunicorn -k gevent wsgi:app`, the production command, on a free port: forked from a
    process that imported the app's modules once (tests/support/web_fork.py), or with
    `fork=False` (the benchmarks) started from nothing as in production."""

    def __init__(self, env: dict[str, str], log_path: Path, port: int | None = None, fork: bool = True):
        self.env, self.log_path, self.fork = env, log_path, fork
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.args = [
            "-k",
            "gevent",
            "-w",
            "1",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--graceful-timeout",
            "2",
            # Longer than any pause between a test's requests on a busy box: with gunicorn's 2 s
            # the server closed idle keep-alive connections just as a client sent on one
            # (RemoteDisconnected in the state-machine matrix).
            "--keep-alive",
            "75",
            "--no-control-socket",  # as config/gunicorn.py: one shared default path otherwise
            "wsgi:app",
        ]

    def start(self) -> None:
        if self.fork:
            server = _web_fork_server(self.log_path.parent)
            self.process = _Forked(server.fork(log=str(self.log_path), env=self.env, argv=self.args))
        else:
            command = ManagedProcess([str(VENV_BIN / "gunicorn"), *self.args], self.env, self.log_path)
            command.start()
            self.process = command.process

        def up():
            if not self.running:
                raise AssertionError(f"web server exited, see {self.log_path}")
            try:
                return requests.get(self.base_url + "/healthz", timeout=1).ok
            except requests.RequestException:
                return False

        try:
            wait_for(up, timeout=30, message=f"web server on {self.base_url}")
        except AssertionError:
            self.stop()
            raise


class Worker(ManagedProcess):
    """`python -m workers`, the production worker."""

    def __init__(self, env: dict[str, str], log_path: Path, extra: list[str] | None = None):
        super().__init__([sys.executable, "-m", "workers", *(extra or [])], env, log_path)


class RedisServer(ManagedProcess):
    """A private redis-server on a free port, for tests that stop and start Redis."""

    def __init__(self, log_path: Path, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        args = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        super().__init__(args, dict(os.environ), log_path)

    def start(self) -> None:
        super().start()
        import redis

        client = redis.Redis.from_url(self.url)

        def up():
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        wait_for(up, timeout=10, message=f"redis-server on {self.port}")
