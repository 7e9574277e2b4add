"""Outgoing e-mail: SMTP when IDEAPANKKI_SMTP_HOST is set, else .eml files in the instance (demo)."""

from __future__ import annotations

import os
import smtplib
import ssl
import time
from dataclasses import dataclass
from email import policy
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


# Header lines up to SMTP's 998 characters: a List-Unsubscribe address is one long word, which
# the default 78-character policy would turn into an encoded word that mail clients do not read.
UNFOLDED = policy.default.clone(max_line_length=998)


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
    message.set_content(body)  # encoded under the default policy: body lines stay within 78
    if headers:
        message.policy = UNFOLDED  # only the header lines are written wider
    return message


class Sender:
    """Sends messages over one SMTP connection, opened at the first message and again after a
    failure (a batch of digests costs one connection, not one each); or writes .eml files."""

    def __init__(self, settings: MailSettings):
        self.settings, self.smtp = settings, None

    def __enter__(self) -> "Sender":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()

    def _connection(self) -> smtplib.SMTP:
        if self.smtp is None:
            settings = self.settings
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=30)
            try:
                if settings.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if settings.username:
                    smtp.login(settings.username, settings.password or "")
            except BaseException:
                smtp.close()
                raise
            self.smtp = smtp
        return self.smtp

    def send(self, to: str, subject: str, body: str, headers: dict[str, str] | None = None) -> EmailMessage:
        """Send one plain-text message (UTF-8), with HEADERS added, and return it."""
        message = build_message(self.settings, to, subject, body, headers)
        if self.settings.host:
            try:
                self._connection().send_message(message)
            except BaseException:
                self.close()  # the next message starts on a new connection
                raise
        else:
            self.settings.folder.mkdir(parents=True, exist_ok=True)
            path = self.settings.folder / f"{time.time_ns()}.eml"
            path.write_bytes(bytes(message))
        return message


def send(settings: MailSettings, to: str, subject: str, body: str,
         headers: dict[str, str] | None = None) -> EmailMessage:
    """Send one plain-text message (UTF-8), with HEADERS added, on a connection of its own."""
    with Sender(settings) as sender:
        return sender.send(to, subject, body, headers)
