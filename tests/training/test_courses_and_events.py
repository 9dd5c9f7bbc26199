"""Courses, events and sessions as the TRSG sets them up."""

from datetime import date, timedelta

from sqlmodel import select

from tests.pages import banners, error_summary, page_text, soup, table_rows
from tests.posted import date_parts, session_form
from tracker.core.pillars import Pillar
from tracker.core.timeutil import london, today_london
from tracker.training.models import (
    Course,
    CourseEvent,
    CourseKind,
    EnrolmentStatus,
    EventKind,
    TrainingSession,
)


def _on_or_after(weekday: int, day: date) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


# Within the dates the forms take (no more than 3 years ahead), away from bank holidays: a Friday early
# next March, and a Monday in the middle of next May.
FRIDAY = _on_or_after(4, date(today_london().year + 1, 3, 1))
MONDAY = _on_or_after(0, date(today_london().year + 1, 5, 8))


def test_the_trsg_adds_a_course(client_as, session):
    client = client_as("TRSG")
    response = client.post(
        "/training/courses/new",
        data={
            "title": "Level 3 chairing",
            "kind": "CHAIR_COURSE",
            "days": "2",
            "cpd_hours": "",
            "completion_marks": ["PRESENT", "LATE"],
            "active": "y",
        },
        follow_redirects=True,
    )
    assert "Course 'Level 3 chairing' added." in banners(response)
    assert table_rows(response, "Courses")[0][:4] == ["Level 3 chairing", "Chair training course", "2", "Not CPD"]


def test_a_chair_course_is_given_no_cpd_hours(client_as, session):
    """The chair course trains new chairs; CPD hours are earned at the CPD events that keep them current."""
    data = {"title": "Level 3 chairing", "kind": "CHAIR_COURSE", "days": "2", "completion_marks": ["PRESENT"]}
    response = client_as("TRSG").post("/training/courses/new", data={**data, "cpd_hours": "12"})
    assert error_summary(response) == [
        "Leave CPD hours empty for a chair training course: it trains new chairs, who then keep current with "
        "CPD events"
    ]
    assert session.exec(select(Course)).all() == []


def test_a_cpd_course_needs_the_cpd_hours_a_whole_event_of_it_is_worth(client_as, factory, session):
    """A CPD course's events earn CPD: left empty or 0, its hours would credit nobody anything."""
    data = {"title": "Chairs' Forum", "kind": "CPD", "days": "1", "completion_marks": ["PRESENT"], "active": "y"}
    client = client_as("TRSG")
    for hours in ("", "0", "0.0"):
        response = client.post("/training/courses/new", data={**data, "cpd_hours": hours})
        assert error_summary(response) == [
            "Enter the CPD hours a whole event of this course is worth, more than 0: every CPD event earns "
            "CPD hours"
        ], hours
        assert soup(response).select_one("#cpd_hours-error") is not None
    assert session.exec(select(Course)).all() == []
    response = client.post("/training/courses/new", data={**data, "cpd_hours": "1.5"}, follow_redirects=True)
    assert table_rows(response, "Courses")[0][:4] == ["Chairs' Forum", "CPD", "1", "1.5"]


def test_a_course_with_missing_details_is_refused_and_nothing_is_saved(client_as, session):
    response = client_as("TRSG").post(
        "/training/courses/new", data={"title": "", "days": "0", "cpd_hours": "lots"}
    )
    assert error_summary(response) == [
        "Enter the course title",
        "Select the kind of course",
        "Length must be between 1 and 10",
        "Enter a number",
        "Select at least one mark that counts as attending",
    ]
    assert session.exec(select(Course)).all() == []


def test_a_course_cannot_need_more_sessions_than_its_days(client_as, session):
    """Each day is one session: needing three of a two-day course's sessions no one could complete."""
    response = client_as("TRSG").post(
        "/training/courses/new",
        data={
            "title": "Two days",
            "kind": "CHAIR_COURSE",
            "days": "2",
            "cpd_hours": "",
            "completion_marks": ["PRESENT"],
            "sessions_required": "3",
        },
    )
    assert error_summary(response) == [
        "Sessions needed must be 2 or fewer: the course has a session on each of its 2 days"
    ]
    assert session.exec(select(Course)).all() == []


def test_a_course_changed_by_someone_else_meanwhile_is_not_overwritten(client_as, factory, session):
    course = factory.course(title="Chair course")
    data = {
        "title": "Renamed",
        "kind": "CHAIR_COURSE",
        "days": "2",
        "completion_marks": ["PRESENT"],
        "version": str(course.version - 1 or 99),
    }
    response = client_as("TRSG").post(f"/training/courses/{course.id}/edit", data=data)
    assert "Someone else changed this while you were editing it" in error_summary(response)[0]
    session.expire_all()
    assert session.get(Course, course.id).title == "Chair course"


def _new_cohort(client_as, course, title: str, first_day: list[str], **kwargs):
    """The TRSG adds a cohort of 20 new chairs to the course, from 09:30 to 16:30 in Room 2 each day."""
    return client_as("TRSG").post(
        f"/training/courses/{course.id}/events/new",
        data={
            "title": title,
            "kind": "COHORT",
            "capacity": "20",
            "audience": ["NEW_CHAIRS"],
            "cpd_hours": "0",
            "first_day": first_day,
            "starts": "09:30",
            "ends": "16:30",
            "venue": "Room 2",
        },
        **kwargs,
    )


def test_a_two_day_event_gets_a_session_on_each_of_two_weekdays(client_as, factory, session):
    course = factory.course(CourseKind.CHAIR_COURSE, days=2)
    friday = FRIDAY
    response = _new_cohort(client_as, course, "Cohort 9", date_parts(friday), follow_redirects=True)
    assert "Event 'Cohort 9' created with 2 sessions." in banners(response)
    event = session.exec(select(CourseEvent).where(CourseEvent.title == "Cohort 9")).one()
    days = [london(s.starts_at) for s in event.sessions]
    assert [d.date() for d in days] == [friday, friday + timedelta(days=3)]  # Friday, then Monday
    assert days[0].hour == 9 and days[0].minute == 30
    rows = table_rows(response, "Sessions")
    assert rows[0][0] == "Day 1" and f"Friday {friday:%-d %B %Y}" in rows[0][1]
    assert rows[1][0] == "Day 2" and f"Monday {friday + timedelta(days=3):%-d %B %Y}" in rows[1][1]


def test_a_course_s_days_skip_bank_holidays(client_as, factory, session):
    """Thursday 25 March 2027, then Good Friday and Easter Monday pass: Day 2 is Tuesday 30 March."""
    course = factory.course(CourseKind.CHAIR_COURSE, days=2)
    _new_cohort(client_as, course, "Easter cohort", ["25", "3", "2027"])
    event = session.exec(select(CourseEvent).where(CourseEvent.title == "Easter cohort")).one()
    assert [london(s.starts_at).date() for s in event.sessions] == [date(2027, 3, 25), date(2027, 3, 30)]


def test_a_forum_needs_its_pillar_and_a_session_needs_a_place_and_sensible_times(client_as, factory, session):
    course = factory.course(CourseKind.CPD)
    response = client_as("TRSG").post(
        f"/training/courses/{course.id}/events/new",
        data={
            "title": "Forum",
            "kind": "CHAIRS_FORUM",
            "capacity": "0",
            "first_day": ["31", "2", "2030"],
            "starts": "14:00",
            "ends": "13:00",
        },
    )
    assert error_summary(response) == [
        "Select the pillar the forum focuses on",
        "Places must be between 1 and 300",
        "Enter the CPD hours attending the whole event is worth, more than 0: every CPD event earns CPD hours",
        "Date of the first day must be a real date",
        "End time must be after the start time",
        "Enter the venue or an online link",
    ]
    assert session.exec(select(CourseEvent)).all() == []


def test_every_kind_of_cpd_event_needs_its_cpd_hours_and_a_cohort_needs_none(client_as, factory, session):
    """Chairs' Forums, development days and briefings are CPD events: each earns CPD hours, so each
    needs them, above 0, when added or changed. A chair course's cohort earns none and is not asked."""
    course = factory.course(CourseKind.CPD)
    client = client_as("TRSG")
    needed = (
        "Enter the CPD hours attending the whole event is worth, more than 0: every CPD event earns CPD hours"
    )
    data = {
        "title": "Forum",
        "capacity": "20",
        "pillar": "INTERVENTIONS_AND_TREATMENT",
        "first_day": date_parts(MONDAY),
        "starts": "09:30",
        "ends": "12:30",
        "venue": "Room 2",
    }
    for kind in ("CHAIRS_FORUM", "DEVELOPMENT_DAY", "BRIEFING"):
        for hours in ("", "0"):
            response = client.post(
                f"/training/courses/{course.id}/events/new", data={**data, "kind": kind, "cpd_hours": hours}
            )
            assert error_summary(response) == [needed], (kind, hours)
    assert session.exec(select(CourseEvent)).all() == []
    forum = factory.event(course, kind=EventKind.CHAIRS_FORUM, pillar=Pillar.INTERVENTIONS_AND_TREATMENT, cpd_minutes=180)
    edit = {"title": "June forum", "kind": "CHAIRS_FORUM", "pillar": "INTERVENTIONS_AND_TREATMENT", "capacity": "20"}
    response = client.post(
        f"/training/events/{forum.id}/edit", data={**edit, "cpd_hours": "0", "version": str(forum.version)}
    )
    assert error_summary(response) == [needed]
    session.expire_all()
    assert session.get(CourseEvent, forum.id).cpd_minutes == 180

    cohort = factory.course(CourseKind.CHAIR_COURSE, days=2)
    response = _new_cohort(client_as, cohort, "Cohort 9", date_parts(FRIDAY), follow_redirects=True)
    assert "Event 'Cohort 9' created with 2 sessions." in banners(response)


def test_a_chair_course_cannot_run_a_forum(client_as, factory, session):
    course = factory.course(CourseKind.CHAIR_COURSE)
    response = client_as("TRSG").post(
        f"/training/courses/{course.id}/events/new", data={"kind": "CHAIRS_FORUM"}
    )
    assert "Select one of the options given" in " ".join(error_summary(response))


def test_places_cannot_drop_below_the_people_already_enrolled(client_as, factory, session):
    event = factory.event(capacity=3)
    for _ in range(3):
        factory.enrolment(event)
    response = client_as("TRSG").post(
        f"/training/events/{event.id}/edit",
        data={"title": event.title, "kind": "COHORT", "capacity": "2", "version": str(event.version)},
    )
    assert error_summary(response) == ["Places must be 3 or more: 3 people already have a place"]


def test_more_places_move_the_waiting_list_up(client_as, factory, session):
    event = factory.event(capacity=1, days=[today_london() + timedelta(days=10)])
    factory.enrolment(event)
    waiting = factory.enrolment(
        event, factory.trainee(name="Wendy Waiting"), status=EnrolmentStatus.WAITING, waiting_position=1
    )
    response = client_as("TRSG").post(
        f"/training/events/{event.id}/edit",
        data={"title": event.title, "kind": "COHORT", "capacity": "2", "version": str(event.version)},
        follow_redirects=True,
    )
    assert any("Moved up from the waiting list: Wendy Waiting" in b for b in banners(response))
    session.expire_all()
    assert session.get(type(waiting), waiting.id).status is EnrolmentStatus.ENROLLED


def test_moving_a_session_raises_its_calendar_sequence_and_renaming_it_does_not(client_as, factory, session):
    event = factory.event(days=[MONDAY])
    training_session = event.sessions[0]
    client = client_as("TRSG")
    client.post(
        f"/training/sessions/{training_session.id}/edit",
        data=session_form("Morning", MONDAY, version="1"),
    )
    session.expire_all()
    assert session.get(TrainingSession, training_session.id).sequence == 0
    client.post(
        f"/training/sessions/{training_session.id}/edit",
        data=session_form("Morning", MONDAY, venue="Room 7", version="2"),
    )
    session.expire_all()
    moved = session.get(TrainingSession, training_session.id)
    assert (moved.title, moved.venue, moved.sequence) == ("Morning", "Room 7", 1)


def test_a_stale_session_form_is_refused(client_as, factory, session):
    event = factory.event(days=[MONDAY])
    data = session_form("X", MONDAY + timedelta(days=1), ends="10:00", venue="Here")
    response = client_as("TRSG").post(f"/training/sessions/{event.sessions[0].id}/edit", data=data)
    assert "Someone else changed this" in error_summary(response)[0]


def test_adding_and_cancelling_sessions(client_as, factory, session):
    event = factory.event(days=[MONDAY])
    client = client_as("TRSG")
    response = client.post(
        f"/training/events/{event.id}/sessions/new",
        data={
            "title": "Day 2",
            "day": date_parts(MONDAY + timedelta(days=1)),
            "starts": "09:30",
            "ends": "12:00",
            "online_link": "https://meet.example.org/x",
            "version": "0",
        },
        follow_redirects=True,
    )
    assert "Session 'Day 2' added." in banners(response)
    assert len(table_rows(response, "Sessions")) == 2
    first = event.sessions[0]
    response = client.post(f"/training/sessions/{first.id}/cancel", follow_redirects=True)
    assert any("no longer counts towards completing" in b for b in banners(response))
    session.expire_all()
    cancelled = session.get(TrainingSession, first.id)
    assert cancelled.status.name == "CANCELLED" and cancelled.sequence == 1
    refreshed = session.get(CourseEvent, event.id)
    assert london(refreshed.starts_at).date() == MONDAY + timedelta(days=1)
    assert client.post(f"/training/sessions/{first.id}/cancel").status_code == 400


def test_the_event_list_filters_by_kind_course_and_year(client_as, factory):
    forum_course = factory.course(CourseKind.CPD, title="Chairs' Forum")
    factory.event(forum_course, title="June forum", days=[date(2024, 6, 12)], pillar=Pillar.SUPERVISION)
    factory.event(forum_course, title="April forum", days=[date(2025, 4, 1)], pillar=Pillar.SUPERVISION)
    factory.event(title="Cohort A", days=[date(2024, 5, 13), date(2024, 5, 14)])
    client = client_as("TRSG")
    names = lambda response: [row[0].split(" Chair")[0] for row in table_rows(response, "Events")]  # noqa: E731
    assert {"June forum", "April forum"} == {
        r[0].split(" ")[0] + " forum"
        for r in table_rows(client.get("/training/events?kind=CHAIRS_FORUM"), "Events")
    }
    in_year = table_rows(client.get("/training/events?year=2024"), "Events")
    assert [row[0].startswith(("June forum", "Cohort A")) for row in in_year] == [True, True]
    assert names(client.get(f"/training/events?course={forum_course.id}&q=april")) == ["April forum"]
    assert EventKind.CHAIRS_FORUM.label in page_text(client.get("/training/events"))


def test_cancelling_a_session_asks_first_and_says_who_will_be_told(client_as, factory, session):
    event = factory.event(days=[MONDAY, MONDAY + timedelta(days=1)])
    factory.enrolment(event)
    factory.enrolment(event)
    first = event.sessions[0]
    client = client_as("TRSG")
    page = client.get(f"/training/events/{event.id}")
    cancel_link = soup(page).find("a", href=f"/training/sessions/{first.id}/cancel")
    assert cancel_link is not None and cancel_link.get_text(" ", strip=True) == "Cancel Day 1"
    response = client.get(f"/training/sessions/{first.id}/cancel")
    assert response.status_code == 200
    text = page_text(response)
    assert "Cancel Day 1" in text and f"Monday {MONDAY:%-d %B %Y}" in text
    assert "The 2 people with a place will be sent a cancellation" in text
    assert soup(response).find("button", string=lambda s: s and "Cancel the session" in s)
    session.expire_all()
    assert session.get(TrainingSession, first.id).status.name == "SCHEDULED"
    client.post(f"/training/sessions/{first.id}/cancel")
    session.expire_all()
    assert session.get(TrainingSession, first.id).status.name == "CANCELLED"
    # Asked again once cancelled: back to the event, nothing to confirm.
    again = client.get(f"/training/sessions/{first.id}/cancel")
    assert again.status_code == 302 and again.location.endswith(f"/training/events/{event.id}")


def test_presenters_are_shown_one_a_line_as_typed(client_as, factory, session):
    event = factory.event(days=[MONDAY])
    event.presenters = "Jo Smith, Probation\nAlex Reed, lived experience speaker"
    session.add(event)
    session.commit()
    response = client_as("TRSG").get(f"/training/events/{event.id}")
    row = soup(response).find("dt", string=lambda s: s and s.strip() == "Presenters").find_next("dd")
    shown = row.select_one(".app-pre-line")
    assert shown is not None
    lines = [line.strip() for line in shown.get_text().splitlines()]
    assert lines == ["Jo Smith, Probation", "Alex Reed, lived experience speaker"]


def test_number_and_time_boxes_are_sized_to_what_they_hold(client_as, factory):
    course = factory.course(CourseKind.CPD, days=2)
    page = soup(client_as("TRSG").get(f"/training/courses/{course.id}/events/new"))
    assert "govuk-input--width-3" in page.select_one("#capacity")["class"]
    assert "govuk-input--width-4" in page.select_one("#cpd_hours")["class"]
    assert "govuk-input--width-5" in page.select_one("#starts")["class"]
    assert "govuk-input" in page.select_one("#starts")["class"]


def test_places_taken_count_everyone_who_held_a_place_whatever_their_outcome(client_as, factory, session):
    event = factory.event(capacity=5, title="December cohort")
    for status in (
        EnrolmentStatus.COMPLETED,
        EnrolmentStatus.NOT_COMPLETED,
        EnrolmentStatus.NOT_COMPLETED,
        EnrolmentStatus.WITHDRAWN,
        EnrolmentStatus.NOT_PLACED,
    ):
        factory.enrolment(event, status=status)
    client = client_as("TRSG")
    page = soup(client.get(f"/training/events/{event.id}"))
    places = [
        row.select_one("dd").get_text(strip=True)
        for row in page.select(".govuk-summary-list__row")
        if row.select_one("dt").get_text(strip=True) == "Places"
    ]
    assert places == ["3 of 5 taken, 0 waiting"]
    listed = table_rows(client.get("/training/events?when=past"), "Events")
    assert [row[3] for row in listed if row[0].startswith("December cohort")] == ["3 of 5"]


def test_an_event_or_session_dated_a_year_typed_wrongly_is_refused_beside_the_date(
    client_as, factory, session
):
    """1 January 1900 (or a date years ahead) is a year typed wrongly: refused beside the field when an
    event is set up and when a session is added or moved, so no year picker reaches back to it."""
    course = factory.course(CourseKind.CHAIR_COURSE, days=2)
    today = today_london()
    too_old = _new_cohort(client_as, course, "Cohort 1900", ["1", "1", "1900"])
    earliest = today.replace(year=today.year - 10)
    assert error_summary(too_old) == [
        f"The date must be {earliest:%-d %B %Y} or later: no more than 10 years ago"
    ]
    assert soup(too_old).select_one("#first_day-error") is not None
    too_far = _new_cohort(client_as, course, "Cohort far", date_parts(today.replace(year=today.year + 4)))
    assert error_summary(too_far) == [
        f"The date must be {today.replace(year=today.year + 3):%-d %B %Y} or earlier: no more than 3 years "
        "ahead"
    ]
    assert session.exec(select(CourseEvent)).all() == []
    taken = _new_cohort(client_as, course, "Cohort old", date_parts(earliest))
    assert taken.status_code == 302

    event = factory.event(days=[MONDAY])
    client = client_as("TRSG")
    added = client.post(
        f"/training/events/{event.id}/sessions/new",
        data=session_form("Day 2", date(1900, 1, 2), venue="Room 2", version="0"),
    )
    assert error_summary(added) == [
        f"The date must be {earliest:%-d %B %Y} or later: no more than 10 years ago"
    ]
    day = event.sessions[0]
    moved = client.post(
        f"/training/sessions/{day.id}/edit",
        data=session_form("Day 1", date(1900, 1, 1), version=str(day.version)),
    )
    assert error_summary(moved) == [
        f"The date must be {earliest:%-d %B %Y} or later: no more than 10 years ago"
    ]
    session.expire_all()
    assert [london(s.starts_at).date() for s in session.get(CourseEvent, event.id).sessions] == [MONDAY]
