"""A real SMTP server on localhost (aiosmtpd) that keeps what it receives."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """aiosmtpd handler: every accepted message, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


@pytest.fixture
def mail_config(smtp_server):
    return {
        "WTF_CSRF_ENABLED": False,
        "MAIL_BACKEND": "smtp",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
        "MAIL_FROM": "Reciproca <no-reply@reciproca.example>",
    }
