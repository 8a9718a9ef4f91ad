"""A real SMTP server (aiosmtpd) on the SMTP_URL port of the test settings, recording every
message it accepts, for the hand-off e-mails to outside bodies (issue #17)."""

from __future__ import annotations

import email
import email.policy
import threading
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

from tests.support.processes import wait_for


class Mailbox:
    """What the SMTP server accepted, parsed; `stop()`/`start()` take it down and up again."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.lock = threading.Lock()
        self.messages: list[email.message.EmailMessage] = []
        self.controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname=self.host, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def to(self, address: str) -> list:
        with self.lock:
            return [m for m in self.messages if address in str(m["To"])]

    def wait_for(self, address: str, count: int = 1, timeout: float = 45.0) -> list:
        wait_for(
            lambda: len(self.to(address)) >= count, timeout=timeout, message=f"{count} e-mail(s) to {address}"
        )
        return self.to(address)


@pytest.fixture(scope="session")
def smtp_server(settings_env):
    url = urlsplit(settings_env["SMTP_URL"])
    box = Mailbox(url.hostname, url.port)
    box.start()
    yield box
    box.stop()


@pytest.fixture
def mailbox(smtp_server, clean_state):
    if smtp_server.controller is None:
        smtp_server.start()
    smtp_server.clear()
    yield smtp_server
    if smtp_server.controller is None:
        smtp_server.start()
