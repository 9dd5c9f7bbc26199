"""Emails you receive (Your account) offers only the optional emails a person's roles are sent: a
practitioner is not offered the co-ordinators' digest or the minutes emails. A kind the person is not sent
cannot be posted (nothing changes), and the emails follow the same rule as the page."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.pages import page_text
from tracker.core.permissions import Role
from tracker.meetings import follow_up
from tracker.meetings.models import EmailOptOut
from tracker.minutes.models import MinutesStatus

OFFERED = {
    "PRACTITIONER": ["action_reminders", "action_changes"],
    "CHAIR": ["minutes_awaiting_approval", "action_reminders", "action_changes"],
    "ADMINISTRATOR": ["minutes_approved", "action_reminders", "action_changes"],
    "COORDINATOR": ["action_reminders", "action_changes", "weekly_digest"],
    "SYSTEM_ADMIN": ["second_admin_requests"],
}


def _offered(response) -> list[str]:
    soup = BeautifulSoup(response.data, "html.parser")
    return [box["value"] for box in soup.select("input[name=kinds]")]


def _turned_off(session, person) -> set[str]:
    session.expire_all()
    return set(session.exec(select(EmailOptOut.kind).where(EmailOptOut.user_id == person.id)))


@pytest.mark.parametrize("role", sorted(OFFERED))
def test_each_role_is_offered_only_the_emails_it_is_sent(client_as, factory, role):
    page = client_as(factory.user(role)).get("/account/emails")
    assert _offered(page) == OFFERED[role]
    text = page_text(page)
    for kind, label in follow_up.KINDS.items():
        assert (label in text) is (kind in OFFERED[role])


def test_someone_with_two_roles_is_offered_the_emails_of_both(client_as, factory):
    page = client_as(factory.user("CHAIR", "SYSTEM_ADMIN")).get("/account/emails")
    assert _offered(page) == [*OFFERED["CHAIR"], "second_admin_requests"]


@pytest.mark.parametrize("role", ["SMB", "LAY_ADVISER", "TRSG"])
def test_a_role_sent_none_of_these_emails_is_told_so_and_offered_none(client_as, factory, role):
    page = client_as(factory.user(role)).get("/account/emails")
    assert _offered(page) == []
    assert "None of the emails you can turn off are sent to people with your roles" in page_text(page)


def test_a_practitioner_cannot_turn_off_an_email_they_are_not_sent_and_nothing_changes(
    client_as, factory, session
):
    practitioner = factory.user("PRACTITIONER")
    client = client_as(practitioner)
    response = client.post("/account/emails", data={"kinds": ["action_changes", "weekly_digest"]})
    assert response.status_code == 200
    assert "Select only emails from the list: people with your roles are not sent the others" in page_text(
        response
    )
    assert _turned_off(session, practitioner) == set()  # action reminders still on
    # Their own emails are theirs to turn off.
    assert client.post("/account/emails", data={"kinds": ["action_changes"]}).status_code == 302
    assert _turned_off(session, practitioner) == {"action_reminders"}


def test_an_email_turned_off_under_a_role_taken_away_stays_off_if_the_role_comes_back(
    client_as, factory, session
):
    person = factory.user("CHAIR", "PRACTITIONER")
    client = client_as(person)
    assert client.post("/account/emails", data={"kinds": ["action_reminders", "action_changes"]}).status_code == 302
    assert _turned_off(session, person) == {"minutes_awaiting_approval"}
    person.set_roles({Role.PRACTITIONER})
    session.add(person)
    session.commit()
    assert "minutes_awaiting_approval" not in _offered(client.get("/account/emails"))
    assert client.post("/account/emails", data={"kinds": ["action_changes"]}).status_code == 302
    assert _turned_off(session, person) == {"minutes_awaiting_approval", "action_reminders"}


def test_someone_named_on_a_meeting_without_the_role_is_not_emailed_about_its_minutes(
    client_as, factory, smtp_server
):
    """The page and the emails follow one rule: the minutes emails go to people in the chair and
    administrator roles, who are the ones offered them, as only they may approve or distribute."""
    was_chair = factory.user("PRACTITIONER", email="former-chair@example.org")
    administrator = factory.user("ADMINISTRATOR")
    meeting = factory.held_meeting(chair=was_chair, administrator=administrator)
    minutes = factory.minutes(meeting, MinutesStatus.DRAFT)
    response = client_as(administrator).post(
        f"/meetings/{meeting.id}/minutes/submit", data={"version": minutes.version}
    )
    assert response.status_code == 302
    assert [r.message["To"] for r in smtp_server.received] == []


@pytest.mark.parametrize(
    ("roles", "summary"),
    [
        (["PRACTITIONER"], "Action reminders, actions given or taken"),
        (["CHAIR"], "Minutes to approve, action reminders, actions given or taken"),
        (["COORDINATOR"], "Action reminders, actions given or taken, weekly digest"),
        (["SMB"], "None sent to your roles"),
    ],
)
def test_your_account_sums_up_the_emails_the_person_is_sent(client_as, factory, roles, summary):
    page = BeautifulSoup(client_as(factory.user(*roles)).get("/account").data, "html.parser")
    row = next(row for row in page.select(".govuk-summary-list__row") if "Emails" in row.get_text())
    assert row.select_one(".govuk-summary-list__value").get_text(strip=True) == summary
