"""A fake of the providers' HTTP APIs on 127.0.0.1: Twilio Messages, Meta Graph (messages and
media). It records every request and answers from a per-family script (status codes, or "hang"
to accept the request and then keep the caller waiting), defaulting to the provider's success.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

TWILIO_SID = "AC" + "0" * 32
TWILIO_TOKEN = "twilio-test-auth-token"
TWILIO_FROM = "+15005550006"
WHATSAPP_TOKEN = "meta-test-access-token"
WHATSAPP_PHONE_ID = "1098765432"
WHATSAPP_APP_SECRET = "meta-test-app-secret"
WHATSAPP_VERIFY_TOKEN = "meta-test-verify-token"
GATEWAY_SECRET = "gateway-test-secret"
TELEGRAM_TOKEN = "123456:telegram-test-bot-token"
TELEGRAM_SECRET = "telegram-test-webhook-secret"
MEDIA_BYTES = b"\xff\xd8\xff\xe0fake-jpeg"


def provider_env(port: int) -> dict[str, str]:
    base = f"http://127.0.0.1:{port}"
    return {
        "FAKE_PROVIDER_PORT": str(port),
        "OUTBOUND_MODE": "send",
        "TWILIO_ACCOUNT_SID": TWILIO_SID,
        "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
        "TWILIO_FROM_NUMBER": TWILIO_FROM,
        "TWILIO_API_BASE": base + "/twilio",
        "WHATSAPP_APP_SECRET": WHATSAPP_APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": WHATSAPP_VERIFY_TOKEN,
        "WHATSAPP_ACCESS_TOKEN": WHATSAPP_TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": WHATSAPP_PHONE_ID,
        "WHATSAPP_API_BASE": base + "/graph",
        "SMS_GATEWAY_SECRET": GATEWAY_SECRET,
        "TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_API_BASE": base + "/telegram",
        # Seconds, not minutes: retries, sweeps and the crash window all fit in a test.
        "OUTBOX_RETRY_INTERVALS": "1,1,1",
        "OUTBOX_SWEEP_AGE_SECONDS": "2",
        "OUTBOX_SENDING_STALE_SECONDS": "3",
        "OUTBOX_HTTP_TIMEOUT_SECONDS": "20",
        "CHANNEL_SENDER_LIMIT": "8",
    }


@dataclass
class Recorded:
    family: str  # twilio, whatsapp, media
    method: str
    path: str
    headers: dict
    body: bytes
    status: int

    @property
    def form(self) -> dict:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}

    @property
    def json(self) -> dict:
        return json.loads(self.body)


def request_family(path: str) -> str:
    """Which provider API a request is for: Twilio's Messages, Meta's messages, or a media file."""
    if path.startswith("/twilio/") and path.endswith("/Messages.json"):
        return "twilio"
    if path.startswith("/graph/") and path.endswith("/messages"):
        return "whatsapp"
    if path.startswith("/telegram/bot") and path.endswith("/sendMessage"):
        return "telegram"
    return "media"


class FakeProvider:
    def __init__(self, port: int):
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.reset()
        self._server: ThreadingHTTPServer | None = None

    def reset(self) -> None:
        with self._lock:
            self.recorded: list[Recorded] = []
            self.scripts: dict[str, list] = {}
            self.release = threading.Event()

    def script(self, family: str, *answers) -> None:
        """Answers for the next requests of `family`: ints (status codes), "hang", or "forever:500"."""
        with self._lock:
            self.scripts[family] = list(answers)

    def _next_answer(self, family: str):
        with self._lock:
            answers = self.scripts.get(family)
            if not answers:
                return 200
            if isinstance(answers[0], str) and answers[0].startswith("forever:"):
                return int(answers[0].split(":")[1])
            return answers.pop(0)

    def requests_for(self, family: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.recorded if r.family == family]

    def wait_for(self, family: str, count: int, timeout: float = 20.0) -> list[Recorded]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.requests_for(family)
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(
            f"fake provider: wanted {count} {family} requests, got {len(self.requests_for(family))}"
        )

    @staticmethod
    def failure(family: str, status: int) -> dict:
        """A scripted failure's body; Telegram's as documented (core.telegram.org/bots/api)."""
        if family == "telegram":
            body = {"ok": False, "error_code": status, "description": "scripted failure"}
            if status == 429:
                body["parameters"] = {"retry_after": 1}
            return body
        return {"error": {"message": "scripted failure"}}

    def reply(self, family: str, method: str, path: str) -> tuple:
        """The body (and content type) a provider answers a successful request with."""
        n = next(self._ids)
        if family == "twilio":
            return {"sid": f"SM{n:032d}", "status": "queued"}, "application/json"
        if family == "whatsapp":
            return (
                {"messaging_product": "whatsapp", "messages": [{"id": f"wamid.FAKE{n}"}]},
                "application/json",
            )
        if family == "telegram":  # https://core.telegram.org/bots/api#sendmessage → Message
            return {
                "ok": True,
                "result": {"message_id": n, "date": int(time.time()), "chat": {"id": 0, "type": "private"}},
            }, "application/json"
        if path.startswith("/telegram/bot") and "/getFile" in path:
            return (
                {
                    "ok": True,
                    "result": {
                        "file_id": "f",
                        "file_unique_id": "u",
                        "file_size": 13,
                        "file_path": f"photos/file_{n}.jpg",
                    },
                },
                "application/json",
            )
        if path.startswith("/graph/") and method == "GET":
            media_id = path.rsplit("/", 1)[1]
            return (
                {"url": f"{self.base_url}/files/{media_id}", "mime_type": "image/jpeg"},
                "application/json",
            )
        return MEDIA_BYTES, "image/jpeg"

    def start(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, status: int, body, content_type="application/json"):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _handle(self, method: str):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = self.path
                family = request_family(path)
                answer = fake._next_answer(family) if family != "media" else 200
                status = 201 if answer == "hang" else answer
                if family == "twilio" and status == 200:
                    status = 201
                with fake._lock:
                    fake.recorded.append(Recorded(family, method, path, dict(self.headers), body, status))
                if answer == "hang":
                    # Accepted (recorded) but the caller hears nothing until released.
                    fake.release.wait(60)
                if status >= 400:
                    return self._answer(status, fake.failure(family, status))
                return self._answer(status, *fake.reply(family, method, path))

            def do_POST(self):
                self._handle("POST")

            def do_GET(self):
                self._handle("GET")

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
