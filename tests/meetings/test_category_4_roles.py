"""Only people cleared for Category 4 are offered or accepted for a role on a Category 4 case: lead officer,
presenting officer, action owner, and chair or administrator (minute-taker) of a meeting discussing it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.pages import error_summary
from tests.posted import action_form, case_form, meeting_as_it_stands
from tracker.core.timeutil import today_london
from tracker.meetings.models import Action, AgendaItem, Case, Category


def _day(day) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _offered(response, field: str) -> set[str]:
    select_ = BeautifulSoup(response.data, "html.parser").find("select", {"name": field})
    return {option.get_text(strip=True) for option in select_.find_all("option")}


def _people(factory):
    coordinator = factory.user("COORDINATOR", terrorism_cleared=True)
    chair = factory.user("CHAIR", name="Cleared Chair", terrorism_cleared=True)
    administrator = factory.user("ADMINISTRATOR", name="Cleared Admin", terrorism_cleared=True)
    cleared = factory.user("PRACTITIONER", name="Cleared Carol", terrorism_cleared=True)
    uncleared = factory.user("PRACTITIONER", name="Uncleared Ursula")
    return coordinator, chair, administrator, cleared, uncleared


def test_a_lead_officer_of_a_category_4_case_must_be_cleared(client_as, factory, session):
    coordinator, _chair, _admin, cleared, uncleared = _people(factory)
    client = client_as(coordinator)
    data = {
        "reference": "CT-0001",
        "name": "Invented Person",
        "date_of_birth": _day(today_london() - timedelta(days=40 * 365)),
        "category": "CATEGORY_4",
        "level": "LEVEL_3",
        "referred_on": _day(today_london()),
        "lead_agency_id": str(uncleared.agency_id),
        "lead_officer_id": str(uncleared.id),
        "borough": "Camden",
    }
    refused = client.post("/cases/new", data=data)
    assert error_summary(refused) == [
        "Uncleared Ursula is not cleared for Category 4 cases, so cannot be the lead officer for CT-0001"
    ]
    assert client.post("/cases/new", data={**data, "lead_officer_id": str(cleared.id)}).status_code == 302
    case = session.exec(select(Case).where(Case.reference == "CT-0001")).one()
    form = client.get(f"/cases/{case.id}/edit")
    offered = _offered(form, "lead_officer_id")
    assert any("Cleared Carol" in name for name in offered)
    assert not any("Uncleared Ursula" in name for name in offered)
    # Not cleared either when the case is made Category 4 later.
    ordinary = factory.case(reference="CT-0002", lead_officer_id=uncleared.id)
    edit = {
        **data,
        "reference": "CT-0002",
        "lead_officer_id": str(uncleared.id),
        "version": str(ordinary.version),
    }
    del edit["level"]
    assert error_summary(client.post(f"/cases/{ordinary.id}/edit", data=edit)) == [
        "Uncleared Ursula is not cleared for Category 4 cases, so cannot be the lead officer for CT-0002"
    ]


def test_a_category_4_case_goes_only_on_a_meeting_run_by_cleared_people(client_as, factory, session):
    coordinator, chair, administrator, _cleared, _uncleared = _people(factory)
    case = factory.case(category=Category.CATEGORY_4, reference="CT-0010")
    uncleared_chair = factory.user("CHAIR", name="Uncleared Chair")
    meeting = factory.meeting(chair=uncleared_chair, administrator=administrator)
    client = client_as(coordinator)
    refused = client.post(f"/meetings/{meeting.id}/agenda/new", data={"case_reference": "CT-0010", "purpose": "INITIAL"})
    assert error_summary(refused) == [
        "Uncleared Chair is not cleared for Category 4 cases, so cannot be the chair of a meeting discussing it "
        "for CT-0010"
    ]
    assert session.exec(select(AgendaItem).where(AgendaItem.case_id == case.id)).first() is None

    meeting = factory.meeting(chair=chair, administrator=administrator)
    added = client.post(f"/meetings/{meeting.id}/agenda/new", data={"case_reference": "CT-0010", "purpose": "INITIAL"})
    assert added.status_code == 302
    # Nor can the meeting then be handed to someone not cleared.
    uncleared_admin = factory.user("ADMINISTRATOR", name="Uncleared Admin")
    change = meeting_as_it_stands(meeting, venue="Room 4", administrator_id=str(uncleared_admin.id))
    assert error_summary(client.post(f"/meetings/{meeting.id}/edit", data=change)) == [
        "Uncleared Admin cannot be the administrator (minute-taker) of this meeting: CT-0010 on its agenda is a "
        "Category 4 case and they are not cleared for Category 4 cases. Choose another administrator, or take "
        "the case off the agenda."
    ]
    session.refresh(meeting)
    assert meeting.administrator_id == administrator.id




def _summary_links(response) -> list[tuple[str, str]]:
    summary = BeautifulSoup(response.data, "html.parser").select_one(".govuk-error-summary")
    return [(a["href"], a.get_text(strip=True)) for a in summary.select("a")]


def test_a_meeting_run_by_someone_not_cleared_says_who_and_why_beside_their_field(client_as, factory, session):
    """A meeting left with an administrator or chair not cleared (their clearance lapsed after the Category 4
    case went on its agenda) cannot be changed, not even its venue, until they are replaced: the error
    summary says who, why and what to do, and links to their field."""
    coordinator, chair, administrator, _cleared, _uncleared = _people(factory)
    lapsed = factory.user("ADMINISTRATOR", name="Aisha Lapsed")
    meeting = factory.meeting(chair=chair, administrator=lapsed)
    factory.agenda_item(meeting, factory.case(category=Category.CATEGORY_4, reference="CT-0040"))
    venue_only = meeting_as_it_stands(meeting, venue="Room 9")
    refused = client_as(coordinator).post(f"/meetings/{meeting.id}/edit", data=venue_only)
    assert refused.status_code == 200
    assert _summary_links(refused) == [
        (
            "#administrator_id",
            "Aisha Lapsed cannot be the administrator (minute-taker) of this meeting: CT-0040 on its agenda is a "
            "Category 4 case and they are not cleared for Category 4 cases. Choose another administrator, or "
            "take the case off the agenda.",
        )
    ]
    session.refresh(meeting)
    assert meeting.venue != "Room 9"

    # The chair field likewise.
    uncleared_chair = factory.user("CHAIR", name="Uncleared Chair")
    meeting.administrator_id = administrator.id
    factory.save(meeting)
    refused = client_as(coordinator).post(
        f"/meetings/{meeting.id}/edit", data=meeting_as_it_stands(meeting, chair_id=str(uncleared_chair.id))
    )
    assert _summary_links(refused) == [
        (
            "#chair_id",
            "Uncleared Chair cannot be the chair of this meeting: CT-0040 on its agenda is a Category 4 case and "
            "they are not cleared for Category 4 cases. Choose another chair, or take the case off the agenda.",
        )
    ]

    # Someone not cleared themselves is told who cannot take the role, but nothing of the case.
    uncleared_coordinator = factory.user("COORDINATOR", name="Uncleared Coordinator")
    refused = client_as(uncleared_coordinator).post(
        f"/meetings/{meeting.id}/edit", data=meeting_as_it_stands(meeting, chair_id=str(uncleared_chair.id))
    )
    assert _summary_links(refused) == [
        ("#chair_id", "Uncleared Chair cannot be the chair of this meeting. Choose another chair.")
    ]
    session.refresh(meeting)
    assert meeting.chair_id == chair.id


def test_presenting_officers_and_action_owners_of_a_category_4_case_must_be_cleared(app, client_as, factory, session):
    _coordinator, chair, administrator, cleared, uncleared = _people(factory)
    case = factory.case(category=Category.CATEGORY_4, reference="CT-0020")
    meeting = factory.meeting(chair=chair, administrator=administrator, day=today_london())
    item = factory.agenda_item(meeting, case)
    client = client_as(chair)

    edit_url = f"/meetings/{meeting.id}/agenda/{item.id}/edit"
    offered = _offered(client.get(edit_url), "presenting_officer_id")
    assert any("Cleared Carol" in name for name in offered)
    assert not any("Uncleared Ursula" in name for name in offered)
    # Someone not offered is refused if sent anyway; the agenda form, which does not know the case until it
    # is saved, offers everyone and then refuses.
    tampered = {"version": str(item.version), "purpose": "INITIAL", "presenting_officer_id": str(uncleared.id)}
    assert error_summary(client.post(edit_url, data=tampered)) != []
    session.refresh(item)
    assert item.presenting_officer_id is None
    other = factory.case(category=Category.CATEGORY_4, reference="CT-0021")
    refused = client_as(administrator).post(
        f"/meetings/{meeting.id}/agenda/new",
        data={"case_reference": other.reference, "purpose": "INITIAL", "presenting_officer_id": str(uncleared.id)},
    )
    assert error_summary(refused) == [
        "Uncleared Ursula is not cleared for Category 4 cases, so cannot be the presenting officer for CT-0021"
    ]
    assert session.exec(select(AgendaItem).where(AgendaItem.case_id == other.id)).first() is None

    action_url = f"/meetings/{meeting.id}/agenda/{item.id}/actions/new"
    offered = _offered(client.get(action_url), "owner_id")
    assert not any("Uncleared Ursula" in name for name in offered)
    action = action_form(uncleared.agency_id, uncleared.id, today_london() + timedelta(days=7))
    assert error_summary(client.post(action_url, data=action)) != []
    assert session.exec(select(Action).where(Action.case_id == case.id)).first() is None
    owned = {**action, "owner_agency_id": str(cleared.agency_id), "owner_id": str(cleared.id)}
    assert client.post(action_url, data=owned).status_code == 302
    # Nor can an action, once added, be given to someone not cleared.
    added = session.exec(select(Action).where(Action.case_id == case.id)).one()
    change_url = f"/meetings/{meeting.id}/agenda/{item.id}/actions/{added.id}/edit"
    assert not any("Uncleared Ursula" in name for name in _offered(client.get(change_url), "owner_id"))
    assert error_summary(client.post(change_url, data=action)) != []
    session.refresh(added)
    assert added.owner_id == cleared.id
    from tracker.meetings import services

    with app.test_request_context(), pytest.raises(services.Refused, match="Uncleared Ursula is not cleared"):
        services.change_action(item, added, {**action, "owner_id": str(uncleared.id)}, uncleared)


def test_invitees_of_a_meeting_discussing_a_category_4_case_must_be_cleared(client_as, factory, session):
    from tracker.meetings.models import Invitation

    coordinator, chair, administrator, cleared, uncleared = _people(factory)
    case = factory.case(category=Category.CATEGORY_4, reference="CT-0030")
    meeting = factory.meeting(chair=chair, administrator=administrator)
    factory.agenda_item(meeting, case)
    client = client_as(administrator)
    url = f"/meetings/{meeting.id}/invitations/new"
    offered = _offered(client.get(url), "user_id")
    assert any("Cleared Carol" in name for name in offered)
    assert not any("Uncleared Ursula" in name for name in offered)
    # Someone not offered is refused if sent anyway.
    refused = client.post(url, data={"agency_id": str(uncleared.agency_id), "user_id": str(uncleared.id)})
    assert error_summary(refused) != []
    assert session.exec(select(Invitation).where(Invitation.user_id == uncleared.id)).first() is None
    assert client.post(url, data={"agency_id": str(cleared.agency_id), "user_id": str(cleared.id)}).status_code == 302
    # An agency invited as such (no one named) is accepted: whoever comes is recorded at the meeting.
    assert client.post(url, data={"agency_id": str(uncleared.agency_id), "user_id": ""}).status_code == 302

    # A co-ordinator not cleared is offered everyone (the form does not give the case away) and told only
    # that the person cannot be invited.
    uncleared_coordinator = factory.user("COORDINATOR", name="Uncleared Coordinator")
    other = client_as(uncleared_coordinator)
    assert any("Uncleared Ursula" in name for name in _offered(other.get(url), "user_id"))
    refused = other.post(url, data={"agency_id": str(uncleared.agency_id), "user_id": str(uncleared.id)})
    assert error_summary(refused) == ["Choose someone else: this person cannot be invited to this meeting"]

    # Nor can a Category 4 case go on a meeting someone not cleared is invited to by name.
    open_meeting = factory.meeting(chair=chair, administrator=administrator)
    factory.invitation(open_meeting, uncleared)
    other_case = factory.case(category=Category.CATEGORY_4, reference="CT-0031")
    refused = client_as(coordinator).post(
        f"/meetings/{open_meeting.id}/agenda/new", data={"case_reference": "CT-0031", "purpose": "INITIAL"}
    )
    assert error_summary(refused) == [
        "Uncleared Ursula is not cleared for Category 4 cases, so cannot be the invitee of a meeting discussing "
        "it for CT-0031"
    ]
    assert session.exec(select(AgendaItem).where(AgendaItem.case_id == other_case.id)).first() is None


def test_a_case_cannot_become_category_4_while_someone_not_cleared_runs_a_meeting_on_it(
    client_as, factory, session
):
    """The staffing rule held when the case changes, not only when the meeting does: refused beside the
    category, naming the meeting and the person; a meeting whose minutes are approved stands as it is."""
    from tracker.minutes.models import MinutesStatus

    coordinator, chair, administrator, _cleared, _uncleared = _people(factory)
    uncleared_chair = factory.user("CHAIR", name="Uncleared Una")
    case = factory.case(reference="CT-0009", referred_on=today_london() - timedelta(days=90))
    approved = factory.held_meeting(chair=uncleared_chair, days_ago=30)
    factory.agenda_item(approved, case)
    factory.minutes(approved, MinutesStatus.APPROVED)
    upcoming = factory.meeting(chair=uncleared_chair, administrator=administrator)
    item = factory.agenda_item(upcoming, case)
    client = client_as(coordinator)

    refused = client.post(f"/cases/{case.id}/edit", data=case_form(case, category="CATEGORY_4"))
    assert refused.status_code == 200
    assert error_summary(refused) == [
        f"CT-0009 cannot become Category 4 while it is on {upcoming.reference}: Uncleared Una is not cleared "
        "for Category 4 cases, so cannot be the chair of a meeting discussing it for CT-0009. Change who runs "
        "or attends that meeting first, or take the case off its agenda"
    ]
    session.expire_all()
    assert session.get(Case, case.id).category is Category.CATEGORY_2

    upcoming.chair_id = chair.id
    factory.save(upcoming)
    factory.action(item, owner=factory.user("PRACTITIONER", name="Uncleared Owen"))
    refused = client.post(f"/cases/{case.id}/edit", data=case_form(case, category="CATEGORY_4"))
    assert error_summary(refused)[0].startswith("CT-0009 cannot become Category 4: Uncleared Owen is not cleared")

    session.exec(select(Action).where(Action.case_id == case.id)).one().owner_id = chair.id
    session.commit()
    session.expire_all()
    case = session.get(Case, case.id)
    saved = client.post(f"/cases/{case.id}/edit", data=case_form(case, category="CATEGORY_4"))
    assert saved.status_code == 302, error_summary(saved)
    session.expire_all()
    assert session.get(Case, case.id).category is Category.CATEGORY_4


def test_a_category_4_case_is_refused_before_any_warning_to_confirm(client_as, factory, session):
    """A case that cannot go on the meeting at all is refused at once, not after the person has confirmed
    warnings about it (here: a Level 3 case on a Level 2 meeting, and another meeting of its this week)."""
    from tracker.meetings.models import Level

    coordinator, _chair, administrator, _cleared, _uncleared = _people(factory)
    case = factory.case(reference="CT-0030", category=Category.CATEGORY_4, level=Level.LEVEL_3)
    meeting = factory.meeting(chair=factory.user("CHAIR", name="Uncleared Chair"), administrator=administrator)
    refused = client_as(coordinator).post(
        f"/meetings/{meeting.id}/agenda/new", data={"case_reference": "CT-0030", "purpose": "REVIEW"}
    )
    assert refused.status_code == 200
    assert error_summary(refused) == [
        "Uncleared Chair is not cleared for Category 4 cases, so cannot be the chair of a meeting discussing it "
        "for CT-0030"
    ]
    assert b'id="warnings"' not in refused.data and b"Add to agenda anyway" not in refused.data
    assert session.exec(select(AgendaItem).where(AgendaItem.case_id == case.id)).first() is None
