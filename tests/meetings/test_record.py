"""The record of each case's discussion: the Four Pillars, risk, level decision, next review, actions."""

from datetime import date, time, timedelta

from bs4 import BeautifulSoup
from sqlmodel import select

from tests.pages import error_summary, page_text
from tests.posted import action_form, date_parts, decision_form
from tracker.auth.models import AgencySector
from tracker.core.timeutil import today_london
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Level,
    LevelDecision,
    MeetingStatus,
    Pillar,
    PillarEntry,
    PillarStatus,
    RiskLevel,
)


def _setup(factory, level=Level.LEVEL_2, day=None, **meeting_fields):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair, level=level, day=day or today_london(), **meeting_fields)
    item = factory.agenda_item(meeting, factory.case(level=level, reference=f"REC-{level.number}"))
    return chair, meeting, item


def _entry(session, item, pillar):
    session.expire_all()
    return session.exec(
        select(PillarEntry).where(PillarEntry.agenda_item_id == item.id, PillarEntry.pillar == pillar)
    ).one()


def test_a_pillar_is_recorded_as_addressed_with_a_summary(client_as, factory, session):
    chair, meeting, item = _setup(factory)
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/pillars/victim-safety-planning"
    response = client.post(
        url, data={"version": "1", "status": "ADDRESSED", "summary": "Victim liaison in place"}
    )
    assert response.status_code == 302
    entry = _entry(session, item, Pillar.VICTIM_SAFETY_PLANNING)
    assert entry.status is PillarStatus.ADDRESSED and entry.updated_by_id == chair.id
    page = page_text(client.get(f"/meetings/{meeting.id}/agenda/{item.id}"))
    assert "Victim safety planning Addressed" in page and "Victim liaison in place" in page


def test_a_pillar_needs_a_summary_when_addressed_and_a_reason_when_not_applicable(
    client_as, factory, session
):
    chair, meeting, item = _setup(factory)
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/pillars/supervision"
    assert error_summary(client.post(url, data={"version": "1", "status": "ADDRESSED"})) == [
        "Enter a summary of how the plan addresses this pillar"
    ]
    assert error_summary(client.post(url, data={"version": "1", "status": "NOT_APPLICABLE"})) == [
        "Enter why this pillar does not apply"
    ]
    assert _entry(session, item, Pillar.SUPERVISION).status is PillarStatus.OUTSTANDING
    assert client.get(f"/meetings/{meeting.id}/agenda/{item.id}/pillars/no-such-pillar").status_code == 404


def test_two_people_editing_one_pillar_the_second_is_refused_and_nothing_is_overwritten(
    client_as, factory, session
):
    chair, meeting, item = _setup(factory)
    administrator = factory.user("ADMINISTRATOR")
    meeting.administrator_id = administrator.id
    factory.save(meeting)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/pillars/supervision"
    first = client_as(chair).post(
        url, data={"version": "1", "status": "ADDRESSED", "summary": "Weekly reporting"}
    )
    assert first.status_code == 302
    second = client_as(administrator).post(
        url, data={"version": "1", "status": "ADDRESSED", "summary": "Monthly"}
    )
    assert second.status_code == 409
    assert error_summary(second) == [
        "Someone else saved changes to this pillar while you were editing it. Your changes have not been saved: "
        "reload the page to see theirs, then make yours again"
    ]
    assert _entry(session, item, Pillar.SUPERVISION).summary == "Weekly reporting"


def test_the_risk_assessment_is_recorded(client_as, factory, session):
    chair, meeting, item = _setup(factory)
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/risk"
    data = {
        "version": "1",
        "risk_to_children": "HIGH",
        "risk_to_public": "MEDIUM",
        "risk_to_known_adult": "VERY_HIGH",
    }
    assert error_summary(client.post(url, data=data)) == [
        "Select the risk of serious harm to staff",
        "Select the risk of serious harm to prisoners",
        "Select how imminent the risk is",
        "Select the tool the risk was assessed with",
        "Enter the date of the assessment",
    ]
    data.update(risk_to_staff="LOW", risk_to_prisoners="LOW", imminence="IMMINENT", contingency_plan="Recall")
    data.update(assessment_tool="OASys", assessed_on=date_parts(today_london()))
    future = client.post(url, data={**data, "assessed_on": date_parts(today_london() + timedelta(days=1))})
    assert error_summary(future) == ["The date of the assessment must be today or in the past"]
    born = session.get(AgendaItem, item.id).case.date_of_birth
    old = client.post(url, data={**data, "assessed_on": date_parts(date(1900, 1, 1))})
    assert error_summary(old) == [
        f"The date of the assessment must be after the person's date of birth, {born:%-d %B %Y}"
    ]
    assert session.get(AgendaItem, item.id).assessed_on is None
    assert client.post(url, data=data).status_code == 302
    session.expire_all()
    saved = session.get(AgendaItem, item.id)
    assert saved.risk_to_known_adult is RiskLevel.VERY_HIGH and saved.contingency_plan == "Recall"
    shown = page_text(client.get(f"/meetings/{meeting.id}/agenda/{item.id}"))
    assert "Risk of serious harm to a known adult Very high" in shown
    assert f"Assessment tool and date OASys, {today_london():%-d %B %Y}" in shown


def test_a_next_review_past_the_longest_interval_is_refused_and_nothing_changes(client_as, factory, session):
    chair, meeting, item = _setup(factory, level=Level.LEVEL_3)
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/decision"
    today = today_london()
    data = decision_form(1, "RETAIN", "Stable", today + timedelta(weeks=9))
    response = client.post(url, data=data)
    latest = today + timedelta(weeks=8)
    assert error_summary(response) == [
        f"The next review date must be no later than {latest:%-d %B %Y}: Level 3 cases are reviewed at least every 8 weeks"
    ]
    past = client.post(url, data={**data, "next_review_on": date_parts(today - timedelta(days=1))})
    assert error_summary(past) == ["The next review date must be after the meeting"]
    session.expire_all()
    assert session.get(AgendaItem, item.id).level_decision is None
    assert session.get(Case, item.case_id).next_review_on is None


def test_raising_a_case_to_level_3_changes_its_level_and_history_once(client_as, factory, session):
    chair, meeting, item = _setup(factory, status=MeetingStatus.HELD)
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/decision"
    review = today_london() + timedelta(weeks=6)
    data = decision_form(1, "RAISE", "Risk rising", review)
    assert client.post(url, data=data).status_code == 302
    session.expire_all()
    case = session.get(Case, item.case_id)
    assert case.level is Level.LEVEL_3 and case.next_review_on == review
    # Corrected to "retain": the earlier change is replaced, not stacked.
    data.update(version="2", level_decision="RETAIN", level_decision_reason="On reflection, stable")
    assert client.post(url, data=data).status_code == 302
    session.expire_all()
    assert session.get(Case, item.case_id).level is Level.LEVEL_2
    assert [e.kind for e in session.exec(select(CaseEvent).where(CaseEvent.agenda_item_id == item.id))] == []


def test_a_decision_cannot_be_recorded_before_the_meeting_and_the_deadline_stands(
    client_as, factory, session
):
    today = today_london()
    chair, meeting, item = _setup(factory, day=today + timedelta(days=1))
    case = session.get(Case, item.case_id)
    case.last_reviewed_on, case.next_review_on = today - timedelta(weeks=5), today + timedelta(days=2)
    session.add(case)
    session.commit()
    url = f"/meetings/{meeting.id}/agenda/{item.id}/decision"
    data = decision_form(1, "RETAIN", "Stable", today + timedelta(weeks=20))
    response = client_as(chair).post(url, data=data)
    assert error_summary(response) == [
        f"The level decision can be recorded from the day of the meeting, {meeting.starts_at:%-d %B %Y}"
    ]
    session.expire_all()
    assert session.get(AgendaItem, item.id).level_decision is None
    assert session.get(Case, item.case_id).next_review_on == today + timedelta(days=2)


def test_a_decision_on_the_day_moves_the_deadline_only_once_the_meeting_is_held(
    client_as, factory, session, clock
):
    today = today_london()
    clock(today, time(12, 0))  # the meeting (10:00 to 12:00) has taken place
    chair, meeting, item = _setup(factory)
    case = session.get(Case, item.case_id)
    case.last_reviewed_on, case.next_review_on = today - timedelta(weeks=5), today + timedelta(days=2)
    session.add(case)
    session.commit()
    client = client_as(chair)
    review = today + timedelta(weeks=10)
    data = decision_form(1, "RETAIN", "Stable", review)
    assert client.post(f"/meetings/{meeting.id}/agenda/{item.id}/decision", data=data).status_code == 302
    session.expire_all()
    assert session.get(Case, item.case_id).next_review_on == today + timedelta(days=2)
    assert client.post(f"/meetings/{meeting.id}/held").status_code == 302
    session.expire_all()
    held = session.get(Case, item.case_id)
    assert (held.last_reviewed_on, held.next_review_on) == (today, review)


def test_exiting_meeting_management_needs_no_next_review(client_as, factory, session):
    chair, meeting, item = _setup(factory)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/decision"
    data = {"version": "1", "level_decision": "EXIT", "level_decision_reason": "Risk reduced"}
    assert client_as(chair).post(url, data=data).status_code == 302
    session.expire_all()
    assert session.get(Case, item.case_id).status is CaseStatus.EXITED
    exited = session.exec(select(CaseEvent).where(CaseEvent.kind == CaseEventKind.EXITED)).one()
    assert exited.agenda_item_id == item.id
    assert session.get(AgendaItem, item.id).level_decision is LevelDecision.EXIT


def test_lowering_to_level_1_leaves_meeting_management_with_no_next_review(client_as, factory, session):
    """As on exit: a date given is not kept, so neither the record nor the minutes show a review to hold."""
    chair, meeting, item = _setup(factory)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/decision"
    data = decision_form(1, "LOWER", "Managed by probation alone", today_london() + timedelta(days=56))
    assert client_as(chair).post(url, data=data).status_code == 302
    session.expire_all()
    case = session.get(Case, item.case_id)
    assert (case.level, case.next_review_on) == (Level.LEVEL_1, None)
    assert session.get(AgendaItem, item.id).next_review_on is None
    # From Level 3, lowered to Level 2, the next review is kept.
    chair, meeting, item = _setup(factory, level=Level.LEVEL_3)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/decision"
    assert client_as(chair).post(url, data=data).status_code == 302
    session.expire_all()
    assert session.get(AgendaItem, item.id).next_review_on == today_london() + timedelta(days=56)


def test_an_action_is_added_under_a_pillar_with_an_owner_and_due_date(client_as, factory, session):
    chair, meeting, item = _setup(factory)
    police = factory.agency("Action Police", AgencySector.POLICE)
    officer = factory.user("PRACTITIONER", agency=police)
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/actions/new"
    yesterday = today_london() - timedelta(days=1)
    bad = client.post(url, data=action_form(police.id, officer.id, yesterday))
    assert error_summary(bad) == ["The due date must be on or after the date of the meeting"]
    both = client.post(
        url, data={"description": "Visit", "owner_agency_id": "", "due_on": date_parts(yesterday)}
    )
    assert error_summary(both) == [
        "Select the agency that owns the action",
        "Select the person who owns the action",
        "The due date must be on or after the date of the meeting",
    ]
    assert error_summary(client.post(url, data={})) == [
        "Enter what needs to be done",
        "Select the agency that owns the action",
        "Select the person who owns the action",
        "Enter the date the action is due",
    ]
    due = today_london() + timedelta(days=14)
    data = action_form(police.id, officer.id, due, description="Home visit", pillar="MONITORING_AND_CONTROL")
    assert client.post(url, data=data).status_code == 302
    action = session.exec(select(Action).where(Action.agenda_item_id == item.id)).one()
    assert (action.pillar, action.owner_id, action.due_on, action.case_id) == (
        Pillar.MONITORING_AND_CONTROL,
        officer.id,
        due,
        item.case_id,
    )


def test_the_owner_completes_an_action_and_a_chair_drops_one_with_a_reason(client_as, factory, session):
    chair, meeting, item = _setup(factory)
    owner = factory.user("PRACTITIONER")
    mine = factory.action(item, owner=owner, description="Mine to do")
    other = factory.action(item, description="To drop")
    assert client_as(owner).post(f"/actions/{mine.id}/complete").status_code == 302
    again = client_as(owner).post(f"/actions/{mine.id}/complete", follow_redirects=True)
    assert f"This action was already closed (done): {mine.description}" in again.get_data(as_text=True)
    assert client_as(owner).post(f"/actions/{other.id}/complete").status_code in (403, 404)
    client = client_as(chair)
    assert error_summary(client.post(f"/actions/{other.id}/drop", data={"version": "1"})) == [
        "Select whether the action could not be done or was not done",
        "Enter why the action is closed without being done",
    ]
    assert (
        client.post(
            f"/actions/{other.id}/drop",
            data={"version": "1", "outcome": "DROPPED", "reason": "No longer needed"},
        ).status_code
        == 302
    )
    session.expire_all()
    assert session.get(Action, mine.id).status is ActionStatus.DONE
    assert session.get(Action, mine.id).completed_on == today_london()
    dropped = session.get(Action, other.id)
    assert dropped.status is ActionStatus.DROPPED and dropped.dropped_reason == "No longer needed"


def test_an_action_that_was_not_done_is_closed_as_not_done_with_what_happened(client_as, factory, session):
    chair, _meeting, item = _setup(factory)
    action = factory.action(item, description="Refer to the housing panel")
    response = client_as(chair).post(
        f"/actions/{action.id}/drop",
        data={"version": str(action.version), "outcome": "NOT_DONE", "reason": "The referral was missed"},
    )
    assert response.status_code == 302
    session.expire_all()
    closed = session.get(Action, action.id)
    assert closed.status is ActionStatus.NOT_DONE and closed.dropped_reason == "The referral was missed"
    listed = page_text(client_as(chair).get("/actions?owner=all&status=NOT_DONE"))
    assert "Refer to the housing panel" in listed and "Not done: The referral was missed" in listed
    # Closed once: a second close is refused and changes nothing.
    again = client_as(chair).post(
        f"/actions/{action.id}/drop",
        data={"version": str(closed.version), "outcome": "DROPPED", "reason": "Changed my mind"},
    )
    assert "This action is already not done" in page_text(again)
    session.expire_all()
    assert session.get(Action, action.id).status is ActionStatus.NOT_DONE


def test_the_action_list_shows_mine_my_agencys_and_marks_overdue(client_as, factory):
    chair, meeting, item = _setup(factory)
    police = factory.agency("List Police", AgencySector.POLICE)
    me = factory.user("PRACTITIONER", agency=police)
    colleague = factory.user("PRACTITIONER", agency=police)
    factory.invitation(meeting, me)
    factory.action(item, owner=me, description="My late action", due_on=today_london() - timedelta(days=1))
    factory.action(item, owner=colleague, description="Colleague's action")
    client = client_as(me)
    mine = page_text(client.get("/actions"))
    assert "My late action" in mine and "Overdue" in mine and "Colleague's action" not in mine
    agency = page_text(client.get("/actions?owner=agency"))
    assert "My late action" in agency and "Colleague's action" in agency
    overdue = page_text(client.get("/actions?owner=agency&overdue=1"))
    assert "Colleague's action" not in overdue


def test_the_action_owner_list_offers_only_named_people_and_says_one_is_needed(client_as, factory, session):
    """Every action has a named owner (approval refuses one without): the form does not offer "No one
    named" only to refuse it, and its hint says a named person is needed, whatever the agency's invitation."""
    chair, meeting, item = _setup(factory)
    care = factory.agency("Owner Children's Care", AgencySector.CHILDRENS_SOCIAL_CARE)
    worker = factory.user("PRACTITIONER", agency=care, name="Carla Worker")
    factory.invitation(meeting, agency=care)  # invited as anyone from the agency
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/actions/new"
    form = BeautifulSoup(client.get(url).data, "html.parser")
    offered = [option.get_text(strip=True) for option in form.select("select[name=owner_id] option")]
    assert "No one named" not in offered
    assert offered[0] == "Select a person" and f"Carla Worker ({care.name})" in offered
    hint = form.select_one("#owner_id-hint").get_text(" ", strip=True)
    assert hint.startswith("An action needs a named person who owns it")
    due = today_london() + timedelta(days=14)
    nobody = client.post(url, data=action_form(care.id, "", due, description="Check the school"))
    assert error_summary(nobody) == ["Select the person who owns the action"]
    named = action_form(care.id, worker.id, due, description="Check the school")
    assert client.post(url, data=named).status_code == 302


def test_the_progress_and_close_pages_of_a_closed_action_say_so_and_offer_no_form(client_as, factory, session):
    """The tester's finding: both pages showed their whole form for an action already done, only to refuse
    it on submit."""
    chair, _meeting, item = _setup(factory)
    action = factory.action(item, description="Visit the address", status=ActionStatus.DONE, completed_on=today_london())
    client = client_as(chair)
    for page in ("progress", "drop"):
        soup = BeautifulSoup(client.get(f"/actions/{action.id}/{page}").data, "html.parser")
        closed = soup.select_one("#action-closed").get_text(" ", strip=True)
        assert closed.startswith("This action is already done (on ") and "Nothing more can be recorded" in closed
        assert soup.select_one("form[method=post] textarea") is None, page
