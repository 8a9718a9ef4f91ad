"""A fork server for the tests' web servers: `python -m tests.support.web_fork`.

Every test web server is the production command, `gunicorn -k gevent wsgi:app`, but starting one
costs about 1.8 s of CPU, nearly all of it importing the app's modules and their libraries, and a
run starts ~70 of them (one per shard and one per test that needs other settings). This process
pays the imports once, then forks a gunicorn for each request: the child takes the request's
environment and arguments and runs gunicorn's own entry point, which builds the app from that
environment (`wsgi` is never imported here) and forks its gevent worker as usual.

gevent patches the standard library before anything is imported, as the gevent worker does
before it loads the app, so no module holds an unpatched socket, lock or select; `os` and
`signal` are left for the worker to patch, so gunicorn's master forks and reaps its worker with
the real calls, as it does in production.

Protocol on stdin/stdout, one JSON line each: {"log": path, "env": {...}, "argv": [...]} ->
{"pid": n}.
"""

from __future__ import annotations

from gevent import monkey

monkey.patch_all(os=False, signal=False)

import importlib  # noqa: E402 - after the patch, as the gevent worker loads the app
import json  # noqa: E402
import os  # noqa: E402
import pkgutil  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402


def _child(log_path: str, env: dict[str, str], argv: list[str]) -> None:
    os.setsid()  # its own process group: the test stops it and its worker with killpg
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.environ.clear()
    os.environ.update(env)
    sys.argv = ["gunicorn", *argv]
    # The gevent worker patches everything at start; most of it was patched here already.
    warnings.filterwarnings("ignore", "Patching more than once", monkey.MonkeyPatchWarning)
    status = 0
    try:
        from gunicorn.app.wsgiapp import run

        run()
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


def _import_the_app() -> None:
    """Every module of the app (not `wsgi`, which builds one) and gunicorn's."""
    import ticketing

    for module in pkgutil.walk_packages(ticketing.__path__, "ticketing."):
        importlib.import_module(module.name)
    import gunicorn.app.wsgiapp  # noqa: F401
    import gunicorn.workers.ggevent  # noqa: F401


def serve() -> None:
    _import_the_app()
    # Children are never waited for here: the kernel reaps them, the tests watch their pids.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            _child(request["log"], request["env"], request["argv"])
        print(json.dumps({"pid": pid}), flush=True)


if __name__ == "__main__":
    serve()
