"""A live web server of a test's own, with settings the shared one does not have (rate limits
on, a trusted proxy hop, production mode), on the same database and Redis as the run."""

from __future__ import annotations

from contextlib import contextmanager

import requests

from tests.support.processes import WebServer


@contextmanager
def private_web_server(process_env: dict[str, str], run_dir, name: str, **settings: str):
    server = WebServer(dict(process_env, **settings), run_dir / f"web-{name}.log")
    server.start()
    try:
        yield server
    finally:
        server.stop()


class Client:
    """requests against one server, optionally as if through a proxy that appended
    `forwarded_for` to X-Forwarded-For."""

    def __init__(self, base_url: str, forwarded_for: str | None = None):
        self.base_url = base_url
        self.session = requests.Session()
        if forwarded_for:
            self.session.headers["X-Forwarded-For"] = forwarded_for

    def request(self, method: str, path: str, **kwargs):
        kwargs.setdefault("timeout", 15)
        return self.session.request(method, self.base_url + path, **kwargs)

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.request("POST", path, **kwargs)


def assert_rate_limited(response) -> None:
    """Every 429: the error shape, a Retry-After in seconds, the catalogue's Indonesian words."""
    assert response.status_code == 429, (response.status_code, response.text[:300])
    assert int(response.headers["Retry-After"]) >= 1
    error = response.json()["error"]
    assert error["code"] in ("rate_limited", "too_many_attempts")
    assert "coba lagi" in error["message"].lower(), error["message"]
