"""Access to minutes: the list, a meeting's minutes and versions, drafting, the workflow's steps, corrections,
executive summaries and PDFs, and the co-ordinator's page of the work a leaver left.

The world's chair chairs both meetings and its administrator supports them; its practitioner is invited,
so reads approved minutes and PDFs but drafts nothing. One meeting's minutes await approval, the other's
are approved. POSTs are refused as out of date (409) for the roles allowed, so nothing changes for the next.
"""

from datetime import timedelta

from sqlmodel import select

from tests.access_cases import ALL, CASEWORK, Case, World, get_and_post, post
from tracker.core.db import db
from tracker.core.types import utcnow
from tracker.meetings.models import Meeting
from tracker.minutes import restore_point
from tracker.minutes.models import Minutes, MinutesDisclosure, MinutesRecipient, MinutesStatus, MinutesVersion

DRAFTERS = frozenset({"COORDINATOR", "CHAIR", "ADMINISTRATOR"})
COORDINATOR = frozenset({"COORDINATOR"})
DISTRIBUTORS = frozenset({"CHAIR", "ADMINISTRATOR"})
CHAIR = frozenset({"CHAIR"})


def build(world: World, factory) -> None:
    meetings = []
    for status in (MinutesStatus.SUBMITTED, MinutesStatus.APPROVED):
        meeting = factory.held_meeting(chair=world.users["CHAIR"], administrator=world.users["ADMINISTRATOR"])
        factory.invitation(meeting, world.users["PRACTITIONER"])
        factory.minutes(meeting, status)
        meetings.append(meeting)
    world.objects.update(submitted_meeting=meetings[0], approved_meeting=meetings[1])
    # A chair who has left, the approval of whose minutes the co-ordinator hands to another chair.
    leaver = factory.user("CHAIR", name="Access Leaver", active=False)
    factory.minutes(factory.held_meeting(chair=leaver), MinutesStatus.SUBMITTED)
    world.objects["leaver"] = leaver
    # A meeting whose approved minutes are being corrected (a draft version 2 with its restore point).
    corrected = factory.held_meeting(chair=world.users["CHAIR"], administrator=world.users["ADMINISTRATOR"])
    minutes = factory.minutes(corrected, MinutesStatus.APPROVED)
    with factory.app.app_context():
        point = restore_point.take(db.session.get(Meeting, corrected.id), MinutesStatus.APPROVED)
    draft = {key: value for key, value in point.items() if key != "status"}
    factory.save(
        MinutesVersion(
            minutes_id=minutes.id, number=2, correction_reason="A slip", restore_point=point, draft_record=draft
        )
    )
    minutes.status = MinutesStatus.DRAFT
    world.objects["corrected_meeting"] = factory.save(minutes).meeting
    # A link to the approved minutes sent to an agency's secure mailbox.
    version = factory.session.exec(
        select(MinutesVersion).join(Minutes).where(Minutes.meeting_id == meetings[1].id)
    ).one()
    agency = factory.agency("Access Housing Mailbox", secure_mailbox="mappa@access-housing.example")
    recipient = factory.save(MinutesRecipient(version_id=version.id, agency_id=agency.id))
    world.objects["minutes_link"] = factory.save(
        MinutesDisclosure(
            version_id=version.id,
            recipient_id=recipient.id,
            agency_id=agency.id,
            mailbox=agency.secure_mailbox,
            token_hash="0" * 64,
            created_by_id=world.users["CHAIR"].id,
            expires_at=utcnow() + timedelta(days=1),
        )
    )


def _submitted(path: str = ""):
    return lambda w: f"/meetings/{w.submitted_meeting.id}/minutes{path}"


def _approved(path: str = ""):
    return lambda w: f"/meetings/{w.approved_meeting.id}/minutes{path}"


def _summary(path: str = ""):
    return lambda w: (
        f"/meetings/{w.approved_meeting.id}/minutes/cases/{w.approved_meeting.agenda_items[0].case_id}/summary{path}"
    )


STALE = {"version": "0"}

CASES = [
    Case("minutes.minutes_list", "/minutes", DRAFTERS),
    Case("minutes.minutes_list", "/minutes?show=overdue", DRAFTERS),
    Case("minutes.minutes_view", _submitted(), CASEWORK),
    Case("minutes.minutes_view", _approved(), CASEWORK),
    # The question asked of someone who reads the minutes only by oversight (section 62 logging).
    *get_and_post(
        "minutes.minutes_reason", _approved("/reason"), CASEWORK, data={"reason": "Preparing a referral or meeting"}
    ),
    *get_and_post("minutes.minutes_edit", _submitted("/edit"), DRAFTERS, data=STALE),
    post("minutes.minutes_autosave", _submitted("/autosave"), DRAFTERS, data=STALE),
    post("minutes.minutes_submit", _submitted("/submit"), DRAFTERS, data=STALE),
    post("minutes.minutes_approve", _submitted("/approve"), CHAIR, data=STALE),
    *get_and_post("minutes.minutes_distribute", _approved("/distribute"), DISTRIBUTORS, data=STALE),
    post(
        "minutes.shared_minutes_revoke",
        lambda w: f"/meetings/{w.approved_meeting.id}/minutes/shared/{w.minutes_link.id}/revoke",
        DISTRIBUTORS,
    ),
    post(
        "minutes.shared_minutes_send_again",
        lambda w: f"/meetings/{w.approved_meeting.id}/minutes/shared/{w.minutes_link.id}/send-again",
        DISTRIBUTORS,
    ),
    # Anyone with a link may open it (a dead or unknown link says so, 410); the code does the rest.
    Case("minutes.shared_minutes", "/minutes/shared/not-a-real-link", ALL, public=True),
    post("minutes.shared_minutes_code", "/minutes/shared/not-a-real-link/code", ALL, public=True),
    *get_and_post("minutes.minutes_correct", _approved("/correct"), DRAFTERS, data=STALE),
    *get_and_post(
        "minutes.minutes_abandon_correction",
        lambda w: f"/meetings/{w.corrected_meeting.id}/minutes/abandon-correction",
        DRAFTERS,
        data=STALE,
    ),
    Case("minutes.version_view", _approved("/versions/1"), CASEWORK),
    Case("minutes.version_pdf", _approved("/versions/1/pdf"), CASEWORK),
    # A draft version is for the people who draft the minutes only.
    Case("minutes.version_view", _submitted("/versions/1"), DRAFTERS),
    Case("minutes.version_pdf", _submitted("/versions/1/pdf"), DRAFTERS),
    Case("minutes.summary_view", _summary(), CASEWORK),
    Case("minutes.summary_pdf", _summary("/pdf"), CASEWORK),
    # The co-ordinator hands on a leaver's work (posted without a chair chosen: refused, nothing changes).
    *get_and_post("minutes.work_left", lambda w: f"/people/{w.leaver.id}/work-left", COORDINATOR, data={}),
    Case("minutes.agenda_pdf", lambda w: f"/meetings/{w.submitted_meeting.id}/agenda/pdf", CASEWORK),
]
