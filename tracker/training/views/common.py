"""Pieces several training views share: flash messages, certificates, file names."""

from __future__ import annotations

import re

from flask import flash

from tracker.training import certificates, listings
from tracker.training.models import Enrolment
from tracker.training.services import ChairPlaces, GivenBack


def certificate_kind(enrolment: Enrolment) -> str | None:
    return certificates.kind(enrolment)


def saved_message(message: str, moved: list[Enrolment]) -> str:
    if moved:
        names = ", ".join(enrolment.trainee.name for enrolment in moved)
        message += f" Moved up from the waiting list: {names}."
    return message


def released_message(message: str, places: ChairPlaces | None) -> str:
    """Tell the TRSG which places on other chair course events a chair's completion released, and what
    became of those a correction that undid a completion offered back."""
    if places and places.released:
        released = "; ".join(
            f"{e.trainee.name} from {e.event.title} ({e.event.course.title})" for e in places.released
        )
        message += (
            f" Completed chairs are not offered another chair course, so these places were released: "
            f"{released}."
        )
    for given in places.given_back if places else ():
        message += " " + _given_back(given)
    return message


def _given_back(given: GivenBack) -> str:
    name, completed, place = given.place.trainee.name, given.completion.event, given.place.event
    said = (
        f"{name}'s completion of {completed.course.title} ({completed.title}) has been undone, so the place "
        f"on {place.title} ({place.course.title}) released when {name} completed it"
    )
    if given.outcome == "enrolled":
        return f"{said} has been given back: {name} is enrolled on it again and has been sent its sessions."
    if given.outcome == "waiting":
        return (
            f"{said} could not be given back as {place.title} is full: {name} now has no place there, and is "
            "first on its waiting list."
        )
    return (
        f"{said} cannot be given back ({given.why}): {name} now has no place there. Enrol {name} on another "
        "chair course event if they are to complete the training."
    )


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "event"


def warn_about_days(sessions) -> None:
    """Say (not block) when a session just saved falls on a weekend or a bank holiday."""
    for warning in listings.session_day_warnings(sessions):
        flash(warning + ". Check the date is right.", "warning")
