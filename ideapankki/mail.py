"""Outgoing e-mail: SMTP when IDEAPANKKI_SMTP_HOST is set, else .eml files in the instance (demo)."""

from __future__ import annotations

import os
import smtplib
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path


@dataclass(frozen=True)
class MailSettings:
    host: str | None
    port: int
    username: str | None
    password: str | None
    starttls: bool
    sender: str
    folder: Path

    @classmethod
    def from_environment(cls, instance: Path) -> "MailSettings":
        env = os.environ.get
        return cls(
            host=env("IDEAPANKKI_SMTP_HOST") or None,
            port=int(env("IDEAPANKKI_SMTP_PORT") or 25),
            username=env("IDEAPANKKI_SMTP_USERNAME") or None,
            password=env("IDEAPANKKI_SMTP_PASSWORD") or None,
            starttls=env("IDEAPANKKI_SMTP_STARTTLS", "0") == "1",
            sender=env("IDEAPANKKI_MAIL_FROM") or "Ideapankki <ideapankki@localhost>",
            folder=instance / "mail",
        )


def build_message(settings: MailSettings, to: str, subject: str, body: str,
                  headers: dict[str, str] | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = " ".join(subject.split())  # one line, whatever the title held
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="ideapankki")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message


def send(settings: MailSettings, to: str, subject: str, body: str,
         headers: dict[str, str] | None = None) -> EmailMessage:
    """Send one plain-text message (UTF-8), with HEADERS added, and return it."""
    message = build_message(settings, to, subject, body, headers)
    if settings.host:
        with smtplib.SMTP(settings.host, settings.port, timeout=30) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.username:
                smtp.login(settings.username, settings.password or "")
            smtp.send_message(message)
    else:
        settings.folder.mkdir(parents=True, exist_ok=True)
        path = settings.folder / f"{time.time_ns()}.eml"
        path.write_bytes(bytes(message))
    return message
