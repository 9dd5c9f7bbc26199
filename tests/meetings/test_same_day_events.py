"""Something that happens to a case on the day of a meeting: recorded without a time it comes before that
day's meetings (they knew of it); given the time it happened, it comes in its place, after a meeting that
had begun. So a recall or an exit on the evening of a meeting whose minutes are approved is recorded on
its own day, and the case, its history and the annual report all read the day in the same order. Also
run on PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.pages import error_summary, page_text
from tests.posted import date_parts, decision_form, meeting_form
from tracker.core.timeutil import format_date, london_to_utc, today_london
from tracker.meetings.models import (
    AgendaItem,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Category,
    Level,
    MeetingStatus,
)
from tracker.minutes.models import MinutesStatus
from tracker.reports import histories, rules
from tracker.reports.rules import ReportingYear

YESTERDAY = today_london() - timedelta(days=1)


@pytest.fixture
def chair(factory):
    return factory.user("CHAIR", name="Daniel Price")


def _decided(client_as, factory, session, chair, decision: str, level: Level = Level.LEVEL_2) -> AgendaItem:
    """A Category 2 case at `level`, and the meeting held yesterday from 10:00 at which its chair recorded
    `decision` through the page."""
    case = factory.case(level, referred_on=today_london() - timedelta(days=30))
    meeting = factory.meeting(chair=chair, day=YESTERDAY, status=MeetingStatus.HELD)
    item = factory.agenda_item(meeting, case)
    response = client_as(chair).post(
        f"/meetings/{meeting.id}/agenda/{item.id}/decision",
        data=decision_form(
            item.version, decision, "Decided at the meeting", today_london() + timedelta(weeks=6)
        ),
    )
    assert response.status_code == 302, page_text(response)
    session.expire_all()
    return session.get(AgendaItem, item.id)


def _record(client, case_id: int, kind: str, at: str = "", level: str = "", on=YESTERDAY):
    return client.post(
        f"/cases/{case_id}/events/new",
        data={
            "kind": kind,
            "new_level": level,
            "occurred_on": date_parts(on),
            "occurred_time": at,
            "reason": "Happened that day",
        },
    )


def _outside(session, case_id: int) -> list[CaseEvent]:
    session.expire_all()
    return session.exec(
        select(CaseEvent).where(
            CaseEvent.case_id == case_id,
            CaseEvent.agenda_item_id.is_(None),
            CaseEvent.kind != CaseEventKind.REFERRED,
        )
    ).all()


def _snapshot(session) -> dict[str, list]:
    return {
        table: [tuple(row) for row in session.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1"))]  # noqa: S608
        for table in ("case_event", "mappa_case", "agenda_item")
    }


# After a meeting whose minutes are approved ----------------------------------------------------------


def test_a_recall_on_the_evening_of_an_approved_meeting_is_recorded_after_it(
    client_as, factory, session, chair
):
    item = _decided(client_as, factory, session, chair, "RAISE")
    factory.minutes(item.meeting, MinutesStatus.APPROVED)

    response = _record(client_as("COORDINATOR"), item.case_id, "RECALLED", at="17:30")

    assert response.status_code == 302, page_text(response)
    [recall] = _outside(session, item.case_id)
    assert (recall.occurred_on, recall.occurred_time) == (YESTERDAY, time(17, 30))
    assert recall.level is Level.LEVEL_3  # the level the meeting raised the case to that morning
    case = session.get(Case, item.case_id)
    assert (case.status, case.level) == (CaseStatus.IN_CUSTODY, Level.LEVEL_3)
    shown = page_text(client_as(chair).get(f"/cases/{item.case_id}"))
    assert f"{format_date(YESTERDAY)}, 17:30 Returned to custody (breach of licence)" in shown


@pytest.mark.parametrize("at", ["", "09:59"])
def test_on_the_day_of_an_approved_meeting_an_event_not_timed_after_it_began_is_refused(
    client_as, factory, session, chair, at
):
    """Without a time (before the day's meetings) or at a time before it began, a recall would change
    whether the person was in custody when the meeting met: refused, saying so and asking for the time."""
    item = _decided(client_as, factory, session, chair, "RAISE")
    factory.minutes(item.meeting, MinutesStatus.APPROVED)
    before = _snapshot(session)

    response = _record(client_as("COORDINATOR"), item.case_id, "RECALLED", at=at)

    assert response.status_code == 200
    day = format_date(YESTERDAY)
    assert error_summary(response) == [
        f"A return to custody must come after {item.meeting.reference}, held on {day} from 10:00, whose minutes "
        "are approved: before that meeting it would change whether the person was in custody when it met. "
        f"Give a date after {day}, or {day} with the time it happened (after 10:00); or correct those minutes"
    ]
    # Beside the time: on the meeting's own day, that is what places it.
    link = BeautifulSoup(response.data, "html.parser").select_one(".govuk-error-summary a")
    assert link["href"] == "#occurred_time"
    session.expire_all()
    assert _snapshot(session) == before


def test_an_exit_timed_at_the_start_of_an_approved_meeting_comes_after_it(client_as, factory, session, chair):
    """A meeting that had begun decided first: an exit at 10:00 follows the meeting's 10:00 raise."""
    item = _decided(client_as, factory, session, chair, "RAISE")
    factory.minutes(item.meeting, MinutesStatus.APPROVED)
    response = _record(client_as("COORDINATOR"), item.case_id, "EXITED", at="10:00")
    assert response.status_code == 302, page_text(response)
    [exit_] = _outside(session, item.case_id)
    assert exit_.level is Level.LEVEL_3
    assert session.get(Case, item.case_id).status is CaseStatus.EXITED


def test_a_time_in_the_future_is_refused(client_as, factory, session, monkeypatch):
    noon = london_to_utc(today_london(), time(12, 0))
    monkeypatch.setattr("tracker.meetings.forms.cases.utcnow", lambda: noon)
    case = factory.case(Level.LEVEL_2, referred_on=today_london() - timedelta(days=30))

    response = _record(client_as("COORDINATOR"), case.id, "RECALLED", at="12:01", on=today_london())

    assert error_summary(response) == ["The time must be now or in the past"]
    assert _outside(session, case.id) == []


# The order of a day, wherever it is read -----------------------------------------------------------------


def test_a_level_change_timed_after_a_meeting_starts_from_what_the_meeting_decided(
    client_as, factory, session, chair
):
    """The meeting (minutes not yet approved) lowered the case from Level 3 to Level 2 at 10:00; raised
    again to Level 3 at 14:00 that day, the case stands at Level 3, and the meeting still lowered it."""
    item = _decided(client_as, factory, session, chair, "LOWER", level=Level.LEVEL_3)

    response = _record(client_as("COORDINATOR"), item.case_id, "LEVEL_CHANGED", at="14:00", level="LEVEL_3")

    assert response.status_code == 302, page_text(response)
    [change] = _outside(session, item.case_id)
    assert (change.previous_level, change.level) == (Level.LEVEL_2, Level.LEVEL_3)
    decided = session.exec(select(CaseEvent).where(CaseEvent.agenda_item_id == item.id)).one()
    assert (decided.previous_level, decided.level, decided.occurred_time) == (
        Level.LEVEL_3,
        Level.LEVEL_2,
        time(10),
    )
    assert session.get(Case, item.case_id).level is Level.LEVEL_3
    rows = BeautifulSoup(client_as(chair).get(f"/cases/{item.case_id}").data, "html.parser")
    history = rows.find("h2", string="History").find_next("table").select("tbody tr")
    assert [row.select("td")[2].get_text(strip=True) for row in history] == [
        "Level 2 to Level 3",  # latest first: 14:00
        "Level 3 to Level 2",  # the meeting, from 10:00
        "Level 3",  # the referral
    ]


def test_the_annual_report_reads_a_day_in_the_order_of_the_case_history(
    app, client_as, factory, session, chair
):
    """Raised to Level 3 at a meeting, then a change to Level 1 recorded without a time on the same day
    (so before the meeting, which raised it from Level 1): the case ended the day at Level 3, and the report
    counts it at Level 3 that year, both ways of counting alike, though the meeting's entry was written
    first."""
    item = _decided(client_as, factory, session, chair, "RAISE")
    response = _record(client_as("COORDINATOR"), item.case_id, "LEVEL_CHANGED", level="LEVEL_1")
    assert response.status_code == 302, page_text(response)
    assert session.get(Case, item.case_id).level is Level.LEVEL_3

    year = ReportingYear(YESTERDAY.year if YESTERDAY.month > 3 else YESTERDAY.year - 1)
    with app.test_request_context():
        [(category, events)] = list(histories.histories(year))
        counted = histories.year_counts(year)
        assert counted == rules.count_year(histories.histories(year), year)
    assert category is Category.CATEGORY_2
    assert [(e.kind, e.level) for e in events] == [
        (CaseEventKind.REFERRED, Level.LEVEL_2),
        (CaseEventKind.LEVEL_CHANGED, Level.LEVEL_1),
        (CaseEventKind.LEVEL_CHANGED, Level.LEVEL_3),
    ]
    assert counted.over_year.get((Level.LEVEL_3, Category.CATEGORY_2)) == 1


def test_a_decisions_entry_moves_with_its_meeting(client_as, factory, session, chair):
    """A meeting today not yet held, its decision recorded, moved earlier in the day: the entry its decision
    made in the case's history takes its place in the day by the new start."""
    case = factory.case(Level.LEVEL_2, referred_on=today_london() - timedelta(days=30))
    meeting = factory.meeting(chair=chair, day=today_london(), status=MeetingStatus.SCHEDULED)
    item = factory.agenda_item(meeting, case)
    client = client_as(chair)
    response = client.post(
        f"/meetings/{meeting.id}/agenda/{item.id}/decision",
        data=decision_form(item.version, "RAISE", "Raised", today_london() + timedelta(weeks=6)),
    )
    assert response.status_code == 302, page_text(response)
    session.expire_all()
    response = client.post(
        f"/meetings/{meeting.id}/edit",
        data=meeting_form(
            chair,
            day=date_parts(today_london()),
            start_time="08:00",
            end_time="09:00",
            chair_reason="The usual chair is away",
            version=str(session.get(type(meeting), meeting.id).version),
        ),
    )
    assert response.status_code == 302, page_text(response)
    session.expire_all()
    decided = session.exec(select(CaseEvent).where(CaseEvent.agenda_item_id == item.id)).one()
    assert (decided.occurred_on, decided.occurred_time) == (today_london(), time(8, 0))
