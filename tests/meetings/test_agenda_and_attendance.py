"""Building a meeting's agenda, inviting agencies, replies and attendance."""

import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader
from sqlmodel import select

from tests.justify import disclosed
from tests.meetings.conftest import post_confirming_warnings
from tests.pages import error_summary, page_text
from tracker.auth.models import AgencySector
from tracker.core.timeutil import today_london
from tracker.meetings.models import (
    AgendaItem,
    AttendanceStatus,
    Case,
    Category,
    Invitation,
    Meeting,
    MeetingStatus,
    Pillar,
    PillarStatus,
    Rsvp,
)
from tracker.minutes.models import MinutesStatus


def _item_of(session, reference: str) -> AgendaItem:
    case_id = session.exec(select(Case.id).where(Case.reference == reference)).one()
    return session.exec(select(AgendaItem).where(AgendaItem.case_id == case_id)).one()


def _items(session, meeting):
    session.expire_all()
    return [(item.case.reference, item.position) for item in session.get(Meeting, meeting.id).agenda_items]


def test_a_case_is_added_by_its_reference_with_a_blank_four_pillars_checklist(client_as, factory, session):
    administrator = factory.user("ADMINISTRATOR")
    meeting = factory.meeting(administrator=administrator)
    factory.case(reference="AG-1")
    response = client_as(administrator).post(
        f"/meetings/{meeting.id}/agenda/new",
        data={"case_reference": "AG-1", "purpose": "INITIAL", "slot_start": "10:00", "slot_end": "10:30"},
    )
    assert response.status_code == 302
    item = session.exec(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)).one()
    assert [e.pillar for e in item.pillar_entries] == list(Pillar)
    assert all(e.status is PillarStatus.OUTSTANDING for e in item.pillar_entries)
    assert "AG-1" in page_text(client_as(administrator).get(f"/meetings/{meeting.id}"))


def test_unknown_duplicate_and_category_4_references_are_refused(client_as, factory, session):
    administrator = factory.user("ADMINISTRATOR")
    meeting = factory.meeting(administrator=administrator)
    factory.agenda_item(meeting, factory.case(reference="AG-2"))
    factory.case(reference="AG-CT", category=Category.CATEGORY_4)
    client = client_as(administrator)
    url = f"/meetings/{meeting.id}/agenda/new"
    assert error_summary(client.post(url, data={"case_reference": "NOPE", "purpose": "REVIEW"})) == [
        "There is no case with this MAPPA reference"
    ]
    assert error_summary(client.post(url, data={"case_reference": "AG-2", "purpose": "REVIEW"})) == [
        "AG-2 is already on this agenda"
    ]
    assert error_summary(client.post(url, data={"case_reference": "AG-CT", "purpose": "REVIEW"})) == [
        "There is no case with this MAPPA reference"
    ]
    assert error_summary(
        client.post(url, data={"case_reference": "", "purpose": "", "slot_end": "09:00"})
    ) == [
        "Enter the MAPPA reference of the case",
        "Select the purpose of the discussion",
        "Enter the time the slot starts",
    ]
    assert _items(session, meeting) == [("AG-2", 1)]


def test_a_reference_is_found_whatever_its_letter_case(client_as, factory, session):
    administrator = factory.user("ADMINISTRATOR")
    meeting = factory.meeting(administrator=administrator)
    factory.case(reference="AG-CASE-3")
    response = client_as(administrator).post(
        f"/meetings/{meeting.id}/agenda/new", data={"case_reference": " ag-case-3 ", "purpose": "INITIAL"}
    )
    assert response.status_code == 302
    assert _items(session, meeting) == [("AG-CASE-3", 1)]


def test_a_time_slot_outside_the_meeting_is_refused(client_as, factory, session):
    administrator = factory.user("ADMINISTRATOR")
    meeting = factory.meeting(administrator=administrator)  # 10:00 to 12:00
    case = factory.case(reference="AG-SLOT")
    client = client_as(administrator)
    url = f"/meetings/{meeting.id}/agenda/new"
    form = page_text(client.get(url))
    assert "The meeting runs from 10:00 to 12:00." in form
    early = {"case_reference": "AG-SLOT", "purpose": "INITIAL", "slot_start": "09:00", "slot_end": "10:30"}
    assert error_summary(client.post(url, data=early)) == [
        "The time slot must be within the meeting, 10:00 to 12:00"
    ]
    late = {**early, "slot_start": "11:30", "slot_end": "12:30"}
    assert error_summary(client.post(url, data=late)) == [
        "The time slot must be within the meeting, 10:00 to 12:00"
    ]
    assert _items(session, meeting) == []
    inside = {**early, "slot_start": "11:00", "slot_end": "12:00"}
    assert client.post(url, data=inside).status_code == 302
    item = factory.session.exec(select(AgendaItem).where(AgendaItem.case_id == case.id)).one()
    edit = client.post(
        f"/meetings/{meeting.id}/agenda/{item.id}/edit",
        data={"version": str(item.version), "purpose": "REVIEW", "slot_start": "12:00", "slot_end": "12:30"},
    )
    assert error_summary(edit) == ["The time slot must be within the meeting, 10:00 to 12:00"]


def test_the_agenda_is_reordered_and_an_item_removed(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    first = factory.agenda_item(meeting, factory.case(reference="R-1"))
    second = factory.agenda_item(meeting, factory.case(reference="R-2"))
    client = client_as(chair)
    client.post(f"/meetings/{meeting.id}/agenda/{second.id}/move", data={"direction": "up"})
    assert sorted(_items(session, meeting), key=lambda x: x[1]) == [("R-2", 1), ("R-1", 2)]
    client.post(f"/meetings/{meeting.id}/agenda/{first.id}/remove")
    assert _items(session, meeting) == [("R-2", 1)]


def test_an_item_with_actions_cannot_be_removed(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    item = factory.agenda_item(meeting, factory.case(reference="KEEP-1"))
    factory.action(item)
    response = client_as(chair).post(f"/meetings/{meeting.id}/agenda/{item.id}/remove", follow_redirects=True)
    assert "KEEP-1 cannot be removed" in page_text(response)
    assert _items(session, meeting) == [("KEEP-1", 1)]


def test_a_stale_agenda_item_edit_is_refused(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    item = factory.agenda_item(meeting)
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/edit"
    assert client.post(url, data={"version": "1", "purpose": "INITIAL"}).status_code == 302
    stale = client.post(url, data={"version": "1", "purpose": "INITIAL", "slot_start": "11:00"})
    assert stale.status_code == 409
    assert "Someone else saved changes to this agenda item" in error_summary(stale)[0]
    session.expire_all()
    assert session.get(AgendaItem, item.id).slot_starts_at is None


def test_open_actions_of_a_case_appear_on_its_next_meeting_for_review(client_as, factory):
    chair = factory.user("CHAIR")
    case = factory.case(reference="NEXT-1")
    earlier = factory.meeting(chair=chair, day=today_london() - timedelta(days=30))
    item = factory.agenda_item(earlier, case)
    factory.action(item, description="Check the curfew address", due_on=today_london() - timedelta(days=2))
    factory.action(item, description="Already finished", status="DONE")
    later = factory.meeting(chair=chair)
    later_item = factory.agenda_item(later, case)
    client = client_as(chair)
    meeting_page = page_text(client.get(f"/meetings/{later.id}"))
    assert "Check the curfew address" in meeting_page and "overdue" in meeting_page
    assert "Already finished" not in meeting_page
    item_page = page_text(client.get(f"/meetings/{later.id}/agenda/{later_item.id}"))
    to_review = item_page.split("Actions from earlier meetings to review")[1].split("Risk assessment")[0]
    # The case's page at the meeting lists what its minutes review: the actions set at its last meeting,
    # done since or not (the chair hears how), and any still open from before.
    assert "Check the curfew address" in to_review and "Already finished" in to_review
    assert "Mark done : Already finished" not in to_review and "Mark done : Check the curfew address" in to_review


def test_inviting_an_agency_and_a_person_from_it(client_as, factory, session):
    administrator = factory.user("ADMINISTRATOR")
    meeting = factory.meeting(administrator=administrator)
    housing = factory.agency("Invite Housing", AgencySector.HOUSING)
    officer = factory.user("PRACTITIONER", agency=housing, name="Hana Officer")
    stranger = factory.user("PRACTITIONER")
    client = client_as(administrator)
    url = f"/meetings/{meeting.id}/invitations/new"
    assert error_summary(
        client.post(url, data={"agency_id": str(housing.id), "user_id": str(stranger.id)})
    ) == ["Select a person who works for the agency invited"]
    assert (
        client.post(url, data={"agency_id": str(housing.id), "user_id": str(officer.id)}).status_code == 302
    )
    assert error_summary(
        client.post(url, data={"agency_id": str(housing.id), "user_id": str(officer.id)})
    ) == ["This agency or person is already invited"]
    assert len(session.exec(select(Invitation).where(Invitation.meeting_id == meeting.id)).all()) == 1
    assert "Hana Officer" in page_text(client.get(f"/meetings/{meeting.id}"))


def test_inviting_an_agency_with_no_one_named_says_whether_anyone_was_told(client_as, factory, delivered):
    """An agency invited without a person gets the Outlook invitation at its secure mailbox; one with no
    mailbox is told nothing, and the page says so at once and on the meeting's list of invitations."""
    administrator = factory.user("ADMINISTRATOR")
    meeting = factory.meeting(administrator=administrator)
    silent = factory.agency("Invite Silent Housing", AgencySector.HOUSING)
    boxed = factory.agency("Invite Boxed Care", AgencySector.CHILDRENS_SOCIAL_CARE, secure_mailbox="csc@x.gov.uk")
    client = client_as(administrator)
    url = f"/meetings/{meeting.id}/invitations/new"

    told = page_text(client.post(url, data={"agency_id": str(boxed.id)}, follow_redirects=True))
    assert "Invite Boxed Care invited: an Outlook invitation is on its way to its secure mailbox." in told
    untold = page_text(client.post(url, data={"agency_id": str(silent.id)}, follow_redirects=True))
    assert (
        "Invite Silent Housing invited, but no one there has been sent the invitation: the agency has no "
        "secure mailbox." in untold
    )
    rows = {
        row.find("td").get_text(" ", strip=True): row.get_text(" ", strip=True)
        for row in BeautifulSoup(client.get(f"/meetings/{meeting.id}").data, "html.parser").select("tbody tr")
        if row.find("td")
    }
    assert "Not told" in rows["Invite Silent Housing"] and "Not told" not in rows["Invite Boxed Care"]
    assert [message["To"] for message in delivered] == ["csc@x.gov.uk"]


def test_only_people_who_may_see_case_data_are_offered_or_accepted_as_invitees(client_as, factory, session):
    administrator = factory.user("ADMINISTRATOR")
    meeting = factory.meeting(administrator=administrator)
    board = factory.agency("Invite Board", AgencySector.OTHER)
    lay = factory.user("LAY_ADVISER", agency=board, name="Lay Person")
    factory.user("SMB", agency=board, name="Board Member")
    factory.user("SYSTEM_ADMIN", agency=board, name="System Person")
    factory.user("PRACTITIONER", agency=board, name="Case Worker")
    client = client_as(administrator)
    url = f"/meetings/{meeting.id}/invitations/new"
    offered = page_text(client.get(url))
    assert "Case Worker" in offered
    assert "Lay Person" not in offered and "Board Member" not in offered and "System Person" not in offered
    refused = client.post(url, data={"agency_id": str(board.id), "user_id": str(lay.id)})
    assert refused.status_code == 200 and error_summary(refused)
    assert session.exec(select(Invitation).where(Invitation.meeting_id == meeting.id)).all() == []
    item = factory.agenda_item(meeting)
    for form_url in (
        f"/meetings/{meeting.id}/agenda/{item.id}/actions/new",
        f"/meetings/{meeting.id}/agenda/{item.id}/edit",
        "/cases/new",
    ):
        assert "Lay Person" not in page_text(client.get(form_url))


def test_the_invited_person_replies_for_themselves_with_a_deputy(client_as, factory, session):
    practitioner = factory.user("PRACTITIONER")
    meeting = factory.meeting()
    invitation = factory.invitation(meeting, practitioner)
    client = client_as(practitioner)
    assert error_summary(client.post(f"/meetings/{meeting.id}/reply", data={})) == [
        "Select whether you will attend"
    ]
    response = client.post(
        f"/meetings/{meeting.id}/reply", data={"answer": "DECLINED", "deputy_name": "Sam Deputy"}
    )
    assert response.status_code == 302
    session.expire_all()
    invitation = session.get(Invitation, invitation.id)
    assert invitation.rsvp is Rsvp.DECLINED and invitation.deputy_name == "Sam Deputy"
    page = page_text(client.get(f"/meetings/{meeting.id}"))
    assert "Your reply: Not attending , deputy: Sam Deputy" in page
    assert client_as("PRACTITIONER").get(f"/meetings/{meeting.id}/reply").status_code == 404


def test_no_reply_is_taken_once_the_meeting_is_held_or_cancelled(client_as, factory, session):
    person = factory.user("PRACTITIONER")
    for status in (MeetingStatus.HELD, MeetingStatus.CANCELLED):
        meeting = factory.meeting(status=status)
        factory.invitation(meeting, person)
        client = client_as(person)
        response = client.post(f"/meetings/{meeting.id}/reply", data={"answer": "DECLINED"})
        assert response.status_code == 302
        page = page_text(client.get(response.headers["Location"]))
        assert f"This meeting is {status.label.lower()}, so replies are closed." in page
        invitation = session.exec(select(Invitation).where(Invitation.meeting_id == meeting.id)).one()
        assert invitation.rsvp is Rsvp.AWAITING


def test_recording_attendance_for_every_invitation(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair, day=today_london())
    police = factory.invitation(meeting, agency=factory.agency("Att Police", AgencySector.POLICE))
    probation = factory.invitation(meeting, agency=factory.agency("Att Probation", AgencySector.PROBATION))
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/attendance"
    missing = client.post(url, data={f"status_{police.id}": "PRESENT"})
    assert error_summary(missing) == ["Select whether Att Probation attended"]
    data = {
        f"status_{police.id}": "PRESENT",
        f"status_{probation.id}": "APOLOGIES",
        f"deputy_{probation.id}": "",
    }
    assert client.post(url, data=data).status_code == 302
    session.expire_all()
    assert session.get(Invitation, probation.id).attendance is AttendanceStatus.APOLOGIES
    page = page_text(client.get(f"/meetings/{meeting.id}"))
    assert "Probation was not represented" not in page  # the meeting is still scheduled
    assert "Probation is not represented" in page


def test_who_came_from_an_agency_invited_with_no_one_named_is_recorded_and_minuted(
    client_as, factory, session, app
):
    """An agency invited as such has no person to mark: the attendance form asks who came from it (if
    present), and the meeting's page and the minutes' attendance name them; naming someone for an agency
    not present is refused on the form and changes nothing."""
    from tracker.minutes import record as records

    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair, day=today_london())
    care = factory.invitation(meeting, agency=factory.agency("Att Care", AgencySector.CHILDRENS_SOCIAL_CARE))
    named = factory.invitation(meeting, factory.user("PRACTITIONER", name="Named Officer"))
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/attendance"
    form = BeautifulSoup(client.get(url).data, "html.parser")
    assert form.select_one(f"input[name=attendee_{care.id}]") is not None
    assert form.select_one(f"input[name=attendee_{named.id}]") is None
    data = {f"status_{care.id}": "ABSENT", f"attendee_{care.id}": "Fiona Social", f"status_{named.id}": "PRESENT"}
    refused = client.post(url, data=data)
    assert error_summary(refused) == [
        "Att Care is recorded as absent: name who attended only for an agency recorded as present (someone who "
        "came in place of an absent person is their deputy)"
    ]
    session.expire_all()
    assert session.get(Invitation, care.id).attendance is None
    data[f"status_{care.id}"] = "PRESENT"
    assert client.post(url, data=data).status_code == 302
    session.expire_all()
    assert session.get(Invitation, care.id).attendee_name == "Fiona Social"
    assert "Fiona Social" in page_text(client.get(f"/meetings/{meeting.id}"))
    with app.test_request_context():
        minuted = records.build_record(session.get(type(meeting), meeting.id)).attendance
    assert "Fiona Social" in [row.name for row in minuted]


def test_an_item_whose_pillars_were_recorded_cannot_be_removed(client_as, factory, session):
    """The meeting recorded how the plan addresses Supervision for KEEP-2: taking the case off the agenda
    would lose it, so it is refused (as for an action or a decision), and the entry stays."""
    from tracker.meetings.models import Pillar, PillarEntry, PillarStatus

    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair, day=today_london())
    item = factory.agenda_item(meeting, factory.case(reference="KEEP-2"))
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/pillars/supervision"
    saved = client.post(url, data={"version": "1", "status": "ADDRESSED", "summary": "Weekly visits"})
    assert saved.status_code == 302
    response = client.post(f"/meetings/{meeting.id}/agenda/{item.id}/remove", follow_redirects=True)
    assert "KEEP-2 cannot be removed: the meeting recorded actions, a decision or parts of the plan" in page_text(
        response
    )
    assert _items(session, meeting) == [("KEEP-2", 1)]
    entry = session.exec(
        select(PillarEntry).where(PillarEntry.agenda_item_id == item.id, PillarEntry.pillar == Pillar.SUPERVISION)
    ).one()
    assert (entry.status, entry.summary) == (PillarStatus.ADDRESSED, "Weekly visits")


def test_attendance_and_walk_ins_are_refused_before_the_day_of_the_meeting(app, client_as, factory, session):
    """Nobody has attended a meeting eight days ahead: the page does not offer to record attendance but
    says from when it can be, and attendance or a walk-in posted anyway is refused, recording nothing."""
    from tracker.meetings import services

    administrator = factory.user("ADMINISTRATOR")
    day = today_london() + timedelta(days=8)
    meeting = factory.meeting(administrator=administrator, day=day)
    police = factory.invitation(meeting, agency=factory.agency("Early Police", AgencySector.POLICE))
    probation = factory.invitation(meeting, agency=factory.agency("Early Probation", AgencySector.PROBATION))
    client = client_as(administrator)
    said = f"Attendance can be recorded from the day of the meeting, {day:%-d %B %Y}."

    page = client.get(f"/meetings/{meeting.id}")
    assert said in page_text(page)
    assert "Record attendance" not in page_text(page)
    url = f"/meetings/{meeting.id}/attendance"
    shown = client.get(url, follow_redirects=True)
    assert shown.request.path == f"/meetings/{meeting.id}" and said in page_text(shown)
    data = {
        f"status_{police.id}": "PRESENT",
        f"status_{probation.id}": "APOLOGIES",
        f"deputy_{probation.id}": "Dana Deputy",
    }
    saved = client.post(url, data=data, follow_redirects=True)
    assert said in page_text(saved) and "Attendance saved." not in page_text(saved)
    walk_in = {"name": "Walter Early", "agency_id": str(police.agency_id), "role": "DC"}
    walked = client.post(f"{url}/walk-in", data=walk_in, follow_redirects=True)
    assert said in page_text(walked) and "recorded as attending" not in page_text(walked)
    session.expire_all()
    recorded = session.exec(select(Invitation).where(Invitation.meeting_id == meeting.id)).all()
    assert {(i.agency_id, i.attendance, i.deputy_name, i.walk_in) for i in recorded} == {
        (police.agency_id, None, "", False),
        (probation.agency_id, None, "", False),
    }
    # The services refuse it too, whoever calls them.
    before = today_london()
    with app.test_request_context():
        meeting = session.get(Meeting, meeting.id)
        with pytest.raises(services.Refused, match=said.removesuffix(".")):
            present = {police.id: {"status": AttendanceStatus.PRESENT}}
            services.record_attendance(meeting, present, before, administrator)
        with pytest.raises(services.Refused, match=said.removesuffix(".")):
            services.record_walk_in(meeting, walk_in, before, administrator)


def test_cases_with_a_time_slot_are_listed_and_numbered_by_start_time(client_as, factory, session):
    """A case added later with an earlier slot is listed (and numbered, on the page and in the agenda PDF)
    before the one added first; a case without a slot keeps the place it was given; moves that would
    break the time order are neither offered nor done."""
    administrator = factory.user("ADMINISTRATOR")
    meeting = factory.meeting(administrator=administrator)  # 10:00 to 12:00
    for reference in ("AG-NONE", "AG-LATE", "AG-EARLY"):
        factory.case(reference=reference)
    client = client_as(administrator)
    url = f"/meetings/{meeting.id}/agenda/new"
    added = (("AG-NONE", "", ""), ("AG-LATE", "11:00", "12:00"), ("AG-EARLY", "10:00", "11:00"))
    for reference, starts, ends in added:
        data = {"case_reference": reference, "purpose": "REVIEW", "slot_start": starts, "slot_end": ends}
        assert post_confirming_warnings(client, url, data).status_code == 302

    page = BeautifulSoup(client.get(f"/meetings/{meeting.id}").data, "html.parser")
    rows = page.select("table")[0].select("tbody tr")
    listed = [[cell.get_text(" ", strip=True) for cell in row.select("td")[:3]] for row in rows]
    assert [(number, time, case.split()[0]) for number, time, case in listed] == [
        ("4", "Not set", "AG-NONE"),
        ("5", "10:00–11:00", "AG-EARLY"),
        ("6", "11:00–12:00", "AG-LATE"),
    ]
    assert _items(session, meeting) == [("AG-NONE", 1), ("AG-EARLY", 2), ("AG-LATE", 3)]
    buttons = [b.get_text(" ", strip=True) for b in page.select("table")[0].select("button")]
    assert "Move up AG-LATE" not in buttons and "Move down AG-EARLY" not in buttons
    assert "Move down AG-NONE" in buttons and "Move up AG-EARLY" in buttons

    pdf = client.get(disclosed(f"/meetings/{meeting.id}/agenda/pdf"))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert text.index("AG-NONE") < text.index("AG-EARLY") < text.index("AG-LATE")

    late = _item_of(session, "AG-LATE")
    move_url = f"/meetings/{meeting.id}/agenda/{late.id}/move"
    moved = client.post(move_url, data={"direction": "up"}, follow_redirects=True)
    assert (
        "Cases with a time slot are listed by their start time: change the time slot to move AG-LATE."
        in page_text(moved)
    )
    assert _items(session, meeting) == [("AG-NONE", 1), ("AG-EARLY", 2), ("AG-LATE", 3)]
    # A new slot moves the case: AG-EARLY, moved to the end of the meeting, now runs after AG-LATE.
    early = _item_of(session, "AG-EARLY")
    edit = {"version": str(early.version), "purpose": "REVIEW", "slot_start": "11:30", "slot_end": "12:00"}
    edit_url = f"/meetings/{meeting.id}/agenda/{early.id}/edit"
    assert post_confirming_warnings(client, edit_url, edit).status_code == 302
    assert _items(session, meeting) == [("AG-NONE", 1), ("AG-LATE", 2), ("AG-EARLY", 3)]


def test_a_case_s_page_at_a_meeting_lists_the_actions_its_minutes_review(client_as, factory):
    """The tester's finding: an action done since the last meeting was missing from the case's page while
    the chair ran the review, though the minutes' review of previous actions lists it. Both now list the
    same: set at the last meeting (open or not), or still open from an older one."""
    chair = factory.user("CHAIR")
    case = factory.case(reference="NEXT-2")
    older = factory.agenda_item(factory.meeting(chair=chair, day=today_london() - timedelta(days=90)), case)
    factory.action(older, description="Older and done", status="DONE")
    factory.action(older, description="Older and still open")
    last = factory.agenda_item(factory.meeting(chair=chair, day=today_london() - timedelta(days=30)), case)
    factory.action(last, description="Last and done", status="DONE")
    factory.action(last, description="Last and dropped", status="DROPPED", dropped_reason="Moved away")
    review = factory.meeting(chair=chair, day=today_london(), status=MeetingStatus.HELD)
    item = factory.agenda_item(review, case)
    factory.minutes(review, MinutesStatus.APPROVED)
    client = client_as(chair)

    item_page = page_text(client.get(f"/meetings/{review.id}/agenda/{item.id}"))
    to_review = item_page.split("Actions from earlier meetings to review")[1].split("Risk assessment")[0]
    minutes = page_text(client.get(f"/meetings/{review.id}/minutes"))
    reviewed = minutes.split("Review of previous actions")[1].split("Risk assessment")[0]
    for text in (to_review, reviewed):
        assert "Older and still open" in text and "Last and done" in text and "Last and dropped" in text
        assert "Older and done" not in text
