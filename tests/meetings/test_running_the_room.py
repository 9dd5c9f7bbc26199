"""Running the room: walk-in attendees (name, agency, role), deputies as people with an agency, and each
attendee's acceptance of the confidentiality statement; the Responsible Authority warnings count them."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlmodel import select

from tests.meetings.conftest import warnings_on
from tests.pages import error_summary, page_text
from tracker.auth.models import AgencySector
from tracker.core.timeutil import today_london
from tracker.meetings.models import AgendaPurpose, AttendanceStatus, ChairProfile, Invitation

RA = "is not represented: the Responsible Authority agencies are expected at every meeting"


def _ra_warnings(response) -> list[str]:
    return [w for w in warnings_on(response) if RA in w]


def _meeting(factory):
    chair = factory.current_chair()
    factory.save(ChairProfile(user_id=chair.id, grade="Inspector", may_chair_level_2=True))
    meeting = factory.meeting(chair=chair, day=today_london())  # attendance is recorded from the day
    factory.agenda_item(meeting, purpose=AgendaPurpose.INITIAL)
    return chair, meeting


def test_a_walk_in_is_recorded_with_agency_role_and_the_statement_and_counts_for_the_ra(
    client_as, factory, session
):
    chair, meeting = _meeting(factory)
    police = factory.agency("Room Police", AgencySector.POLICE)
    probation = factory.agency("Room Probation", AgencySector.PROBATION)
    factory.invitation(meeting, agency=probation)
    client = client_as(chair)
    assert _ra_warnings(client.get(f"/meetings/{meeting.id}")) == [f"Police {RA}"]

    url = f"/meetings/{meeting.id}/attendance/walk-in"
    assert error_summary(client.post(url, data={"name": "", "agency_id": ""})) == [
        "Enter the name of the person who attended",
        "Select the agency they came from",
    ]
    response = client.post(
        url, data={"name": "Tom Walker", "agency_id": str(police.id), "role": "Neighbourhood sergeant", "accepted": "y"}
    )
    assert response.status_code == 302
    walk_in = session.exec(select(Invitation).where(Invitation.walk_in)).one()
    assert (walk_in.attendee_name, walk_in.attendee_role, walk_in.agency_id) == (
        "Tom Walker",
        "Neighbourhood sergeant",
        police.id,
    )
    assert walk_in.attendance is AttendanceStatus.PRESENT and walk_in.statement_accepted
    page = client.get(f"/meetings/{meeting.id}")
    assert _ra_warnings(page) == []
    text = page_text(page)
    assert "Tom Walker, Neighbourhood sergeant (walked in)" in text
    row = BeautifulSoup(page.data, "html.parser").find("td", string=lambda s: s and "Tom Walker" in s).parent
    assert [cell.get_text(" ", strip=True) for cell in row.find_all("td")][2:4] == ["Not invited", "Present"]
    assert "accepted the statement" in text


def test_a_walk_in_recorded_twice_is_refused_and_one_recorded_by_mistake_can_be_removed(
    client_as, factory, session
):
    chair, meeting = _meeting(factory)
    police = factory.agency("Twice Police", AgencySector.POLICE)
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/attendance/walk-in"
    assert client.post(url, data={"name": "Tom Walker", "agency_id": str(police.id)}).status_code == 302
    again = client.post(url, data={"name": "  tom  walker", "agency_id": str(police.id)})
    assert error_summary(again) == ["Tom Walker from Twice Police is already recorded as attending"]
    walk_in = session.exec(select(Invitation).where(Invitation.walk_in)).one()

    page = BeautifulSoup(client.get(f"/meetings/{meeting.id}").data, "html.parser")
    remove = f"/meetings/{meeting.id}/invitations/{walk_in.id}/remove"
    assert page.find("a", href=remove).get_text(" ", strip=True) == "Remove Tom Walker"
    assert "Tom Walker is taken off the attendance" in page_text(client.get(remove))
    response = client.post(remove, data={"confirm": "y"}, follow_redirects=True)
    assert "Tom Walker (walked in) removed." in page_text(response)
    session.expire_all()
    assert session.exec(select(Invitation).where(Invitation.walk_in)).all() == []


def test_a_deputy_is_a_person_with_an_agency_and_counts_for_that_agency(client_as, factory, session):
    chair, meeting = _meeting(factory)
    police = factory.agency("Dep Police", AgencySector.POLICE)
    probation = factory.agency("Dep Probation", AgencySector.PROBATION)
    housing = factory.agency("Dep Housing", AgencySector.HOUSING)
    invited_police = factory.invitation(meeting, factory.user("PRACTITIONER", agency=police))
    invited_housing = factory.invitation(meeting, agency=housing)
    client = client_as(chair)
    data = {
        f"status_{invited_police.id}": "APOLOGIES",
        f"deputy_{invited_police.id}": "Dana Deputy",
        f"deputy_agency_{invited_police.id}": str(probation.id),
        f"accepted_{invited_police.id}": "y",
        f"status_{invited_housing.id}": "PRESENT",
    }
    assert client.post(f"/meetings/{meeting.id}/attendance", data=data).status_code == 302
    session.refresh(invited_police)
    assert invited_police.deputy_name == "Dana Deputy"
    assert invited_police.deputy_agency_id == probation.id
    assert invited_police.statement_accepted
    session.refresh(invited_housing)
    assert not invited_housing.statement_accepted
    page = client.get(f"/meetings/{meeting.id}")
    # The deputy from Probation stands for Probation; Police sent apologies and no one of its own.
    warnings = _ra_warnings(page)
    assert f"Probation {RA}" not in warnings
    assert f"Police {RA}" in warnings
    assert "Dana Deputy (Dep Probation)" in page_text(page)
    # The deputy who came accepted the statement, not the person who sent apologies.
    cells = [cell.get_text(" ", strip=True) for cell in BeautifulSoup(page.data, "html.parser").select("#attendance ~ div td")]
    assert "Dana Deputy (Dep Probation) · accepted the statement" in cells
    assert not [cell for cell in cells if cell.startswith(invited_police.user.name) and "accepted" in cell]
    # The attendance form shows what was recorded.
    form = page_text(client.get(f"/meetings/{meeting.id}/attendance"))
    assert "accepted the confidentiality statement" in form


def test_a_deputy_is_recorded_only_for_someone_who_sent_apologies(client_as, factory, session):
    """A record of "Absent" (or "Present") with a deputy named contradicts itself, and the minutes would carry it: the
    form says so beside the deputy, and nothing is saved."""
    chair, meeting = _meeting(factory)
    housing = factory.agency("Dep Housing Two", AgencySector.HOUSING)
    invited = factory.invitation(meeting, factory.user("PRACTITIONER", agency=housing, name="Hana Housing"))
    client = client_as(chair)
    data = {f"status_{invited.id}": "ABSENT", f"deputy_{invited.id}": "Dr Somebody"}
    response = client.post(f"/meetings/{meeting.id}/attendance", data=data)
    assert response.status_code == 200
    assert error_summary(response) == [
        "Hana Housing is recorded as absent: a deputy comes only for someone who sent apologies. Choose "
        "Apologies, or leave the deputy out"
    ]
    session.refresh(invited)
    assert (invited.attendance, invited.deputy_name) == (None, "")
    data[f"status_{invited.id}"] = "APOLOGIES"
    assert client.post(f"/meetings/{meeting.id}/attendance", data=data).status_code == 302
    session.refresh(invited)
    assert (invited.attendance, invited.deputy_name) == (AttendanceStatus.APOLOGIES, "Dr Somebody")


def test_only_someone_at_the_meeting_or_their_deputy_accepts_the_confidentiality_statement(
    client_as, factory, session
):
    """Absent, or apologies with no deputy, and "accepted the statement" contradict each other: the form says so
    beside the tick, and nothing is saved."""
    chair, meeting = _meeting(factory)
    housing = factory.agency("Dep Housing Three", AgencySector.HOUSING)
    invited = factory.invitation(meeting, factory.user("PRACTITIONER", agency=housing, name="Hal Housing"))
    client = client_as(chair)
    for status, said in (("ABSENT", "absent"), ("APOLOGIES", "apologies")):
        data = {f"status_{invited.id}": status, f"accepted_{invited.id}": "y"}
        response = client.post(f"/meetings/{meeting.id}/attendance", data=data)
        assert response.status_code == 200
        assert error_summary(response) == [
            f"Hal Housing is recorded as {said}: only someone at the meeting (or their deputy) accepts the "
            "confidentiality statement. Record them as present, name the deputy, or leave it unticked"
        ]
        session.refresh(invited)
        assert (invited.attendance, invited.statement_accepted) == (None, False)
    data = {f"status_{invited.id}": "APOLOGIES", f"deputy_{invited.id}": "Dr Deputy", f"accepted_{invited.id}": "y"}
    assert client.post(f"/meetings/{meeting.id}/attendance", data=data).status_code == 302
    session.refresh(invited)
    assert (invited.attendance, invited.deputy_name, invited.statement_accepted) == (
        AttendanceStatus.APOLOGIES, "Dr Deputy", True
    )


def test_a_walk_in_was_never_invited_so_the_meetings_updates_do_not_go_to_their_agency(
    client_as, factory, session, app_context
):
    """A walk-in's agency was sent no invitation: a change to the meeting afterwards (a new venue) goes to
    those in its diary, not to the walk-in's agency's secure mailbox."""
    from tracker.meetings import ics

    chair, meeting = _meeting(factory)
    invited = factory.agency("Diary Probation", AgencySector.PROBATION, secure_mailbox="probation@secure.example")
    walked = factory.agency("Diary Police", AgencySector.POLICE, secure_mailbox="police@secure.example")
    factory.invitation(meeting, agency=invited)
    client = client_as(chair)
    client.post(
        f"/meetings/{meeting.id}/attendance/walk-in",
        data={"name": "Tom Walker", "agency_id": str(walked.id), "role": "Sergeant", "accepted": "y"},
    )
    session.expire_all()
    meeting = session.get(type(meeting), meeting.id)
    addresses = {getattr(someone, "email", None) for someone in ics.diary(meeting).values()}
    assert "probation@secure.example" in addresses and "police@secure.example" not in addresses
