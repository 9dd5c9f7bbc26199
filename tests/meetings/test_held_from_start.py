"""A meeting is recorded as held only once it has started (its start time in London), not from the start of
its day: until then the meeting page says from when, and a request to record it changes nothing."""

from datetime import date, time, timedelta

from tests.pages import banners, soup
from tracker.core import timeutil
from tracker.core.timeutil import london_to_utc, today_london
from tracker.meetings import rules
from tracker.meetings.models import Case, Meeting, MeetingStatus


def test_the_rule_says_from_when_a_meeting_can_be_recorded_as_held():
    starts = london_to_utc(date(2027, 3, 3), time(10, 0))
    assert rules.held_too_soon_problem(starts, starts - timedelta(minutes=1)) == (
        "You can record this meeting as held from 10am on 3 March 2027"
    )
    assert rules.held_too_soon_problem(starts, starts) is None
    assert rules.held_too_soon_problem(starts, starts + timedelta(hours=3)) is None
    # In British Summer Time, and at half past: the time as people in London read it.
    summer = london_to_utc(date(2027, 6, 3), time(14, 30))
    assert rules.held_too_soon_problem(summer, summer - timedelta(days=1)) == (
        "You can record this meeting as held from 2:30pm on 3 June 2027"
    )
    noon = london_to_utc(date(2027, 6, 3), time(12, 0))
    assert "from midday on 3 June 2027" in rules.held_too_soon_problem(noon, noon - timedelta(hours=1))


def _meeting_today(factory, chair):
    meeting = factory.meeting(chair=chair, day=today_london())  # 10:00 to 12:00
    case = factory.case()
    factory.agenda_item(meeting, case, next_review_on=today_london() + timedelta(weeks=10))
    return meeting, case


def test_a_meeting_cannot_be_recorded_as_held_on_its_day_before_it_starts(client_as, factory, session, clock):
    chair = factory.user("CHAIR")
    meeting, case = _meeting_today(factory, chair)
    clock(today_london(), time(9, 59))
    client = client_as(chair)
    page = soup(client.get(f"/meetings/{meeting.id}"))
    assert page.find("button", string=lambda s: s and "Record the meeting as held" in s) is None
    assert "You can record this meeting as held from 10am on" in page.select_one("#held-not-yet").get_text()

    response = client.post(f"/meetings/{meeting.id}/held", follow_redirects=True)
    assert f"You can record this meeting as held from 10am on {today_london():%-d %B %Y}." in banners(response)
    session.expire_all()
    assert session.get(Meeting, meeting.id).status is MeetingStatus.SCHEDULED
    assert session.get(Case, case.id).last_reviewed_on is None


def test_a_meeting_can_be_recorded_as_held_once_it_has_started(client_as, factory, session, clock):
    chair = factory.user("CHAIR")
    meeting, case = _meeting_today(factory, chair)
    clock(today_london(), time(10, 0))
    client = client_as(chair)
    page = soup(client.get(f"/meetings/{meeting.id}"))
    assert page.find("button", string=lambda s: s and "Record the meeting as held" in s) is not None
    assert page.select_one("#held-not-yet") is None

    response = client.post(f"/meetings/{meeting.id}/held", follow_redirects=True)
    assert f"Meeting {meeting.reference} recorded as held." in banners(response)
    session.expire_all()
    assert session.get(Meeting, meeting.id).status is MeetingStatus.HELD
    assert session.get(Case, case.id).last_reviewed_on == today_london()


def test_held_is_refused_an_hour_before_the_start_and_allowed_an_hour_after(client_as, factory, session):
    """With the clock as it is, whatever the time of day the suite runs at."""
    chair = factory.user("CHAIR")
    client = client_as(chair)
    now = timeutil.now()
    soon = factory.meeting(chair=chair, starts_at=now + timedelta(hours=1))
    begun = factory.meeting(chair=chair, starts_at=now - timedelta(hours=1))
    for meeting in (soon, begun):
        factory.agenda_item(meeting)
        client.post(f"/meetings/{meeting.id}/held")
    session.expire_all()
    assert session.get(Meeting, soon.id).status is MeetingStatus.SCHEDULED
    assert session.get(Meeting, begun.id).status is MeetingStatus.HELD
