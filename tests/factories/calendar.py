"""Factories for calendar feed links."""

from __future__ import annotations

from tracker.auth import rules
from tracker.calendar.models import FeedToken


class CalendarFactory:
    def feed_link(self, user) -> str:
        """A feed link's secret token for this person (the database keeps only its hash)."""
        token, token_hash = rules.new_token()
        self.save(FeedToken(user_id=user.id, token_hash=token_hash))
        return token
