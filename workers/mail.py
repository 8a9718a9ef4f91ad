"""The e-mail sender (outside bodies, issue #17): SMTP from the standard library.

`SMTP_URL` names the server: `smtp://host:port` (plain, STARTTLS when the server offers it),
`smtps://host:port` (TLS from the first byte), with `user:password@` for servers that want a
login. Like the other senders it knows nothing of the database and does not retry: the outbox
claims the row before calling it and RQ retries transient failures. SMTP takes no idempotency
key; the Message-ID is the row's own key, so a resend after a crash mid-call carries the same id
and mail systems that de-duplicate by it show it once.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import unquote, urlsplit

from ticketing.services.outbox import PermanentSendError, SendRequest, TransientSendError


class SmtpSender:
    def __init__(self, config: dict):
        url = urlsplit(config["SMTP_URL"])
        if url.scheme not in ("smtp", "smtps"):
            raise ValueError("SMTP_URL must start with smtp:// or smtps://")
        self.implicit_tls = url.scheme == "smtps"
        self.host = url.hostname or "127.0.0.1"
        self.port = url.port or (465 if self.implicit_tls else 25)
        self.username = unquote(url.username) if url.username else None
        self.password = unquote(url.password) if url.password else None
        self.sender = config.get("SMTP_FROM") or "aduan@localhost"
        self.timeout = float(config.get("OUTBOX_HTTP_TIMEOUT_SECONDS", 10))

    def message(self, request: SendRequest) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = request.recipient
        message["Subject"] = request.subject or "Aduan"
        message["Date"] = formatdate(localtime=False)
        domain = self.sender.rsplit("@", 1)[-1].strip("> ") or "localhost"
        message["Message-ID"] = f"<{request.idempotency_key}@{domain}>"
        message.set_content(request.body)
        for name, content_type, content in request.attachments:
            maintype, _, subtype = content_type.partition("/")
            message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
        return message

    def send(self, request: SendRequest) -> str:
        message = self.message(request)
        try:
            if self.implicit_tls:
                client = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with client:
                client.ehlo()
                if not self.implicit_tls and client.has_extn("starttls"):
                    client.starttls(context=ssl.create_default_context())
                    client.ehlo()
                if self.username:
                    client.login(self.username, self.password or "")
                client.send_message(message)
        except smtplib.SMTPResponseException as exc:
            # 4xx: try again later (greylisting, a full queue); 5xx: the address or login is wrong.
            error = f"smtp answered {exc.smtp_code}"
            raise (TransientSendError if 400 <= exc.smtp_code < 500 else PermanentSendError)(error) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            error = f"smtp refused the recipient ({', '.join(map(str, codes))})"
            raise (TransientSendError if all(400 <= c < 500 for c in codes) else PermanentSendError)(
                error
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise TransientSendError(f"smtp unreachable: {type(exc).__name__}") from exc
        return message["Message-ID"]
