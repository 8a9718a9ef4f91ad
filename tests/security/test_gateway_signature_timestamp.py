"""Issue 13 item 10: the generic SMS gateway collects its outbound SMS (citizens' numbers and our
replies) from `/webhooks/sms/gateway/outbox` with a signed request. A captured request could be
replayed for ever; now that request must carry `X-Aduan-Timestamp` inside the signature and is
refused 5 minutes after it was signed. Inbound messages keep API.md's contract (body-only
signature) and may add the timestamp. Real HTTP against the live server."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from tests.channels import fake_provider as fp

COLLECT = "/webhooks/sms/gateway/outbox"
INBOUND = "/webhooks/sms/gateway"


def signed(body: bytes, stamp: int | None, secret: str = fp.GATEWAY_SECRET) -> dict:
    message = body if stamp is None else f"{stamp}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json", "X-Aduan-Signature": "sha256=" + digest}
    if stamp is not None:
        headers["X-Aduan-Timestamp"] = str(stamp)
    return headers


def test_a_collect_request_is_refused_five_minutes_after_it_was_signed(http):
    body = json.dumps({"limit": 10}).encode()
    now = int(time.time())
    assert http.post(COLLECT, data=body, headers=signed(body, now)).status_code == 200
    assert http.post(COLLECT, data=body, headers=signed(body, now - 200)).status_code == 200
    for stale in (now - 301, now - 3600, now + 3600):
        refused = http.post(COLLECT, data=body, headers=signed(body, stale))
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "invalid_signature"
    # Without a timestamp (the old format) a collect request is a replay waiting to happen.
    assert http.post(COLLECT, data=body, headers=signed(body, None)).status_code == 403
    # The timestamp is inside the signature: moving it forward breaks the signature.
    moved = signed(body, now - 3600)
    moved["X-Aduan-Timestamp"] = str(now)
    assert http.post(COLLECT, data=body, headers=moved).status_code == 403
    for junk in ("", "abc", "１２３", "9" * 40, "-5"):
        headers = signed(body, now)
        headers["X-Aduan-Timestamp"] = junk
        assert (
            http.post(COLLECT, data=body, headers={k: v.encode() for k, v in headers.items()}).status_code
            == 403
        )


def test_inbound_messages_keep_the_body_only_signature_and_may_add_a_timestamp(http):
    now = int(time.time())
    first = json.dumps(
        {"id": "gw-1", "from": "081234567893", "to": "1234", "text": "Lampu jalan mati di Jl. Dhoho"}
    ).encode()
    assert http.post(INBOUND, data=first, headers=signed(first, None)).status_code == 200
    second = json.dumps(
        {"id": "gw-2", "from": "081234567894", "to": "1234", "text": "Sampah menumpuk di Jl. Brawijaya"}
    ).encode()
    assert http.post(INBOUND, data=second, headers=signed(second, now)).status_code == 200
    third = json.dumps({"id": "gw-3", "from": "081234567895", "to": "1234", "text": "Banjir"}).encode()
    assert http.post(INBOUND, data=third, headers=signed(third, now - 600)).status_code == 403
    bad = signed(third, None)
    bad["X-Aduan-Signature"] = "sha256=" + "ä" * 64
    assert http.post(INBOUND, data=third, headers={k: v.encode() for k, v in bad.items()}).status_code == 403
