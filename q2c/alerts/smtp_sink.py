"""Send the digest as a plain-text e-mail through an SMTP server."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from q2c.alerts.digest import AlertDigest, render_subject, render_text
from q2c.alerts.sink_result import SinkResult, redact


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = False
    timeout_seconds: float = 10.0

    @property
    def target(self) -> str:
        return f"smtp://{self.host}:{self.port} to {', '.join(self.recipients)}"


def build_message(digest: AlertDigest, sender: str, recipients: tuple[str, ...]) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = render_subject(digest)
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain="q2c.local")
    message.set_content(render_text(digest))
    return message


def send_smtp(digest: AlertDigest, config: SmtpConfig) -> SinkResult:
    message = build_message(digest, config.sender, config.recipients)
    try:
        with smtplib.SMTP(config.host, config.port, timeout=config.timeout_seconds) as smtp:
            smtp.ehlo()
            if config.starttls:
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if config.user:
                smtp.login(config.user, config.password or "")
            refused = smtp.send_message(message, from_addr=config.sender, to_addrs=list(config.recipients))
    except (smtplib.SMTPException, OSError) as exc:
        error = redact(f"{type(exc).__name__}: {exc}", [config.password])
        return SinkResult("smtp", False, config.target, f"sending e-mail failed: {error}")
    accepted = len(config.recipients) - len(refused)
    detail = f"sent to {accepted} recipient(s)"
    if refused:
        detail += f"; refused: {', '.join(sorted(refused))}"
    return SinkResult("smtp", True, config.target, detail)
