"""Access follows a person's roles as they are now: someone whose chair (or administrator) role is taken
away no longer sees, runs or drafts the minutes of the meetings they were named on in that role, nor those
meetings' cases; what their remaining roles give them (an invitation, a case they lead) they keep."""

from __future__ import annotations

import pytest

from tracker.auth.models import User
from tracker.core.permissions import Role
from tracker.minutes.models import MinutesStatus


def _take_role(factory, person: User, role: Role) -> None:
    person.set_roles(set(person.roles) - {role})
    factory.save(person)


@pytest.mark.parametrize("role", ["CHAIR", "ADMINISTRATOR"])
def test_a_person_whose_role_is_taken_away_loses_the_meetings_they_ran_in_it(client_as, factory, role):
    person = factory.user(role, "PRACTITIONER", name="Former Runner")
    named = {"chair": person} if role == "CHAIR" else {"administrator": person}
    coming = factory.meeting(**named)
    item = factory.agenda_item(coming)
    held = factory.held_meeting(**named)
    factory.minutes(held, MinutesStatus.DRAFT)
    client = client_as(person)
    assert client.get(f"/meetings/{coming.id}").status_code == 200
    assert client.get(f"/cases/{item.case_id}").status_code == 200
    assert client.get(f"/meetings/{held.id}/minutes/edit").status_code == 200

    _take_role(factory, person, Role[role])
    client = client_as(person)
    for url in (
        f"/meetings/{coming.id}",
        f"/meetings/{coming.id}/edit",
        f"/meetings/{coming.id}/cancel",
        f"/cases/{item.case_id}",
        f"/meetings/{held.id}",
        f"/meetings/{held.id}/minutes",
        f"/meetings/{held.id}/minutes/edit",
    ):
        assert client.get(url).status_code in (403, 404), url
    listed = client.get("/meetings?when=past").get_data(as_text=True) + client.get("/meetings").get_data(
        as_text=True
    )
    assert coming.reference not in listed and held.reference not in listed


def test_what_the_remaining_roles_give_is_kept(client_as, factory):
    """A former chair still invited to the meeting as a practitioner still sees it, as an invitee: they
    read it but no longer run it."""
    person = factory.user("CHAIR", "PRACTITIONER", name="Former Chair")
    coming = factory.meeting(chair=person)
    item = factory.agenda_item(coming)
    factory.invitation(coming, person)
    _take_role(factory, person, Role.CHAIR)
    client = client_as(person)
    assert client.get(f"/meetings/{coming.id}").status_code == 200
    assert client.get(f"/cases/{item.case_id}").status_code == 200
    assert client.get(f"/meetings/{coming.id}/edit").status_code == 403
    assert client.get(f"/meetings/{coming.id}/cancel").status_code == 403
