"""A fork server for the tests' web servers: `python -m tests.support.web_fork`.

Every test web server is the production command, `gunicorn -k gevent wsgi:app`, but starting one
costs about 1.8 s of CPU, nearly all of it importing the app's modules and their libraries, and a
run starts ~70 of them (one per shard and one per test that needs other settings). This process
pays the imports once, then forks a gunicorn for each request: the child takes the request's
environment and arguments and runs gunicorn's own entry point, which builds the app from that
environment (`wsgi` is never imported here) and forks its gevent worker as usual.

gevent patches the standard library before the app and gunicorn are imported, as the gevent
worker does before it loads the app, so no module holds an unpatched socket, lock or select; `os` and
`signal` are left for the worker to patch, so gunicorn's master forks and reaps its worker with
the real calls, as it does in production.

Protocol on stdin/stdout, one JSON line each: {"log": path, "env": {...}, "argv": [...]} ->
{"pid": n}.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import warnings

from gevent import monkey

from tests.support.forking import serve_forks


def _run_gunicorn(request: dict) -> None:
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv = ["gunicorn", *request["argv"]]
    # The gevent worker patches everything at start; most of it was patched here already.
    warnings.filterwarnings("ignore", "Patching more than once", monkey.MonkeyPatchWarning)
    from gunicorn.app.wsgiapp import run

    run()


def _import_the_app() -> None:
    """Every module of the app (not `wsgi`, which builds one) and gunicorn's, after gevent's
    patch (the standard-library modules above hold no socket, lock or select of their own)."""
    monkey.patch_all(os=False, signal=False)
    import ticketing

    app_modules = [module.name for module in pkgutil.walk_packages(ticketing.__path__, "ticketing.")]
    for name in [*app_modules, "gunicorn.app.wsgiapp", "gunicorn.workers.ggevent"]:
        importlib.import_module(name)


def serve() -> None:
    _import_the_app()
    serve_forks(_run_gunicorn)


if __name__ == "__main__":
    serve()
