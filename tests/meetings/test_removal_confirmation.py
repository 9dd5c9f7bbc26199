"""Removing a case from a meeting's agenda, or an invitation from a meeting, is asked first: the Remove
link opens a page saying what will happen, and only its "Yes, remove" (a POST) removes anything."""

from __future__ import annotations

from sqlmodel import select

from tests.pages import page_text, soup
from tracker.auth.models import AgencySector
from tracker.core.models import OutboxMessage
from tracker.core.timeutil import today_london
from tracker.meetings.models import AgendaItem, Invitation, Meeting


def heading(response) -> str:
    return soup(response).select_one("h1").get_text(" ", strip=True)


def what_happens(response) -> str:
    return soup(response).select_one("#what-happens, #what-is-removed").get_text(" ", strip=True)


def assert_asks_to_confirm(response, url: str, back: str) -> None:
    """The page's one form posts back to the removal, with a warning button; its Cancel link goes back
    to the meeting."""
    assert response.status_code == 200
    (form,) = soup(response).select("main form")
    assert form["method"] == "post" and form.get("action", url) == url
    button = form.select_one("button")
    assert button.get_text(strip=True) == "Yes, remove"
    assert "govuk-button--warning" in button["class"]
    assert form.find("a", string="Cancel")["href"] == back


def still_there(session, model, row_id: int) -> bool:
    session.expire_all()
    return session.exec(select(model).where(model.id == row_id)).first() is not None


def outbox(session) -> list[str]:
    return [m.recipients for m in session.exec(select(OutboxMessage))]


# An agenda item ----------------------------------------------------------------------------------


def test_the_remove_link_on_the_agenda_asks_first_and_the_question_changes_nothing(
    client_as, factory, session
):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    item = factory.agenda_item(meeting, factory.case(reference="RM-1", name="Peter Sample"))
    factory.agenda_item(meeting, factory.case(reference="RM-2"))
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/remove"

    link = soup(client.get(f"/meetings/{meeting.id}")).find("a", href=url)
    assert link.get_text(" ", strip=True) == "Remove RM-1"
    asked = client.get(url)
    assert heading(asked) == f"Are you sure you want to remove RM-1 from the agenda of {meeting.reference}?"
    # No item number: the meeting page numbers its items with the standing items first, in time order.
    assert what_happens(asked).startswith("RM-1 (Peter Sample) is on the agenda for its review discussion.")
    assert "nobody is sent anything" in page_text(asked)
    assert_asks_to_confirm(asked, url, f"/meetings/{meeting.id}#agenda")
    session.expire_all()
    assert [i.case.reference for i in session.exec(select(AgendaItem).order_by(AgendaItem.position))] == [
        "RM-1",
        "RM-2",
    ]

    removed = client.post(url, data={}, follow_redirects=True)
    assert "RM-1 removed from the agenda." in page_text(removed)
    session.expire_all()
    assert [(i.case.reference, i.position) for i in session.exec(select(AgendaItem))] == [("RM-2", 1)]


def test_yes_remove_carries_the_csrf_token_the_removal_asks_for(app, client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    item = factory.agenda_item(meeting)
    item_id = item.id
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/remove"
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        token = soup(client.get(url)).select_one("main form input[name=csrf_token]")["value"]
        assert client.post(url, data={}).status_code == 400
        assert still_there(session, AgendaItem, item_id)
        assert client.post(url, data={"csrf_token": token}).status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert not still_there(session, AgendaItem, item_id)


def test_an_item_that_cannot_be_removed_is_not_asked_about(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    item = factory.agenda_item(meeting, factory.case(reference="KEEP-2"))
    item_id = item.id
    factory.action(item)
    response = client_as(chair).get(f"/meetings/{meeting.id}/agenda/{item.id}/remove", follow_redirects=True)
    assert "KEEP-2 cannot be removed: the meeting recorded actions" in page_text(response)
    assert "Are you sure" not in page_text(response)
    assert still_there(session, AgendaItem, item_id)


def test_only_those_who_may_remove_an_item_are_asked(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    item = factory.agenda_item(meeting)
    item_id = item.id
    invited = factory.user("PRACTITIONER")
    factory.invitation(meeting, invited)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/remove"
    assert client_as(invited).get(url).status_code in (403, 404)
    assert client_as(factory.user("CHAIR")).get(url).status_code in (403, 404)  # not this meeting's chair
    assert client_as("LAY_ADVISER").get(url).status_code in (403, 404)
    assert still_there(session, AgendaItem, item_id)


# An invitation -------------------------------------------------------------------------------------


def test_removing_an_invitation_asks_first_and_says_who_is_sent_a_cancellation(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    probation = factory.agency("Confirm Probation", AgencySector.PROBATION)
    officer = factory.user(
        "PRACTITIONER", agency=probation, name="Li Chen", email="li.chen@probation.example"
    )
    invitation = factory.invitation(meeting, officer)
    invitation_id = invitation.id
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/invitations/{invitation.id}/remove"

    link = soup(client.get(f"/meetings/{meeting.id}")).find("a", href=url)
    assert link.get_text(" ", strip=True) == "Remove Confirm Probation"
    asked = client.get(url)
    assert heading(asked) == (
        f"Are you sure you want to remove the invitation of Li Chen (Confirm Probation) to {meeting.reference}?"
    )
    assert what_happens(asked) == (
        "Li Chen is sent a cancellation of the meeting for their calendar, at li.chen@probation.example."
    )
    assert_asks_to_confirm(asked, url, f"/meetings/{meeting.id}#attendance")
    assert still_there(session, Invitation, invitation_id)
    assert session.get(Meeting, meeting.id).sequence == 0
    assert outbox(session) == []

    removed = client.post(url, data={}, follow_redirects=True)
    assert "Invitation of Li Chen (Confirm Probation) removed." in page_text(removed)
    assert not still_there(session, Invitation, invitation_id)
    assert outbox(session) == ["li.chen@probation.example"]


def test_an_agency_invited_without_a_name_is_told_at_its_mailbox_if_it_has_one(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    housing = factory.agency("Confirm Housing", AgencySector.HOUSING, secure_mailbox="mappa@housing.example")
    health = factory.agency("Confirm Health", AgencySector.HEALTH)
    with_box = factory.invitation(meeting, agency=housing)
    without = factory.invitation(meeting, agency=health)
    client = client_as(chair)
    assert what_happens(client.get(f"/meetings/{meeting.id}/invitations/{with_box.id}/remove")) == (
        "Confirm Housing is sent a cancellation of the meeting for its calendar, at its secure group mailbox "
        "mappa@housing.example."
    )
    assert what_happens(client.get(f"/meetings/{meeting.id}/invitations/{without.id}/remove")) == (
        "No cancellation is sent."
    )
    client.post(f"/meetings/{meeting.id}/invitations/{without.id}/remove", data={})
    client.post(f"/meetings/{meeting.id}/invitations/{with_box.id}/remove", data={})
    session.expire_all()
    assert outbox(session) == ["mappa@housing.example"]


def test_someone_who_walked_in_is_removed_without_anything_sent(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair, day=today_london())
    police = factory.agency("Walk Police", AgencySector.POLICE, secure_mailbox="mappa@police.example")
    client = client_as(chair)
    walked = {"name": "Tom Walker", "agency_id": str(police.id), "accepted": "y"}
    assert client.post(f"/meetings/{meeting.id}/attendance/walk-in", data=walked).status_code == 302
    walk_in = session.exec(select(Invitation).where(Invitation.walk_in)).one()
    url = f"/meetings/{meeting.id}/invitations/{walk_in.id}/remove"
    asked = client.get(url)
    assert heading(asked) == (
        f"Are you sure you want to remove Tom Walker (Walk Police), who walked in, from the attendance of "
        f"{meeting.reference}?"
    )
    assert (
        what_happens(asked)
        == "Tom Walker is taken off the attendance recorded for the meeting. Nobody is sent anything."
    )
    client.post(url, data={})
    session.expire_all()
    assert session.exec(select(Invitation).where(Invitation.walk_in)).all() == []
    # He was never sent an invitation: his agency's mailbox is not sent a cancellation either.
    assert outbox(session) == []
    assert session.get(Meeting, meeting.id).sequence == 0


def test_only_those_who_may_remove_an_invitation_are_asked(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    invited = factory.user("PRACTITIONER")
    invitation = factory.invitation(meeting, invited)
    invitation_id = invitation.id
    url = f"/meetings/{meeting.id}/invitations/{invitation.id}/remove"
    assert client_as(invited).get(url).status_code in (403, 404)
    assert client_as(factory.user("CHAIR")).get(url).status_code in (403, 404)
    assert client_as("SMB").get(url).status_code in (403, 404)
    # An invitation of another meeting, asked through this one, is not found.
    other = factory.invitation(factory.meeting(chair=chair), invited)
    assert client_as(chair).get(f"/meetings/{meeting.id}/invitations/{other.id}/remove").status_code == 404
    assert still_there(session, Invitation, invitation_id)
