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

from tests.support.forking import serve_forks


def _run_worker(request: dict) -> None:
    from workers.__main__ import main

    main(request.get("argv", []))


def serve() -> None:
    from workers import get_app

    app = get_app()
    with app.app_context():
        from ticketing.services.routing import get_router

        get_router()
    serve_forks(_run_worker)


if __name__ == "__main__":
    serve()
