"""The minutes through the client: drafting, submitting, approval (and its refusals), distribution,
corrections into new versions, and two people editing the same draft."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlmodel import select

from tests.justify import disclosed
from tests.minutes.conftest import page, text_of
from tracker.core.models import AuditEvent
from tracker.core.timeutil import london, today_london
from tracker.meetings.models import (
    Action,
    CaseEvent,
    CaseEventKind,
    Level,
    LevelDecision,
    MeetingStatus,
    Pillar,
    PillarStatus,
)
from tracker.minutes.models import Minutes, MinutesStatus


def take_step(client, meeting, minutes, step: str):
    """The minutes' workflow step (submit, approve, distribute) asked for from the version given."""
    return client.post(f"/meetings/{meeting.id}/minutes/{step}", data={"version": minutes.version})


def minutes_of(session, meeting) -> Minutes:
    session.expire_all()
    return session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).one()


def draft_data(meeting, version, **texts) -> dict:
    """A posted draft: the meeting's introductions and, for each case, its new information."""
    data = {
        "version": str(version),
        "meeting_introductions": texts.get("introductions", "Introductions made."),
    }
    for item in meeting.agenda_items:
        data[f"item_{item.id}_statement_read"] = "y"
        data[f"item_{item.id}_new_information"] = texts.get(
            "new_information", f"News on {item.case.reference}"
        )
    return data


def submit_draft(client, meeting, **texts):
    client.post(f"/meetings/{meeting.id}/minutes/edit", data=draft_data(meeting, 0, **texts))


def test_the_administrator_drafts_and_submits_and_the_chair_approves_and_distributes(
    client_as, session, meeting, people, app
):
    administrator = client_as(people["administrator"])
    response = administrator.get(f"/meetings/{meeting.id}/minutes/edit")
    assert response.status_code == 200
    form = page(response)
    item = meeting.agenda_items[0]
    assert form.find("textarea", {"name": f"item_{item.id}_new_information"}) is not None
    # The structured parts come from the records: the drafter is told what the tracker adds.
    assert "Supervision: Addressed" in text_of(response)

    response = administrator.post(
        f"/meetings/{meeting.id}/minutes/edit",
        data=draft_data(meeting, 0, new_information="Police visited twice."),
    )
    assert response.status_code == 302
    response = administrator.get(f"/meetings/{meeting.id}/minutes")
    assert "The draft minutes have been saved." in text_of(response)
    assert "Police visited twice." in text_of(response)

    minutes = minutes_of(session, meeting)
    response = take_step(administrator, meeting, minutes, "submit")
    assert response.status_code == 302
    assert minutes_of(session, meeting).status is MinutesStatus.SUBMITTED

    chair = client_as(people["chair"])
    response = chair.get(f"/meetings/{meeting.id}/minutes")
    assert page(response).find("button", string=lambda s: s and "Approve the minutes" in s) is not None
    # The chair approves after the minutes, told what approving fixes; the top of the page leads there.
    html = response.get_data(as_text=True)
    assert html.index("Police visited twice.") < html.index('id="approve"') < html.index('/minutes/approve"')
    assert "Approving fixes the meeting's record" in text_of(response)
    assert page(response).find("a", href="#approve").get_text(strip=True) == "Read the minutes and approve them"
    minutes = minutes_of(session, meeting)
    response = take_step(chair, meeting, minutes, "approve")
    assert response.status_code == 302
    minutes = minutes_of(session, meeting)
    assert minutes.status is MinutesStatus.APPROVED
    assert minutes.current.approved_by_id == people["chair"].id
    assert minutes.current.record["items"][0]["reference"] == item.case.reference
    response = chair.get(f"/meetings/{meeting.id}/minutes")
    assert "By Daniel Price on" in text_of(response)

    response = chair.get(f"/meetings/{meeting.id}/minutes/distribute")
    boxes = page(response).find_all("input", {"name": "recipients"})
    invited = meeting.invitations[0]
    chosen = [box["value"] for box in boxes if box.has_attr("checked")]
    assert chosen == [f"{invited.agency_id}:{invited.user_id}"]  # those present are ticked already
    response = chair.post(
        f"/meetings/{meeting.id}/minutes/distribute", data={"version": minutes.version, "recipients": chosen}
    )
    assert response.status_code == 302
    minutes = minutes_of(session, meeting)
    assert minutes.status is MinutesStatus.DISTRIBUTED
    assert [(r.agency_id, r.user_id) for r in minutes.current.recipients] == [
        (invited.agency_id, invited.user_id)
    ]
    response = chair.get(f"/meetings/{meeting.id}/minutes")
    assert "Distributed on" in text_of(response)
    assert "Distributed on time" in text_of(response)
    # The named recipient is told by email, which carries the reference and never the case.
    emails = list(Path(app.config["MAIL_FOLDER"]).glob("*.eml"))
    sent = [
        p.read_text()
        for p in emails
        if invited.user.email in p.read_text() and meeting.reference in p.read_text()
    ]
    assert sent and item.case.name not in sent[-1]


def test_approval_is_refused_while_a_pillar_is_outstanding_and_names_the_case_and_pillar(
    client_as, session, factory, meeting, people
):
    item = meeting.agenda_items[1]
    entry = item.entry_for(Pillar.VICTIM_SAFETY_PLANNING)
    entry.status = PillarStatus.OUTSTANDING
    factory.save(entry)
    minutes = factory.minutes(meeting, MinutesStatus.SUBMITTED)
    chair = client_as(people["chair"])

    response = take_step(chair, meeting, minutes, "approve")

    assert response.status_code == 200
    summary = page(response).find(class_="govuk-error-summary")
    assert (
        f"Case {item.case.reference}: the Victim safety planning pillar is still outstanding"
        in summary.get_text()
    )
    assert page(response).title.string.startswith("Error: ")
    # The message leads to the case's page, where the pillar is recorded.
    link = summary.find("a", string=lambda text: text and "Victim safety planning" in text)
    assert link["href"] == f"/meetings/{meeting.id}/agenda/{item.id}"
    assert minutes_of(session, meeting).status is MinutesStatus.SUBMITTED
    assert minutes_of(session, meeting).current.approved_at is None


def test_approval_is_refused_for_an_action_without_an_owner(client_as, session, factory, meeting, people):
    item = meeting.agenda_items[0]
    factory.action(item, owner=None, description="Check the new address")
    minutes = factory.minutes(meeting, MinutesStatus.SUBMITTED)
    response = take_step(client_as(people["chair"]), meeting, minutes, "approve")
    assert response.status_code == 200
    assert f"Case {item.case.reference}: the action “Check the new address” has no named owner" in text_of(
        response
    )


def test_the_drafter_sees_what_blocks_approval_before_submitting(client_as, factory, meeting, people):
    item = meeting.agenda_items[0]
    item.next_review_on = None
    factory.save(item)
    response = client_as(people["administrator"]).get(f"/meetings/{meeting.id}/minutes")
    blockers = page(response).find(id="approval-blockers").get_text()
    assert f"Case {item.case.reference}: no next review date is set" in blockers


def test_a_case_lowered_to_level_1_needs_no_review_date_whatever_it_stood_at_before(
    client_as, factory, meeting, people
):
    """The decision fixed Level 1; a Level 3 change recorded since, dated before the meeting, has the case
    standing at Level 3 there. Approval checks the level the decision fixed, not Level 3 lowered once."""
    item = meeting.agenda_items[0]
    item.level_decision, item.level_decided, item.next_review_on = LevelDecision.LOWER, Level.LEVEL_1, None
    factory.save(item)
    day = london(meeting.starts_at).date()
    factory.save(
        CaseEvent(
            case_id=item.case_id,
            kind=CaseEventKind.LEVEL_CHANGED,
            occurred_on=day,  # the day of the meeting (and of the referral): before the meeting
            previous_level=Level.LEVEL_2,
            level=Level.LEVEL_3,
        )
    )
    response = client_as(people["administrator"]).get(f"/meetings/{meeting.id}/minutes")
    assert response.status_code == 200
    blockers = page(response).find(id="approval-blockers")
    assert blockers is None or item.case.reference not in blockers.get_text()


@pytest.mark.parametrize("status", [MeetingStatus.SCHEDULED, MeetingStatus.CANCELLED])
def test_minutes_are_approved_only_for_a_meeting_recorded_as_held(
    client_as, session, factory, meeting, people, status
):
    """Minutes record a meeting that took place: one still scheduled is recorded as held first (the case's
    review dates and plan follow from that), and a cancelled one has no minutes to approve."""
    meeting.status = status
    factory.save(meeting)
    minutes = factory.minutes(meeting, MinutesStatus.SUBMITTED)
    chair = client_as(people["chair"])

    response = take_step(chair, meeting, minutes, "approve")
    summary = page(response).find(class_="govuk-error-summary").get_text(" ", strip=True)
    if status is MeetingStatus.SCHEDULED:
        assert f"Meeting {meeting.reference}: record it as held" in summary
    else:
        assert f"Meeting {meeting.reference} was cancelled: a cancelled meeting has no minutes to approve" in summary
    assert minutes_of(session, meeting).status is MinutesStatus.SUBMITTED
    shown = page(chair.get(f"/meetings/{meeting.id}/minutes")).find(id="approval-blockers")
    if status is MeetingStatus.CANCELLED:
        assert shown is None  # nothing to put right: it says the meeting was cancelled instead
    else:
        assert shown.find("a", href=f"/meetings/{meeting.id}") is not None
    if status is MeetingStatus.SCHEDULED:
        assert chair.post(f"/meetings/{meeting.id}/held", data={}).status_code == 302
        assert take_step(chair, meeting, minutes_of(session, meeting), "approve").status_code == 302
        assert minutes_of(session, meeting).status is MinutesStatus.APPROVED


def test_only_the_meetings_own_chair_may_approve(client_as, factory, meeting, people):
    minutes = factory.minutes(meeting, MinutesStatus.SUBMITTED)
    another_chair = factory.user("CHAIR")
    factory.invitation(meeting, another_chair)  # may see the meeting, may not approve its minutes
    response = take_step(client_as(another_chair), meeting, minutes, "approve")
    assert response.status_code == 404
    response = take_step(client_as(people["administrator"]), meeting, minutes, "approve")
    assert response.status_code == 403


def test_a_draft_cannot_be_approved_before_it_is_submitted(client_as, session, factory, meeting, people):
    minutes = factory.minutes(meeting, MinutesStatus.DRAFT)
    response = take_step(client_as(people["chair"]), meeting, minutes, "approve")
    assert "Only minutes submitted to the chair can be approved" in text_of(response)
    assert minutes_of(session, meeting).status is MinutesStatus.DRAFT


def test_a_correction_makes_version_2_and_version_1_stays_readable_as_approved(
    client_as, session, factory, meeting, people
):
    administrator = client_as(people["administrator"])
    submit_draft(administrator, meeting, new_information="Original account")
    minutes = minutes_of(session, meeting)
    take_step(administrator, meeting, minutes, "submit")
    chair = client_as(people["chair"])
    take_step(chair, meeting, minutes_of(session, meeting), "approve")
    # A change to the meeting's records after approval does not change the approved minutes.
    entry = meeting.agenda_items[0].entry_for(Pillar.SUPERVISION)
    entry.summary = "Weekly reporting, changed after approval"
    factory.save(entry)

    response = administrator.get(f"/meetings/{meeting.id}/minutes/edit")
    assert response.status_code == 302  # approved minutes are not edited in place
    response = administrator.post(
        f"/meetings/{meeting.id}/minutes/correct",
        data={
            "version": minutes_of(session, meeting).version,
            "reason": "The police account was misattributed",
        },
    )
    assert response.status_code == 302
    minutes = minutes_of(session, meeting)
    assert [v.number for v in minutes.versions] == [1, 2]
    assert minutes.status is MinutesStatus.DRAFT
    assert minutes.current.correction_reason == "The police account was misattributed"

    administrator.post(
        f"/meetings/{meeting.id}/minutes/edit",
        data=draft_data(meeting, minutes.version, new_information="Corrected account"),
    )
    version_1 = text_of(administrator.get(f"/meetings/{meeting.id}/minutes/versions/1"))
    assert "Original account" in version_1 and "Corrected account" not in version_1
    assert "Plan for supervision" in version_1 and "changed after approval" not in version_1
    # Version 2 is only a draft: version 1 still stands, and says so.
    assert (
        "This version stands: version 2, a correction, is being written and replaces it only once approved"
        in (version_1)
    )
    version_2 = text_of(administrator.get(f"/meetings/{meeting.id}/minutes/versions/2"))
    assert "Corrected account" in version_2 and "The police account was misattributed" in version_2
    assert "changed after approval" in version_2  # a draft shows the records as they are now


def test_a_correction_without_a_reason_is_refused_with_a_message(
    client_as, session, factory, meeting, people
):
    minutes = factory.minutes(meeting, MinutesStatus.APPROVED)
    response = client_as(people["chair"]).post(
        f"/meetings/{meeting.id}/minutes/correct", data={"version": minutes.version, "reason": " "}
    )
    assert (
        "Enter the reason for the correction" in page(response).find(class_="govuk-error-summary").get_text()
    )
    assert len(minutes_of(session, meeting).versions) == 1


def test_two_people_editing_the_same_draft_lose_nothing(client_as, session, factory, meeting, people):
    factory.minutes(meeting, MinutesStatus.DRAFT, author=people["administrator"])
    administrator, chair = client_as(people["administrator"]), client_as(people["chair"])
    item = meeting.agenda_items[0]
    field = f"item_{item.id}_new_information"
    # Both open the draft at the same version.
    opened_by_administrator = page(administrator.get(f"/meetings/{meeting.id}/minutes/edit"))
    opened_by_chair = page(chair.get(f"/meetings/{meeting.id}/minutes/edit"))
    version = opened_by_administrator.find("input", {"name": "version"})["value"]
    assert opened_by_chair.find("input", {"name": "version"})["value"] == version

    saved = administrator.post(
        f"/meetings/{meeting.id}/minutes/edit",
        data=draft_data(meeting, version, new_information="Police: two visits (administrator's notes)"),
    )
    assert saved.status_code == 302
    refused = chair.post(
        f"/meetings/{meeting.id}/minutes/edit",
        data=draft_data(meeting, version, new_information="Police: visits without concern (chair's notes)"),
    )

    assert refused.status_code == 409
    shown = page(refused)
    assert "Your changes have not been saved yet" in shown.get_text()
    theirs = shown.find(id=f"theirs-{item.id}-new_information").get_text()
    assert "Police: two visits (administrator's notes)" in theirs and "Aisha Karim" in theirs
    assert (
        shown.find("textarea", {"name": field}).get_text().strip()
        == "Police: visits without concern (chair's notes)"
    )
    stored = minutes_of(session, meeting).current.sections["items"][str(item.id)]["new_information"]
    assert stored == "Police: two visits (administrator's notes)"

    # The chair combines both and saves from the page they were shown: nothing was lost.
    new_version = shown.find("input", {"name": "version"})["value"]
    combined = "Police: two visits (administrator's notes); visits without concern (chair's notes)"
    assert (
        chair.post(
            f"/meetings/{meeting.id}/minutes/edit",
            data=draft_data(meeting, new_version, new_information=combined),
        ).status_code
        == 302
    )
    assert minutes_of(session, meeting).current.sections["items"][str(item.id)]["new_information"] == combined


def test_autosave_saves_the_draft_and_answers_with_the_new_version(
    client_as, session, factory, meeting, people
):
    minutes = factory.minutes(meeting, MinutesStatus.DRAFT)
    client = client_as(people["administrator"])
    response = client.post(
        f"/meetings/{meeting.id}/minutes/autosave",
        data=draft_data(meeting, minutes.version, new_information="Typed"),
    )
    assert response.status_code == 200
    assert response.json["saved"] is True and response.json["version"] == minutes.version + 1
    stale = client.post(
        f"/meetings/{meeting.id}/minutes/autosave",
        data=draft_data(meeting, minutes.version, new_information="Old"),
    )
    assert stale.status_code == 409 and stale.json["conflict"] is True
    current = minutes_of(session, meeting).current.sections
    assert current["items"][str(meeting.agenda_items[0].id)]["new_information"] == "Typed"


def test_text_that_is_too_long_is_refused_with_a_message_and_nothing_changes(
    client_as, session, factory, meeting, people
):
    minutes = factory.minutes(meeting, MinutesStatus.DRAFT)
    data = draft_data(meeting, minutes.version, new_information="x" * 20_001)
    response = client_as(people["administrator"]).post(f"/meetings/{meeting.id}/minutes/edit", data=data)
    assert page(response).title.string.startswith("Error: ")
    assert "New information from each agency must be 20000 characters or fewer" in text_of(response)
    assert minutes_of(session, meeting).current.sections == {"meeting": {}, "items": {}}
    response = client_as(people["administrator"]).post(f"/meetings/{meeting.id}/minutes/autosave", data=data)
    assert response.status_code == 400 and "20000 characters" in response.json["message"]


def test_distribution_needs_at_least_one_recipient(client_as, session, factory, meeting, people):
    minutes = factory.minutes(meeting, MinutesStatus.APPROVED)
    response = take_step(client_as(people["administrator"]), meeting, minutes, "distribute")
    assert "Select at least one agency to send the minutes to" in text_of(response)
    assert minutes_of(session, meeting).status is MinutesStatus.APPROVED


def test_a_step_from_an_out_of_date_page_is_refused(client_as, session, factory, meeting, people):
    minutes = factory.minutes(meeting, MinutesStatus.SUBMITTED)
    response = client_as(people["chair"]).post(
        f"/meetings/{meeting.id}/minutes/approve", data={"version": minutes.version - 1}
    )
    assert "Someone else changed these minutes" in text_of(response)


def test_an_invited_practitioner_reads_approved_minutes_but_never_a_draft(
    client_as, factory, meeting, people
):
    practitioner = meeting.invitations[0].user
    client = client_as(practitioner)
    minutes = factory.minutes(
        meeting, MinutesStatus.DRAFT, sections={"meeting": {"introductions": "Secret draft"}}
    )
    response = client.get(f"/meetings/{meeting.id}/minutes")
    assert response.status_code == 200
    assert "have not been approved yet" in text_of(response) and "Secret draft" not in text_of(response)
    assert client.get(f"/meetings/{meeting.id}/minutes/versions/1").status_code == 404
    assert client.get(disclosed(f"/meetings/{meeting.id}/minutes/versions/1/pdf")).status_code == 404
    assert client.get(f"/meetings/{meeting.id}/minutes/edit").status_code == 403
    minutes.status = MinutesStatus.APPROVED
    minutes.current.approved_at = minutes.updated_at
    minutes.current.approved_by_id = people["chair"].id
    factory.save(minutes, minutes.current)
    assert "Secret draft" in text_of(client.get(f"/meetings/{meeting.id}/minutes"))


def test_while_a_correction_is_drafted_others_see_the_approved_version_with_its_own_status(
    client_as, factory, meeting, people
):
    minutes = factory.minutes(meeting, MinutesStatus.DISTRIBUTED)
    chair = client_as(people["chair"])
    chair.post(
        f"/meetings/{meeting.id}/minutes/correct",
        data={"version": minutes.version, "reason": "The police update was misattributed"},
    )
    shown = page(client_as(meeting.invitations[0].user).get(f"/meetings/{meeting.id}/minutes"))
    status = shown.find("dt", string=lambda text: text and text.strip() == "Status").find_next("dd")
    assert status.get_text(strip=True) == "Distributed"
    # Those drafting see the correction as the draft it is.
    drafting = page(chair.get(f"/meetings/{meeting.id}/minutes"))
    status = drafting.find("dt", string=lambda text: text and text.strip() == "Status").find_next("dd")
    assert status.get_text(strip=True) == "Draft"


def test_someone_not_at_the_meeting_gets_not_found(client_as, factory, meeting):
    factory.minutes(meeting, MinutesStatus.APPROVED)
    stranger = client_as("PRACTITIONER")
    for path in ("", "/versions/1", "/versions/1/pdf"):
        assert stranger.get(f"/meetings/{meeting.id}/minutes{path}").status_code == 404
    other_chair = client_as("CHAIR")
    assert other_chair.get(f"/meetings/{meeting.id}/minutes/edit").status_code == 404


def test_category_4_cases_are_left_out_for_people_not_cleared(client_as, factory, people):
    from tracker.meetings.models import Category

    meeting = factory.held_meeting(chair=people["chair"], administrator=people["administrator"])
    hidden = factory.agenda_item(meeting, factory.case(category=Category.CATEGORY_4, name="Hidden Person"))
    response = client_as(people["administrator"]).get(f"/meetings/{meeting.id}/minutes/edit")
    assert "Hidden Person" not in text_of(response)
    assert page(response).find("textarea", {"name": f"item_{hidden.id}_new_information"}) is None
    # Nothing says a case was left out (tests/meetings/test_category_4_invisible.py compares whole pages).
    assert "not shown" not in text_of(response) and "Category 4" not in text_of(response)
    people["chair"].terrorism_cleared = True
    factory.save(people["chair"])
    assert "Hidden Person" in text_of(client_as(people["chair"]).get(f"/meetings/{meeting.id}/minutes/edit"))


def test_what_blocks_approval_is_said_only_to_people_cleared_for_the_category_4_case(
    client_as, factory, people
):
    from tracker.meetings.models import Category

    meeting = factory.held_meeting(chair=people["chair"], administrator=people["administrator"])
    hidden_case = factory.case(category=Category.CATEGORY_4, name="Hidden Person")
    factory.agenda_item(meeting, hidden_case)  # nothing recorded for it yet: it blocks approval
    factory.minutes(meeting, MinutesStatus.SUBMITTED)

    shown = text_of(client_as(people["administrator"]).get(f"/meetings/{meeting.id}/minutes"))
    assert hidden_case.reference not in shown
    assert "not cleared" not in shown and "still outstanding" not in shown
    # The chair and administrator of a meeting with a Category 4 case are cleared (the rules insist):
    # the chair sees which case and what it needs.
    people["chair"].terrorism_cleared = True
    factory.save(people["chair"])
    shown = text_of(client_as(people["chair"]).get(f"/meetings/{meeting.id}/minutes"))
    assert f"Case {hidden_case.reference}: the Supervision pillar is still outstanding" in shown


def test_the_minutes_page_shows_the_distribution_deadline(client_as, factory, people):
    meeting = factory.held_meeting(chair=people["chair"], days_ago=40)
    response = client_as(people["chair"]).get(f"/meetings/{meeting.id}/minutes")
    assert "Distribute by" in text_of(response)
    assert "Overdue" in text_of(response)


def test_viewing_minutes_is_recorded_in_the_audit_trail(client_as, session, factory, meeting, people):
    client_as(people["chair"]).get(f"/meetings/{meeting.id}/minutes")
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "view")).all()
    assert any(event.summary == f"minutes of {meeting.reference}" for event in events)


def test_dropped_actions_do_not_block_approval(client_as, session, factory, meeting, people):
    from tracker.meetings.models import ActionStatus

    factory.action(
        meeting.agenda_items[0], owner=None, status=ActionStatus.DROPPED, description="No longer needed"
    )
    minutes = factory.minutes(meeting, MinutesStatus.SUBMITTED)
    response = take_step(client_as(people["chair"]), meeting, minutes, "approve")
    assert response.status_code == 302
    assert session.exec(select(Action).where(Action.description == "No longer needed")).one()


def test_saving_what_the_background_save_already_stored_is_not_a_conflict(
    client_as, session, factory, meeting, people
):
    minutes = factory.minutes(meeting, MinutesStatus.DRAFT)
    opened_at = minutes.version
    client = client_as(people["administrator"])
    data = draft_data(meeting, opened_at, new_information="Typed, then the Save button pressed")
    assert client.post(f"/meetings/{meeting.id}/minutes/autosave", data=data).status_code == 200
    # The form posts the same text with the version the page had before the background save.
    response = client.post(f"/meetings/{meeting.id}/minutes/edit", data=data)
    assert response.status_code == 302
    assert minutes_of(session, meeting).version == opened_at + 1


def test_a_cancelled_meeting_has_no_minutes_to_write(client_as, factory, people):
    from tracker.meetings.models import MeetingStatus

    meeting = factory.meeting(chair=people["chair"], status=MeetingStatus.CANCELLED)
    assert client_as(people["chair"]).get(f"/meetings/{meeting.id}/minutes/edit").status_code == 404


@pytest.mark.parametrize("started", [False, True])
def test_a_cancelled_meetings_minutes_page_says_it_was_cancelled_and_nothing_is_due(
    client_as, factory, people, started
):
    """Not a meeting that took place: no date to distribute by, no list of what blocks approval, nothing
    to write or submit; the page says why there are no minutes."""
    meeting = factory.meeting(
        chair=people["chair"],
        administrator=people["administrator"],
        day=today_london() - timedelta(days=3),
        status=MeetingStatus.CANCELLED,
        cancelled_reason="Panel not quorate",
    )
    factory.agenda_item(meeting)
    if started:
        factory.minutes(meeting, MinutesStatus.DRAFT)
    for who in ("chair", "administrator"):
        shown = page(client_as(people[who]).get(f"/meetings/{meeting.id}/minutes"))
        said = " ".join(shown.get_text(" ").split())
        assert shown.find(id="cancelled").get_text(" ", strip=True) == (
            "This meeting was cancelled (Panel not quorate), so it has no minutes: nothing is due."
        )
        assert "Distribute by" not in said and "Due" not in said
        assert shown.find(id="approval-blockers") is None
        assert "Write the minutes" not in said and "Submit to the chair" not in said


def form_data(form) -> dict:
    """What a browser posts from the drafting form as it stands (a ticked box sends "y")."""
    data = {field["name"]: field.get("value", "") for field in form.find_all("input") if field.get("name")}
    for box in form.find_all("input", {"type": "checkbox"}):
        if box.has_attr("checked"):
            data[box["name"]] = box.get("value", "y")
        else:
            data.pop(box["name"], None)
    data.update({area["name"]: area.get_text().lstrip("\n") for area in form.find_all("textarea")})
    return data


def opened(client, meeting) -> dict:
    response = client.get(f"/meetings/{meeting.id}/minutes/edit")
    return form_data(page(response).find("form", attrs={"data-autosave": True}))


@pytest.fixture
def both_open(client_as, factory, meeting, people) -> SimpleNamespace:
    """A draft the administrator and the chair both have open: their clients, the first case, and each page's
    form as it stands."""
    factory.minutes(meeting, MinutesStatus.DRAFT, author=people["administrator"])
    administrator, chair = client_as(people["administrator"]), client_as(people["chair"])
    return SimpleNamespace(
        administrator=administrator,
        chair=chair,
        item=meeting.agenda_items[0],
        by_administrator=opened(administrator, meeting),
        by_chair=opened(chair, meeting),
        edit=f"/meetings/{meeting.id}/minutes/edit",
    )


def saved_sections(session, meeting, item) -> tuple[dict, dict]:
    """The stored minutes' meeting section and the given case's section."""
    sections = minutes_of(session, meeting).current.sections
    return sections["meeting"], sections["items"][str(item.id)]


def saved_by_chair(both_open, session, meeting, form: dict) -> dict:
    """The chair saves the form from their page, and the stored minutes keep the administrator's
    introductions: the first case's section as stored."""
    assert both_open.chair.post(both_open.edit, data=form).status_code == 302
    introduced, case = saved_sections(session, meeting, both_open.item)
    assert introduced["introductions"] == "Introductions (administrator)"
    return case


def test_two_people_changing_different_parts_of_a_draft_both_keep_their_changes(session, meeting, both_open):
    item, by_administrator, by_chair = both_open.item, both_open.by_administrator, both_open.by_chair

    by_administrator["meeting_introductions"] = "Introductions (administrator)"
    assert both_open.administrator.post(both_open.edit, data=by_administrator).status_code == 302
    # The chair's page still holds the old introductions; they change only the disclosure decision.
    by_chair[f"item_{item.id}_disclosure"] = "No disclosure (chair)"
    saved = both_open.chair.post(both_open.edit, data=by_chair, follow_redirects=True)

    assert "Aisha Karim saved changes to other parts while you were writing: theirs are kept too" in text_of(
        saved
    )
    introduced, case = saved_sections(session, meeting, item)
    assert introduced["introductions"] == "Introductions (administrator)"
    assert case["disclosure"] == "No disclosure (chair)"


def test_a_clash_shows_only_the_part_both_changed_and_saving_again_loses_nothing(session, meeting, both_open):
    item, by_administrator, by_chair = both_open.item, both_open.by_administrator, both_open.by_chair

    by_administrator["meeting_introductions"] = "Introductions (administrator)"
    by_administrator[f"item_{item.id}_disclosure"] = "Disclose to the school (administrator)"
    both_open.administrator.post(both_open.edit, data=by_administrator)
    by_chair[f"item_{item.id}_disclosure"] = "No disclosure (chair)"
    by_chair[f"item_{item.id}_dissent"] = "Housing disagreed (chair)"
    refused = both_open.chair.post(both_open.edit, data=by_chair)

    assert refused.status_code == 409
    shown = page(refused)
    # Only the disclosure decision clashes: it is shown with whose text is whose.
    assert [box["id"] for box in shown.find_all(class_="app-conflict")] == [f"theirs-{item.id}-disclosure"]
    assert (
        "Disclose to the school (administrator)" in shown.find(id=f"theirs-{item.id}-disclosure").get_text()
    )
    form = form_data(shown.find("form", attrs={"data-autosave": True}))
    assert form[f"item_{item.id}_disclosure"] == "No disclosure (chair)"
    # The administrator's other change and the chair's own are in the boxes already.
    assert form["meeting_introductions"] == "Introductions (administrator)"
    assert form[f"item_{item.id}_dissent"] == "Housing disagreed (chair)"

    # The chair combines the two and saves from the page they were shown: nothing was lost.
    form[f"item_{item.id}_disclosure"] = "Disclose to the school; the chair disagreed"
    case = saved_by_chair(both_open, session, meeting, form)
    assert case["disclosure"] == "Disclose to the school; the chair disagreed"
    assert case["dissent"] == "Housing disagreed (chair)"


def test_after_a_background_save_a_later_save_keeps_what_someone_else_saved_meanwhile(
    session, meeting, both_open
):
    item, by_administrator, by_chair = both_open.item, both_open.by_administrator, both_open.by_chair

    by_administrator["meeting_introductions"] = "Introductions (administrator)"
    both_open.administrator.post(both_open.edit, data=by_administrator)
    # The chair's page saves in the background, as its script does, and takes the answer in.
    by_chair[f"item_{item.id}_risk_discussion"] = "Alcohol raises the risk"
    answer = both_open.chair.post(f"/meetings/{meeting.id}/minutes/autosave", data=by_chair).json
    assert answer["saved"] is True and "Aisha Karim saved changes to other parts" in answer["note"]
    by_chair.update(version=str(answer["version"]), shown=answer["shown"])
    # The chair goes on typing and saves: the old introductions still on their page are not saved.
    by_chair[f"item_{item.id}_victim_safety"] = "Victim liaison in touch"
    case = saved_by_chair(both_open, session, meeting, by_chair)
    assert case["risk_discussion"] == "Alcohol raises the risk"
    assert case["victim_safety"] == "Victim liaison in touch"


def test_distribution_starts_with_the_attending_and_relevant_agencies_ticked(client_as, factory, meeting, people):
    """Ticked to start with: who attended, an agency whose deputy attended for someone who sent apologies,
    and every agency that owns an action agreed at the meeting (invited or not); not an agency that was
    absent and owns nothing."""
    from tracker.meetings.models import AttendanceStatus

    present = factory.user("PRACTITIONER", agency=factory.agency("Present Police"))
    factory.invitation(meeting, present, attendance=AttendanceStatus.PRESENT)
    apologised = factory.user("PRACTITIONER", agency=factory.agency("Deputised Probation"))
    factory.invitation(meeting, apologised, attendance=AttendanceStatus.APOLOGIES, deputy_name="Sarah Quinn")
    owner = factory.user("PRACTITIONER", agency=factory.agency("Absent Social Care"))
    factory.invitation(meeting, agency=owner.agency, attendance=AttendanceStatus.ABSENT)
    factory.action(meeting.agenda_items[0], owner=owner)
    not_invited = factory.user("PRACTITIONER", agency=factory.agency("Uninvited Housing"))
    factory.action(meeting.agenda_items[1], owner=not_invited)
    absent = factory.agency("Absent Education")
    factory.invitation(meeting, agency=absent, attendance=AttendanceStatus.ABSENT)
    factory.minutes(meeting, MinutesStatus.APPROVED)

    form = page(client_as(people["administrator"]).get(f"/meetings/{meeting.id}/minutes/distribute"))
    ticked = [box["value"] for box in form.select("input[name=recipients]") if box.has_attr("checked")]
    assert f"{present.agency_id}:{present.id}" in ticked
    assert f"{apologised.agency_id}:{apologised.id}" in ticked
    assert f"{owner.agency_id}:" in ticked
    assert f"{not_invited.agency_id}:" in ticked
    assert f"{absent.id}:" not in ticked


def test_minutes_are_not_offered_by_name_to_someone_who_may_not_read_case_records(
    client_as, factory, meeting, people
):
    board_member = factory.user("SMB", name="Margaret Liu", email="margaret.liu@example.org")
    factory.invitation(meeting, board_member)
    factory.minutes(meeting, MinutesStatus.APPROVED)
    client = client_as(people["administrator"])
    form = page(client.get(f"/meetings/{meeting.id}/minutes/distribute"))
    labels = [label.get_text(" ", strip=True) for label in form.select(".govuk-checkboxes__label")]
    assert not any("Margaret Liu" in label for label in labels)
    value = f"{board_member.agency_id}:{board_member.id}"
    assert value not in [box["value"] for box in form.select("input[type=checkbox]")]


def test_each_case_says_whether_views_differed_even_when_none_were_recorded(
    client_as, factory, meeting, people
):
    first, second = meeting.agenda_items
    sections = {"items": {str(first.id): {"dissent": "Housing disagreed; the meeting proceeded to retain."}}}
    factory.minutes(meeting, MinutesStatus.APPROVED, sections=sections)
    shown = text_of(client_as(people["chair"]).get(f"/meetings/{meeting.id}/minutes"))
    assert shown.count("Differing views and how the meeting proceeded") == 2
    assert "Housing disagreed; the meeting proceeded to retain." in shown
    assert shown.count("No differing views were recorded.") == 1


def test_a_case_made_category_4_after_approval_is_left_out_of_its_approved_minutes(
    client_as, factory, people, session
):
    """The approved record keeps the category the case had at the meeting; what it shows a person not
    cleared follows the case's category now (the page, the PDF, the executive summary)."""
    from tracker.meetings.models import Case, Category

    meeting = factory.held_meeting(chair=people["chair"], administrator=people["administrator"])
    later = factory.agenda_item(meeting, factory.case(name="Later Hidden"))
    factory.minutes(meeting, MinutesStatus.APPROVED)
    chair = client_as(people["chair"])
    summary = f"/meetings/{meeting.id}/minutes/cases/{later.case_id}/summary"
    assert "Later Hidden" in text_of(chair.get(f"/meetings/{meeting.id}/minutes"))
    assert chair.get(summary).status_code == 200

    case = session.get(Case, later.case_id)
    case.category = Category.CATEGORY_4
    factory.save(case)
    assert "Later Hidden" not in text_of(chair.get(f"/meetings/{meeting.id}/minutes"))
    assert chair.get(summary).status_code == 404
    people["chair"].terrorism_cleared = True
    factory.save(people["chair"])
    assert "Later Hidden" in text_of(client_as(people["chair"]).get(f"/meetings/{meeting.id}/minutes"))


def test_nothing_is_written_in_the_minutes_about_a_disposed_case(client_as, session, meeting, people):
    """The case's personal data was disposed of before the minutes were written: a draft naming it again
    is refused, and no minutes are started."""
    from datetime import UTC, datetime

    import sqlalchemy as sa

    from tracker.meetings.models import Case

    case_id = meeting.agenda_items[0].case_id
    session.execute(
        sa.update(Case.__table__).where(Case.id == case_id).values(disposed_at=datetime(2026, 1, 5, tzinfo=UTC))
    )
    session.commit()
    response = client_as(people["administrator"]).post(
        f"/meetings/{meeting.id}/minutes/edit", data=draft_data(meeting, 0, new_information="Named person again")
    )
    assert "was disposed of under the retention rules: nothing is written about it in the minutes" in text_of(
        response
    )
    assert session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).first() is None


def test_minutes_go_to_a_deactivated_leavers_agency_not_to_the_leaver(
    client_as, session, factory, meeting, people
):
    """Owen Hughes attended, then left (his account deactivated): he is not offered, ticked or recorded as
    a recipient, since nothing reaches him. His agency is, as an agency with no one named: with no secure
    mailbox the administrator is told to send the minutes another way; with one, it gets the link."""
    from tracker.meetings.models import AttendanceStatus
    from tracker.minutes import services
    from tracker.minutes.models import MinutesRecipient

    prisons = factory.agency("HM Prison Service")
    owen = factory.user("PRACTITIONER", name="Owen Hughes", agency=prisons, active=False)
    factory.invitation(meeting, owen, attendance=AttendanceStatus.PRESENT)
    minutes = factory.minutes(meeting, MinutesStatus.APPROVED)
    administrator = client_as(people["administrator"])

    form = page(administrator.get(f"/meetings/{meeting.id}/minutes/distribute"))
    boxes = {box["value"]: box for box in form.select("input[name=recipients]")}
    labels = " ".join(label.get_text(" ", strip=True) for label in form.select(".govuk-checkboxes__label"))
    assert f"{prisons.id}:{owen.id}" not in boxes and "Owen Hughes" not in labels
    assert boxes[f"{prisons.id}:"].has_attr("checked")
    assert (
        "HM Prison Service (present): no secure mailbox, so nothing is sent (send them another way)" in labels
    )

    # A page from before he left still names him: the form refuses him, and nothing is recorded.
    stale = administrator.post(
        f"/meetings/{meeting.id}/minutes/distribute",
        data={"version": minutes.version, "recipients": [f"{prisons.id}:{owen.id}"]},
    )
    assert stale.status_code == 200 and minutes_of(session, meeting).current.recipients == []

    response = administrator.post(
        f"/meetings/{meeting.id}/minutes/distribute",
        data={"version": minutes.version, "recipients": [f"{prisons.id}:"]},
        follow_redirects=True,
    )
    assert "Nothing was sent to HM Prison Service: no one there is named" in text_of(response)
    minutes = minutes_of(session, meeting)
    assert [(r.agency_id, r.user_id) for r in minutes.current.recipients] == [(prisons.id, None)]
    trail = session.exec(select(AuditEvent).where(AuditEvent.action == "distribute")).all()
    assert [event.recipient for event in trail] == ["HM Prison Service"]

    # Chosen by name some other way (his account switched off as the step was taken): his agency gets what
    # an agency with no one named gets, here its secure mailbox's link, and he is recorded nowhere.
    from flask import g

    from tracker.auth.models import User
    from tracker.core.db import db
    from tracker.meetings.models import Meeting
    from tracker.minutes import record as records

    other = factory.held_meeting(chair=people["chair"], administrator=people["administrator"])
    factory.invitation(other, owen, attendance=AttendanceStatus.PRESENT)
    prisons.secure_mailbox = "minutes@hmps.example.org"
    factory.save(prisons)
    factory.minutes(other, MinutesStatus.APPROVED)
    with factory.app.test_request_context():
        g.user = db.session.get(User, people["administrator"].id)
        held = db.session.get(Meeting, other.id)
        approved = records.load_minutes(held)
        done = services.distribute(held, approved, str(approved.version), [f"{prisons.id}:{owen.id}"], g.user)
        db.session.commit()
    assert done.added == 1 and done.send_another_way == []
    session.expire_all()
    recorded = session.exec(select(MinutesRecipient).where(MinutesRecipient.agency_id == prisons.id)).all()
    assert len(recorded) == 2 and {r.user_id for r in recorded} == {None}
