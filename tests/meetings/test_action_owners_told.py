"""Whoever an action is given to as the meeting records it is emailed that it is theirs, and whoever it is
taken from that it is no longer theirs: not the person making the change, nor anyone for a date or wording
changed with the owner the same (the minutes carry those). The emails carry the meeting's reference, the
due date and a link, never the action's wording or the case."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from tests.posted import action_form
from tracker.auth.models import AgencySector
from tracker.core.timeutil import format_date, today_london
from tracker.meetings.models import Action, EmailOptOut


def _emails(delivered) -> list[tuple[str, str, str]]:
    """(recipient, subject, body) of each email handed over for delivery, in order."""
    return [(m["To"], m["Subject"], " ".join(m.get_content().split())) for m in delivered]


def _meeting(factory):
    chair = factory.user("CHAIR", email="chair.told@example.org")
    meeting = factory.meeting(chair=chair, day=today_london())
    item = factory.agenda_item(meeting, factory.case(reference="TOLD-1", name="Secret Casename"))
    police = factory.agency("Told Police", AgencySector.POLICE)
    first = factory.user("PRACTITIONER", agency=police, email="first@example.org")
    second = factory.user("PRACTITIONER", agency=police, email="second@example.org")
    return chair, meeting, item, police, first, second


def test_a_new_owner_and_the_one_it_is_taken_from_are_told_and_no_one_else(client_as, factory, session, delivered):
    chair, meeting, item, police, first, second = _meeting(factory)
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/actions"
    due = today_london() + timedelta(days=14)
    form = action_form(police.id, first.id, due, description="Visit the SECRET ADDRESS")
    assert client.post(f"{url}/new", data=form).status_code == 302
    ((to, subject, body),) = _emails(delivered)
    assert (to, subject) == ("first@example.org", f"Your actions from MAPPA meeting {meeting.reference}")
    assert f"A new action was agreed for you, due on {format_date(due)}." in body
    assert "/actions" in body
    assert "SECRET" not in body and "Casename" not in body and "TOLD-1" not in body

    action = session.exec(select(Action).where(Action.agenda_item_id == item.id)).one()
    later = due + timedelta(days=7)
    moved = {**action_form(police.id, first.id, later, description="Visit again"), "version": action.version}
    assert client.post(f"{url}/{action.id}/edit", data=moved).status_code == 302
    assert len(_emails(delivered)) == 1  # the same owner: the minutes tell the date and wording

    session.refresh(action)
    handed = {**action_form(police.id, second.id, later, description="Visit again"), "version": action.version}
    assert client.post(f"{url}/{action.id}/edit", data=handed).status_code == 302
    told = {to: body for to, _subject, body in _emails(delivered)[1:]}
    assert set(told) == {"first@example.org", "second@example.org"}
    assert f"An action was given to you, due on {format_date(later)}." in told["second@example.org"]
    assert "is no longer yours: it was given to someone else" in told["first@example.org"]


def test_no_one_is_told_of_an_action_they_gave_themselves_or_turned_these_emails_off(
    client_as, factory, delivered
):
    chair, meeting, item, police, first, _second = _meeting(factory)
    factory.save(EmailOptOut(user_id=first.id, kind="action_changes"))
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/actions/new"
    due = today_london() + timedelta(days=14)
    assert client.post(url, data=action_form(chair.agency_id, chair.id, due)).status_code == 302
    assert client.post(url, data=action_form(police.id, first.id, due)).status_code == 302
    assert _emails(delivered) == []


def test_an_action_recorded_before_the_meeting_takes_place_is_proposed_not_agreed(client_as, factory, delivered):
    """The tester's finding: an action added to tomorrow's meeting was emailed as "agreed" a day before any
    meeting had agreed it."""
    chair, _today, _item, police, first, _second = _meeting(factory)
    tomorrow = today_london() + timedelta(days=1)
    meeting = factory.meeting(chair=chair, day=tomorrow)
    item = factory.agenda_item(meeting, factory.case(reference="TOLD-2"))
    due = tomorrow + timedelta(days=14)
    form = action_form(police.id, first.id, due, description="Visit")
    assert client_as(chair).post(f"/meetings/{meeting.id}/agenda/{item.id}/actions/new", data=form).status_code == 302
    ((_to, _subject, body),) = _emails(delivered)
    assert f"MAPPA meeting {meeting.reference} on {format_date(tomorrow)}, which has not taken place yet" in body
    assert f"A new action is proposed for you, due on {format_date(due)}." in body
    assert "agreed for you" not in body
