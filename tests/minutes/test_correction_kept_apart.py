"""What approved minutes decided stands until a correction to them is approved: the correction's draft of the
meeting's record is the chair's to work on, kept apart from the live record. The case's level, review date
and history, the actions on their owners' lists and the audit trail do not move while it is a draft;
approving it applies it, abandoning it drops it. Also run on PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup
from sqlmodel import func, select

from tests.meetings.conftest import approve_correction, start_correction
from tests.pages import page_text
from tests.posted import action_form, decision_form
from tracker.core.models import AuditEvent
from tracker.core.timeutil import format_date, today_london
from tracker.meetings.models import Action, AgendaItem, Case, CaseEvent, CaseEventKind, Level, PillarEntry
from tracker.minutes.models import Minutes, MinutesStatus

REVIEW_ON = today_london() + timedelta(days=21)


def _approved(factory, session, administrator=None):
    chair = factory.user("CHAIR", name="Daniel Price")
    meeting = factory.held_meeting(chair=chair, administrator=administrator, days_ago=2)
    factory.minutes(meeting, MinutesStatus.APPROVED)
    item = meeting.agenda_items[0]
    agreed = session.exec(select(Action).where(Action.agenda_item_id == item.id)).one()
    return chair, meeting, item, agreed


def _correct_it(client, session, meeting, item, agreed, factory):
    """The chair's draft: the level raised with a new review date, a new action for a new owner, and the
    agreed action handed to someone else; returns (new owner, the one the agreed action went to)."""
    assert start_correction(client, session, meeting, "The decision was minuted wrongly").status_code == 302
    url = f"/meetings/{meeting.id}/agenda/{item.id}"
    version = session.get(AgendaItem, item.id).version
    response = client.post(f"{url}/decision", data=decision_form(version, "RAISE", "Raised, corrected", REVIEW_ON))
    assert response.status_code == 302, page_text(response)
    new_owner = factory.user("PRACTITIONER", name="Nadia Brook")
    due = today_london() + timedelta(days=10)
    response = client.post(
        f"{url}/actions/new", data=action_form(new_owner.agency_id, new_owner.id, due, description="DRAFT action")
    )
    assert response.status_code == 302, page_text(response)
    handed_to = factory.user("PRACTITIONER", name="Owen Hale", agency=session.get(type(agreed.owner_agency), agreed.owner_agency_id))
    changed = action_form(agreed.owner_agency_id, handed_to.id, due, description=agreed.description)
    response = client.post(f"{url}/actions/{agreed.id}/edit", data={**changed, "pillar": ""})
    assert response.status_code == 302, page_text(response)
    return new_owner, handed_to


def test_a_correction_changes_nothing_outside_the_draft_until_it_is_approved(client_as, factory, session):
    chair, meeting, item, agreed = _approved(factory, session)
    case_id, first_owner = item.case_id, agreed.owner_id
    client = client_as(chair)
    history = session.exec(select(CaseEvent.id, CaseEvent.kind).where(CaseEvent.case_id == case_id)).all()
    new_owner, handed_to = _correct_it(client, session, meeting, item, agreed, factory)

    # The chair working on the correction sees the draft.
    shown = page_text(client.get(f"/meetings/{meeting.id}/agenda/{item.id}"))
    assert "Raised, corrected" in shown and "DRAFT action" in shown and "Owen Hale" in shown
    # Everyone else, and every list, still has the record as approved.
    session.expire_all()
    case = session.get(Case, case_id)
    assert case.level is Level.LEVEL_2 and case.next_review_on != REVIEW_ON
    assert session.exec(select(CaseEvent.id, CaseEvent.kind).where(CaseEvent.case_id == case_id)).all() == history
    assert session.get(Action, agreed.id).owner_id == first_owner
    assert not session.exec(select(Action).where(Action.description == "DRAFT action")).all()
    assert "DRAFT action" not in page_text(client_as(new_owner).get("/actions"))
    assert agreed.description in page_text(client_as(session.get(type(chair), first_owner)).get("/actions"))
    assert agreed.description not in page_text(client_as(handed_to).get("/actions"))
    assert "Level 3" not in page_text(client.get(f"/cases/{case_id}"))

    assert approve_correction(client, session, meeting).status_code == 302

    session.expire_all()
    case = session.get(Case, case_id)
    assert case.level is Level.LEVEL_3 and case.next_review_on == REVIEW_ON
    raised = session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.agenda_item_id == item.id)
    ).one()
    assert raised.kind is CaseEventKind.LEVEL_CHANGED and raised.level is Level.LEVEL_3
    assert session.get(Action, agreed.id).owner_id == handed_to.id
    assert "DRAFT action" in page_text(client_as(new_owner).get("/actions"))
    assert agreed.description in page_text(client_as(handed_to).get("/actions"))
    assert format_date(REVIEW_ON) in page_text(client.get(f"/cases/{case_id}"))


def test_abandoning_the_correction_leaves_the_live_record_as_it_was(client_as, factory, session):
    chair, meeting, item, agreed = _approved(factory, session)
    client = client_as(chair)
    before = session.get(Case, item.case_id).level, session.get(Action, agreed.id).owner_id
    _correct_it(client, session, meeting, item, agreed, factory)
    version = session.exec(select(Minutes.version).where(Minutes.meeting_id == meeting.id)).one()
    response = client.post(f"/meetings/{meeting.id}/minutes/abandon-correction", data={"version": str(version)})
    assert response.status_code == 302

    session.expire_all()
    assert (session.get(Case, item.case_id).level, session.get(Action, agreed.id).owner_id) == before
    assert not session.exec(select(Action).where(Action.description == "DRAFT action")).all()
    shown = page_text(client.get(f"/meetings/{meeting.id}/agenda/{item.id}"))
    assert "Raised, corrected" not in shown and "DRAFT action" not in shown


def test_opening_the_draft_records_nothing_in_the_audit_trail(client_as, factory, session):
    """Putting the draft into the rows for the chair's page and taking it out again changes nothing the
    record says; the draft's own changes are recorded as they are made."""
    chair, meeting, item, agreed = _approved(factory, session)
    client = client_as(chair)

    def changes(*kinds: str, of: str | None = None) -> int:
        query = select(func.count()).select_from(AuditEvent).where(AuditEvent.action.in_(kinds))
        return session.exec(query.where(AuditEvent.object_type == of) if of else query).one()

    actions_added = changes("create", of="Action")
    _correct_it(client, session, meeting, item, agreed, factory)
    assert changes("create", of="Action") == actions_added + 1  # the draft's own new action

    counted = changes("create", "update", "delete")
    for page in (f"/meetings/{meeting.id}", f"/meetings/{meeting.id}/agenda/{item.id}", f"/meetings/{meeting.id}/minutes"):
        assert client.get(page).status_code == 200, page
    assert changes("create", "update", "delete") == counted


def test_a_correction_begun_with_its_draft_in_the_live_record_is_taken_out_when_next_opened(
    client_as, factory, session
):
    """Corrections begun before drafts were kept apart hold their draft in the live rows: the first page of
    it the chair opens keeps the draft and puts the approved record back."""
    chair, meeting, item, _agreed = _approved(factory, session)
    client = client_as(chair)
    assert start_correction(client, session, meeting, "Supervision minuted wrongly").status_code == 302
    session.expire_all()
    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).one()
    draft = minutes.current
    entry = session.exec(select(PillarEntry).where(PillarEntry.agenda_item_id == item.id)).first()
    approved_summary = entry.summary
    entry.summary, draft.draft_record = "LEGACY-DRAFT summary", None
    factory.save(entry, draft)

    assert "LEGACY-DRAFT summary" in page_text(client.get(f"/meetings/{meeting.id}/agenda/{item.id}"))
    session.expire_all()
    assert session.get(PillarEntry, entry.id).summary == approved_summary
    assert session.get(type(draft), draft.id).draft_record is not None
    assert "LEGACY-DRAFT summary" in page_text(client.get(f"/meetings/{meeting.id}/agenda/{item.id}"))


def test_an_owner_s_progress_stays_on_an_action_the_draft_takes_off_the_record(client_as, factory, session):
    """The draft takes the agreed action off the record; meanwhile its owner marks it done with a note.
    Neither the chair's next page of the correction nor abandoning it undoes the owner's follow-up."""
    chair, meeting, item, agreed = _approved(factory, session)
    client = client_as(chair)
    owner = client_as(session.get(type(chair), agreed.owner_id))
    assert start_correction(client, session, meeting, "That action was never agreed").status_code == 302
    url = f"/meetings/{meeting.id}/agenda/{item.id}"
    assert client.post(f"{url}/actions/{agreed.id}/remove", data={}).status_code == 302
    version = session.get(Action, agreed.id).version
    noted = {"version": str(version), "revised_due_on": ["", "", ""], "progress_note": "OWNER: visit made"}
    assert owner.post(f"/actions/{agreed.id}/progress", data=noted).status_code == 302
    assert owner.post(f"/actions/{agreed.id}/complete", data={}).status_code == 302

    def followed_up() -> tuple:
        session.expire_all()
        action = session.get(Action, agreed.id)
        return action.status.name, action.completed_on, action.progress_note

    done = ("DONE", today_london(), "OWNER: visit made")
    assert followed_up() == done
    assert client.get(url).status_code == 200  # the draft put in for the chair's page, and taken out again
    assert followed_up() == done
    minutes_version = session.exec(select(Minutes.version).where(Minutes.meeting_id == meeting.id)).one()
    abandoned = client.post(
        f"/meetings/{meeting.id}/minutes/abandon-correction", data={"version": str(minutes_version)}
    )
    assert abandoned.status_code == 302
    assert followed_up() == done


def test_an_action_changed_from_a_form_read_before_another_change_is_refused(client_as, factory, session, people):
    """Chair and administrator working on the same correction: the form the administrator read before the
    chair saved is refused, naming the conflict, and the chair's change stands; an action the draft took off
    the record is not changed."""
    chair, meeting, item, agreed = _approved(factory, session, administrator=people["administrator"])
    client, administrator = client_as(chair), client_as(people["administrator"])
    assert start_correction(client, session, meeting, "The action was minuted wrongly").status_code == 302
    url = f"/meetings/{meeting.id}/agenda/{item.id}/actions/{agreed.id}/edit"
    form = BeautifulSoup(administrator.get(url).data, "html.parser")
    read_at = form.select_one('input[name="version"]')["value"]
    due = today_london() + timedelta(days=12)
    base = action_form(agreed.owner_agency_id, agreed.owner_id, due, pillar="")
    saved = client.post(url, data={**base, "description": "CHAIR: visit weekly", "version": read_at})
    assert saved.status_code == 302
    stale = administrator.post(url, data={**base, "description": "ADMIN: visit monthly", "version": read_at})
    assert stale.status_code == 409
    assert "Someone else saved changes to this action" in page_text(stale)
    shown = page_text(client.get(f"/meetings/{meeting.id}/agenda/{item.id}"))
    assert "CHAIR: visit weekly" in shown and "ADMIN: visit monthly" not in shown

    assert client.post(f"/meetings/{meeting.id}/agenda/{item.id}/actions/{agreed.id}/remove").status_code == 302
    fresh = BeautifulSoup(client.get(url).data, "html.parser").select_one('input[name="version"]')["value"]
    refused = client.post(url, data={**base, "description": "Edited after removal", "version": fresh})
    assert "taken off the record" in page_text(refused)
    assert "Edited after removal" not in page_text(client.get(f"/meetings/{meeting.id}/agenda/{item.id}"))


def test_the_meeting_s_pages_say_whether_they_show_the_draft_or_the_record_as_approved(client_as, factory, session):
    chair, meeting, item, agreed = _approved(factory, session)
    client = client_as(chair)
    pages = (f"/meetings/{meeting.id}", f"/meetings/{meeting.id}/agenda/{item.id}")
    for page in pages:
        assert "being corrected" not in page_text(client.get(page))
    assert start_correction(client, session, meeting, "Supervision minuted wrongly").status_code == 302
    for page in pages:
        shown = page_text(client.get(page))
        assert f"You are working on a correction to the approved minutes of {meeting.reference} (version 2)" in shown
        assert "the case, the action owners and everyone else see the record as approved" in shown
    # The action's owner was at the meeting, so reads its page: the record as approved, and says so.
    response = client_as(session.get(type(chair), agreed.owner_id)).get(pages[0])
    assert response.status_code == 200
    said = f"The approved minutes of {meeting.reference} are being corrected. This page shows the record as approved"
    assert said in page_text(response)
