"""Who the case's history says recorded a meeting's level decision: the person who recorded the decision
as it stands. A correction's draft leaves the history as it was, and abandoning it leaves the history
as it was (the same recorder, the same time recorded); a correction that changes the decision is
recorded, once approved, by whoever made the change. Also run on PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.meetings.conftest import approve_correction, start_correction
from tests.pages import page_text
from tests.posted import decision_form
from tracker.core.timeutil import today_london
from tracker.meetings.models import AgendaItem, Case, CaseEvent, CaseEventKind, Level, MeetingStatus
from tracker.minutes.models import Minutes, MinutesStatus

REVIEW_ON = today_london() + timedelta(weeks=6)


def _decide(client, session, item: AgendaItem, decision: str, reason: str):
    version = session.get(AgendaItem, item.id).version
    url = f"/meetings/{item.meeting_id}/agenda/{item.id}/decision"
    response = client.post(url, data=decision_form(version, decision, reason, REVIEW_ON))
    assert response.status_code == 302, page_text(response)
    session.expire_all()


def _approved_with(client_as, factory, session, people, decision: str, level=Level.LEVEL_2) -> AgendaItem:
    """A meeting held two days ago whose chair recorded `decision` for its case (at `level` until then);
    minutes approved."""
    meeting = factory.held_meeting(chair=people["chair"], administrator=people["administrator"], days_ago=2)
    item = meeting.agenda_items[0]
    if level is not item.level_considered:
        referral = session.exec(select(CaseEvent).where(CaseEvent.case_id == item.case_id)).one()
        item.level_considered = item.case.level = referral.level = level
        factory.save(item, item.case, referral)
    _decide(client_as(people["chair"]), session, item, decision, "Decided at the meeting")
    factory.minutes(meeting, MinutesStatus.APPROVED)
    return session.get(AgendaItem, item.id)


def _entries(session, case_id: int) -> list[tuple]:
    session.expire_all()
    rows = session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.agenda_item_id.is_not(None))
    ).all()
    return [
        (e.agenda_item_id, e.kind, e.previous_level, e.level, e.recorded_by_id, e.recorded_at) for e in rows
    ]


def _recorded_by_on_case_page(client, case_id: int) -> list[str]:
    soup = BeautifulSoup(client.get(f"/cases/{case_id}").data, "html.parser")
    rows = soup.find("h2", string="History").find_next("table").select("tbody tr")
    return [" | ".join(cell.get_text(" ", strip=True) for cell in row.select("td")) for row in rows]


def _abandon(client, session, meeting_id: int):
    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == meeting_id)).one()
    response = client.post(
        f"/meetings/{meeting_id}/minutes/abandon-correction", data={"version": str(minutes.version)}
    )
    assert response.status_code == 302, page_text(response)
    session.expire_all()


@pytest.mark.parametrize(
    ("decision", "kind"), [("RAISE", CaseEventKind.LEVEL_CHANGED), ("EXIT", CaseEventKind.EXITED)]
)
def test_abandoning_a_correction_puts_back_who_recorded_the_decision_and_when(
    client_as, factory, session, people, decision, kind
):
    """The chair recorded the decision; a correction took it away (Retain: no entry); the administrator
    abandoned the correction. The entry is back as the chair recorded it, at the time they recorded it."""
    item = _approved_with(client_as, factory, session, people, decision)
    before = _entries(session, item.case_id)
    assert [(e[1], e[4]) for e in before] == [(kind, people["chair"].id)]

    chair, administrator = client_as(people["chair"]), client_as(people["administrator"])
    assert (
        start_correction(chair, session, item.meeting, "The decision was minuted wrongly").status_code == 302
    )
    _decide(chair, session, item, "RETAIN", "Retained after all")
    assert _entries(session, item.case_id) == before  # the draft reaches no one's history
    _abandon(administrator, session, item.meeting_id)

    assert _entries(session, item.case_id) == before
    rows = [row for row in _recorded_by_on_case_page(chair, item.case_id) if kind.label in row]
    assert len(rows) == 1 and rows[0].endswith("Daniel Price"), rows


def test_a_correction_that_changes_the_decision_is_recorded_by_who_changed_it(
    client_as, factory, session, people
):
    """Raise changed to Exit in a correction the administrator made and the chair approved: the entry (now
    an exit) is the administrator's, recorded when they changed it."""
    item = _approved_with(client_as, factory, session, people, "RAISE")
    (_item, _kind, _previous, _level, _by, first_recorded_at) = _entries(session, item.case_id)[0]
    chair, administrator = client_as(people["chair"]), client_as(people["administrator"])
    assert start_correction(chair, session, item.meeting, "Exit was agreed, not a raise").status_code == 302
    _decide(administrator, session, item, "EXIT", "Exit agreed")
    assert [entry[1] for entry in _entries(session, item.case_id)] == [CaseEventKind.LEVEL_CHANGED]
    assert approve_correction(chair, session, item.meeting).status_code == 302

    [entry] = _entries(session, item.case_id)
    assert entry[1] is CaseEventKind.EXITED
    assert entry[4] == people["administrator"].id
    assert entry[5] > first_recorded_at
    rows = [row for row in _recorded_by_on_case_page(chair, item.case_id) if "Exited MAPPA" in row]
    assert len(rows) == 1 and rows[0].endswith("Aisha Karim"), rows


def test_saving_the_same_decision_again_keeps_who_recorded_it(client_as, factory, session, people):
    """Only the next review date changed in a correction: the raise is still the chair's."""
    item = _approved_with(client_as, factory, session, people, "RAISE")
    before = _entries(session, item.case_id)
    chair, administrator = client_as(people["chair"]), client_as(people["administrator"])
    assert start_correction(chair, session, item.meeting, "Review date minuted wrongly").status_code == 302
    version = session.get(AgendaItem, item.id).version
    response = administrator.post(
        f"/meetings/{item.meeting_id}/agenda/{item.id}/decision",
        data=decision_form(version, "RAISE", "Decided at the meeting", REVIEW_ON + timedelta(days=7)),
    )
    assert response.status_code == 302, page_text(response)
    assert _entries(session, item.case_id) == before


def test_abandoning_a_correction_puts_back_a_later_meetings_entry_as_its_chair_recorded_it(
    client_as, factory, session, people
):
    """A later meeting (minutes not yet approved) raised the case that this meeting had lowered; the
    correction here (Lower to Retain) left that raise with nothing to do, so its entry went. Abandoning the
    correction brings it back as the later meeting's chair recorded it."""
    first = _approved_with(client_as, factory, session, people, "LOWER", Level.LEVEL_3)
    other_chair = factory.user("CHAIR", name="Grace Obi")
    later = factory.meeting(
        chair=other_chair, day=today_london() - timedelta(days=1), status=MeetingStatus.HELD
    )
    later_item = factory.agenda_item(later, session.get(Case, first.case_id))
    _decide(client_as(other_chair), session, later_item, "RAISE", "Raised again at the review")
    before = _entries(session, first.case_id)
    assert [(e[0], e[4]) for e in before] == [(first.id, people["chair"].id), (later_item.id, other_chair.id)]

    chair, administrator = client_as(people["chair"]), client_as(people["administrator"])
    assert start_correction(chair, session, first.meeting, "Level was retained").status_code == 302
    _decide(chair, session, first, "RETAIN", "Retained after all")
    assert _entries(session, first.case_id) == before  # the draft reaches no one's history
    _abandon(administrator, session, first.meeting_id)

    assert _entries(session, first.case_id) == before
