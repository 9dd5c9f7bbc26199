"""Fixtures for evaluation tests: the emails sent, as a real SMTP server on loopback received them."""

import re
from collections.abc import Sequence

import pytest

LINK = re.compile(r"http://tracker\.test(/evaluations/answer/[\w-]+)")


@pytest.fixture
def outbox(smtp_server) -> "Outbox":
    """The messages that reached the loopback SMTP server, in order."""
    return Outbox(smtp_server)


class Outbox(Sequence):
    def __init__(self, mailbox):
        self.mailbox = mailbox

    def __getitem__(self, index):
        return [received.message for received in self.mailbox.received][index]

    def __len__(self):
        return len(self.mailbox.received)


def links_in(messages) -> dict[str, str]:
    """The answer link in each email, by the address it went to."""
    return {message["To"]: LINK.search(message.get_content()).group(1) for message in messages}
