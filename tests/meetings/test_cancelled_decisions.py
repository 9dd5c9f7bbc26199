"""A meeting that is cancelled decided nothing: the level decisions recorded at it are withdrawn (each case
set again from its history without it), the cancel page says so beforehand, case by case, and the trail
keeps what was withdrawn."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.justify import open_page
from tests.pages import page_text
from tests.posted import date_parts, decision_form
from tracker.core.models import AuditEvent
from tracker.core.timeutil import today_london
from tracker.meetings.models import (
    AgendaItem,
    Case,
    CaseEvent,
    CaseStatus,
    Level,
    Meeting,
    MeetingStatus,
)


def _decided(client_as, factory, session, decision: str, level: Level = Level.LEVEL_2):
    """The tester's steps: a Level 2 meeting today, still scheduled, with a case; its chair records the
    decision through the page. Returns the administrator, the meeting, the item and the case."""
    chair, administrator = factory.user("CHAIR"), factory.user("ADMINISTRATOR")
    today = today_london()
    case = factory.case(level, referred_on=today - timedelta(days=40))
    meeting = factory.meeting(chair=chair, administrator=administrator, day=today, level=level)
    item = factory.agenda_item(meeting, case)
    response = client_as(chair).post(
        f"/meetings/{meeting.id}/agenda/{item.id}/decision",
        data=decision_form(item.version, decision, "Risk has changed", today + timedelta(weeks=8)),
    )
    assert response.status_code == 302, page_text(response)
    return administrator, meeting, item, case


def _cancel(client, meeting: Meeting):
    return client.post(
        f"/meetings/{meeting.id}/cancel",
        data={"version": str(meeting.version), "reason": "Panel not quorate"},
        follow_redirects=True,
    )


def _decision_entries(session, case: Case) -> list[CaseEvent]:
    return list(
        session.exec(
            select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.agenda_item_id.is_not(None))
        )
    )


def test_cancelling_withdraws_an_exit_and_the_case_can_be_changed_again(client_as, factory, session):
    administrator, meeting, item, case = _decided(client_as, factory, session, "EXIT")
    session.expire_all()
    assert session.get(Case, case.id).status is CaseStatus.EXITED  # as the tester found it
    client = client_as(administrator)

    form = page_text(client.get(f"/meetings/{meeting.id}/cancel"))
    assert f"The decision to exit {case.reference} from MAPPA management will be withdrawn." in form

    session.expire_all()
    response = _cancel(client, session.get(Meeting, meeting.id))
    assert f"Meeting {meeting.reference} cancelled. 1 level decision recorded at it withdrawn." in page_text(
        response
    )
    session.expire_all()
    after = session.get(Case, case.id)
    assert (after.status, after.level) == (CaseStatus.ACTIVE, Level.LEVEL_2)
    assert _decision_entries(session, after) == []
    shown = page_text(open_page(client_as("COORDINATOR"), f"/cases/{case.id}"))
    assert f"{case.reference}: {case.name}" in shown  # the case page itself, not a question first
    assert "Exited MAPPA" not in shown

    # The level can be recorded again outside a meeting: the case never left MAPPA.
    changed = client_as("COORDINATOR").post(
        f"/cases/{case.id}/events/new",
        data={
            "kind": "LEVEL_CHANGED",
            "new_level": "LEVEL_3",
            "occurred_on": date_parts(today_london()),
            "reason": "Risk escalated",
        },
    )
    assert changed.status_code == 302, page_text(changed)
    session.expire_all()
    assert session.get(Case, case.id).level is Level.LEVEL_3

    trail = session.exec(select(AuditEvent).where(AuditEvent.action == "decision withdrawn")).all()
    assert [(entry.case_id, entry.summary) for entry in trail] == [
        (
            case.id,
            f"{meeting.reference} cancelled (Panel not quorate): the decision to exit {case.reference} from "
            "MAPPA management withdrawn",
        )
    ]


@pytest.mark.parametrize(
    ("decision", "level", "wording"),
    [
        ("RAISE", Level.LEVEL_2, "raise {ref} from Level 2 to Level 3"),
        ("LOWER", Level.LEVEL_3, "lower {ref} from Level 3 to Level 2"),
        ("RETAIN", Level.LEVEL_2, "keep {ref} at Level 2"),
    ],
)
def test_cancelling_withdraws_a_change_of_level(client_as, factory, session, decision, level, wording):
    administrator, meeting, item, case = _decided(client_as, factory, session, decision, level)
    client = client_as(administrator)
    form = page_text(client.get(f"/meetings/{meeting.id}/cancel"))
    assert f"The decision to {wording.format(ref=case.reference)} will be withdrawn." in form

    session.expire_all()
    assert _cancel(client, session.get(Meeting, meeting.id)).status_code == 200
    session.expire_all()
    after = session.get(Case, case.id)
    assert (after.status, after.level) == (CaseStatus.ACTIVE, level)
    assert _decision_entries(session, after) == []
    # The meeting's record keeps what was recorded at it (the trail and the cancelled meeting say so).
    kept = session.get(AgendaItem, item.id)
    assert kept.level_decision.name == decision
    shown = page_text(client.get(f"/meetings/{meeting.id}/agenda/{item.id}"))
    assert "The meeting was cancelled, so what it recorded here was withdrawn" in shown
    assert session.get(Meeting, meeting.id).status is MeetingStatus.CANCELLED


def test_cancelling_a_meeting_keeps_another_meetings_decision(client_as, factory, session):
    """Only the cancelled meeting's decisions go: a decision on the same case at an earlier meeting that
    was held still stands."""
    administrator, meeting, item, case = _decided(client_as, factory, session, "EXIT", Level.LEVEL_3)
    earlier = factory.meeting(
        chair=meeting.chair,
        day=today_london() - timedelta(days=14),
        status=MeetingStatus.HELD,
        level=Level.LEVEL_3,
    )
    before = factory.agenda_item(earlier, case)
    lowered = client_as(earlier.chair).post(
        f"/meetings/{earlier.id}/agenda/{before.id}/decision",
        data=decision_form(before.version, "LOWER", "Risk has reduced", today_london() + timedelta(weeks=4)),
    )
    assert lowered.status_code == 302, page_text(lowered)
    client = client_as(administrator)
    session.expire_all()
    assert session.get(Case, case.id).status is CaseStatus.EXITED
    form = page_text(client.get(f"/meetings/{meeting.id}/cancel"))
    assert f"The decision to exit {case.reference} from MAPPA management will be withdrawn." in form

    _cancel(client, session.get(Meeting, meeting.id))
    session.expire_all()
    after = session.get(Case, case.id)
    assert (after.status, after.level) == (CaseStatus.ACTIVE, Level.LEVEL_2)
    assert after.next_review_on == today_london() + timedelta(weeks=4)
    assert [entry.agenda_item_id for entry in _decision_entries(session, after)] == [before.id]


def test_a_meeting_with_approved_minutes_cannot_be_cancelled(client_as, factory, session):
    """Already so before cancelling withdrew decisions: its record is frozen with its minutes."""
    from tracker.minutes.models import MinutesStatus

    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair, day=today_london() - timedelta(days=3), status=MeetingStatus.HELD)
    factory.agenda_item(meeting)
    factory.minutes(meeting, MinutesStatus.APPROVED)
    response = client_as(chair).post(
        f"/meetings/{meeting.id}/cancel", data={"version": "1", "reason": "Off"}, follow_redirects=True
    )
    assert (
        f"The minutes of meeting {meeting.reference} are approved, so what the meeting recorded can no longer"
        in (page_text(response))
    )
    session.expire_all()
    assert session.get(Meeting, meeting.id).status is MeetingStatus.HELD


def test_the_case_page_lists_cancelled_meetings_apart_from_those_that_discussed_it(
    client_as, factory, session
):
    from bs4 import BeautifulSoup

    chair = factory.user("CHAIR")
    case = factory.case(referred_on=today_london() - timedelta(days=60))
    held = factory.meeting(chair=chair, day=today_london() - timedelta(days=20), status=MeetingStatus.HELD)
    called_off = factory.meeting(
        chair=chair,
        day=today_london() - timedelta(days=5),
        status=MeetingStatus.CANCELLED,
        cancelled_reason="Panel not quorate",
    )
    factory.agenda_item(held, case)
    factory.agenda_item(called_off, case)

    shown = BeautifulSoup(open_page(client_as("COORDINATOR"), f"/cases/{case.id}").data, "html.parser")
    discussed = shown.find(id="discussed-meetings").get_text(" ", strip=True)
    assert held.reference in discussed and called_off.reference not in discussed
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in shown.find(id="cancelled-meetings").find("tbody").find_all("tr")
    ]
    assert [(row[0], row[2]) for row in rows] == [(called_off.reference, "Panel not quorate")]
