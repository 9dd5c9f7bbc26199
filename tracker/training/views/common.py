"""Pieces several training views share: flash messages, certificates, file names."""

from __future__ import annotations

import re

from flask import flash

from tracker.training import certificates, listings
from tracker.training.models import Enrolment


def certificate_kind(enrolment: Enrolment) -> str | None:
    return certificates.kind(enrolment)


def saved_message(message: str, moved: list[Enrolment]) -> str:
    if moved:
        names = ", ".join(enrolment.trainee.name for enrolment in moved)
        message += f" Moved up from the waiting list: {names}."
    return message


def released_message(message: str, released: list[Enrolment]) -> str:
    """Tell the TRSG which places on other chair course events a chair's completion released."""
    if released:
        places = "; ".join(
            f"{e.trainee.name} from {e.event.title} ({e.event.course.title})" for e in released
        )
        message += (
            f" Completed chairs are not offered another chair course, so these places were released: "
            f"{places}."
        )
    return message


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "event"


def warn_about_days(sessions) -> None:
    """Say (not block) when a session just saved falls on a weekend or a bank holiday."""
    for warning in listings.session_day_warnings(sessions):
        flash(warning + ". Check the date is right.", "warning")
