"""Category 4 cases are invisible to people not cleared for them: every page and export such a person can
reach about a meeting with a Category 4 case reads exactly as it would if the case did not exist (apart
from the page's nonce, its CSRF token and the time it was made). No count of hidden cases, no gap in the
agenda's numbering, no hint in a PDF or calendar file."""

from __future__ import annotations

import difflib
import io
import re
from datetime import time, timedelta

import pytest
from sqlmodel import select

from tests.justify import give_minutes_reason
from tracker.core.timeutil import london_to_utc, today_london
from tracker.meetings.models import AgendaItem, CaseStatus, Category
from tracker.minutes import record as records
from tracker.minutes.models import MinutesStatus

try:
    import pypdf
except ImportError:  # pragma: no cover - the test extras install it
    pypdf = None


def _normalised(response) -> str:
    """The response as a person (or their calendar or PDF reader) gets it, less what changes each time."""
    kind = response.headers.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        reader = pypdf.PdfReader(io.BytesIO(response.data))
        text = "\n".join(page.extract_text() for page in reader.pages)
        text += f"\n{len(reader.pages)} pages"
    else:
        text = response.get_data(as_text=True)
    text = re.sub(r'nonce="[^"]*"', 'nonce=""', text)
    text = re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r'\1"', text)
    text = re.sub(r'(value=")[^"]*("[^>]*name="csrf_token")', r'\1\2', text)
    text = re.sub(r"^(DTSTAMP|LAST-MODIFIED|CREATED):.*$", r"\1:", text, flags=re.MULTILINE)
    # Times of day a page was made ("at 21:47", "21:47:03"), not the agenda's slots, which are fixed here.
    text = re.sub(r"\b\d{2}:\d{2}:\d{2}\b", "hh:mm:ss", text)
    return text


@pytest.fixture
def world(factory):
    """An area with a meeting to come and a meeting held (minutes approved), each with two ordinary
    cases in slots 10:00 to 10:40 and 11:20 to 12:00, and people who are not cleared for Category 4: an
    invited police officer who owns actions, and a co-ordinator."""
    chair = factory.user("CHAIR", name="Daniel Price", terrorism_cleared=True)
    administrator = factory.user("ADMINISTRATOR", name="Aisha Karim", terrorism_cleared=True)
    officer = factory.user("PRACTITIONER", name="Priya Shah")
    coordinator = factory.user("COORDINATOR", name="Helen Marsh")
    # The cleared officer who will lead the Category 4 case, there whether or not the case exists.
    cleared = factory.user("PRACTITIONER", name="Cleared Officer", terrorism_cleared=True)
    held = factory.held_meeting(chair=chair, administrator=administrator, cases=2)
    day = today_london() + timedelta(days=7)
    coming = factory.meeting(chair=chair, administrator=administrator, day=day)
    for meeting in (held, coming):
        factory.invitation(meeting, officer)
    first, second = sorted(held.agenda_items, key=lambda i: i.position)
    for item, (starts, ends) in zip((first, second), ((time(10), time(10, 40)), (time(11, 20), time(12)))):
        held_day = (held.starts_at + timedelta(hours=1)).date()
        item.slot_starts_at, item.slot_ends_at = london_to_utc(held_day, starts), london_to_utc(held_day, ends)
        factory.save(item)
    factory.action(first, owner=officer, description="Check the address")
    for starts, ends in ((time(10), time(10, 40)), (time(11, 20), time(12))):
        factory.agenda_item(
            coming, slot_starts_at=london_to_utc(day, starts), slot_ends_at=london_to_utc(day, ends)
        )
    minutes = factory.minutes(held, MinutesStatus.APPROVED)
    return {
        "held": held,
        "coming": coming,
        "minutes": minutes,
        "officer": officer,
        "coordinator": coordinator,
        "chair": chair,
        "cleared": cleared,
    }


def _add_category_4(factory, world) -> None:
    """The same area, with a Category 4 case between the two ordinary ones on both meetings (10:40 to
    11:20), an action on it owned by someone cleared, and the approved minutes recording it."""
    cleared = world["cleared"]
    # The held meeting's record is built as it was before its minutes were approved (approval freezes it).
    world["minutes"].status = MinutesStatus.DRAFT
    factory.save(world["minutes"])
    for key in ("held", "coming"):
        meeting = world[key]
        day = (meeting.starts_at + timedelta(hours=1)).date()
        case = factory.case(
            category=Category.CATEGORY_4,
            name="Hidden Person",
            lead_officer_id=cleared.id,
            # In custody, so that Prisons would be expected if the case were counted (Prisons are not
            # invited): neither the meeting's page nor the minutes' frozen record may count it.
            status=CaseStatus.IN_CUSTODY,
        )
        second = max(meeting.agenda_items, key=lambda i: i.position)
        second.position = 3
        factory.save(second)
        item = factory.agenda_item(
            meeting,
            case,
            position=2,
            slot_starts_at=london_to_utc(day, time(10, 40)),
            slot_ends_at=london_to_utc(day, time(11, 20)),
            presenting_officer_id=cleared.id,
        )
        factory.action(item, owner=cleared, description="Secret action")
    version = world["minutes"].versions[0]
    with factory.app.app_context():
        version.record = records.build_record(records.load_meeting(world["held"].id)).to_json()
    factory.save(version)
    world["minutes"].status = MinutesStatus.APPROVED
    factory.save(world["minutes"])


def _urls(world) -> list[str]:
    """Every page and export about these meetings and their cases that the person may be able to reach:
    lists, due lists, searches, the agenda and its forms, the record, the minutes and calendars."""
    held, coming = world["held"].id, world["coming"].id
    held_first, held_last = sorted(world["held"].agenda_items, key=lambda i: i.id)[:2]
    coming_first, coming_last = sorted(world["coming"].agenda_items, key=lambda i: i.id)[:2]
    return [
        "/",
        "/home",
        "/meetings",
        "/meetings?when=past",
        "/meetings/new",
        "/cases",
        "/cases?q=Person",
        "/cases?review=overdue",
        "/cases?review=due-soon",
        "/cases?review=no-meeting",
        "/cases?status=IN_CUSTODY",
        f"/cases/{held_first.case_id}",
        "/actions",
        "/actions?owner=all",
        "/actions?overdue=1",
        "/minutes",
        "/minutes?show=all",
        "/chairs",
        "/reports/annual-report",
        "/reports/audits",
        "/account/emails",
        f"/meetings/{coming}",
        f"/meetings/{coming}/edit",
        f"/meetings/{coming}/calendar.ics",
        f"/meetings/{coming}/agenda/pdf",
        f"/meetings/{coming}/agenda/new",
        f"/meetings/{coming}/agenda/new?q=Person",
        f"/meetings/{coming}/agenda/{coming_first.id}",
        f"/meetings/{coming}/agenda/{coming_last.id}",
        f"/meetings/{coming}/agenda/{coming_last.id}/edit",
        f"/meetings/{coming}/invitations/new",
        f"/meetings/{coming}/cancel",
        f"/meetings/{coming}/reply",
        f"/meetings/{held}",
        f"/meetings/{held}/calendar.ics",
        f"/meetings/{held}/agenda/pdf",
        f"/meetings/{held}/agenda/{held_last.id}",
        f"/meetings/{held}/attendance",
        f"/meetings/{held}/attendance/walk-in",
        f"/meetings/{held}/minutes",
        f"/meetings/{held}/minutes/edit",
        f"/meetings/{held}/minutes/versions/1",
        f"/meetings/{held}/minutes/versions/1/pdf",
        f"/meetings/{held}/minutes/cases/{held_first.case_id}/summary",
        f"/meetings/{held}/minutes/cases/{held_first.case_id}/summary/pdf",
        # Last, and in this order: the calendar file redirects someone with nothing to add to the feed page,
        # which then shows why.
        "/calendar/my-calendar.ics",
        "/calendar/feed",
    ]


@pytest.mark.skipif(pypdf is None, reason="pypdf is needed to read the PDFs")
@pytest.mark.parametrize("who", ["officer", "coordinator"])
def test_pages_read_the_same_whether_or_not_a_category_4_case_exists(client_as, factory, world, who):
    client = client_as(world[who])
    if who == "coordinator":  # there by oversight: says why before the minutes
        give_minutes_reason(client, world["held"].id)
    before = {}
    for url in _urls(world):
        response = client.get(url)
        before[url] = (response.status_code, _normalised(response))
    reachable = [url for url, (status, _text) in before.items() if status == 200]
    assert f"/meetings/{world['held'].id}/minutes/versions/1/pdf" in reachable
    assert f"/meetings/{world['coming'].id}" in reachable
    if who == "officer":
        assert "/calendar/my-calendar.ics" in reachable
    else:
        coming = world["coming"].id
        assert f"/meetings/{coming}/agenda/new?q=Person" in reachable and "/cases?review=overdue" in reachable

    _add_category_4(factory, world)
    assert factory.session.get(AgendaItem, max(i.id for i in world["coming"].agenda_items)).case.is_category_4

    differences = []
    for url in _urls(world):
        response = client.get(url)
        status, text = response.status_code, _normalised(response)
        assert status == before[url][0], f"{url} answers {status} with a Category 4 case, {before[url][0]} without"
        assert "Hidden Person" not in text and "Secret action" not in text, url
        if text != before[url][1]:
            changed = difflib.unified_diff(before[url][1].splitlines(), text.splitlines(), lineterm="", n=1)
            differences.append(f"{url} differs when a Category 4 case exists:\n" + "\n".join(list(changed)[2:40]))
    assert not differences, "\n\n".join(differences)


def test_someone_cleared_sees_the_category_4_case(client_as, factory, world):
    _add_category_4(factory, world)
    client = client_as(world["chair"])
    response = client.get(f"/meetings/{world['coming'].id}")
    assert "Hidden Person" in response.get_data(as_text=True)


def test_the_frozen_minutes_expect_prisons_for_a_category_4_case_in_custody_only_for_the_cleared(
    client_as, factory, world
):
    _add_category_4(factory, world)
    held = world["held"].id
    said = "Responsible Authority agencies not represented: Probation, Prisons."
    cleared = client_as(world["chair"]).get(f"/meetings/{held}/minutes/versions/1").get_data(as_text=True)
    coordinator = client_as(world["coordinator"])
    give_minutes_reason(coordinator, held)
    uncleared = coordinator.get(f"/meetings/{held}/minutes/versions/1").get_data(as_text=True)
    assert said in cleared
    assert "Responsible Authority agencies not represented: Probation." in uncleared and said not in uncleared


def test_someone_not_cleared_cannot_cancel_a_meeting_with_a_category_4_case(client_as, factory, world, session):
    """Cancelling takes every case off the meeting and their actions off its record: the co-ordinator not
    cleared (who sees the meeting without the case) is refused, told only to ask its chair, and nothing
    changes; a co-ordinator cleared cancels it, and is told of every action taken off."""
    from tracker.meetings.models import Action, ActionStatus, Meeting, MeetingStatus

    _add_category_4(factory, world)
    coming = world["coming"]
    client = client_as(world["coordinator"])
    page = client.get(f"/meetings/{coming.id}/cancel").get_data(as_text=True)
    assert "open action" not in page
    response = client.post(f"/meetings/{coming.id}/cancel", data={"reason": "Chair unavailable", "version": "1"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"You cannot cancel {coming.reference}: ask its chair, Daniel Price, to cancel it" in text
    assert "Hidden Person" not in text and "Category 4" not in text
    session.expire_all()
    assert session.get(Meeting, coming.id).status is MeetingStatus.SCHEDULED
    secret = session.exec(select(Action).where(Action.description == "Secret action")).all()
    assert [action.status for action in secret] == [ActionStatus.OPEN, ActionStatus.OPEN]

    cleared = client_as(factory.user("COORDINATOR", name="Cleared Coordinator", terrorism_cleared=True))
    assert "1 open action" in cleared.get(f"/meetings/{coming.id}/cancel").get_data(as_text=True)
    version = session.get(Meeting, coming.id).version
    done = cleared.post(
        f"/meetings/{coming.id}/cancel", data={"reason": "Chair unavailable", "version": str(version)}
    )
    assert done.status_code == 302
    session.expire_all()
    assert session.get(Meeting, coming.id).status is MeetingStatus.CANCELLED
