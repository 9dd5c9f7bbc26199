"""An action its owner marked done while a correction's draft handed it to someone else: after the correction
is approved (or abandoned) the action is done, and its pages say who marked it done and when, not only
that it is done under its new owner. Also run on PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlmodel import select

from tests.meetings.conftest import approve_correction, start_correction
from tests.pages import page_text
from tests.posted import action_form
from tracker.core.timeutil import format_date, today_london
from tracker.meetings.models import Action, ActionStatus
from tracker.minutes.models import Minutes, MinutesStatus


def _done_lines(response) -> list[str]:
    soup = BeautifulSoup(response.data, "html.parser")
    return [span.get_text(" ", strip=True) for span in soup.select(".app-action-done")]


def _handed_over_while_done(client_as, factory, session):
    """The chair's draft hands the agreed action to Owen Hale; meanwhile its owner, Priya Shah, marks it
    done. Returns the chair's client, the meeting, the action's id and the two people."""
    chair = factory.user("CHAIR")
    meeting = factory.held_meeting(chair=chair, days_ago=2)
    factory.minutes(meeting, MinutesStatus.APPROVED)
    item = meeting.agenda_items[0]
    action = session.exec(select(Action).where(Action.agenda_item_id == item.id)).one()
    owner = action.owner
    owner.name = "Priya Shah"
    factory.save(owner)
    handed_to = factory.user("PRACTITIONER", name="Owen Hale", agency=action.owner_agency)
    client = client_as(chair)
    assert start_correction(client, session, meeting, "The action was minuted wrongly").status_code == 302
    form = action_form(action.owner_agency_id, handed_to.id, action.due_on, description=action.description)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/actions/{action.id}/edit"
    assert client.post(url, data={**form, "pillar": ""}).status_code == 302
    response = client_as(owner).post(f"/actions/{action.id}/complete", data={})
    assert response.status_code == 302
    assert client.get(f"/meetings/{meeting.id}/agenda/{item.id}").status_code == 200  # the draft in and out
    return client, meeting, action.id, owner, handed_to


def test_an_action_done_while_a_correction_handed_it_on_says_who_did_it_after_approval(
    client_as, factory, session
):
    client, meeting, action_id, owner, handed_to = _handed_over_while_done(client_as, factory, session)
    assert approve_correction(client, session, meeting).status_code == 302

    session.expire_all()
    action = session.get(Action, action_id)
    assert (action.status, action.owner_id, action.completed_by_id) == (ActionStatus.DONE, handed_to.id, owner.id)
    done = f"Done by Priya Shah on {format_date(today_london())}"
    item = meeting.agenda_items[0]
    assert done in _done_lines(client.get(f"/meetings/{meeting.id}/agenda/{item.id}"))
    assert done in _done_lines(client_as(handed_to).get("/actions?status=DONE&owner=me"))
    assert done in page_text(client.get(f"/cases/{item.case_id}"))


def test_abandoning_the_correction_keeps_who_marked_the_action_done(client_as, factory, session):
    client, meeting, action_id, owner, _handed_to = _handed_over_while_done(client_as, factory, session)
    version = session.exec(select(Minutes.version).where(Minutes.meeting_id == meeting.id)).one()
    response = client.post(f"/meetings/{meeting.id}/minutes/abandon-correction", data={"version": str(version)})
    assert response.status_code == 302

    session.expire_all()
    action = session.get(Action, action_id)
    assert (action.status, action.owner_id, action.completed_by_id) == (ActionStatus.DONE, owner.id, owner.id)
    assert f"Done by Priya Shah on {format_date(today_london())}" in _done_lines(
        client_as(owner).get("/actions?status=DONE&owner=me")
    )
