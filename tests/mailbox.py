"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests of the emails the
tracker sends. Use it through the `smtp_server` fixture (tests/conftest.py); `mail_server_down`
points the app at a port where nothing listens."""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)


@dataclass
class Mailbox:
    received: list[Received] = field(default_factory=list)
    # Addresses the server refuses (550), as a mail server refuses an unknown mailbox.
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        """What arrived for this address."""
        return [r for r in self.received if address.lower() in (a.lower() for a in r.recipients)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
