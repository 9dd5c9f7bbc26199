"""A time typed for the hour that does not exist when the clocks go forward (01:00 to 02:00 on the last
Sunday of March) is refused beside the field, with why, on every form that takes a time in London: a
meeting, an agenda time slot, a training event's first day and a training session. Nothing is saved, and
the page is never a server error."""

from __future__ import annotations

import calendar
from datetime import date, time, timedelta

import pytest
from sqlmodel import select

from tests.pages import error_summary
from tests.posted import date_parts
from tracker.core.timeutil import clock_change_problem, format_date, london, london_to_utc, today_london
from tracker.meetings.models import AgendaItem, Meeting
from tracker.training.models import CourseEvent, CourseKind, TrainingSession


def _clocks_go_forward() -> date:
    """The next last Sunday of March (after today)."""
    year = today_london().year
    while True:
        last = max(week[calendar.SUNDAY] for week in calendar.monthcalendar(year, 3))
        if (day := date(year, 3, last)) > today_london():
            return day
        year += 1


SPRING = _clocks_go_forward()


def _missing(at: str) -> str:
    return (
        f"{at} does not exist on {format_date(SPRING)}: the clocks go forward from 01:00 to 02:00. "
        "Enter a time before 01:00 or from 02:00"
    )


def test_only_the_hour_the_clocks_skip_is_refused():
    assert clock_change_problem(SPRING, time(1, 30)) == _missing("01:30")
    assert clock_change_problem(SPRING, time(1, 0)) == _missing("01:00")
    for fine in (time(0, 59), time(2, 0), time(12, 0)):
        assert clock_change_problem(SPRING, fine) is None
    assert clock_change_problem(SPRING - timedelta(days=1), time(1, 30)) is None
    autumn = date(SPRING.year, 10, max(w[calendar.SUNDAY] for w in calendar.monthcalendar(SPRING.year, 10)))
    assert clock_change_problem(autumn, time(1, 30)) is None  # happens twice: read as the first


def _meeting_form(chair, **changes) -> dict:
    data = {
        "level": "LEVEL_2",
        "meeting_type": "REVIEW",
        "day": date_parts(SPRING),
        "start_time": "01:30",
        "end_time": "02:30",
        "venue": "Room 4",
        "chair_id": str(chair.id),
        "chair_reason": "Covering for a trained chair on leave",
        "version": "0",
    }
    data.update(changes)
    return data


def test_a_meeting_in_the_missing_hour_is_refused_beside_its_time(client_as, factory, session):
    chair = factory.user("CHAIR")
    client = client_as("COORDINATOR")
    response = client.post("/meetings/new", data=_meeting_form(chair))
    assert response.status_code == 200
    assert _missing("01:30") in error_summary(response)
    response = client.post("/meetings/new", data=_meeting_form(chair, start_time="00:30", end_time="01:45"))
    assert response.status_code == 200
    assert _missing("01:45") in error_summary(response)
    assert session.exec(select(Meeting)).all() == []


def test_moving_a_meeting_into_the_missing_hour_is_refused_and_changes_nothing(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair, day=SPRING - timedelta(days=1))
    data = _meeting_form(chair, version=str(meeting.version))
    response = client_as(chair).post(f"/meetings/{meeting.id}/edit", data=data)
    assert response.status_code == 200 and _missing("01:30") in error_summary(response)
    session.expire_all()
    assert london(session.get(Meeting, meeting.id).starts_at).time() == time(10, 0)


def _night_meeting(factory, chair, day: date) -> Meeting:
    meeting = factory.meeting(chair=chair, day=day)
    meeting.starts_at, meeting.ends_at = london_to_utc(day, time(0, 30)), london_to_utc(day, time(3, 0))
    return factory.save(meeting)


def test_an_agenda_slot_in_the_missing_hour_is_refused(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = _night_meeting(factory, chair, SPRING)
    case = factory.case(reference="CLK-0001")
    data = {"case_reference": case.reference, "purpose": "REVIEW", "slot_start": "01:15", "slot_end": "02:15"}
    response = client_as("COORDINATOR").post(f"/meetings/{meeting.id}/agenda/new", data=data)
    assert response.status_code == 200 and _missing("01:15") in error_summary(response)
    assert session.exec(select(AgendaItem)).all() == []


def test_a_meeting_moved_so_that_a_slot_falls_in_the_missing_hour_is_refused(client_as, factory, session):
    """A slot moves with its meeting by as much on the clock: one that would land in the missing hour is
    refused, not put an hour out."""
    chair = factory.user("CHAIR")
    saturday = SPRING - timedelta(days=1)
    meeting = _night_meeting(factory, chair, saturday)
    item = factory.agenda_item(meeting, factory.case())
    item.slot_starts_at, item.slot_ends_at = (
        london_to_utc(saturday, time(0, 45)),
        london_to_utc(saturday, time(1, 30)),
    )
    factory.save(item)
    data = _meeting_form(chair, start_time="00:30", end_time="03:00", version=str(meeting.version))
    response = client_as(chair).post(f"/meetings/{meeting.id}/edit", data=data)
    assert response.status_code == 200
    assert any(
        "would be at 01:30 on" in error and "does not exist" in error for error in error_summary(response)
    )
    session.expire_all()
    assert london(session.get(Meeting, meeting.id).starts_at).date() == saturday


@pytest.fixture
def course(factory):
    return factory.course(CourseKind.CPD, days=1)


def test_a_training_event_or_session_in_the_missing_hour_is_refused(client_as, factory, session, course):
    trsg = client_as("TRSG")
    event_data = {
        "title": "Spring forum",
        "kind": "CHAIRS_FORUM",
        "pillar": "SUPERVISION",
        "capacity": "20",
        "audience": ["CHAIRS"],
        "cpd_hours": "1",
        "first_day": date_parts(SPRING),
        "starts": "01:30",
        "ends": "03:00",
        "venue": "Room 2",
    }
    response = trsg.post(f"/training/courses/{course.id}/events/new", data=event_data)
    assert response.status_code == 200 and _missing("01:30") in error_summary(response)
    assert session.exec(select(CourseEvent).where(CourseEvent.title == "Spring forum")).all() == []

    event = factory.event(course, days=[SPRING - timedelta(days=1)])
    (day_one,) = event.sessions
    session_data = {
        "title": "Day 1",
        "day": date_parts(SPRING),
        "starts": "00:30",
        "ends": "01:59",
        "venue": "Room 2",
    }
    response = trsg.post(
        f"/training/sessions/{day_one.id}/edit", data={**session_data, "version": str(day_one.version)}
    )
    assert response.status_code == 200 and _missing("01:59") in error_summary(response)
    response = trsg.post(f"/training/events/{event.id}/sessions/new", data={**session_data, "version": "0"})
    assert response.status_code == 200 and _missing("01:59") in error_summary(response)
    session.expire_all()
    sessions = session.exec(select(TrainingSession).where(TrainingSession.event_id == event.id)).all()
    assert [london(s.starts_at).date() for s in sessions] == [SPRING - timedelta(days=1)]
