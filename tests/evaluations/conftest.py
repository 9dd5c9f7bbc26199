"""Fixtures for evaluation tests: the emails sent, as a real SMTP server on loopback received them."""

import re
from collections.abc import Sequence

import pytest

from tracker.core import sending
from tracker.core.models import Setting
from tracker.evaluations import rules

LINK = re.compile(r"http://tracker\.test(/evaluations/answer/[\w-]+)")


@pytest.fixture
def outbox(app, smtp_server) -> "Outbox":
    """The messages that reached the loopback SMTP server, in order (the sender runs first, as
    `tracker send-mail` would, so that what services and commands queued has gone)."""
    return Outbox(app, smtp_server)


@pytest.fixture
def two_anonymous_answers_show(factory) -> None:
    """The area lets anonymous answers show from two of them (the fewest it may choose), for tests of how
    results are counted and shown rather than of what anonymity holds back."""
    factory.save(Setting(key=rules.MIN_ANONYMOUS_RESPONSES.key, value="2"))


class Outbox(Sequence):
    def __init__(self, app, mailbox):
        self.app, self.mailbox = app, mailbox

    def _delivered(self):
        with self.app.app_context():
            sending.send_all_due()
        return [received.message for received in self.mailbox.received]

    def __getitem__(self, index):
        return self._delivered()[index]

    def __len__(self):
        return len(self._delivered())


def links_in(messages) -> dict[str, str]:
    """The answer link in each email, by the address it went to."""
    return {message["To"]: LINK.search(message.get_content()).group(1) for message in messages}
