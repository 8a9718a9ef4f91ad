"""The loop both fork servers run (tests/support/worker_fork.py, tests/support/web_fork.py):
one JSON request per line on stdin, one child forked per request, its pid answered on stdout."""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable


def serve_forks(run_child: Callable[[dict], None]) -> None:
    """Say ready, then fork `run_child(request)` for each request ({"log": path, ...})."""
    # Children are never waited for here: the kernel reaps them, the tests watch their pids.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(request, run_child)
        print(json.dumps({"pid": pid}), flush=True)


def _child(request: dict, run_child: Callable[[dict], None]) -> None:
    os.setsid()  # its own process group: the test stops it (and anything it starts) with killpg
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    status = 0
    try:
        run_child(request)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    except Exception:  # noqa: BLE001 - logged; `finally` ends the child, never back to the loop
        import traceback

        traceback.print_exc()
        status = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
