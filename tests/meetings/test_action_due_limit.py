"""A case with no review due (managed at Level 1 now, or exited) has no meeting to stop an action's due
date at: a due date, agreed at a meeting or moved by the action's owner afterwards, is then at most the
longest interval between Level 2 reviews ahead (16 weeks by default, an area setting), so a date typed
decades away is refused and the message says the latest date allowed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.pages import page_text
from tests.posted import action_form, date_parts
from tracker.core.models import Setting
from tracker.core.timeutil import format_date, today_london
from tracker.meetings import action_dates, rules
from tracker.meetings.models import Action, Level
from tracker.minutes.models import MinutesStatus

FAR = timedelta(days=365 * 30)


def _progress(client, action, day, note="Waiting for the housing officer"):
    return client.post(
        f"/actions/{action.id}/progress",
        data={"version": str(action.version), "revised_due_on": date_parts(day), "progress_note": note},
    )


def _at_level_1(session, case):
    """The case lowered to Level 1 since: no review due."""
    case.level = Level.LEVEL_1
    session.add(case)
    session.commit()
    assert case.review_due_on is None


@pytest.fixture
def level_1_action(factory, session):
    """An action agreed at a meeting whose minutes are approved, on a case managed at Level 1 now; with
    the meeting's chair, who updates it."""
    chair = factory.user("CHAIR", name="Daniel Price")
    meeting = factory.held_meeting(chair=chair)
    factory.minutes(meeting, MinutesStatus.APPROVED)
    item = meeting.agenda_items[0]
    action = session.exec(sa.select(Action).where(Action.agenda_item_id == item.id)).scalar_one()
    _at_level_1(session, item.case)
    return action, chair


def test_an_owner_cannot_move_an_action_on_a_case_with_no_review_due_decades_ahead(
    client_as, session, level_1_action
):
    action, chair = level_1_action
    latest = today_london() + timedelta(weeks=16)
    client = client_as(chair)
    assert f"On or before {format_date(latest)}" in page_text(client.get(f"/actions/{action.id}/progress"))

    for refused_day in (today_london() + FAR, latest + timedelta(days=1)):
        response = _progress(client, action, refused_day)
        assert response.status_code == 200
        assert (
            f"The new due date must be on or before {format_date(latest)}: the case has no review due, so a "
            "new date can be up to 16 weeks ahead (the longest time between Level 2 reviews)"
        ) in page_text(response)
        session.refresh(action)
        assert action.revised_due_on is None and not action.progress_note

    assert _progress(client, action, latest).status_code == 302
    session.refresh(action)
    assert action.revised_due_on == latest


def test_the_limit_follows_the_area_s_level_2_review_interval(client_as, session, level_1_action):
    action, chair = level_1_action
    session.add(Setting(key=rules.REVIEW_WEEKS[Level.LEVEL_2].key, value="20"))
    session.commit()
    latest = today_london() + timedelta(weeks=20)
    client = client_as(chair)
    refused = _progress(client, action, latest + timedelta(days=1))
    assert f"on or before {format_date(latest)}" in page_text(refused)
    assert "up to 20 weeks ahead" in page_text(refused)
    assert _progress(client, action, latest).status_code == 302


def test_an_action_agreed_for_a_case_with_no_review_due_is_due_at_most_16_weeks_after_the_meeting(
    client_as, factory, session
):
    chair = factory.user("CHAIR", name="Daniel Price")
    meeting = factory.held_meeting(chair=chair, actions_per_case=0)
    item = meeting.agenda_items[0]
    _at_level_1(session, item.case)  # lowered to Level 1 at this meeting
    meeting_day = today_london() - timedelta(days=3)
    latest = meeting_day + timedelta(weeks=16)
    owner = factory.user("PRACTITIONER", agency=item.case.lead_agency)
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/actions/new"

    for refused_day in (meeting_day + FAR, latest + timedelta(days=1)):
        response = client.post(url, data=action_form(item.case.lead_agency_id, owner.id, refused_day))
        assert response.status_code == 200
        assert (
            f"The due date must be on or before {format_date(latest)}: the case has no review due, so an "
            "action can be due up to 16 weeks after the meeting (the longest time between Level 2 reviews)"
        ) in page_text(response)
    assert session.exec(sa.select(Action).where(Action.agenda_item_id == item.id)).first() is None

    assert client.post(url, data=action_form(item.case.lead_agency_id, owner.id, latest)).status_code == 302
    added = session.exec(sa.select(Action).where(Action.agenda_item_id == item.id)).scalar_one()
    assert added.due_on == latest


def test_an_action_s_agreed_date_kept_as_it_is_is_not_checked_again_when_it_is_changed(
    client_as, factory, session
):
    """An action agreed while the case had a review due keeps its date when its wording is changed later."""
    chair = factory.user("CHAIR")
    meeting = factory.held_meeting(chair=chair, actions_per_case=0)
    item = meeting.agenda_items[0]
    owner = factory.user("PRACTITIONER", agency=item.case.lead_agency)
    far = today_london() + timedelta(weeks=40)
    action = factory.action(item, owner=owner, due_on=far)
    _at_level_1(session, item.case)
    form = action_form(item.case.lead_agency_id, owner.id, far, description="Visit twice", version="1")
    response = client_as(chair).post(f"/meetings/{meeting.id}/agenda/{item.id}/actions/{action.id}/edit", data=form)
    assert response.status_code == 302
    session.refresh(action)
    assert (action.description, action.due_on) == ("Visit twice", far)


def test_the_limit_with_no_review_due_is_the_level_2_interval_from_the_day_given():
    today = date(2026, 3, 2)
    assert action_dates.revised_due_limit(today, None, None, 16) == date(2026, 6, 22)
    assert action_dates.revised_due_problem(date(2026, 6, 22), today, None, None, 16) is None
    assert "on or before 22 June 2026" in action_dates.revised_due_problem(date(2055, 1, 1), today, None, None, 16)
    # With a review due, the review (or the next meeting) is the limit, as before.
    assert action_dates.revised_due_limit(today, date(2026, 4, 1), None, 16) == date(2026, 4, 1)
    assert action_dates.agreed_due_problem(date(2026, 6, 22), today, None, 16) is None
    assert "on or before 22 June 2026" in action_dates.agreed_due_problem(date(2026, 6, 23), today, None, 16)
    # A Level 2 or 3 case's panel agrees its actions' dates at the meeting: no limit here.
    assert action_dates.agreed_due_problem(date(2055, 1, 1), today, date(2026, 4, 1), 16) is None
