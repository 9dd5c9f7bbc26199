"""The chair picker on a meeting reads the chairs' register: each chair's training, CPD and levels, and a
reason recorded (and shown, and kept in the trail) when the chair chosen is untrained or lapsed."""

from datetime import date, timedelta

from bs4 import BeautifulSoup
from sqlmodel import select

from tests.pages import error_summary, page_text
from tests.posted import meeting_form
from tracker.core.models import AuditEvent
from tracker.core.timeutil import format_date, today_london
from tracker.meetings import chairing
from tracker.meetings.models import ChairProfile, Level, Meeting
from tracker.training import rules as training_rules
from tracker.training.models import Enrolment, Trainee

# Rules -----------------------------------------------------------------------------------------------


def test_only_a_trained_chair_with_current_cpd_needs_no_reason():
    assert not chairing.chair_reason_needed(trained=True, cpd_current=True)
    assert chairing.chair_reason_needed(trained=True, cpd_current=False)
    assert chairing.chair_reason_needed(trained=False, cpd_current=False)


def test_the_missing_reason_says_what_is_wrong_with_the_chair():
    untrained = chairing.ChairStanding(trained=False, cpd_current=False)
    lapsed = chairing.ChairStanding(trained=True, cpd_current=False, cpd_due_by=date(2026, 1, 5))
    current = chairing.ChairStanding(trained=True, cpd_current=True, cpd_due_by=date(2027, 1, 5))
    assert "not completed chair training" in chairing.chair_reason_problem(untrained, "  ")
    assert "CPD has lapsed" in chairing.chair_reason_problem(lapsed, "")
    assert chairing.chair_reason_problem(lapsed, "The only chair free that week") is None
    assert chairing.chair_reason_problem(current, "") is None


def test_the_picker_says_training_cpd_and_levels_in_words():
    level_3 = frozenset({Level.LEVEL_2, Level.LEVEL_3})
    current = chairing.ChairStanding(True, True, date(2027, 5, 3), level_3)
    assert chairing.chair_summary(current) == "trained, CPD current until 3 May 2027, may chair Level 3"
    lapsed = chairing.ChairStanding(True, False, date(2026, 2, 1), frozenset({Level.LEVEL_2}))
    assert chairing.chair_summary(lapsed) == "trained, CPD lapsed on 1 February 2026, Level 2 only"
    assert chairing.chair_summary(chairing.ChairStanding(False, False)) == "not trained, levels not recorded"


# The meeting form ------------------------------------------------------------------------------------


def _form(chair, **overrides):
    return meeting_form(chair, **{"level": "LEVEL_3", "end_time": "12:00", **overrides})


def _option(response, chair) -> str:
    soup = BeautifulSoup(response.data, "html.parser")
    return soup.select_one(f"#chair_id option[value='{chair.id}']").get_text(strip=True)


def test_the_picker_shows_each_chairs_training_cpd_and_whether_they_may_chair_level_3(client_as, factory):
    current = factory.current_chair(name="Current Chair")
    factory.save(ChairProfile(user_id=current.id, grade="Superintendent", may_chair_level_3=True))
    untrained = factory.user("CHAIR", name="Untrained Chair")
    due_by = training_rules.lapses_on(today_london() - timedelta(days=30), 12)
    response = client_as("ADMINISTRATOR").get("/meetings/new")
    assert _option(response, current) == (
        f"Current Chair (Test Police) – trained, CPD current until {format_date(due_by)}, may chair Level 3"
    )
    assert _option(response, untrained) == "Untrained Chair (Test Police) – not trained, levels not recorded"
    text = page_text(response)
    assert "Chairs' training and CPD (1 trained with CPD current)" in text
    assert f"Trained, CPD current until {format_date(due_by)}" in text


def test_an_untrained_chair_needs_a_reason_and_nothing_is_saved_without_one(client_as, factory, session):
    chair = factory.user("CHAIR")
    response = client_as("ADMINISTRATOR").post("/meetings/new", data=_form(chair))
    assert response.status_code == 200
    assert error_summary(response) == [
        "Enter why this chair will chair the meeting although they have not completed chair training"
    ]
    assert session.exec(select(Meeting)).all() == []


def test_the_reason_for_an_untrained_chair_is_recorded_shown_and_kept_in_the_trail(
    client_as, factory, session
):
    chair = factory.user("CHAIR", name="Stand In")
    administrator = factory.user("ADMINISTRATOR")
    reason = "The only Level 3 chair free before the release date"
    form = _form(chair, chair_reason=reason, administrator_id=str(administrator.id))
    response = client_as(administrator).post("/meetings/new", data=form)
    assert response.status_code == 302
    meeting = session.exec(select(Meeting)).one()
    assert meeting.chair_reason == reason
    page = page_text(client_as(administrator).get(response.headers["Location"]))
    assert f"Why this chair {reason}" in page
    assert "Stand In has not completed MAPPA chair training" in page
    entries = session.exec(select(AuditEvent).where(AuditEvent.action == "chair reason")).all()
    assert [(e.meeting_id, e.summary) for e in entries] == [(meeting.id, f"{meeting.reference}: {reason}")]


def test_a_trained_chair_with_current_cpd_needs_no_reason_and_one_given_is_not_kept(
    client_as, factory, session
):
    chair = factory.current_chair()
    response = client_as("ADMINISTRATOR").post(
        "/meetings/new", data=_form(chair, chair_reason="Just because")
    )
    assert response.status_code == 302
    meeting = session.exec(select(Meeting)).one()
    assert meeting.chair_reason == ""
    assert "Why this chair" not in page_text(client_as("COORDINATOR").get(f"/meetings/{meeting.id}"))


def test_a_chair_whose_cpd_has_lapsed_needs_a_reason_and_changing_to_a_current_chair_clears_it(
    client_as, factory, session
):
    lapsed = factory.current_chair()
    trainee = session.exec(select(Trainee).where(Trainee.user_id == lapsed.id)).one()
    for enrolment in session.exec(select(Enrolment).where(Enrolment.trainee_id == trainee.id)):
        enrolment.completed_on = enrolment.last_attended_on = today_london() - timedelta(days=800)
        session.add(enrolment)
    session.commit()
    meeting = factory.meeting(chair=lapsed, level=Level.LEVEL_2)
    coordinator = factory.user("COORDINATOR")
    form = _form(lapsed, level="LEVEL_2", version=str(meeting.version))
    response = client_as(coordinator).post(f"/meetings/{meeting.id}/edit", data=form)
    assert error_summary(response) == [
        "Enter why this chair will chair the meeting although their CPD has lapsed"
    ]
    response = client_as(coordinator).post(
        f"/meetings/{meeting.id}/edit", data={**form, "chair_reason": "Forum booked for next month"}
    )
    assert response.status_code == 302
    session.refresh(meeting)
    assert meeting.chair_reason == "Forum booked for next month"
    edit = client_as(coordinator).get(f"/meetings/{meeting.id}/edit")
    assert "Forum booked for next month" in page_text(edit)

    current = factory.current_chair()
    changed = _form(current, level="LEVEL_2", chair_reason="Forum booked for next month")
    changed["version"] = str(meeting.version)
    assert client_as(coordinator).post(f"/meetings/{meeting.id}/edit", data=changed).status_code == 302
    session.refresh(meeting)
    assert (meeting.chair_id, meeting.chair_reason) == (current.id, "")


def test_a_level_3_meeting_with_a_chair_recorded_for_level_2_only_needs_a_reason(client_as, factory, session):
    """Level 3 is chaired at a more senior grade: a trained, current chair whose chair record allows Level 2
    only chairs a Level 3 meeting only with a reason recorded on it, as an untrained chair does. A Level 2
    meeting needs none."""
    chair = factory.current_chair(name="Level Two Chair")
    factory.save(ChairProfile(user_id=chair.id, grade="Inspector", may_chair_level_2=True, may_chair_level_3=False))
    client = client_as("ADMINISTRATOR")
    refused = client.post("/meetings/new", data=_form(chair, level="LEVEL_3"))
    assert error_summary(refused) == [
        "Enter why this chair will chair the meeting although their chair record does not allow Level 3 meetings"
    ]
    assert session.exec(select(Meeting)).all() == []
    reason = "The Level 3 chairs are all at the Crown Court that day"
    assert client.post("/meetings/new", data=_form(chair, level="LEVEL_3", chair_reason=reason)).status_code == 302
    assert client.post("/meetings/new", data=_form(chair, level="LEVEL_2")).status_code == 302
    assert sorted((m.level.name, m.chair_reason) for m in session.exec(select(Meeting))) == [
        ("LEVEL_2", ""),
        ("LEVEL_3", reason),
    ]
