"""Attendance registers, completion, CPD, the chairs' register and people's own records."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.pages import banners, page_text, soup, table_rows
from tracker.auth.models import User
from tracker.core import settings
from tracker.core.pillars import Pillar
from tracker.core.timeutil import today_london
from tracker.training import queries, rules
from tracker.training.models import (
    Attendance,
    CourseKind,
    Enrolment,
    EnrolmentStatus,
    EventKind,
    Trainee,
    TraineeRole,
)


def _mark(client, session_id, marks: dict, version: int, **extra):
    data = {"register_version": str(version), **extra}
    for enrolment_id, (mark, note) in marks.items():
        if mark:
            data[f"mark_{enrolment_id}"] = mark
        data[f"note_{enrolment_id}"] = note
    return client.post(f"/training/sessions/{session_id}/register", data=data, follow_redirects=True)


@pytest.fixture
def course_event(factory):
    """A two-day chair course held last week, with a chair (with an account) and a person without one."""
    chair = factory.user("CHAIR", name="Nadia Chair")
    event = factory.event()
    chair_place = factory.enrolment(event, factory.trainee(chair))
    other_place = factory.enrolment(event, factory.trainee(name="Owen Other"))
    return event, chair, chair_place, other_place


def test_a_completion_corrected_away_takes_back_the_chair_s_training_but_not_what_an_admin_set(
    client_as, course_event, factory, session
):
    """The meetings read the account's "completed chair training": set by a completion, it goes when the
    registers are corrected so that the person did not complete. One an admin set by hand stays."""
    event, chair, chair_place, _other = course_event
    client = client_as("TRSG")
    day1, day2 = event.sessions
    _mark(client, day1.id, {chair_place.id: ("PRESENT", "")}, 0)
    _mark(client, day2.id, {chair_place.id: ("PRESENT", "")}, 0)
    session.expire_all()
    assert session.get(User, chair.id).chair_trained
    _mark(client, day2.id, {chair_place.id: ("ABSENT", "Marked present by mistake")}, 1)
    session.expire_all()
    assert session.get(Enrolment, chair_place.id).status is not EnrolmentStatus.COMPLETED
    assert not session.get(User, chair.id).chair_trained
    register = page_text(client.get("/training/chairs"))
    assert "Nadia Chair" in register and "Awaiting training" in register

    by_hand = factory.user("CHAIR", name="Hand Set", chair_trained=True)
    place = factory.enrolment(event, factory.trainee(by_hand))
    _mark(client, day1.id, {place.id: ("ABSENT", "")}, 2)
    session.expire_all()
    assert session.get(User, by_hand.id).chair_trained


def test_the_register_lists_everyone_with_radios_and_a_note(client_as, course_event):
    event, _chair, chair_place, _other = course_event
    response = client_as("TRSG").get(f"/training/sessions/{event.sessions[0].id}/register")
    page = soup(response)
    legends = [legend.get_text(strip=True) for legend in page.select("fieldset legend")]
    assert legends == ["Nadia Chair", "Owen Other"]
    radios = page.select(f"input[name=mark_{chair_place.id}]")
    assert [r["value"] for r in radios] == ["PRESENT", "LATE", "LEFT_EARLY", "ABSENT"]
    assert page.select_one(f"input[name=note_{chair_place.id}]") is not None
    assert page.find("script", src=False, nonce=False) is None


def test_a_rows_errors_are_shown_on_its_own_radios_and_note_with_what_was_typed_kept(client_as, course_event):
    event, _chair, chair_place, other_place = course_event
    session_id = event.sessions[0].id
    client = client_as("TRSG")
    version = event.sessions[0].register_version
    long_note = "<b>too long</b> " * 50
    response = _mark(
        client, session_id, {chair_place.id: ("MAYBE", long_note), other_place.id: ("LATE", "")}, version
    )
    page = soup(response)
    mark_error = page.find(id=f"mark_{chair_place.id}-error")
    assert mark_error is not None and "govuk-error-message" in mark_error["class"]
    fieldset = page.find(id=f"mark_{chair_place.id}").find_parent("fieldset")
    assert fieldset["aria-describedby"] == f"mark_{chair_place.id}-hint mark_{chair_place.id}-error"
    note = page.find(id=f"note_{chair_place.id}")
    assert note["value"] == long_note.strip()  # escaped into the attribute, read back as typed
    assert (
        "govuk-input--error" in note["class"] and note["aria-describedby"] == f"note_{chair_place.id}-error"
    )
    assert page.find(id=f"mark_{other_place.id}-2").has_attr("checked")  # Late, kept
    assert page.find(id=f"mark_{other_place.id}-error") is None


def test_marking_both_days_completes_the_course_and_the_chair_joins_the_register_as_trained(
    client_as, course_event, session
):
    event, chair, chair_place, other_place = course_event
    client = client_as("TRSG")
    day1, day2 = event.sessions
    response = _mark(
        client, day1.id, {chair_place.id: ("PRESENT", ""), other_place.id: ("LATE", "Train delayed")}, 0
    )
    assert "Register for Day 1 saved (2 changes)." in banners(response)
    response = _mark(
        client, day2.id, {chair_place.id: ("LATE", "Arrived at 10am"), other_place.id: ("ABSENT", "")}, 0
    )
    statuses = {row[0].split(" Test")[0]: row[2] for row in table_rows(response, "People on this event")}
    assert statuses == {"Nadia Chair": "Completed", "Owen Other": "Enrolled"}

    session.expire_all()
    assert session.get(User, chair.id).chair_trained
    completed = session.get(Enrolment, chair_place.id)
    assert completed.completed_on == today_london() - timedelta(days=6)
    note = session.exec(select(Attendance).where(Attendance.enrolment_id == other_place.id)).first()
    assert note.note == "Train delayed"

    register = client.get("/training/chairs?status=TRAINED")
    rows = table_rows(register, "Chairs")
    assert rows[0][0].startswith("Nadia Chair") and rows[0][4] == "Trained"


def test_changing_a_mark_to_absent_undoes_completion(client_as, course_event, session):
    event, _chair, chair_place, _other = course_event
    client = client_as("TRSG")
    for number, training_session in enumerate(event.sessions):
        _mark(client, training_session.id, {chair_place.id: ("PRESENT", "")}, 0)
    _mark(client, event.sessions[1].id, {chair_place.id: ("ABSENT", "")}, 1)
    session.expire_all()
    assert session.get(Enrolment, chair_place.id).status is EnrolmentStatus.ENROLLED


def test_everyone_not_yet_marked_can_be_marked_present_at_once(client_as, course_event, session):
    event, _chair, chair_place, other_place = course_event
    _mark(
        client_as("TRSG"),
        event.sessions[0].id,
        {chair_place.id: ("ABSENT", ""), other_place.id: (None, "")},
        0,
        all_present="y",
    )
    marks = {a.enrolment_id: a.mark.name for a in session.exec(select(Attendance))}
    assert marks == {chair_place.id: "ABSENT", other_place.id: "PRESENT"}


def test_a_register_saved_by_someone_else_meanwhile_is_not_overwritten(client_as, course_event, session):
    event, _chair, chair_place, _other = course_event
    client = client_as("TRSG")
    _mark(client, event.sessions[0].id, {chair_place.id: ("PRESENT", "")}, 0)
    response = _mark(client, event.sessions[0].id, {chair_place.id: ("ABSENT", "")}, 0)
    assert any("Someone else saved this register" in b for b in banners(response))
    assert [a.mark.name for a in session.exec(select(Attendance))] == ["PRESENT"]


def test_a_register_cannot_be_marked_before_the_day(client_as, factory, session):
    event = factory.event(days=[today_london() + timedelta(days=3)])
    place = factory.enrolment(event)
    client = client_as("TRSG")
    response = client.get(f"/training/sessions/{event.sessions[0].id}/register")
    assert "The register opens on" in page_text(response)
    assert soup(response).select("input[type=radio]") == []
    response = client.post(
        f"/training/sessions/{event.sessions[0].id}/register", data={f"mark_{place.id}": "PRESENT"}
    )
    assert response.status_code == 400
    assert session.exec(select(Attendance)).all() == []


def test_a_forum_with_its_pillar_adds_cpd_to_the_chairs_record(client_as, factory, session, app_context):
    chair = factory.user("CHAIR", name="Imran Forum")
    trainee = factory.trainee(chair)
    chair_course = factory.event(days=[date(2024, 5, 13), date(2024, 5, 14)])
    factory.completed(chair_course, trainee, date(2024, 5, 14))
    forum_course = factory.course(CourseKind.CPD, title="Chairs' Forum", cpd_minutes=180)
    forum = factory.event(
        forum_course,
        kind=EventKind.CHAIRS_FORUM,
        pillar=Pillar.VICTIM_SAFETY_PLANNING,
        days=[today_london() - timedelta(days=1)],
    )
    place = factory.enrolment(forum, trainee)
    _mark(client_as("TRSG"), forum.sessions[0].id, {place.id: ("PRESENT", "")}, 0)

    status = queries.chair_statuses([chair.id])[chair.id]
    assert status.state is rules.ChairState.TRAINED
    assert status.last_cpd_on == today_london() - timedelta(days=1)
    assert status.last_cpd_pillar is Pillar.VICTIM_SAFETY_PLANNING

    record = client_as(chair).get("/training/my-record")
    text = page_text(record)
    assert "CPD hours in all: 3" in text
    assert "Victim safety planning" in text
    assert "Trained" in text


def test_an_overridden_outcome_is_the_trsgs_word_on_cpd_too(client_as, factory, session, app_context):
    """Overridden to Did not complete, a forum the registers say he attended earns no CPD and is not his
    last CPD; overridden to Completed, one the registers say she left early earns its full hours: the
    chairs' register, the CPD hours and the participants agree with the certificate."""
    forum_course = factory.course(CourseKind.CPD, title="Chairs' Forum", cpd_minutes=180)
    day = today_london() - timedelta(days=1)
    forum = factory.event(forum_course, kind=EventKind.CHAIRS_FORUM, pillar=Pillar.SUPERVISION, days=[day])
    chairs = {name: factory.user("CHAIR", name=name) for name in ("Mo Grant", "Sadia Kaur")}
    places = {name: factory.enrolment(forum, factory.trainee(user)) for name, user in chairs.items()}
    trsg = client_as("TRSG")
    marks = {places["Mo Grant"].id: ("PRESENT", ""), places["Sadia Kaur"].id: ("LEFT_EARLY", "")}
    _mark(trsg, forum.sessions[0].id, marks, 0)
    trsg.post(f"/training/events/{forum.id}/close")
    for name, outcome in (("Mo Grant", "NOT_COMPLETED"), ("Sadia Kaur", "COMPLETED")):
        place = session.get(Enrolment, places[name].id)
        session.refresh(place)
        response = trsg.post(
            f"/training/enrolments/{place.id}/outcome",
            data={"outcome": outcome, "reason": "Register corrected by the trainer", "version": place.version},
        )
        assert response.status_code == 302
    session.expire_all()
    mo, sadia = (session.get(Enrolment, places[name].id) for name in ("Mo Grant", "Sadia Kaur"))
    assert (mo.status, mo.cpd_minutes, mo.last_attended_on) == (EnrolmentStatus.NOT_COMPLETED, 0, None)
    assert (sadia.status, sadia.cpd_minutes, sadia.last_attended_on) == (EnrolmentStatus.COMPLETED, 180, day)
    statuses = queries.chair_statuses([user.id for user in chairs.values()])
    assert statuses[chairs["Mo Grant"].id].last_cpd_on is None
    assert statuses[chairs["Sadia Kaur"].id].last_cpd_on == day


def test_my_record_shows_only_my_own_training(client_as, factory):
    me, someone = factory.user("PRACTITIONER"), factory.user("PRACTITIONER")
    event = factory.event(title="Briefing for me")
    factory.enrolment(event, factory.trainee(me))
    factory.enrolment(factory.event(title="Someone else's course"), factory.trainee(someone))
    text = page_text(client_as(me).get("/training/my-record"))
    assert "Briefing for me" in text and "Someone else's course" not in text


def test_the_chairs_register_filters_by_status_with_the_same_rule_as_each_chair(
    client_as, factory, session, app_context
):
    today = today_london()
    course = factory.event(days=[today - timedelta(days=800)])
    forum_course = factory.course(CourseKind.CPD)
    recent = factory.event(forum_course, days=[today - timedelta(days=30)], pillar=Pillar.SUPERVISION)
    nearly = factory.event(forum_course, days=[today - timedelta(days=330)], pillar=Pillar.SUPERVISION)
    chairs = {}
    for name, forum in [("Current", recent), ("Nearly", nearly), ("Lapsed", None), ("Untrained", None)]:
        user = factory.user("CHAIR", name=f"{name} Chair")
        trainee = factory.trainee(user)
        if name != "Untrained":
            factory.completed(course, trainee, today - timedelta(days=800))
        if forum:
            factory.enrolment(forum, trainee, sessions_attended=1, last_attended_on=forum.starts_at.date())
        chairs[name] = user
    flagged = factory.user("CHAIR", name="Flagged Chair", chair_trained=True)
    factory.user("PRACTITIONER", name="Not A Chair")
    client = client_as("TRSG")

    def names(status):
        rows = table_rows(client.get(f"/training/chairs?status={status}"), "Chairs")
        return sorted(r[0].split(" Test")[0] for r in rows if r[0] != "No chairs match.")

    assert names("TRAINED") == ["Current Chair", "Nearly Chair"]
    assert names("DUE_SOON") == ["Nearly Chair"]
    assert names("CPD_LAPSED") == ["Flagged Chair", "Lapsed Chair"]
    assert names("AWAITING_TRAINING") == ["Untrained Chair"]
    everyone = table_rows(client.get("/training/chairs"), "Chairs")
    assert len(everyone) == 5
    statuses = queries.chair_statuses([u.id for u in chairs.values()] + [flagged.id])
    assert statuses[chairs["Nearly"].id].cpd_due_soon
    assert statuses[flagged.id].state is rules.ChairState.CPD_LAPSED
    assert statuses[chairs["Untrained"].id].state is rules.ChairState.AWAITING_TRAINING
    assert settings.get("cpd_lapse_months") == 12


def test_the_chairs_register_takes_the_same_number_of_queries_for_few_or_many_chairs(
    client_as, factory, count_queries
):
    client = client_as("TRSG")
    event = factory.event(days=[date(2024, 5, 13)])

    def chairs_complete_the_course(how_many: int) -> None:
        for _ in range(how_many):
            factory.completed(event, factory.trainee(factory.user("CHAIR")), date(2024, 5, 14))

    def queries_for_the_register() -> int:
        with count_queries() as counted:
            assert client.get("/training/chairs").status_code == 200
        return counted[0]

    chairs_complete_the_course(2)
    few = queries_for_the_register()
    chairs_complete_the_course(20)
    assert queries_for_the_register() == few


def test_new_chairs_without_an_account_are_on_the_chairs_register_from_their_course(
    client_as, course_event, factory, session
):
    """The TRSG trains new chairs before they have accounts: completing the chair course puts them on
    the register as trained; a place on a course not yet completed, as awaiting training."""
    event, _chair, chair_place, other_place = course_event
    client = client_as("TRSG")
    for day in event.sessions:
        _mark(client, day.id, {chair_place.id: ("PRESENT", ""), other_place.id: ("PRESENT", "")}, 0)
    upcoming = factory.event(days=[today_london() + timedelta(days=30)])
    factory.enrolment(upcoming, factory.trainee(name="Una Waiting"))
    factory.enrolment(upcoming, factory.trainee(name="Wes Withdrawn"), status=EnrolmentStatus.WITHDRAWN)
    factory.enrolment(upcoming, factory.trainee(name="Ada Admin"), role=TraineeRole.ADMINISTRATOR)
    forum = factory.event(factory.course(CourseKind.CPD), days=[today_london() - timedelta(days=2)])
    factory.enrolment(forum, factory.trainee(name="Fran Forum Only"), sessions_attended=1)
    factory.enrolment(
        forum,
        session.exec(select(Trainee).where(Trainee.name == "Owen Other")).one(),
        sessions_attended=1,
        last_attended_on=today_london() - timedelta(days=2),
    )
    forum.pillar = Pillar.SUPERVISION
    session.add(forum)
    session.commit()

    response = client.get("/training/chairs")
    rows = {row[0].split(" Test")[0]: row for row in table_rows(response, "Chairs")}
    assert sorted(rows) == ["Nadia Chair", "Owen Other", "Una Waiting"]
    assert ["No account yet" in row[0] for _name, row in sorted(rows.items())] == [False, True, True]
    # A trained chair without an account can be invited to make one; one awaiting training cannot yet.
    assert ["Ask for an account" in row[0] for _name, row in sorted(rows.items())] == [False, True, False]
    owen = rows["Owen Other"]
    completed = f"{event.sessions[1].starts_at.date():%-d %B %Y}"
    assert owen[1] == completed and owen[4] == "Trained"
    assert owen[2].startswith(f"{today_london() - timedelta(days=2):%-d %B %Y}") and "Supervision" in owen[2]
    assert rows["Una Waiting"][4] == "Awaiting training"
    link = soup(response).find("a", string="Owen Other")
    assert link["href"] == f"/training/people/{other_place.trainee_id}"
    awaiting = table_rows(client.get("/training/chairs?status=AWAITING_TRAINING&q=una"), "Chairs")
    assert [row[0] for row in awaiting] == ["Una Waiting Test Police No account yet"]


def test_the_register_counted_on_a_past_day_holds_what_was_so_on_that_day(app_context, factory):
    """The Board's dashboard counts the register at the end of each quarter: a chair counts from when
    their account was made (or, without one, when they were first given a place), and as trained from
    the day they completed, with the CPD they had by then."""
    from datetime import UTC, datetime

    early = factory.user("CHAIR", name="Early Chair", created_at=datetime(2026, 1, 5, 9, tzinfo=UTC))
    late = factory.user("CHAIR", name="Late Chair", created_at=datetime(2026, 11, 1, 9, tzinfo=UTC))
    event = factory.event(days=[date(2026, 7, 30), date(2026, 7, 31)])
    factory.completed(
        event, factory.trainee(early), date(2026, 7, 31), last_attended_on=date(2026, 7, 31), sessions_attended=2
    )
    later = factory.event(days=[date(2026, 11, 2), date(2026, 11, 3)])
    factory.completed(
        later, factory.trainee(late), date(2026, 11, 3), last_attended_on=date(2026, 11, 3), sessions_attended=2
    )
    june, september, today = queries.register_counts_on([date(2026, 6, 30), date(2026, 9, 30), today_london()])
    assert (june["ALL"], june["AWAITING_TRAINING"], june["TRAINED"]) == (1, 1, 0)
    assert (september["ALL"], september["AWAITING_TRAINING"], september["TRAINED"]) == (1, 0, 1)
    assert (today["ALL"], today["TRAINED"]) == (2, 2)


def test_the_cpd_total_on_a_training_record_is_the_sum_of_its_events_hours(client_as, factory):
    """The total is what the rows above it add up to: a chair course earns no CPD hours (its row says
    so), even one the TRSG once gave some."""
    chair = factory.user("CHAIR", name="Hours Chair")
    trainee = factory.trainee(chair)
    course = factory.course(CourseKind.CHAIR_COURSE, cpd_minutes=720)
    held = factory.event(course, days=[today_london() - timedelta(days=9), today_london() - timedelta(days=8)])
    factory.completed(held, trainee, cpd_minutes=720)
    forum = factory.event(factory.course(CourseKind.CPD), days=[today_london() - timedelta(days=2)])
    factory.completed(forum, trainee, cpd_minutes=180)
    record = client_as(chair).get("/training/my-record")
    assert "CPD hours in all: 3" in page_text(record)
    assert [row[3] for row in table_rows(record, "Courses and CPD events")] == ["3", "Not CPD"]
