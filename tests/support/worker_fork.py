"""A fork server for the tests' workers: `python -m tests.support.worker_fork`.

Every test that needs the worker gets a fresh `python -m workers`, but starting one costs about
3 s of CPU (the app, then the router model and scikit-learn) and ~90 tests need one per run.
This process pays that once: it builds the worker's app and loads the router, touching neither
the database nor Redis (no connection, no thread exists yet, so a fork inherits nothing shared),
then forks a worker for each request. The child is the production entry point,
`workers.__main__.main`, in a session of its own with its output in the test's log file; only
the imports are skipped. RQ's own worker forks its work-horses from a warm parent the same way.

Protocol on stdin/stdout, one JSON line each: {"log": path, "argv": [...]} -> {"pid": n}.
"""

from __future__ import annotations

import json
import os
import signal
import sys


def _child(log_path: str, argv: list[str]) -> None:
    os.setsid()  # its own process group: the test stops it (and anything it starts) with killpg
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    status = 0
    try:
        from workers.__main__ import main

        main(argv)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    except Exception:  # noqa: BLE001 - logged; `finally` ends the child, never back to serve()
        import traceback

        traceback.print_exc()
        status = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)


def serve() -> None:
    from workers import get_app

    app = get_app()
    with app.app_context():
        from ticketing.services.routing import get_router

        get_router()
    # Children are never waited for here: the kernel reaps them, the tests watch their pids.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(request["log"], request.get("argv", []))
        print(json.dumps({"pid": pid}), flush=True)


if __name__ == "__main__":
    serve()
