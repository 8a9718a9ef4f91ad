"""One sender class per outbound channel. Senders speak HTTP to one provider and nothing else:
no database, no retries (the outbox service and RQ own those).

Neither Twilio's Messages API, Meta's Cloud API nor Telegram's Bot API accepts an idempotency
key, so none is sent; the gateway collects its messages itself (`/webhooks/sms/gateway/outbox`)
with our row id as key.
"""

from __future__ import annotations

import logging

import requests

from ticketing.services.media_fetch import MediaTooLarge
from ticketing.services.outbox import PermanentSendError, SendRequest, TransientSendError

log = logging.getLogger(__name__)

# Worth another try later; any other 4xx means the request itself is wrong.
TRANSIENT_STATUSES = {408, 409, 425, 429}


def _check(response: requests.Response, provider: str) -> dict:
    if response.status_code >= 500 or response.status_code in TRANSIENT_STATUSES:
        raise TransientSendError(f"{provider} answered {response.status_code}")
    if response.status_code >= 400:
        raise PermanentSendError(f"{provider} answered {response.status_code}: {response.text[:300]}")
    try:
        return response.json()
    except ValueError as exc:
        # It said yes but we cannot read the id: treat as sent-unknown rather than re-send.
        raise PermanentSendError(f"{provider} answered {response.status_code} without JSON") from exc


def _post(session: requests.Session, url: str, provider: str, timeout: float, **kwargs) -> dict:
    try:
        response = session.post(url, timeout=timeout, **kwargs)
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise TransientSendError(f"{provider} unreachable: {type(exc).__name__}") from exc
    return _check(response, provider)


class TwilioSender:
    """Twilio Messages API: POST /2010-04-01/Accounts/{sid}/Messages.json (form, basic auth)."""

    def __init__(self, config: dict, whatsapp: bool = False):
        self.api_base = config["TWILIO_API_BASE"]
        self.account_sid = config["TWILIO_ACCOUNT_SID"]
        self.auth_token = config["TWILIO_AUTH_TOKEN"]
        self.from_number = config["TWILIO_FROM_NUMBER"]
        self.public_base = config.get("PUBLIC_BASE_URL")
        self.timeout = config.get("OUTBOX_HTTP_TIMEOUT_SECONDS", 10)
        self.whatsapp = whatsapp
        self.session = requests.Session()

    def send(self, message: SendRequest) -> str:
        prefix = "whatsapp:" if self.whatsapp else ""
        form = {"To": prefix + message.recipient, "From": prefix + self.from_number, "Body": message.body}
        if self.public_base:
            form["StatusCallback"] = self.public_base + "/webhooks/twilio/status"
        url = f"{self.api_base}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        answer = _post(
            self.session, url, "twilio", self.timeout, data=form, auth=(self.account_sid, self.auth_token)
        )
        return str(answer.get("sid") or f"twilio-unknown-{message.outbox_id}")


class WhatsAppCloudSender:
    """Meta WhatsApp Cloud API: POST /{phone-number-id}/messages with a Bearer token."""

    def __init__(self, config: dict):
        self.url = f"{config['WHATSAPP_API_BASE']}/{config['WHATSAPP_PHONE_NUMBER_ID']}/messages"
        self.token = config["WHATSAPP_ACCESS_TOKEN"]
        self.timeout = config.get("OUTBOX_HTTP_TIMEOUT_SECONDS", 10)
        self.session = requests.Session()

    def payload(self, message: SendRequest) -> dict:
        body = {"messaging_product": "whatsapp", "recipient_type": "individual"}
        if message.recipient.startswith("wa:"):
            # A username without a known number: Meta addresses it by its BSUID in `recipient`.
            body["recipient"] = message.recipient.removeprefix("wa:")
        else:
            body["to"] = message.recipient.lstrip("+")
        if message.template:
            body["type"] = "template"
            body["template"] = {
                "name": message.template,
                "language": {"code": message.template_language},
                "components": [
                    {
                        "type": "body",
                        "parameters": [
                            {"type": "text", "text": str(value)} for value in message.template_params
                        ],
                    }
                ],
            }
        elif message.interactive:
            # Buttons, a list or a location request (services/chat_markup.py), in the window only.
            body["type"] = "interactive"
            body["interactive"] = message.interactive
        else:
            body["type"] = "text"
            body["text"] = {"preview_url": False, "body": message.body}
        return body

    def send(self, message: SendRequest) -> str:
        answer = _post(
            self.session,
            self.url,
            "whatsapp",
            self.timeout,
            json=self.payload(message),
            headers={"Authorization": f"Bearer {self.token}"},
        )
        sent = answer.get("messages") or [{}]
        return str(sent[0].get("id") or f"whatsapp-unknown-{message.outbox_id}")


class TelegramSender:
    """Telegram Bot API: POST /bot<token>/sendMessage (JSON). The token is in the URL, so no
    URL is ever logged or put in an error (`_post` names the exception type only)."""

    def __init__(self, config: dict):
        self.url = f"{config['TELEGRAM_API_BASE']}/bot{config['TELEGRAM_BOT_TOKEN']}/sendMessage"
        self.timeout = config.get("OUTBOX_HTTP_TIMEOUT_SECONDS", 10)
        self.session = requests.Session()

    @staticmethod
    def payload(message: SendRequest) -> dict:
        body = {"chat_id": int(message.recipient.removeprefix("tg:")), "text": message.body}
        if message.buttons:
            body["reply_markup"] = {
                "inline_keyboard": [
                    [{"text": label, "callback_data": data[:64]} for label, data in row]
                    for row in message.buttons
                ]
            }
        elif message.reply_markup:
            body["reply_markup"] = message.reply_markup
        return body

    def send(self, message: SendRequest) -> str:
        answer = _post(self.session, self.url, "telegram", self.timeout, json=self.payload(message))
        result = answer.get("result") if isinstance(answer.get("result"), dict) else {}
        if not answer.get("ok") or "message_id" not in result:
            return f"telegram-unknown-{message.outbox_id}"
        # message_id is unique per chat only.
        return f"{message.recipient.removeprefix('tg:')}:{result['message_id']}"


class MediaFetcher:
    """Downloads a citizen's photo: Meta by media id (two calls), Twilio by its MediaUrl."""

    def __init__(self, config: dict):
        self.config = config
        self.timeout = config.get("OUTBOX_HTTP_TIMEOUT_SECONDS", 10)

    def fetch(self, provider: str, ref: str, max_bytes: int) -> tuple[bytes, str | None]:
        """The file and its content type, streamed: never more than `max_bytes` is read
        (`MediaTooLarge` as soon as the Content-Length or the bytes counted say more)."""
        if provider == "telegram":
            response = self._telegram_file(ref)
        elif provider == "meta_whatsapp":
            headers = {"Authorization": f"Bearer {self.config['WHATSAPP_ACCESS_TOKEN']}"}
            meta = requests.get(
                f"{self.config['WHATSAPP_API_BASE']}/{ref}", headers=headers, timeout=self.timeout
            )
            meta.raise_for_status()
            response = requests.get(meta.json()["url"], headers=headers, timeout=self.timeout, stream=True)
        else:
            response = requests.get(
                ref,
                timeout=self.timeout,
                stream=True,
                auth=(self.config["TWILIO_ACCOUNT_SID"], self.config["TWILIO_AUTH_TOKEN"]),
            )
        with response:
            response.raise_for_status()
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise MediaTooLarge(f"{declared} bytes declared, limit {max_bytes}")
            body = bytearray()
            for chunk in response.iter_content(chunk_size=64 * 1024):
                body += chunk
                if len(body) > max_bytes:
                    raise MediaTooLarge(f"over {max_bytes} bytes")
            return bytes(body), response.headers.get("Content-Type")

    def _telegram_file(self, file_id: str) -> requests.Response:
        """getFile gives a file_path valid for an hour, served under /file/bot<token>/. Errors
        name the status only: requests' own message carries the URL, and the URL the token."""
        base, token = self.config["TELEGRAM_API_BASE"], self.config["TELEGRAM_BOT_TOKEN"]
        try:
            meta = requests.get(
                f"{base}/bot{token}/getFile", params={"file_id": file_id}, timeout=self.timeout
            )
            if meta.status_code >= 400:
                raise TelegramFileError(f"getFile answered {meta.status_code}")
            file_path = (meta.json().get("result") or {}).get("file_path")
            if not file_path:
                raise TelegramFileError("getFile gave no file_path")
            response = requests.get(f"{base}/file/bot{token}/{file_path}", timeout=self.timeout, stream=True)
        except (requests.RequestException, ValueError) as exc:
            raise TelegramFileError(f"Telegram file unavailable: {type(exc).__name__}") from None
        if response.status_code >= 400:
            response.close()
            raise TelegramFileError(f"file download answered {response.status_code}")
        return response


class TelegramFileError(Exception):
    """A Telegram download that failed; its message never holds the bot token."""


def senders_for(config: dict) -> dict:
    """The senders this deployment has credentials for, by provider name."""
    senders: dict = {}
    if config.get("TWILIO_ACCOUNT_SID") and config.get("TWILIO_AUTH_TOKEN"):
        senders["twilio_sms"] = TwilioSender(config)
        senders["twilio_whatsapp"] = TwilioSender(config, whatsapp=True)
    if config.get("WHATSAPP_ACCESS_TOKEN") and config.get("WHATSAPP_PHONE_NUMBER_ID"):
        senders["meta_whatsapp"] = WhatsAppCloudSender(config)
    if config.get("TELEGRAM_BOT_TOKEN"):
        senders["telegram"] = TelegramSender(config)
    if config.get("SMTP_URL"):
        from workers.mail import SmtpSender

        senders["email"] = SmtpSender(config)
    return senders
