"""Fixtures for evaluation tests: the emails sent, caught instead of written to the mail folder."""

import re

import pytest

from tracker.core import mail

LINK = re.compile(r"http://tracker\.test(/evaluations/answer/[\w-]+)")


@pytest.fixture
def outbox(monkeypatch) -> list:
    sent = []
    monkeypatch.setattr(mail, "send", sent.append)
    return sent


def links_in(messages) -> dict[str, str]:
    """The answer link in each email, by the address it went to."""
    return {message["To"]: LINK.search(message.get_content()).group(1) for message in messages}
