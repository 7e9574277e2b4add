"""A real SMTP server on loopback (aiosmtpd) whose messages tests read, and the app pointed at it."""

import re
import socket
from contextlib import contextmanager
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

from ideapankki.mail import MailSettings


class Inbox:
    """Collects what the loopback SMTP server receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"

    def last_link(self) -> str:
        body = self.messages[-1].get_body().get_content()
        return re.search(r"http://localhost(/\S+)", body).group(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def mail_settings(port: int, folder) -> MailSettings:
    return MailSettings(host="127.0.0.1", port=port, username=None, password=None, starttls=False,
                        sender="Ideapankki <noreply@ideapankki.test>", folder=folder)


@contextmanager
def smtp_inbox(app, folder, handler=None):
    """Serve HANDLER (an Inbox by default) on a loopback port and make APP send mail to it."""
    box = handler or Inbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    app.config["MAIL_SETTINGS"] = mail_settings(port, folder)
    try:
        yield box
    finally:
        controller.stop()
