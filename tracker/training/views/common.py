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


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "event"


def warn_about_days(sessions) -> None:
    """Say (not block) when a session just saved falls on a weekend or a bank holiday."""
    for warning in listings.session_day_warnings(sessions):
        flash(warning + ". Check the date is right.", "warning")
