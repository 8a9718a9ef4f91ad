"""Console test helpers (a plugin of tests/conftest.py, for `console_client`): viewports,
logging in a browser page, the accessibility checks, a console session over HTTP, a real PNG."""

from __future__ import annotations

import re
import struct
import zlib

import pytest
import requests

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1920, "height": 1080}


def login(page, username: str, password: str = "password123") -> None:
    page.goto("/console/login")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(re.compile(r".*/console/(queue|triage|admin/users).*"))


def visible_controls(page) -> int:
    """How many form controls a person sees: an accessibility check over none checked nothing."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        'input:not([type=hidden]), select, textarea, button'))
      .filter(el => el.offsetParent !== null).length""")


def unlabelled_controls(page) -> list[str]:
    """Visible form controls a screen reader could not name."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        'input:not([type=hidden]), select, textarea, button'))
      .filter(el => el.offsetParent !== null)
      .filter(el => !((el.labels && el.labels.length) || el.getAttribute('aria-label')
                      || (el.tagName === 'BUTTON' && el.textContent.trim())))
      .map(el => el.outerHTML.slice(0, 120))""")


class ConsoleClient:
    """A requests session that logs in through the form like a browser (CSRF token included)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()

    def csrf(self, path: str = "/console/login") -> str:
        page = self.session.get(self.base_url + path, timeout=10)
        match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def login(self, username: str, password: str = "password123", token: str | None = None):
        return self.post(
            "/console/login",
            data={"username": username, "password": password, "csrf_token": token or self.csrf()},
        )

    def get(self, path: str, **kwargs):
        kwargs.setdefault("timeout", 10)
        return self.session.get(self.base_url + path, **kwargs)

    def post(self, path: str, **kwargs):
        kwargs.setdefault("timeout", 10)
        kwargs.setdefault("allow_redirects", False)
        return self.session.post(self.base_url + path, **kwargs)


@pytest.fixture
def console_client(live_server, clean_state):
    return lambda: ConsoleClient(live_server.base_url)


@pytest.fixture
def console_user(console_client, make_user):
    """console_user(username, role, opd=None): a new staff account of `role`, logged in to the
    console through the form (the login is checked here, so a test starts from a session)."""

    def log_in(username: str, role: str, opd: str | None = None) -> ConsoleClient:
        make_user(username, role, opd)
        session = console_client()
        assert session.login(username).status_code == 302
        return session

    return log_in


def png_bytes(width: int = 64, height: int = 48, rgb=(40, 140, 60)) -> bytes:
    """A real PNG (a green square) made with the standard library: the "after" photo."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row = b"\x00" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )
