"""A real SMTP server on 127.0.0.1 in the test process (aiosmtpd), and the app set to use it."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.evaluations.conftest import org  # noqa: F401 (the org fixture, shared)

PUBLIC_URL = "http://qa.example.test"


class Inbox:
    """What the server received: one parsed message per email."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    found = Inbox(free_port())
    controller = Controller(found, hostname="127.0.0.1", port=found.port)
    controller.start()
    try:
        yield found
    finally:
        controller.stop()


@pytest.fixture
def config_overrides(inbox: Inbox) -> dict[str, Any]:
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": inbox.port,
        "MAIL_USE_TLS": False,
        "MAIL_TIMEOUT": 5,
        "PUBLIC_URL": PUBLIC_URL,
    }


def parts(message: EmailMessage) -> tuple[str, str]:
    """The text and the HTML body of a message."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()
