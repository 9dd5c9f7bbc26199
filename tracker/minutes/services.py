"""Changing minutes: saving a draft, the workflow's steps, distribution and corrections.

Each step claims the minutes' version (the optimistic lock) before it changes anything, so a step taken
from a page that is out of date is refused and changes nothing. Services flush; the request commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app, url_for

from tracker.auth.models import Agency, User
from tracker.core import mail
from tracker.core.db import db
from tracker.core.locking import claim
from tracker.core.types import utcnow
from tracker.meetings.models import Meeting
from tracker.minutes import record as records
from tracker.minutes import rules
from tracker.minutes.models import Minutes, MinutesRecipient, MinutesVersion
from tracker.minutes.rules import Step


class StepRefused(Exception):
    """The step cannot be taken; `problems` say why, in words for the person."""

    def __init__(self, *problems: str):
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass
class Conflict:
    """Someone else saved first: what they saved, and which sections differ from what this person sent."""

    theirs: dict
    saved_by: str
    saved_at: object
    differences: list[tuple[str, str | None, str]] = field(default_factory=list)
    current_version: int = 0


def _conflict(minutes: Minutes, yours: dict) -> Conflict:
    # What the other person saved, read afresh: the draft in this session may be older than their commit.
    db.session.refresh(minutes)
    db.session.refresh(minutes.current)
    theirs = minutes.current.sections
    return Conflict(
        theirs=theirs,
        saved_by=minutes.updated_by.name if minutes.updated_by else "someone",
        saved_at=minutes.updated_at,
        differences=rules.conflicting_sections(theirs, yours),
        current_version=minutes.version,
    )


def _touch(minutes: Minutes, user: User) -> None:
    minutes.updated_at = utcnow()
    minutes.updated_by_id = user.id


def save_draft(meeting: Meeting, minutes: Minutes | None, posted: dict, version: str, user: User):
    """Save the draft's text; returns the minutes, or a Conflict (nothing saved) when the draft changed
    since the person's page was built. The first save (version 0) starts the minutes."""
    if minutes is None:
        if version != "0":
            raise StepRefused("The minutes could not be found: reload the page")
        return _start(meeting, posted, user)
    problem = rules.step_problem(minutes.status, Step.EDIT)
    if problem:
        raise StepRefused(problem)
    if not claim(minutes, version):
        conflict = _conflict(minutes, posted)
        # Nothing differs (say the page's background save got there first with the same text): saved.
        return conflict if conflict.differences else minutes
    draft = minutes.current
    draft.sections = rules.merge_sections(draft.sections, posted)
    _touch(minutes, user)
    db.session.flush()
    return minutes


def _start(meeting: Meeting, posted: dict, user: User) -> Minutes | Conflict:
    minutes = Minutes(meeting_id=meeting.id, created_by_id=user.id, updated_by_id=user.id)
    minutes.versions = [
        MinutesVersion(number=1, sections=rules.merge_sections({}, posted), created_by_id=user.id)
    ]
    try:
        # Two people starting the same minutes at once: the second finds the first's and is shown both.
        with db.session.begin_nested():
            db.session.add(minutes)
            db.session.flush()
    except sa.exc.IntegrityError:
        existing = records.load_minutes(meeting)
        if existing is None:
            raise
        return _conflict(existing, posted)
    return minutes


def _step(minutes: Minutes, step: Step, version: str) -> None:
    problem = rules.step_problem(minutes.status, step)
    if problem:
        raise StepRefused(problem)
    if not claim(minutes, version):
        raise StepRefused(
            "Someone else changed these minutes while you had them open. Check them and try again"
        )


def submit(minutes: Minutes, version: str, user: User) -> None:
    _step(minutes, Step.SUBMIT, version)
    minutes.current.submitted_at = utcnow()
    minutes.current.submitted_by_id = user.id
    minutes.status = rules.status_after(Step.SUBMIT, minutes.status)
    _touch(minutes, user)


def approval_problems(meeting: Meeting) -> list[str]:
    """What must be put right in the meeting's records before the chair may approve its minutes."""
    return rules.approval_blockers(
        records.approval_facts(meeting), records.meeting_day(meeting), rules.review_weeks_by_level()
    )


def approve(meeting: Meeting, minutes: Minutes, version: str, user: User) -> None:
    """Approve the draft: refused while anything in the meeting's records is missing; otherwise the
    records are frozen into the version, which never changes again."""
    problem = rules.step_problem(minutes.status, Step.APPROVE)
    if problem:
        raise StepRefused(problem)
    blockers = approval_problems(meeting)
    if blockers:
        raise StepRefused(*blockers)
    _step(minutes, Step.APPROVE, version)
    draft = minutes.current
    draft.record = records.build_record(meeting)
    draft.approved_at = utcnow()
    draft.approved_by_id = user.id
    minutes.status = rules.status_after(Step.APPROVE, minutes.status)
    _touch(minutes, user)


def recipient_choices(meeting: Meeting, agencies: list[Agency]) -> list[tuple[str, str]]:
    """Who the minutes may go to: the people and agencies invited, then every other active agency.
    Values are "agency id:person id" (person id empty for an agency without a named person)."""
    choices = []
    invited_agencies = set()
    for invitation in sorted(meeting.invitations, key=lambda i: (i.agency.name, i.id)):
        invited_agencies.add(invitation.agency_id)
        who = (
            f"{invitation.user.name}, {invitation.agency.name}" if invitation.user else invitation.agency.name
        )
        status = invitation.attendance.label if invitation.attendance else invitation.rsvp.label
        choices.append((f"{invitation.agency_id}:{invitation.user_id or ''}", f"{who} ({status.lower()})"))
    for agency in agencies:
        if agency.id not in invited_agencies:
            choices.append((f"{agency.id}:", agency.name))
    return choices


def distribute(meeting: Meeting, minutes: Minutes, version: str, chosen: list[str], user: User) -> int:
    """Record that the approved version went to these recipients (and tell those with an account, by
    reference only). Returns how many were added; those already recorded are not recorded twice."""
    _step(minutes, Step.DISTRIBUTE, version)
    approved = minutes.current
    already = {(r.agency_id, r.user_id) for r in approved.recipients}
    added = []
    for value in chosen:
        agency_id, _, user_id = value.partition(":")
        key = (int(agency_id), int(user_id) if user_id else None)
        if key in already:
            continue
        already.add(key)
        recipient = MinutesRecipient(agency_id=key[0], user_id=key[1])
        approved.recipients.append(recipient)
        added.append(recipient)
    if approved.distributed_at is None:
        approved.distributed_at = utcnow()
        approved.distributed_by_id = user.id
    minutes.status = rules.status_after(Step.DISTRIBUTE, minutes.status)
    _touch(minutes, user)
    db.session.flush()
    _notify(meeting, approved, [r.user_id for r in added if r.user_id])
    return len(added)


def _notify(meeting: Meeting, version: MinutesVersion, user_ids: list[int]) -> None:
    """An email to each named recipient: the meeting reference and a link, never a name or case detail."""
    if not user_ids:
        return
    people = db.session.scalars(sa.select(User).where(User.id.in_(user_ids), User.active)).all()
    link = current_app.config["BASE_URL"].rstrip("/") + url_for("minutes.minutes_view", meeting_id=meeting.id)
    for person in people:
        message: EmailMessage = mail.new_message(
            person.email, f"Approved minutes of MAPPA meeting {meeting.reference}"
        )
        message.set_content(
            f"Dear {person.name},\n\n"
            f"The approved minutes (version {version.number}) of MAPPA meeting {meeting.reference} are "
            f"ready for you in MAPPA Tracker:\n\n{link}\n\n"
            "They are OFFICIAL-SENSITIVE. Do not copy or share them outside the arrangements without the "
            "chair's agreement.\n"
        )
        mail.send_after_commit(message)


def correct(minutes: Minutes, version: str, reason: str, user: User) -> MinutesVersion:
    """Start a corrected version from the approved one's text; the approved version stays as it was."""
    problem = rules.correction_problem(reason)
    if problem:
        raise StepRefused(problem)
    _step(minutes, Step.CORRECT, version)
    approved = minutes.current
    draft = MinutesVersion(
        number=approved.number + 1,
        sections=dict(approved.sections),
        correction_reason=reason.strip(),
        created_by_id=user.id,
    )
    minutes.versions.append(draft)
    minutes.status = rules.status_after(Step.CORRECT, minutes.status)
    _touch(minutes, user)
    db.session.flush()
    return draft
