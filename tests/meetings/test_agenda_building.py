"""Building an agenda from the caseload: search by reference or name among the cases the person may add,
the cases due at a meeting of this level, and warnings (shown before saving and on the agenda) that
inform without blocking."""

from __future__ import annotations

from datetime import time, timedelta

from bs4 import BeautifulSoup
from sqlmodel import select

from tests.meetings.conftest import post_confirming_warnings, warnings_on
from tests.pages import page_text
from tracker.core.timeutil import london, london_to_utc, today_london
from tracker.meetings.models import AgendaItem, AgendaPurpose, CaseStatus, Category, Level, MeetingStatus


def _found(response) -> list[str]:
    found = BeautifulSoup(response.data, "html.parser").find(id="found")
    return [" ".join(li.get_text(" ").split()).replace(" ,", ",") for li in found.find_all("li")] if found else []


def _due(response) -> list[str]:
    region = BeautifulSoup(response.data, "html.parser").find("table", class_="govuk-table")
    if region is None:
        return []
    return [row.find("td").get_text(" ", strip=True) for row in region.select("tbody tr")]


def _due_rows(response) -> list[str]:
    """Each row of the due list as read: the case, then why it is due (and where it is already booked)."""
    region = BeautifulSoup(response.data, "html.parser").find("table", class_="govuk-table")
    rows = region.select("tbody tr") if region else []
    return [" ".join(row.get_text(" ").split()).replace(" ,", ",") for row in rows]


def _booking_meetings(factory):
    """An administrator; their meeting next week, where cases are being added, and their later one; and
    someone else's meeting after that, which is not named to them."""
    administrator = factory.user("ADMINISTRATOR")
    today = today_london()
    meeting = factory.meeting(administrator=administrator, day=today + timedelta(days=7))
    later = factory.meeting(administrator=administrator, day=today + timedelta(days=14))
    unseen = factory.meeting(day=today + timedelta(days=21))
    return administrator, meeting, later, unseen


def _says_where_each_is_booked(response, rows: dict, region: str, later, unseen, free: str, on: str, hidden: str):
    """The free case says nothing; the one on `later` names it, with its date and a link; the one on a
    meeting not named to this person says only that it is booked, and that meeting is not named."""
    assert "Already on" not in rows[free]
    assert f"Already on {later.reference}, {london(later.starts_at):%-d %B %Y}" in rows[on]
    assert "Already on another scheduled meeting" in rows[hidden]
    assert unseen.reference not in page_text(response)
    link = BeautifulSoup(response.data, "html.parser").select_one(region).find("a", string=later.reference)
    assert link["href"] == f"/meetings/{later.id}"


def _overlaps(response) -> list[str]:
    return [w for w in warnings_on(response) if "overlaps" in w]


def test_cases_are_found_by_reference_or_name_without_javascript(client_as, factory):
    administrator = factory.user("ADMINISTRATOR")
    meeting = factory.meeting(administrator=administrator)
    factory.case(reference="FIND-001", name="Alex Marlow")
    factory.case(reference="FIND-002", name="Sam Fenwick")
    factory.case(reference="FIND-CT", name="Alex Hidden", category=Category.CATEGORY_4)
    on = factory.case(reference="FIND-003", name="Alex Already")
    factory.agenda_item(meeting, on)
    client = client_as(administrator)
    url = f"/meetings/{meeting.id}/agenda/new"
    by_name = _found(client.get(url, query_string={"q": "alex"}))
    assert [f.split(":")[0].strip() for f in by_name] == ["Choose FIND-001 for the agenda"]
    assert [f.split(":")[0].strip() for f in _found(client.get(url, query_string={"q": "find-002"}))] == [
        "Choose FIND-002 for the agenda"
    ]
    assert 'No case you may add matches "nobody"' in page_text(client.get(url, query_string={"q": "nobody"}))
    # As the case list finds them: every word in any order, the other systems' references, "%" as itself.
    factory.case(reference="FIND-004", name="Jo Bloggs", ndelius_reference="X010121")
    for typed in ("bloggs  jo", "x010121"):
        found = _found(client.get(url, query_string={"q": typed}))
        assert [f.split(":")[0].strip() for f in found] == ["Choose FIND-004 for the agenda"], typed
    assert _found(client.get(url, query_string={"q": "%"})) == []
    # Choosing fills in the reference.
    chosen = BeautifulSoup(client.get(url, query_string={"case": "FIND-001"}).data, "html.parser")
    assert chosen.find("input", {"name": "case_reference"})["value"] == "FIND-001"


def test_a_chair_finds_only_the_cases_he_may_already_change(client_as, factory):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    factory.case(reference="MINE-1", name="Jo Own", lead_officer_id=chair.id)
    factory.case(reference="THEIRS-1", name="Jo Other")
    found = _found(client_as(chair).get(f"/meetings/{meeting.id}/agenda/new", query_string={"q": "jo"}))
    assert [f.split(":")[0].strip() for f in found] == ["Choose MINE-1 for the agenda"]


def test_the_due_list_offers_cases_at_the_meetings_level(client_as, factory):
    administrator = factory.user("ADMINISTRATOR")
    day = today_london() + timedelta(days=7)
    meeting = factory.meeting(administrator=administrator, day=day, level=Level.LEVEL_2)
    initial = factory.case(reference="DUE-INIT", referred_on=today_london() - timedelta(days=20))
    review = factory.case(
        reference="DUE-REV",
        last_reviewed_on=today_london() - timedelta(weeks=15),
        next_review_on=day + timedelta(days=3),
    )
    factory.case(
        reference="NOT-DUE",
        last_reviewed_on=today_london() - timedelta(weeks=1),
        next_review_on=today_london() + timedelta(weeks=12),
    )
    other = factory.meeting(day=today_london() + timedelta(weeks=10))
    factory.agenda_item(other, factory.case(reference="NOT-DUE-2", last_reviewed_on=today_london()))
    factory.case(reference="DUE-L3", level=Level.LEVEL_3, referred_on=today_london() - timedelta(days=20))
    response = client_as(administrator).get(f"/meetings/{meeting.id}/agenda/new")
    due = _due(response)
    references = [row.split(" ")[0] for row in due]
    assert initial.reference in references and review.reference in references
    assert "DUE-L3" not in references and "NOT-DUE-2" not in references
    text = page_text(response)
    assert "Initial meeting due" in text and "Review due" in text
    # Choosing from the due list fills in the reference and the purpose that fits.
    link = BeautifulSoup(response.data, "html.parser").select_one("table a")
    assert "case=" in link["href"] and "purpose=" in link["href"]


def test_a_due_case_already_on_another_meeting_says_so_and_comes_after_those_not_booked(
    client_as, factory, count_queries
):
    administrator, meeting, later, unseen = _booking_meetings(factory)
    today = today_london()
    # Both booked cases are due long before the free one, which the due list used to put first.
    booked = factory.case(reference="BOOK-ON", referred_on=today - timedelta(weeks=14))
    factory.agenda_item(later, booked)
    hidden = factory.case(reference="BOOK-HIDDEN", referred_on=today - timedelta(weeks=13))
    factory.agenda_item(unseen, hidden)
    free = factory.case(reference="BOOK-FREE", referred_on=today - timedelta(weeks=2))
    held = factory.meeting(day=today - timedelta(weeks=1), status=MeetingStatus.HELD)
    factory.agenda_item(held, free, purpose=AgendaPurpose.INITIAL)  # a meeting held is no booking
    client = client_as(administrator)
    url = f"/meetings/{meeting.id}/agenda/new"
    response = client.get(url)
    due = {row.split(" ")[0]: row for row in _due_rows(response)}
    assert list(due) == ["BOOK-FREE", "BOOK-ON", "BOOK-HIDDEN"]
    _says_where_each_is_booked(response, due, "table.govuk-table", later, unseen, "BOOK-FREE", "BOOK-ON", "BOOK-HIDDEN")
    # One query finds the bookings of every row: the page makes as many with more booked cases.
    with count_queries() as few:
        client.get(url)
    for number in range(3):
        factory.agenda_item(later, factory.case(referred_on=today - timedelta(weeks=10 + number)))
    with count_queries() as more:
        again = client.get(url)
    assert len(_due_rows(again)) == 6 and more[0] == few[0]
    # Adding a booked case anyway stays possible, once its warning is confirmed.
    data = {"case_reference": "BOOK-ON", "purpose": "INITIAL"}
    first = client.post(url, data=data)
    assert f"BOOK-ON is already on the agenda of {later.reference} on" in " ".join(warnings_on(first))
    assert post_confirming_warnings(client, url, data).status_code == 302


def test_a_case_found_already_on_another_meeting_says_so_as_in_the_due_list(client_as, factory, count_queries):
    administrator, meeting, later, unseen = _booking_meetings(factory)
    factory.agenda_item(later, factory.case(reference="SRCH-ON", name="Shaun Ridley"))
    factory.agenda_item(unseen, factory.case(reference="SRCH-HIDDEN", name="Shaun Hidden"))
    factory.case(reference="SRCH-FREE", name="Shaun Free")
    client = client_as(administrator)
    url = f"/meetings/{meeting.id}/agenda/new"
    response = client.get(url, query_string={"q": "shaun"})
    found = {row.split(" ")[1]: row for row in _found(response)}
    assert list(found) == ["SRCH-FREE", "SRCH-HIDDEN", "SRCH-ON"]
    _says_where_each_is_booked(response, found, "#found", later, unseen, "SRCH-FREE", "SRCH-ON", "SRCH-HIDDEN")
    # One query finds the bookings of every result: the page makes as many with more booked cases found.
    with count_queries() as few:
        client.get(url, query_string={"q": "shaun"})
    for number in range(3):
        factory.agenda_item(later, factory.case(reference=f"SRCH-MORE-{number}", name="Shaun More"))
    with count_queries() as more:
        again = client.get(url, query_string={"q": "shaun"})
    assert len(_found(again)) == 6 and more[0] == few[0]


def test_warnings_are_shown_before_saving_and_confirmed_to_save(client_as, factory, session):
    administrator = factory.user("ADMINISTRATOR")
    day = today_london() + timedelta(days=7)
    meeting = factory.meeting(administrator=administrator, day=day, level=Level.LEVEL_2)
    factory.agenda_item(
        meeting,
        factory.case(reference="OV-1"),
        purpose=AgendaPurpose.INITIAL,
        slot_starts_at=london_to_utc(day, time(10)),
        slot_ends_at=london_to_utc(day, time(10, 40)),
    )
    level_3 = factory.case(reference="OV-L3", level=Level.LEVEL_3)
    elsewhere = factory.meeting(day=day + timedelta(days=2), level=Level.LEVEL_3)
    factory.agenda_item(elsewhere, level_3)
    client = client_as(administrator)
    url = f"/meetings/{meeting.id}/agenda/new"
    data = {"case_reference": "OV-L3", "purpose": "REVIEW", "slot_start": "10:30", "slot_end": "11:10"}
    first = client.post(url, data=data)
    assert first.status_code == 200
    assert warnings_on(first) == [
        "OV-L3 is managed at Level 3, and this is a Level 2 meeting",
        "OV-L3 is already on the agenda of another scheduled meeting",
        "OV-L3's slot (10:30 to 11:10) overlaps OV-1's (10:00 to 10:40)",
        "OV-L3 has never been discussed at a meeting: its first discussion is an initial one",
    ]
    assert len(session.exec(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)).all()) == 1
    # Changing the slot after the warnings asks again about what is still true.
    warned = BeautifulSoup(first.data, "html.parser").find("input", {"name": "warned"})["value"]
    moved = client.post(url, data={**data, "slot_start": "10:40", "slot_end": "11:20", "warned": warned})
    assert moved.status_code == 200
    assert not any("overlaps" in w for w in warnings_on(moved))
    # The agenda shows them too, until they are resolved.
    warned = BeautifulSoup(moved.data, "html.parser").find("input", {"name": "warned"})["value"]
    saved = client.post(url, data={**data, "slot_start": "10:40", "slot_end": "11:20", "warned": warned})
    assert saved.status_code == 302
    agenda = warnings_on(client.get(f"/meetings/{meeting.id}"))
    assert "OV-L3 is managed at Level 3, and this is a Level 2 meeting" in agenda


def test_a_case_that_has_exited_mappa_is_warned_of_when_added_and_on_the_agenda(client_as, factory):
    """An exited case is no longer managed at meetings: adding it asks first, and a scheduled meeting it is
    still on says so until it is taken off."""
    administrator = factory.user("ADMINISTRATOR")
    meeting = factory.meeting(administrator=administrator)
    booked = factory.case(reference="EX-ON", status=CaseStatus.EXITED)
    factory.agenda_item(meeting, booked, purpose=AgendaPurpose.REVIEW)
    factory.case(reference="EX-NEW", status=CaseStatus.EXITED)
    client = client_as(administrator)
    data = {"case_reference": "EX-NEW", "purpose": "INITIAL", "slot_start": "", "slot_end": ""}
    first = client.post(f"/meetings/{meeting.id}/agenda/new", data=data)
    assert "EX-NEW has exited MAPPA, so it is no longer managed at MAPPA meetings" in warnings_on(first)
    shown = warnings_on(client.get(f"/meetings/{meeting.id}"))
    assert "EX-ON has exited MAPPA, so it is no longer managed at MAPPA meetings" in shown


def test_an_overlap_on_the_agenda_is_shown_until_resolved(client_as, factory):
    administrator = factory.user("ADMINISTRATOR")
    day = today_london() + timedelta(days=7)
    meeting = factory.meeting(administrator=administrator, day=day)
    first = factory.agenda_item(
        meeting,
        factory.case(reference="AGW-1"),
        purpose=AgendaPurpose.INITIAL,
        slot_starts_at=london_to_utc(day, time(10)),
        slot_ends_at=london_to_utc(day, time(10, 40)),
    )
    second = factory.agenda_item(
        meeting,
        factory.case(reference="AGW-2"),
        purpose=AgendaPurpose.INITIAL,
        slot_starts_at=london_to_utc(day, time(10, 30)),
        slot_ends_at=london_to_utc(day, time(11, 10)),
    )
    client = client_as(administrator)
    assert _overlaps(client.get(f"/meetings/{meeting.id}")) == [
        "AGW-1's slot (10:00 to 10:40) overlaps AGW-2's (10:30 to 11:10)"
    ]
    edit = {"version": str(second.version), "purpose": "INITIAL", "slot_start": "10:40", "slot_end": "11:20"}
    assert client.post(f"/meetings/{meeting.id}/agenda/{second.id}/edit", data=edit).status_code == 302
    assert _overlaps(client.get(f"/meetings/{meeting.id}")) == []
    assert first.id  # the first item is unchanged


def test_an_overlap_with_a_hidden_category_4_slot_is_not_said_to_someone_not_cleared(client_as, factory):
    coordinator = factory.user("COORDINATOR")
    day = today_london() + timedelta(days=7)
    cleared = factory.user("CHAIR", terrorism_cleared=True)
    meeting = factory.meeting(chair=cleared, day=day)
    factory.agenda_item(
        meeting,
        factory.case(reference="HID-CT", category=Category.CATEGORY_4),
        purpose=AgendaPurpose.INITIAL,
        slot_starts_at=london_to_utc(day, time(10)),
        slot_ends_at=london_to_utc(day, time(10, 40)),
    )
    factory.case(reference="VIS-1")
    response = client_as(coordinator).post(
        f"/meetings/{meeting.id}/agenda/new",
        data={"case_reference": "VIS-1", "purpose": "INITIAL", "slot_start": "10:00", "slot_end": "10:30"},
    )
    assert response.status_code == 302
    assert meeting.status is MeetingStatus.SCHEDULED
