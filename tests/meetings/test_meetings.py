"""Scheduling, changing, cancelling and holding meetings; who sees them; the warnings on their page."""

from datetime import UTC, datetime, time, timedelta
from urllib.parse import urljoin

from bs4 import BeautifulSoup
from sqlmodel import select

from tests.meetings.conftest import warnings_on
from tests.pages import error_summary, page_text
from tests.posted import UNTRAINED_CHAIR_REASON, date_parts, meeting_form
from tracker.auth.models import AgencySector
from tracker.core.models import AuditEvent
from tracker.core.timeutil import today_london
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaPurpose,
    CaseStatus,
    ChairProfile,
    Level,
    Meeting,
    MeetingStatus,
)
from tracker.minutes.models import MinutesStatus
from tracker.training.models import EnrolmentStatus


def _schedule(chair, **overrides):
    return meeting_form(chair, **{"chair_reason": UNTRAINED_CHAIR_REASON, **overrides})


def test_an_administrator_schedules_a_meeting_with_a_reference_and_times_in_utc(client_as, factory, session):
    chair = factory.user("CHAIR")
    administrator = factory.user("ADMINISTRATOR")
    day = datetime(2031, 7, 14).date()  # British Summer Time
    response = client_as(administrator).post(
        "/meetings/new", data=_schedule(chair, day=date_parts(day), administrator_id=str(administrator.id))
    )
    assert response.status_code == 302
    meeting = session.exec(select(Meeting).where(Meeting.chair_id == chair.id)).one()
    assert meeting.reference == "M-2031-0001"
    assert meeting.starts_at == datetime(2031, 7, 14, 9, 0, tzinfo=UTC)
    assert meeting.status is MeetingStatus.SCHEDULED and meeting.sequence == 0
    page = page_text(client_as(administrator).get(response.headers["Location"]))
    assert "M-2031-0001" in page and "10:00 to 12:30" in page


def test_a_meeting_in_the_past_or_ending_before_it_starts_is_refused_and_not_saved(
    client_as, factory, session
):
    chair = factory.user("CHAIR")
    client = client_as("ADMINISTRATOR")
    past = client.post("/meetings/new", data=_schedule(chair, day=date_parts(today_london() - timedelta(days=1))))
    assert error_summary(past) == ["The meeting date must be today or in the future"]
    backwards = client.post("/meetings/new", data=_schedule(chair, start_time="14:00", end_time="13:00"))
    assert error_summary(backwards) == ["The end time must be after the start time"]
    nowhere = client.post("/meetings/new", data=_schedule(chair, venue="", start_time="25:00"))
    assert error_summary(nowhere) == [
        "Start time must be a time in 24-hour format, like 14:00",
        "Enter a venue or an online meeting link",
    ]
    assert session.exec(select(Meeting)).all() == []


def test_a_past_date_is_reported_with_the_other_problems_not_after_them(client_as, factory, session):
    chair = factory.user("CHAIR")
    client = client_as("ADMINISTRATOR")
    yesterday = date_parts(today_london() - timedelta(days=1))
    response = client.post(
        "/meetings/new", data=_schedule(chair, day=yesterday, start_time="14:00", end_time="13:00")
    )
    assert error_summary(response) == [
        "The meeting date must be today or in the future",
        "The end time must be after the start time",
    ]
    meeting = factory.meeting(chair=chair)
    data = _schedule(chair, day=yesterday, end_time="09:00", version=str(meeting.version))
    moved = client_as("COORDINATOR").post(f"/meetings/{meeting.id}/edit", data=data)
    assert error_summary(moved) == [
        "The meeting date must be today or in the future",
        "The end time must be after the start time",
    ]
    assert [m.id for m in session.exec(select(Meeting)).all()] == [meeting.id]


def test_moving_a_meeting_raises_its_calendar_sequence_but_saving_it_unmoved_does_not(
    client_as, factory, session
):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    client = client_as("COORDINATOR")
    day = (meeting.starts_at + timedelta(days=1)).date()
    data = _schedule(
        chair,
        day=date_parts(day),
        venue="MAPPA Unit",
        version=str(meeting.version),
        start_time="10:00",
        end_time="12:00",
    )
    data["day"] = date_parts(meeting.starts_at.date())
    assert client.post(f"/meetings/{meeting.id}/edit", data=data).status_code == 302
    session.expire_all()
    assert session.get(Meeting, meeting.id).sequence == 0
    data.update(day=date_parts(day), version="2")
    assert client.post(f"/meetings/{meeting.id}/edit", data=data).status_code == 302
    session.expire_all()
    assert session.get(Meeting, meeting.id).sequence == 1


def test_a_stale_edit_of_a_meeting_is_refused_with_a_clear_message(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    client = client_as("COORDINATOR")
    data = _schedule(chair, day=date_parts(meeting.starts_at.date()), venue="Room 9", version=str(meeting.version))
    assert client.post(f"/meetings/{meeting.id}/edit", data=data).status_code == 302
    data["venue"] = "Room 10"
    stale = client.post(f"/meetings/{meeting.id}/edit", data=data)
    assert stale.status_code == 409
    assert "Someone else saved changes to this meeting" in error_summary(stale)[0]
    session.expire_all()
    assert session.get(Meeting, meeting.id).venue == "Room 9"


def test_cancelling_needs_a_reason_and_raises_the_sequence(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    client = client_as(chair)
    assert error_summary(client.post(f"/meetings/{meeting.id}/cancel", data={"version": "1"})) == [
        "Enter why the meeting is cancelled"
    ]
    response = client.post(f"/meetings/{meeting.id}/cancel", data={"version": "1", "reason": "Chair unwell"})
    assert response.status_code == 302
    session.expire_all()
    cancelled = session.get(Meeting, meeting.id)
    assert cancelled.status is MeetingStatus.CANCELLED and cancelled.sequence == 1
    assert "Cancelled: Chair unwell" in page_text(client.get(f"/meetings/{meeting.id}"))


def test_a_meeting_whose_minutes_are_submitted_is_recorded_as_held_not_cancelled(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    factory.minutes(meeting, MinutesStatus.SUBMITTED)
    response = client_as(chair).post(f"/meetings/{meeting.id}/cancel", data={"version": "1", "reason": "Unwell"})
    assert response.status_code == 200
    assert (
        "The minutes of this meeting are awaiting the chair's approval: they record a meeting that took place. "
        "Record it as held rather than cancel it" in error_summary(response)
    )
    session.expire_all()
    assert session.get(Meeting, meeting.id).status is MeetingStatus.SCHEDULED


def test_cancelling_a_meeting_takes_the_open_actions_recorded_at_it_off_its_record(client_as, factory, session):
    """A meeting that did not take place agreed nothing: its actions do not wait for review at the next
    meeting, nor fall overdue to their owners. The cancel page says so beforehand."""
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    item = factory.agenda_item(meeting)
    owner = factory.user("PRACTITIONER")
    actions = [factory.action(item, owner, description=f"Visit {n}") for n in (1, 2)]
    done = factory.action(item, owner, description="Visit 3", status=ActionStatus.DONE)
    client = client_as(chair)
    form = client.get(f"/meetings/{meeting.id}/cancel")
    assert "cancelling it takes the 2 open actions recorded at it off its record" in page_text(form)

    response = client.post(
        f"/meetings/{meeting.id}/cancel", data={"version": "1", "reason": "Chair unwell"}, follow_redirects=True
    )
    assert f"Meeting {meeting.reference} cancelled. 2 open actions recorded at it taken off its record." in (
        page_text(response)
    )
    session.expire_all()
    assert [session.get(Action, a.id).status for a in actions] == [ActionStatus.REMOVED] * 2
    assert session.get(Action, done.id).status is ActionStatus.DONE
    later = factory.meeting(chair=chair, day=today_london() + timedelta(days=30))
    factory.agenda_item(later, item.case)
    assert "Visit 1" not in page_text(client.get(f"/meetings/{later.id}/agenda/{later.agenda_items[0].id}"))


def test_a_held_or_cancelled_meeting_can_no_longer_be_changed(client_as, factory, session):
    chair = factory.user("CHAIR")
    client = client_as(chair)
    today = today_london()
    held = factory.meeting(chair=chair, day=today - timedelta(days=7), status=MeetingStatus.HELD)
    cancelled = factory.meeting(chair=chair, status=MeetingStatus.CANCELLED)
    held_item, cancelled_item = factory.agenda_item(held), factory.agenda_item(cancelled)
    for meeting, item in ((held, held_item), (cancelled, cancelled_item)):
        data = _schedule(chair, day=date_parts(today + timedelta(days=3)), version=str(meeting.version))
        attempts = [
            client.post(f"/meetings/{meeting.id}/edit", data=data),
            client.get(f"/meetings/{meeting.id}/edit"),
            client.post(
                f"/meetings/{meeting.id}/agenda/{item.id}/edit",
                data={"version": "1", "purpose": "INITIAL", "slot_start": "10:00"},
            ),
            client.post(f"/meetings/{meeting.id}/agenda/{item.id}/remove"),
        ]
        for response in attempts:
            assert response.status_code == 302
        page = page_text(client.get(attempts[0].headers["Location"]))
        assert f"This meeting is {meeting.status.label.lower()}, so this can no longer be changed." in page
    assert client.get(f"/meetings/{held.id}/attendance").status_code == 200
    assert client.get(f"/meetings/{cancelled.id}/attendance").status_code == 302
    assert client.get(f"/meetings/{cancelled.id}/invitations/new").status_code == 302
    session.expire_all()
    for meeting in (held, cancelled):
        assert session.get(Meeting, meeting.id).starts_at == meeting.starts_at
        assert session.get(Meeting, meeting.id).version == 1
    assert [i.purpose.name for i in session.exec(select(AgendaItem))] == ["REVIEW", "REVIEW"]


def test_holding_a_meeting_records_the_review_date_on_its_cases(client_as, factory, session, clock):
    chair = factory.user("CHAIR")
    today = today_london()
    clock(today, time(12, 0))  # the meeting (10:00 to 12:00) has taken place
    meeting = factory.meeting(chair=chair, day=today)
    case = factory.case()
    factory.agenda_item(meeting, case, next_review_on=today + timedelta(weeks=10))
    assert client_as(chair).post(f"/meetings/{meeting.id}/held").status_code == 302
    session.expire_all()
    assert session.get(Meeting, meeting.id).status is MeetingStatus.HELD
    case = session.get(type(case), case.id)
    assert case.last_reviewed_on == today and case.next_review_on == today + timedelta(weeks=10)


def test_a_future_meeting_cannot_be_recorded_as_held(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    client_as(chair).post(f"/meetings/{meeting.id}/held")
    session.expire_all()
    assert session.get(Meeting, meeting.id).status is MeetingStatus.SCHEDULED


def test_people_see_only_the_meetings_they_chair_support_or_are_invited_to(client_as, factory):
    chair, other = factory.user("CHAIR"), factory.user("CHAIR")
    practitioner = factory.user("PRACTITIONER")
    mine = factory.meeting(chair=chair)
    theirs = factory.meeting(chair=other)
    invited = factory.meeting(chair=other)
    factory.invitation(invited, practitioner)
    listing = page_text(client_as(chair).get("/meetings"))
    assert mine.reference in listing and theirs.reference not in listing
    assert client_as(chair).get(f"/meetings/{theirs.id}").status_code == 404
    assert client_as(practitioner).get(f"/meetings/{invited.id}").status_code == 200
    assert client_as(practitioner).get(f"/meetings/{theirs.id}").status_code == 404
    assert client_as(practitioner).get(f"/meetings/{invited.id}/edit").status_code == 403
    everything = page_text(client_as("COORDINATOR").get("/meetings"))
    assert {mine.reference, theirs.reference, invited.reference} <= set(everything.split())


def test_the_meeting_list_filters_by_level_status_chair_and_dates(client_as, factory):
    chair = factory.user("CHAIR")
    today = today_london()
    near = factory.meeting(chair=chair, day=today + timedelta(days=3))
    far = factory.meeting(chair=chair, day=today + timedelta(days=40), level=Level.LEVEL_3)
    client = client_as(chair)
    level_3 = page_text(client.get("/meetings?level=LEVEL_3"))
    assert far.reference in level_3 and near.reference not in level_3
    soon = today + timedelta(days=10)
    dated = page_text(client.get("/meetings", query_string={"date_to": date_parts(soon)}))
    assert near.reference in dated and far.reference not in dated
    assert near.reference in page_text(client.get(f"/meetings?chair={chair.id}&status=SCHEDULED"))


def test_the_meeting_list_says_a_date_with_no_day_is_incomplete(client_as, factory):
    """A date whose first box (the day) is empty was taken for no date at all, without a word."""
    client = client_as(factory.user("CHAIR"))
    page = BeautifulSoup(client.get("/meetings?date_to=&date_to=12&date_to=2026").data, "html.parser")
    assert page.select_one("#date_to-error").get_text(" ", strip=True) == "Error: To must include a day"


def test_the_meeting_list_says_a_date_that_does_not_exist_is_wrong_as_the_audit_trail_does(client_as, factory):
    """31 February was taken for no date at all: every meeting was listed, with no error summary."""
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    client = client_as(chair)
    response = client.get("/meetings?date_from=31&date_from=2&date_from=2026")
    soup = BeautifulSoup(response.data, "html.parser")
    assert soup.title.get_text().startswith("Error: Meetings")
    assert error_summary(response) == ["From must be a real date"]
    assert soup.select_one(".govuk-error-summary a")["href"] == "#date_from-day"
    shown = page_text(response)
    assert "No meetings match." in shown and meeting.reference not in shown
    backwards = {"date_from": date_parts(today_london()), "date_to": date_parts(today_london() - timedelta(1))}
    assert error_summary(client.get("/meetings", query_string=backwards)) == [
        "The 'to' date must be the same as or after the 'from' date"
    ]
    audit = client_as("COORDINATOR").get("/admin/audit?date_from=31&date_from=2&date_from=2026")
    assert error_summary(audit) == ["From must be a real date"]


def test_the_meeting_list_finds_a_chair_s_meetings_by_part_of_their_name(client_as, factory):
    priya = factory.user("CHAIR", name="Priya Raman")
    other = factory.user("CHAIR", name="Tom Hughes")
    hers, his = factory.meeting(chair=priya), factory.meeting(chair=other)
    shown = page_text(client_as("COORDINATOR").get("/meetings", query_string={"chair_name": " raman "}))
    assert hers.reference in shown and his.reference not in shown
    for typed in ("priya  raman", "Raman Priya"):
        shown = page_text(client_as("COORDINATOR").get("/meetings", query_string={"chair_name": typed}))
        assert hers.reference in shown and his.reference not in shown, typed
    nobody = page_text(client_as("COORDINATOR").get("/meetings", query_string={"chair_name": "%"}))
    assert "No meetings match." in nobody


def test_the_meeting_list_shows_the_newest_first_until_another_order_is_chosen(client_as, factory):
    chair = factory.user("CHAIR")
    today = today_london()
    old = factory.meeting(chair=chair, day=today - timedelta(days=300), reference="M-ORDER-OLD")
    recent = factory.meeting(chair=chair, day=today - timedelta(days=2), reference="M-ORDER-RECENT")
    coming = factory.meeting(chair=chair, day=today + timedelta(days=5), reference="M-ORDER-COMING")
    client = client_as(chair)

    def shown(url):
        response = client.get(url)
        return [word for word in page_text(response).split() if word.startswith("M-ORDER-")], response

    newest_first = [coming.reference, recent.reference, old.reference]
    order, response = shown("/meetings")
    assert order == newest_first
    soup = BeautifulSoup(response.data, "html.parser")
    date_header = soup.find("th", attrs={"aria-sort": "descending"})
    assert date_header.get_text(strip=True) == "Date"
    assert "order=asc" in date_header.a["href"]
    assert shown(urljoin("/meetings", date_header.a["href"]))[0] == newest_first[::-1]


def _shown_and_links(response) -> tuple[str, str | None, dict[str, str]]:
    """What the list says it shows, its "Next" link and its sort links (by column)."""
    soup = BeautifulSoup(response.data, "html.parser")
    shown = soup.select_one("p.govuk-body-s").get_text(" ", strip=True)
    following = soup.select_one(".govuk-pagination__next a")
    sorts = {th.a.get_text(strip=True): th.a["href"] for th in soup.select("th[aria-sort]")}
    return shown, following["href"] if following else None, sorts


def test_the_meeting_list_keeps_its_dates_on_the_next_page_and_when_sorted(client_as, factory):
    """The date filter's day, month and year are three values of one name: the links kept only the day."""
    chair = factory.user("CHAIR")
    start = today_london() + timedelta(days=400)
    for number in range(30):
        factory.meeting(chair=chair, day=start + timedelta(days=number % 10))
    factory.meeting(chair=chair, day=start + timedelta(days=40))
    factory.meeting(chair=chair, day=start - timedelta(days=40))
    client = client_as(chair)
    dates = {"date_from": date_parts(start), "date_to": date_parts(start + timedelta(days=20))}
    shown, following, sorts = _shown_and_links(client.get("/meetings", query_string=dates))
    assert shown == "Showing 1 to 25 of 30 meetings"
    second = _shown_and_links(client.get(urljoin("/meetings", following)))[0]
    by_reference, then = _shown_and_links(client.get(urljoin("/meetings", sorts["Reference"])))[:2]
    assert (second, by_reference) == ("Showing 26 to 30 of 30 meetings", "Showing 1 to 25 of 30 meetings")
    assert _shown_and_links(client.get(urljoin("/meetings", then)))[0] == "Showing 26 to 30 of 30 meetings"


def test_viewing_a_meeting_is_audited(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    client_as(chair).get(f"/meetings/{meeting.id}")
    events = session.exec(
        select(AuditEvent).where(AuditEvent.action == "view", AuditEvent.object_type == "Meeting")
    ).all()
    assert [(e.object_id, e.summary) for e in events] == [(str(meeting.id), meeting.reference)]


def test_the_page_warns_when_police_or_probation_are_not_represented(client_as, factory):
    chair = factory.current_chair()
    factory.save(ChairProfile(user_id=chair.id, grade="Inspector", may_chair_level_2=True))
    meeting = factory.meeting(chair=chair)
    factory.agenda_item(meeting, purpose=AgendaPurpose.INITIAL)
    police = factory.agency("Warn Police", AgencySector.POLICE)
    probation = factory.agency("Warn Probation", AgencySector.PROBATION)
    client = client_as(chair)
    assert warnings_on(client.get(f"/meetings/{meeting.id}")) == [
        "Police is not represented: the Responsible Authority agencies are expected at every meeting",
        "Probation is not represented: the Responsible Authority agencies are expected at every meeting",
    ]
    factory.invitation(meeting, agency=police)
    factory.invitation(meeting, agency=probation)
    assert warnings_on(client.get(f"/meetings/{meeting.id}")) == []


def test_prisons_are_expected_when_a_person_discussed_is_in_custody(client_as, factory):
    chair = factory.current_chair()
    factory.save(ChairProfile(user_id=chair.id, grade="Inspector", may_chair_level_2=True))
    meeting = factory.meeting(chair=chair)
    factory.agenda_item(meeting, factory.case(status=CaseStatus.IN_CUSTODY), purpose=AgendaPurpose.INITIAL)
    factory.invitation(meeting, agency=factory.agency("P Police", AgencySector.POLICE))
    factory.invitation(meeting, agency=factory.agency("P Probation", AgencySector.PROBATION))
    assert warnings_on(client_as(chair).get(f"/meetings/{meeting.id}")) == [
        "Prisons is not represented: the Responsible Authority agencies are expected at every meeting"
    ]


def test_the_page_warns_about_an_untrained_chair_and_one_not_cleared_for_level_3(client_as, factory):
    chair = factory.user("CHAIR", name="Robin Hale", chair_trained=False)
    factory.save(
        ChairProfile(user_id=chair.id, grade="Inspector", may_chair_level_2=True, may_chair_level_3=False)
    )
    meeting = factory.meeting(chair=chair, level=Level.LEVEL_3)
    warnings = warnings_on(client_as(chair).get(f"/meetings/{meeting.id}"))
    assert "Robin Hale has not completed MAPPA chair training" in warnings
    assert "Robin Hale is not recorded as able to chair Level 3 meetings" in warnings


def test_the_coordinator_records_a_chairs_grade_and_levels(client_as, factory, session):
    chair = factory.user("CHAIR")
    client = client_as("COORDINATOR")
    assert error_summary(client.post(f"/chairs/{chair.id}", data={"grade": ""})) == [
        "Enter the chair's grade"
    ]
    response = client.post(
        f"/chairs/{chair.id}", data={"grade": "Detective Superintendent", "levels": ["LEVEL_2", "LEVEL_3"]}
    )
    assert response.status_code == 302
    profile = session.get(ChairProfile, chair.id)
    assert profile.grade == "Detective Superintendent" and profile.may_chair(Level.LEVEL_3)
    assert "Level 2 and Level 3" in page_text(client.get("/chairs"))


def test_the_page_warns_when_the_chairs_cpd_has_lapsed_on_the_register(client_as, factory):
    chair = factory.user("CHAIR", name="Morgan Vale", chair_trained=True)
    factory.save(ChairProfile(user_id=chair.id, grade="Inspector", may_chair_level_2=True))
    trainee = factory.trainee(chair)
    long_ago = [today_london() - timedelta(days=800), today_london() - timedelta(days=799)]
    factory.enrolment(
        factory.event(days=long_ago),
        trainee,
        EnrolmentStatus.COMPLETED,
        completed_on=long_ago[1],
        sessions_attended=2,
    )
    meeting = factory.meeting(chair=chair)
    assert "Morgan Vale's chair CPD has lapsed" in warnings_on(
        client_as(chair).get(f"/meetings/{meeting.id}")
    )


def test_moving_a_meeting_moves_its_agenda_times_with_it(client_as, factory, session):
    """The agenda's time slots keep their place in the meeting when it moves (a day later, in the
    afternoon); a shorter meeting that would end before the last slot is refused beside the end time, and
    nothing moves."""
    from datetime import time

    from tracker.core.timeutil import london, london_to_utc

    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    day = london(meeting.starts_at).date()
    first, second = factory.agenda_item(meeting, factory.case()), factory.agenda_item(meeting, factory.case())
    for item, (start, end) in ((first, (time(10), time(10, 45))), (second, (time(10, 45), time(11, 30)))):
        item.slot_starts_at, item.slot_ends_at = london_to_utc(day, start), london_to_utc(day, end)
        factory.save(item)
    client = client_as("COORDINATOR")
    later = day + timedelta(days=1)

    def move(end_time: str):
        session.expire_all()
        version = str(session.get(Meeting, meeting.id).version)
        data = _schedule(chair, day=date_parts(later), start_time="14:00", end_time=end_time, version=version)
        return client.post(f"/meetings/{meeting.id}/edit", data=data)

    refused = move("15:00")
    assert error_summary(refused) == [
        f"The agenda would run until 15:30 ({second.case.reference}'s time slot, moved with the meeting): "
        "end the meeting then or later, or change that case's time slot first"
    ]
    session.expire_all()
    assert london(session.get(type(second), second.id).slot_ends_at).time() == time(11, 30)
    assert move("16:00").status_code == 302
    session.expire_all()
    slots = [
        (london(i.slot_starts_at), london(i.slot_ends_at))
        for i in (session.get(type(first), first.id), session.get(type(second), second.id))
    ]
    assert [(s.date(), s.time(), e.time()) for s, e in slots] == [
        (later, time(14), time(14, 45)),
        (later, time(14, 45), time(15, 30)),
    ]
