"""Minutes say who was at the meeting: they are neither submitted nor approved while an agency invited
has no attendance recorded, and an agency invited but not recorded as there is not counted as represented."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.minutes.conftest import page, text_of
from tracker.auth.models import AgencySector
from tracker.meetings.models import AttendanceStatus, Rsvp
from tracker.minutes import rules
from tracker.minutes.models import Minutes, MinutesStatus


def minutes_of(session, meeting) -> Minutes:
    session.expire_all()
    return session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).one()


def step(client, meeting, minutes, name: str):
    return client.post(f"/meetings/{meeting.id}/minutes/{name}", data={"version": minutes.version})


@pytest.fixture
def unmarked(factory, meeting):
    """Probation and children's social care invited (and accepted) but their attendance never marked."""
    for name, sector in (("Test Probation", AgencySector.PROBATION), ("Test CSC", AgencySector.CHILDRENS_SOCIAL_CARE)):
        person = factory.user("PRACTITIONER", agency=factory.agency(name, sector))
        factory.invitation(meeting, person, rsvp=Rsvp.ACCEPTED)
    return [invitation for invitation in meeting.invitations if invitation.attendance is None]


def test_the_attendance_rule_names_each_agency_once():
    assert rules.attendance_problem("M-2026-0001", []) is None
    assert rules.attendance_problem("M-2026-0001", ["Police", "Probation", "Police", "Children's Services"]) == (
        "Meeting M-2026-0001: record the attendance of Police, Probation and Children's Services "
        "(present, apologies or absent), so the minutes say who was there"
    )


def test_minutes_are_not_submitted_while_attendance_is_not_recorded(
    client_as, session, factory, meeting, people, unmarked
):
    minutes = factory.minutes(meeting, MinutesStatus.DRAFT)
    administrator = client_as(people["administrator"])

    response = step(administrator, meeting, minutes, "submit")

    assert response.status_code == 200
    summary = page(response).find(class_="govuk-error-summary")
    message = (
        f"Meeting {meeting.reference}: record the attendance of Test CSC and Test Probation (present, "
        "apologies or absent), so the minutes say who was there"
    )
    assert message in summary.get_text(" ", strip=True)
    # The message leads to the attendance page, where it is put right.
    assert summary.find("a", string=message)["href"] == f"/meetings/{meeting.id}/attendance"
    assert minutes_of(session, meeting).status is MinutesStatus.DRAFT
    # The drafter is told before trying, too.
    blockers = page(administrator.get(f"/meetings/{meeting.id}/minutes")).find(id="approval-blockers")
    assert blockers.find("a", href=f"/meetings/{meeting.id}/attendance").get_text() == message


def test_minutes_are_not_approved_while_attendance_is_not_recorded_and_are_once_it_is(
    client_as, session, factory, meeting, people, unmarked
):
    minutes = factory.minutes(meeting, MinutesStatus.SUBMITTED)
    chair = client_as(people["chair"])

    response = step(chair, meeting, minutes, "approve")

    assert "record the attendance of Test CSC and Test Probation" in text_of(response)
    assert minutes_of(session, meeting).status is MinutesStatus.SUBMITTED
    for invitation in unmarked:
        invitation.attendance = AttendanceStatus.APOLOGIES
        factory.save(invitation)
    assert step(chair, meeting, minutes_of(session, meeting), "approve").status_code == 302
    assert minutes_of(session, meeting).status is MinutesStatus.APPROVED


def test_an_ra_agency_invited_but_not_recorded_as_there_is_not_represented_in_the_minutes(
    client_as, factory, meeting, people, unmarked
):
    """Police attended; Probation replied that it would come, but nobody recorded it there."""
    factory.minutes(meeting, MinutesStatus.DRAFT)
    administrator = client_as(people["administrator"])
    shown = text_of(administrator.get(f"/meetings/{meeting.id}/minutes"))
    assert "Responsible Authority agencies not represented: Probation." in shown
    for invitation in unmarked:
        invitation.attendance = AttendanceStatus.PRESENT
        factory.save(invitation)
    shown = text_of(administrator.get(f"/meetings/{meeting.id}/minutes"))
    assert "Responsible Authority agencies not represented" not in shown
