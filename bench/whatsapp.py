"""Building signed Meta WhatsApp Cloud API webhook deliveries for the benchmarks."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

APP_SECRET = "bench-app-secret"


def message_delivery(sender: str, message_id: str, text: str, phone_number_id: str = "1000") -> dict:
    """One inbound text message, in the Cloud API's documented webhook shape."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "WABA-BENCH",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "6281100000000",
                                "phone_number_id": phone_number_id,
                            },
                            "contacts": [{"profile": {"name": "Warga"}, "wa_id": sender}],
                            "messages": [
                                {
                                    "from": sender,
                                    "id": message_id,
                                    "timestamp": str(int(time.time())),
                                    "type": "text",
                                    "text": {"body": text},
                                }
                            ],
                        },
                    }
                ],
            }
        ],
    }


def signed(payload: dict, secret: str = APP_SECRET) -> tuple[bytes, dict]:
    body = json.dumps(payload).encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={signature}"}


def whatsapp_env() -> dict:
    return {
        "WHATSAPP_APP_SECRET": APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": "bench-verify",
        "WHATSAPP_ACCESS_TOKEN": "bench-token",
        "WHATSAPP_PHONE_NUMBER_ID": "1000",
        "OUTBOUND_MODE": "log",
    }
