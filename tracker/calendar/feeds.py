"""Personal subscription feeds: the secret link (issued, reset, stopped) and the feed it opens."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from flask import url_for
from sqlmodel import select

from tracker.auth import rules as auth_rules
from tracker.auth.models import User
from tracker.calendar import ics, providers, rules
from tracker.calendar.events import CalendarEvent, tracker_url
from tracker.calendar.models import FeedToken
from tracker.core import settings
from tracker.core.db import db
from tracker.core.types import utcnow


def current_link(user: User) -> FeedToken | None:
    return db.session.exec(select(FeedToken).where(FeedToken.user_id == user.id)).first()


def issue_link(user: User) -> str:
    """A new secret link for this person, replacing any earlier one (which stops working at once).
    Only the hash is stored, so the token is returned to be shown this once."""
    token, token_hash = auth_rules.new_token()
    link = current_link(user)
    if link is None:
        db.session.add(FeedToken(user_id=user.id, token_hash=token_hash))
    else:
        link.token_hash = token_hash
        link.created_at = utcnow()
    return token


def stop_link(user: User) -> bool:
    link = current_link(user)
    if link is None:
        return False
    db.session.delete(link)
    return True


def owner_of(token: str) -> User | None:
    """The active person whose current link this is, in one query; None for an old or unknown link."""
    return db.session.exec(
        select(User)
        .join(FeedToken, FeedToken.user_id == User.id)
        .where(FeedToken.token_hash == auth_rules.token_hash(token), User.active.is_(True))
    ).first()


def addresses(token: str) -> dict[str, str]:
    """The feed's address as a web link (Outlook on the web) and as webcal:// (opens a calendar app)."""
    web = tracker_url(url_for("calendar.feed_file", token=token))
    parts = urlsplit(web)
    return {"web": web, "webcal": parts._replace(scheme="webcal").geturl()}


def calendar_name() -> str:
    return f"MAPPA Tracker ({settings.get('area_name')})"


def entries(user: User, today: date) -> list[CalendarEvent]:
    """The person's calendar entries from a month back to a year ahead."""
    return providers.events_for(user, *rules.feed_window(today))


def build(user: User, today: date) -> bytes:
    """The person's subscription feed."""
    return ics.feed(entries(user, today), calendar_name())
