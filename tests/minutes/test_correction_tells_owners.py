"""An approved correction to the minutes that changes actions tells their owners, once, through the outbox:
a new owner that the action is theirs, the one it was taken from that it is no longer theirs, an owner
what changed (the due date, the wording), one whose action was taken off the record that it was. Nothing
is sent while the correction is a draft, nor when it is abandoned; the emails carry references and dates,
never the action's wording or the case."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy

from sqlmodel import select

from tests.meetings.conftest import approve_correction, start_correction
from tests.pages import page_text
from tests.posted import action_form
from tracker.core.models import OutboxMessage
from tracker.core.timeutil import format_date, today_london
from tracker.meetings.models import Action, EmailOptOut
from tracker.minutes.models import Minutes, MinutesStatus


def _emails(session) -> dict[str, str]:
    """Each queued email's body, by its recipient."""
    session.expire_all()
    found = {}
    for row in session.exec(select(OutboxMessage).order_by(OutboxMessage.id)):
        message = message_from_bytes(row.message, policy=policy.default)
        found[row.recipients] = f"{message['Subject']}\n{message.get_content()}"
    return found


def _approved(factory, session):
    """Approved minutes of a meeting with three actions for one owner, and two other people."""
    chair = factory.user("CHAIR")
    meeting = factory.held_meeting(chair=chair, actions_per_case=3, days_ago=2)
    factory.minutes(meeting, MinutesStatus.APPROVED)
    first = session.exec(select(Action).where(Action.agenda_item_id == meeting.agenda_items[0].id)).first()
    first.owner.email = "owner@example.org"
    factory.save(first.owner)
    people = {
        "handed": factory.user("PRACTITIONER", name="Owen Hale", email="owen@example.org", agency=first.owner_agency),
        "new": factory.user("PRACTITIONER", name="Nadia Brook", email="nadia@example.org"),
    }
    return chair, meeting, people


def _draft(client, session, meeting, people):
    """The chair's draft: the first action handed to someone else, the second given a new due date and
    wording, the third taken off the record, and a new action for a new owner; the actions' ids and dates
    as agreed, and the new due date."""
    item = meeting.agenda_items[0]
    first, second, third = session.exec(select(Action).where(Action.agenda_item_id == item.id).order_by(Action.id))
    agreed = [(action.id, action.due_on) for action in (first, second, third)]
    assert start_correction(client, session, meeting, "The actions were minuted wrongly").status_code == 302
    url = f"/meetings/{meeting.id}/agenda/{item.id}/actions"
    due = today_london() + timedelta(days=30)
    form = action_form(first.owner_agency_id, people["handed"].id, first.due_on, description=first.description)
    assert client.post(f"{url}/{first.id}/edit", data={**form, "pillar": ""}).status_code == 302
    form = action_form(second.owner_agency_id, second.owner_id, due, description="Visit SECRET ADDRESS")
    assert client.post(f"{url}/{second.id}/edit", data={**form, "pillar": ""}).status_code == 302
    assert client.post(f"{url}/{third.id}/remove", data={}).status_code == 302
    form = action_form(people["new"].agency_id, people["new"].id, due, description="Check the new flat")
    response = client.post(f"{url}/new", data=form)
    assert response.status_code == 302, page_text(response)
    return agreed, due


def test_approving_a_correction_tells_each_owner_what_changed_in_their_actions(client_as, factory, session):
    chair, meeting, people = _approved(factory, session)
    client = client_as(chair)
    ((_, first), (_, second), (_, third)), due = _draft(client, session, meeting, people)
    assert _emails(session) == {}  # a draft tells no one

    assert approve_correction(client, session, meeting).status_code == 302

    emails = _emails(session)
    assert sorted(emails) == ["nadia@example.org", "owen@example.org", "owner@example.org"]
    subject = f"Corrected minutes of MAPPA meeting {meeting.reference} change your actions"
    for body in emails.values():
        assert body.startswith(subject)
        assert "SECRET" not in body and meeting.agenda_items[0].case.reference not in body
        assert "/actions" in body
    assert f"A new action was agreed for you, due on {format_date(due)}." in emails["nadia@example.org"]
    assert f"An action was given to you, due on {format_date(first)}." in emails["owen@example.org"]
    told = emails["owner@example.org"]
    assert f"An action of yours due on {format_date(first)} is no longer yours" in told
    assert f"An action of yours is now due on {format_date(due)} (it was {format_date(second)})." in told
    assert f"The wording of an action of yours due on {format_date(due)} was changed." in told
    assert f"An action of yours due on {format_date(third)} was taken off the record." in told


def test_abandoning_a_correction_tells_no_one_and_an_owner_may_turn_these_emails_off(
    client_as, factory, session
):
    chair, meeting, people = _approved(factory, session)
    client = client_as(chair)
    _draft(client, session, meeting, people)
    version = session.exec(select(Minutes.version).where(Minutes.meeting_id == meeting.id)).one()
    response = client.post(f"/meetings/{meeting.id}/minutes/abandon-correction", data={"version": str(version)})
    assert response.status_code == 302
    assert _emails(session) == {}

    factory.save(EmailOptOut(user_id=people["new"].id, kind="action_changes"))
    _draft(client, session, meeting, people)
    assert approve_correction(client, session, meeting).status_code == 302
    assert "nadia@example.org" not in _emails(session) and "owen@example.org" in _emails(session)
