from __future__ import annotations

import threading

import pytest
import socketio

from tests.support.processes import wait_for


class EventRecorder:
    """A real python-socketio client that records what a namespace receives."""

    def __init__(self, base_url: str, namespace: str, token: str | None):
        self.base_url, self.namespace, self.token = base_url, namespace, token
        self.events: list[tuple[str, dict]] = []
        self.lock = threading.Lock()
        self.client = socketio.Client(reconnection=False)
        self.client.on("*", self._record, namespace=namespace)

    def _record(self, event, data=None):
        with self.lock:
            self.events.append((event, data))

    def connect(self):
        auth = {"token": self.token} if self.token is not None else None
        self.client.connect(
            self.base_url, namespaces=[self.namespace], auth=auth, transports=["websocket"], wait_timeout=10
        )
        return self

    def names(self) -> list[str]:
        with self.lock:
            return [name for name, _ in self.events]

    def of(self, name: str) -> list[dict]:
        with self.lock:
            return [data for event, data in self.events if event == name]

    def wait_for(self, predicate, timeout=45.0, message="socket event"):
        return wait_for(lambda: predicate(self), timeout=timeout, message=message)

    def close(self):
        if self.client.connected:
            self.client.disconnect()


@pytest.fixture
def socket_client():
    clients: list[EventRecorder] = []

    def connect(base_url: str, namespace: str = "/wall", token: str | None = None) -> EventRecorder:
        recorder = EventRecorder(base_url, namespace, token).connect()
        clients.append(recorder)
        return recorder

    yield connect
    for recorder in clients:
        recorder.close()
