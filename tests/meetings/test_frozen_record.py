"""Approved minutes freeze the meeting's record: every route that writes to it refuses, saying where a
correction is made, and changes nothing; action progress and corrections still work."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.pages import page_text
from tests.posted import action_form
from tracker.core.timeutil import today_london
from tracker.meetings import freeze
from tracker.meetings.models import Action, ActionStatus, AgendaItem, MeetingStatus, PillarStatus
from tracker.minutes.models import MinutesStatus

from .conftest import approve_correction, start_correction

# Every table a meeting's record lives in: a refused change leaves each row exactly as it was.
RECORD_TABLES = (
    "meeting",
    "agenda_item",
    "pillar_entry",
    "invitation",
    "meeting_action",
    "case_event",
    "mappa_case",
    "plan_part",
)

# The POST routes about one meeting that are not changes to what it recorded, and why.
NOT_THE_RECORD = {
    "minutes.minutes_edit": "the minutes' own draft, closed by the minutes' workflow",
    "minutes.minutes_autosave": "the minutes' own draft, closed by the minutes' workflow",
    "minutes.minutes_submit": "a step of the minutes' workflow",
    "minutes.minutes_approve": "a step of the minutes' workflow",
    "minutes.minutes_distribute": "sending approved minutes",
    "minutes.minutes_correct": "the correction route itself",
    "minutes.minutes_abandon_correction": "puts back the approved record, only while a correction is open",
    "minutes.shared_minutes_revoke": "revoking a link that shares approved minutes: sending, not the record",
    "minutes.shared_minutes_send_again": "a new link to approved minutes: sending, not the record",
    "minutes.minutes_reason": "a reason for reading the minutes, kept in the audit trail, not the record",
}
# Follow-up after the meeting, open after approval.
PROGRESS = {"meetings.action_complete", "meetings.action_drop", "meetings.action_progress"}


def _record_writing_routes(app) -> list[str]:
    """Every POST route of the app about one meeting or one action, bar those named above."""
    endpoints = set()
    for rule in app.url_map.iter_rules():
        if "POST" not in (rule.methods or ()):
            continue
        if {"meeting_id", "item_id", "action_id"} & set(rule.arguments):
            endpoints.add(rule.endpoint)
    return sorted(endpoints - NOT_THE_RECORD.keys() - PROGRESS)


def _snapshot(session) -> dict[str, list]:
    tables = sa.inspect(session.get_bind()).get_table_names()
    snapshot = {}
    for table in RECORD_TABLES:
        if table in tables:
            rows = session.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1")).all()  # noqa: S608
            snapshot[table] = [tuple(row) for row in rows]
    return snapshot


@pytest.fixture
def people(factory):
    return {
        "chair": factory.user("CHAIR", name="Daniel Price"),
        "administrator": factory.user("ADMINISTRATOR", name="Aisha Karim"),
    }


@pytest.fixture
def approved(factory, people):
    """A held meeting whose minutes are approved, with an action of its own and an invitation."""
    meeting = factory.held_meeting(chair=people["chair"], administrator=people["administrator"])
    factory.minutes(meeting, MinutesStatus.APPROVED)
    item = meeting.agenda_items[0]
    action = factory.session.exec(sa.select(Action).where(Action.agenda_item_id == item.id)).scalar_one()
    return {"meeting": meeting, "item": item, "action": action, "invitation": meeting.invitations[0]}


def _url_and_data(app, endpoint: str, world: dict) -> tuple[str, dict]:
    """A URL for the route on the approved meeting, and a form a person could have sent (valid were
    the record open)."""
    meeting, item, action = world["meeting"], world["item"], world["action"]
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint)
    values = {
        "meeting_id": meeting.id,
        "item_id": item.id,
        "action_id": action.id,
        "invitation_id": world["invitation"].id,
        "pillar_slug": "supervision",
        "part_slug": "supervision",
    }
    with app.test_request_context():
        url = app.url_for(endpoint, **{name: values[name] for name in rule.arguments})
    due = (today_london() + timedelta(days=20)).isoformat().split("-")
    data = {
        "version": "1",
        "status": PillarStatus.OUTSTANDING.name,
        "summary": "Changed after approval",
        "level_decision": "EXIT",
        "level_decision_reason": "Changed after approval",
        "risk_to_children": "LOW",
        "risk_to_public": "LOW",
        "risk_to_known_adult": "LOW",
        "risk_to_staff": "LOW",
        "risk_to_prisoners": "LOW",
        "imminence": "NOT_IMMINENT",
        "description": "Changed after approval",
        "owner_agency_id": str(action.owner_agency_id),
        "owner_id": str(action.owner_id or ""),
        "due_on": [due[2], due[1], due[0]],
        "agency_id": str(action.owner_agency_id),
        "direction": "down",
        "purpose": "REVIEW",
        "case_reference": item.case.reference,
        "reason": "Changed after approval",
        f"status_{world['invitation'].id}": "ABSENT",
        "answer": "DECLINED",
        "text": "Changed after approval",
        "decision": "CHANGED",
    }
    return url, data


def test_the_list_of_routes_covers_every_form_on_a_meeting(app):
    routes = _record_writing_routes(app)
    # The list comes from the app: the pages that record a meeting are all on it.
    for endpoint in (
        "meetings.pillar_edit",
        "meetings.risk_edit",
        "meetings.decision_edit",
        "meetings.action_new",
        "meetings.attendance",
        "meetings.invitation_new",
        "meetings.invitation_remove",
        "meetings.agenda_item_remove",
    ):
        assert endpoint in routes


def test_every_write_to_an_approved_meeting_is_refused_and_changes_nothing(
    app, session, client_as, people, approved
):
    client = client_as(people["chair"])
    routes = _record_writing_routes(app)
    assert routes
    for endpoint in routes:
        before = _snapshot(session)
        url, data = _url_and_data(app, endpoint, approved)
        response = client.post(url, data=data)
        assert response.status_code == 303, endpoint
        shown = page_text(client.get(response.headers["Location"]))
        assert "are approved, so what the meeting recorded can no longer be changed" in shown, endpoint
        assert "make a correction to the minutes" in shown, endpoint
        session.expire_all()
        assert _snapshot(session) == before, endpoint


def test_the_forms_of_an_approved_meeting_are_not_offered(client_as, people, approved):
    meeting, item = approved["meeting"], approved["item"]
    client = client_as(people["chair"])
    response = client.get(f"/meetings/{meeting.id}/agenda/{item.id}")
    soup = BeautifulSoup(response.data, "html.parser")
    links = [a["href"] for a in soup.select("a[href]")]
    assert not [link for link in links if "/pillars/" in link or link.endswith("/risk")]
    assert not [link for link in links if link.endswith("/decision") or "/actions/new" in link]
    banner = soup.select_one("#record-frozen").get_text(" ", strip=True)
    assert f"The minutes of {meeting.reference} are approved" in banner
    correct = soup.select_one("#record-frozen a")["href"]
    assert correct == f"/meetings/{meeting.id}/minutes/correct"
    # Opening a form directly is refused too.
    response = client.get(f"/meetings/{meeting.id}/agenda/{item.id}/pillars/supervision")
    assert response.status_code == 303


def test_progress_on_an_agreed_action_is_still_recorded_after_approval(client_as, session, people, approved):
    client = client_as(people["chair"])
    action = approved["action"]
    response = client.post(f"/actions/{action.id}/complete", data={})
    assert response.status_code == 302
    session.refresh(action)
    assert action.status is ActionStatus.DONE
    assert action.description.startswith("Action 1")


def test_a_correction_reopens_the_record_and_approval_freezes_it_again(
    client_as, session, people, approved
):
    meeting, item = approved["meeting"], approved["item"]
    client = client_as(people["chair"])
    response = start_correction(client, session, meeting, "The supervision summary was wrong")
    assert response.status_code == 302
    response = client.post(
        f"/meetings/{meeting.id}/agenda/{item.id}/pillars/supervision",
        data={"version": "1", "status": "ADDRESSED", "summary": "Weekly supervision, corrected"},
    )
    assert response.status_code == 302
    item_page = f"/meetings/{meeting.id}/agenda/{item.id}"
    assert "Weekly supervision, corrected" in page_text(client.get(item_page))  # the chair's draft
    session.expire_all()
    entry = session.get(AgendaItem, item.id).pillar_entries[0]
    assert entry.summary != "Weekly supervision, corrected"  # the live record stays as approved meanwhile

    assert approve_correction(client, session, meeting).status_code == 302
    session.expire_all()
    entry = session.get(AgendaItem, item.id).pillar_entries[0]
    assert entry.summary == "Weekly supervision, corrected"
    response = client.post(
        f"{item_page}/pillars/supervision",
        data={"version": str(entry.version), "status": "ADDRESSED", "summary": "Changed after approval"},
    )
    assert "make a correction to the minutes" in page_text(client.get(response.location))
    session.expire_all()
    assert session.get(AgendaItem, item.id).pillar_entries[0].summary == "Weekly supervision, corrected"


def test_no_session_can_change_an_approved_record(app_context, session, approved):
    """The guard is not only in the pages: a script writing through any session is refused too."""
    item = session.get(AgendaItem, approved["item"].id)
    item.level_decision_reason = "Rewritten by a script"
    with pytest.raises(freeze.RecordFrozen):
        session.flush()
    session.rollback()
    assert approved["meeting"].status is MeetingStatus.HELD


# Actions that can be managed ------------------------------------------------------------------------


def test_an_action_is_edited_and_removed_before_approval_and_never_printed_once_removed(
    client_as, factory, session, people
):
    meeting = factory.held_meeting(chair=people["chair"], actions_per_case=2)
    item = meeting.agenda_items[0]
    kept, dropped = session.exec(
        sa.select(Action).where(Action.agenda_item_id == item.id).order_by(Action.id)
    ).scalars().all()
    client = client_as(people["chair"])
    base = f"/meetings/{meeting.id}/agenda/{item.id}/actions"
    due = today_london() + timedelta(days=21)
    response = client.post(
        f"{base}/{kept.id}/edit",
        data=action_form(
            kept.owner_agency_id,
            kept.owner_id,
            due,
            description="Visit the new address with the housing officer",
            pillar="SUPERVISION",
        ),
    )
    assert response.status_code == 302
    assert client.post(f"{base}/{dropped.id}/remove", data={}).status_code == 302
    minutes = factory.minutes(meeting, MinutesStatus.APPROVED)
    shown = page_text(client.get(f"/meetings/{meeting.id}/minutes"))
    assert "Visit the new address with the housing officer" in shown
    assert dropped.description not in shown
    assert minutes.versions[0].record["items"][0]["actions"][0]["due"] == f"{due:%-d %B %Y}"
    assert dropped.description not in page_text(client.get(f"/meetings/{meeting.id}/agenda/{item.id}"))


def test_an_action_needs_a_named_owner_on_entry_as_at_approval(client_as, factory, people):
    meeting = factory.held_meeting(chair=people["chair"])
    item = meeting.agenda_items[0]
    due = today_london() + timedelta(days=7)
    response = client_as(people["chair"]).post(
        f"/meetings/{meeting.id}/agenda/{item.id}/actions/new",
        data=action_form(item.case.lead_agency_id, "", due, description="Check the curfew"),
    )
    assert "Select the person who owns the action" in page_text(response)


def _progress(client, action, day, note="Waiting for the landlord"):
    """Post progress on an action: a new due date (`day`, or none) and a note."""
    boxes = [str(day.day), str(day.month), str(day.year)] if day else ["", "", ""]
    return client.post(
        f"/actions/{action.id}/progress",
        data={"version": str(action.version), "revised_due_on": boxes, "progress_note": note},
    )


def test_progress_after_approval_moves_the_date_but_the_minutes_keep_the_action_as_agreed(
    client_as, session, people, approved
):
    action = approved["action"]
    agreed = action.due_on
    later = min(today_london() + timedelta(days=40), action.case.review_due_on)  # up to the next review
    assert later > today_london()
    client = client_as(people["chair"])
    response = _progress(client, action, later, "Not done: the address was empty on both visits")
    assert response.status_code == 302
    session.refresh(action)
    assert (action.due_on, action.revised_due_on) == (agreed, later)
    meeting = approved["meeting"]
    shown = page_text(client.get(f"/meetings/{meeting.id}/minutes"))
    assert f"{agreed:%-d %B %Y}" in shown
    assert "the address was empty" not in shown


def test_an_owner_cannot_move_an_action_past_the_cases_next_review(client_as, session, people, approved):
    """The panel reviews the plan's actions at the next review: a date past it is the panel's to agree."""
    action = approved["action"]
    case = action.case
    case.next_review_on = today_london() + timedelta(days=30)
    session.add(case)
    session.commit()
    assert case.review_due_on == today_london() + timedelta(days=30)
    client = client_as(people["chair"])
    page = page_text(client.get(f"/actions/{action.id}/progress"))
    assert f"On or before {case.review_due_on:%-d %B %Y}: a later date is for the panel to agree" in page
    response = _progress(client, action, case.review_due_on + timedelta(days=1))
    assert response.status_code == 200
    assert (
        f"The new due date must be on or before the case's next review, due {case.review_due_on:%-d %B %Y}"
        in page_text(response)
    )
    session.refresh(action)
    assert action.revised_due_on is None and not action.progress_note
    assert _progress(client, action, case.review_due_on).status_code == 302
    session.refresh(action)
    assert action.revised_due_on == case.review_due_on


def test_when_the_review_is_overdue_a_new_date_stops_at_the_next_meeting_or_today(
    client_as, session, people, approved, factory
):
    action = approved["action"]
    case = action.case
    case.next_review_on = today_london() - timedelta(days=5)
    session.add(case)
    session.commit()
    assert case.review_due_on == today_london() - timedelta(days=5)
    client = client_as(people["chair"])

    def move_to(day):
        return _progress(client, action, day)

    refused = move_to(today_london() + timedelta(days=1))
    assert refused.status_code == 200
    assert "The case's review is overdue" in page_text(refused) and "no meeting is scheduled" in page_text(refused)
    meeting = factory.meeting(chair=people["chair"], day=today_london() + timedelta(days=7))
    factory.agenda_item(meeting, case)
    assert "after the case's next meeting" not in page_text(move_to(today_london() + timedelta(days=9)))
    assert "on or before the case's next meeting" in page_text(move_to(today_london() + timedelta(days=9)))
    assert move_to(today_london() + timedelta(days=7)).status_code == 302
    session.refresh(action)
    # The date given stands: saving a note again with it is not refused, whatever has changed since.
    case.next_review_on = today_london() - timedelta(days=30)
    session.add(case)
    session.commit()
    assert move_to(action.revised_due_on).status_code == 302
