"""Channel fixtures (a plugin of tests/conftest.py, used by the channel, security and chaos
tests): the fake provider server and correctly signed provider requests."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time

import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from tests.channels import fake_provider as fp

_ids = itertools.count(1)


@pytest.fixture(scope="session")
def fake_provider_server(settings_env):
    server = fp.FakeProvider(int(settings_env["FAKE_PROVIDER_PORT"]))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def provider(fake_provider_server, clean_state):
    fake_provider_server.reset()
    yield fake_provider_server
    fake_provider_server.release.set()  # let a hung request finish before the next test


def hub_signature(body: bytes, secret: str = fp.WHATSAPP_APP_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class Channels:
    """Sends what each provider would send, signed as that provider signs it."""

    def __init__(self, http):
        self.http = http

    def twilio(
        self,
        body: str = "",
        sender: str = "+6281234567890",
        sid: str | None = None,
        path: str = "/webhooks/twilio/sms",
        extra: dict | None = None,
        signature: str | None = None,
    ):
        from_value = ("whatsapp:" + sender) if path.endswith("whatsapp") else sender
        params = {
            "MessageSid": sid or f"SM{next(_ids):032d}",
            "AccountSid": fp.TWILIO_SID,
            "From": from_value,
            "To": fp.TWILIO_FROM,
            "Body": body,
            "NumMedia": "0",
            **(extra or {}),
        }
        url = self.http.base_url + path
        signed = RequestValidator(fp.TWILIO_TOKEN).compute_signature(url, params)
        return self.http.post(path, data=params, headers={"X-Twilio-Signature": signature or signed})

    def meta_document(self, messages=(), statuses=()) -> dict:
        value = {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "6281100000000", "phone_number_id": fp.WHATSAPP_PHONE_ID},
        }
        if messages:
            value["contacts"] = [{"profile": {"name": "Warga"}, "wa_id": messages[0]["from"]}]
            value["messages"] = list(messages)
        if statuses:
            value["statuses"] = list(statuses)
        return {
            "object": "whatsapp_business_account",
            "entry": [{"id": "WABA1", "changes": [{"value": value, "field": "messages"}]}],
        }

    def meta_message(self, sender_digits: str = "6281234567891", mid: str | None = None, **content) -> dict:
        message = {
            "from": sender_digits,
            "id": mid or f"wamid.IN{next(_ids)}",
            "timestamp": str(int(time.time())),
        }
        message.update(content)
        return message

    def meta(self, document: dict, signature: str | None = None):
        body = json.dumps(document).encode()
        return self.http.post(
            "/webhooks/whatsapp",
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": signature or hub_signature(body),
            },
        )

    def meta_text(self, text: str, sender_digits: str = "6281234567891", mid: str | None = None):
        return self.meta(
            self.meta_document([self.meta_message(sender_digits, mid, type="text", text={"body": text})])
        )

    def gateway(self, document: dict, path: str = "/webhooks/sms/gateway", secret: str = fp.GATEWAY_SECRET):
        """Signed as a current gateway signs: over `<timestamp>.<body>` (README, SMS gateway)."""
        body = json.dumps(document).encode()
        stamp = str(int(time.time()))
        return self.http.post(
            path,
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-Aduan-Timestamp": stamp,
                "X-Aduan-Signature": hub_signature(stamp.encode() + b"." + body, secret),
            },
        )


@pytest.fixture
def channels(http, provider):
    return Channels(http)


@pytest.fixture
def db_query(app):
    """Run a function inside an app context of the test process and return its result."""
    from ticketing.extensions import db

    def run(fn):
        with app.app_context():
            try:
                return fn(db)
            finally:
                db.session.rollback()

    return run


@pytest.fixture
def counts(db_query):
    from ticketing.models import InboundMessage, OutboxMessage, Ticket

    def count():
        return db_query(
            lambda db: {
                name: db.session.scalar(select(func.count()).select_from(model))
                for name, model in (
                    ("tickets", Ticket),
                    ("inbound", InboundMessage),
                    ("outbox", OutboxMessage),
                )
            }
        )

    return count


def wait_until_listening(process, redis_client, timeout: float = 180.0) -> None:
    """A worker process is ready once RQ registered it (its router may train first: slow)."""
    from rq import Worker as RQWorker

    from tests.support.processes import wait_for

    def registered():
        if not process.running:
            raise AssertionError(f"worker exited, see {process.log_path}")
        return any(w.pid == process.process.pid for w in RQWorker.all(connection=redis_client))

    wait_for(registered, timeout=timeout, interval=0.2, message="worker registered with RQ")


@pytest.fixture
def ready_worker(worker, redis_client):
    wait_until_listening(worker, redis_client)
    return worker
