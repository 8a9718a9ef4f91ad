"""Issue 13 item 9(a): a verified webhook that arrives while the database is down is kept.

Twilio does not redeliver an inbound SMS answered 5xx: during a database outage the old server
answered 503 and the complaint was gone. Now the webhook is verified, spooled (Redis, or a local
file when Redis is down too) and answered as usual; the drain stores it once the database is
back, once, however often it runs. The outage is real: a second app bound to a PostgreSQL port
nobody listens on (and, for the file case, a Redis port nobody listens on). The chaos test
(tests/chaos/test_webhook_spool.py) stops a real PostgreSQL under a stream of messages.
"""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from tests.channels import fake_provider as fp
from tests.support.channels import hub_signature

DEAD_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:1/aduan_unreachable"
DEAD_REDIS = "redis://127.0.0.1:1/0"
COMPLAINT = "Lampu jalan mati di Jl. Dhoho depan toko roti sudah seminggu, mohon diperbaiki"


@pytest.fixture
def down_app(app, clean_state):
    """The same server, but its database is unreachable."""
    from ticketing import create_app

    def make(**overrides):
        return create_app({"SQLALCHEMY_DATABASE_URI": DEAD_DATABASE, **overrides})

    return make


def _twilio(client, sid: str, sender: str, body: str = COMPLAINT, signature: str | None = None):
    params = {
        "MessageSid": sid,
        "AccountSid": fp.TWILIO_SID,
        "From": sender,
        "To": fp.TWILIO_FROM,
        "Body": body,
        "NumMedia": "0",
    }
    url = "http://localhost/webhooks/twilio/sms"
    signed = RequestValidator(fp.TWILIO_TOKEN).compute_signature(url, params)
    return client.post(
        "/webhooks/twilio/sms", data=params, headers={"X-Twilio-Signature": signature or signed}
    )


def _meta(client, mid: str, sender_digits: str):
    document = {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "WABA1",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "6281100000000",
                                "phone_number_id": fp.WHATSAPP_PHONE_ID,
                            },
                            "contacts": [{"profile": {"name": "Warga"}, "wa_id": sender_digits}],
                            "messages": [
                                {
                                    "from": sender_digits,
                                    "id": mid,
                                    "timestamp": str(int(time.time())),
                                    "type": "text",
                                    "text": {"body": COMPLAINT},
                                }
                            ],
                            "statuses": [
                                {
                                    "id": "wamid.OUT-unknown",
                                    "status": "delivered",
                                    "timestamp": str(int(time.time())),
                                    "recipient_id": sender_digits,
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }
    body = json.dumps(document).encode()
    return client.post(
        "/webhooks/whatsapp",
        data=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": hub_signature(body)},
    )


def _gateway(client, message_id: str, sender: str):
    body = json.dumps({"id": message_id, "from": sender, "to": "1708", "text": COMPLAINT}).encode()
    stamp = str(int(time.time()))
    return client.post(
        "/webhooks/sms/gateway",
        data=body,
        headers={
            "Content-Type": "application/json",
            "X-Aduan-Timestamp": stamp,
            "X-Aduan-Signature": hub_signature(stamp.encode() + b"." + body, fp.GATEWAY_SECRET),
        },
    )


def _stored() -> dict:
    from ticketing.extensions import db
    from ticketing.models import InboundMessage, Ticket

    db.session.rollback()
    return {
        "tickets": db.session.scalar(select(func.count()).select_from(Ticket)),
        "inbound": sorted(db.session.scalars(select(InboundMessage.provider_message_id))),
    }


def test_webhooks_during_a_database_outage_are_spooled_then_stored_once(app_ctx, down_app, redis_client):
    from ticketing.services.inbound_spool import SPOOL_KEY, drain

    down = down_app().test_client()
    forged = _twilio(down, "SM-forged", "+6281299990000", signature="bm90LWEtc2lnbmF0dXJl")
    assert forged.status_code == 403  # verified before anything is kept
    sms = _twilio(down, "SM-outage-1", "+6281299990001")
    assert sms.status_code == 200 and sms.mimetype == "text/xml"
    assert _meta(down, "wamid.OUTAGE2", "6281299990002").status_code == 200
    gateway = _gateway(down, "gw-outage-3", "081299990003")
    assert gateway.status_code == 200 and gateway.get_json() == {"status": "ok"}
    assert redis_client.llen(SPOOL_KEY) == 4  # three messages and one delivery status
    assert _stored() == {"tickets": 0, "inbound": []}

    # Still down: the drain keeps everything.
    with down_app().app_context():
        assert drain()["database"] == "down"
    assert redis_client.llen(SPOOL_KEY) == 4

    # Back: stored, each once; a second drain and a provider's redelivery change nothing.
    assert drain() == {"stored": 4, "waiting": 0, "database": "ok"}
    expected = {"tickets": 3, "inbound": ["SM-outage-1", "gw-outage-3", "wamid.OUTAGE2"]}
    assert _stored() == expected
    assert drain()["stored"] == 0
    from ticketing import create_app

    assert _twilio(create_app().test_client(), "SM-outage-1", "+6281299990001").status_code == 200
    assert _stored() == expected


def test_with_redis_down_too_the_spool_is_a_local_file(app_ctx, down_app, redis_client):
    from ticketing.services.inbound_spool import SPOOL_KEY, _file_path, drain

    both_down = down_app(REDIS_URL=DEAD_REDIS)
    response = _twilio(both_down.test_client(), "SM-both-down", "+6281299990004")
    assert response.status_code == 200
    assert redis_client.llen(SPOOL_KEY) == 0
    spool_file = _file_path()
    assert spool_file.exists()
    assert (
        json.loads(spool_file.read_text().splitlines()[0])["message"]["provider_message_id"] == "SM-both-down"
    )

    assert drain()["stored"] == 1  # the worker (or the web, after its next request) hands it on
    assert not spool_file.exists()
    assert _stored() == {"tickets": 1, "inbound": ["SM-both-down"]}


def test_nowhere_to_keep_it_is_still_a_503(app_ctx, down_app, redis_client, monkeypatch, tmp_path):
    from ticketing.services import inbound_spool

    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setattr(inbound_spool, "_file_path", lambda: blocker / "spool" / "inbound.jsonl")
    response = _twilio(down_app(REDIS_URL=DEAD_REDIS).test_client(), "SM-lost", "+6281299990005")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "database_unavailable"
