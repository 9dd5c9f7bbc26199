"""Helpers for the meetings tests: warnings, agenda posts and corrections (pages are read with tests.pages)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tests.kept_counts import counts_stay_kept  # noqa: F401  (every test ends with the counts kept)
from tests.posted import UNTRAINED_CHAIR_REASON, date_parts, meeting_form


def warnings_on(response) -> list[str]:
    soup = BeautifulSoup(response.data, "html.parser")
    return [
        w.get_text(" ", strip=True).removeprefix("!").strip().removeprefix("Warning").strip()
        for w in soup.select(".govuk-warning-text__text")
    ]


def post_confirming_warnings(client, url: str, data: dict):
    """Post an agenda form; if the page asks to confirm its warnings, confirm them as a person would by
    pressing "anyway" (the warnings inform, they never block)."""
    response = client.post(url, data=data)
    warned = BeautifulSoup(response.data, "html.parser").find("input", {"name": "warned"})
    if response.status_code == 200 and warned is not None:
        response = client.post(url, data={**data, "warned": warned["value"]})
    return response


def start_correction(client, session, meeting, reason: str):
    """Start a correction of the meeting's approved minutes, as the chair does (the form carries the
    minutes' version); the response."""
    import sqlalchemy as sa

    version = session.execute(
        sa.text("SELECT version FROM minutes WHERE meeting_id = :id"), {"id": meeting.id}
    ).scalar_one()
    return client.post(
        f"/meetings/{meeting.id}/minutes/correct", data={"version": str(version), "reason": reason}
    )


def approve_correction(client, session, meeting):
    """Submit the correction under way to the meeting's minutes and approve it, as its chair does; the
    approval's response."""
    import sqlalchemy as sa

    def version() -> str:
        query = sa.text("SELECT version FROM minutes WHERE meeting_id = :id")
        return str(session.execute(query, {"id": meeting.id}).scalar_one())

    submitted = client.post(f"/meetings/{meeting.id}/minutes/submit", data={"version": version()})
    assert submitted.status_code == 302, submitted.status_code
    return client.post(f"/meetings/{meeting.id}/minutes/approve", data={"version": version()})


def move_meeting(client, session, meeting, chair, day, **times):
    """Post the meeting form that moves the meeting to the day (at the times given, or the form's), with
    the untrained chair given, at the meeting's version now; the response."""
    session.expire_all()
    version = session.get(type(meeting), meeting.id).version
    form = meeting_form(
        chair, day=date_parts(day), chair_reason=UNTRAINED_CHAIR_REASON, version=str(version), **times
    )
    return client.post(f"/meetings/{meeting.id}/edit", data=form)
