"""Changing minutes: saving a draft, the workflow's steps, distribution and corrections.

Each step claims the minutes' version (the optimistic lock) before it changes anything, so a step taken
from a page that is out of date is refused and changes nothing. Services flush; the request commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app, url_for

from tracker.auth.models import User
from tracker.core import audit, mail
from tracker.core.db import db
from tracker.core.locking import claim
from tracker.core.types import utcnow
from tracker.meetings import follow_up
from tracker.meetings.models import (
    AgendaItem,
    Case,
    Meeting,
)
from tracker.minutes import correction, disclosure, recipients, restore_point, rules, started_from
from tracker.minutes import record as records
from tracker.minutes.checks import approval_problems, attendance_problem
from tracker.minutes.models import Minutes, MinutesRecipient, MinutesStatus, MinutesVersion
from tracker.minutes.rules import Step


class StepRefused(Exception):
    """The step cannot be taken; `problems` say why, in words for the person."""

    def __init__(self, *problems: str):
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass
class Conflict:
    """Someone else changed the same sections first: what they saved, which sections this person changed
    too (to show both texts side by side), and the draft with this person's other changes on top."""

    theirs: dict
    saved_by: str
    saved_at: object
    differences: list[tuple[str, str | None, str]] = field(default_factory=list)
    current_version: int = 0
    combined: dict = field(default_factory=dict)


@dataclass
class Saved:
    """The draft is saved. `merged_with` names whoever saved other sections meanwhile: theirs stand too."""

    minutes: Minutes
    merged_with: str | None = None


def _conflict(minutes: Minutes, changed: dict, shown: Mapping[str, str] | None) -> Conflict:
    # What the other person saved, read afresh: the draft in this session may be older than their commit.
    db.session.refresh(minutes)
    db.session.refresh(minutes.current)
    theirs = minutes.current.sections
    return Conflict(
        theirs=theirs,
        saved_by=minutes.updated_by.name if minutes.updated_by else "someone",
        saved_at=minutes.updated_at,
        differences=rules.conflicting_sections(theirs, changed, shown),
        current_version=minutes.version,
        combined=rules.merge_sections(theirs, changed),
    )


def _touch(minutes: Minutes, user: User) -> None:
    minutes.updated_at = utcnow()
    minutes.updated_by_id = user.id


def save_draft(
    meeting: Meeting,
    minutes: Minutes | None,
    posted: dict,
    version: str,
    user: User,
    shown: Mapping[str, str] | None = None,
) -> Saved | Conflict:
    """Save the sections the person changed from what their page showed (`shown`: the fingerprints it
    carries; without them, every section). If the draft was saved by someone else since the page was
    built, changes to different sections both stand; where they changed the same section, nothing is
    saved and the Conflict holds both texts. The first save (version 0) starts the minutes. Nothing is
    written about a case whose personal data was disposed of (its sections stay as they are)."""
    _ensure_none_disposed(meeting, posted)
    if minutes is None:
        if version != "0":
            raise StepRefused("The minutes could not be found: reload the page")
        return _start(meeting, posted, user, shown)
    problem = rules.step_problem(minutes.status, Step.EDIT)
    if problem:
        raise StepRefused(problem)
    changed = rules.changed_sections(posted, shown)
    if claim(minutes, version):
        return _write(minutes, changed, user)
    return _combine(minutes, changed, shown, user)


def _ensure_none_disposed(meeting: Meeting, posted: dict) -> None:
    items = posted.get("items", {}).items()
    written = [int(i) for i, texts in items if any(texts.values()) and str(i).isdigit()]
    if not written:
        return
    disposed = db.session.scalar(
        sa.select(Case.reference)
        .join(AgendaItem, AgendaItem.case_id == Case.id)
        .where(AgendaItem.meeting_id == meeting.id, AgendaItem.id.in_(written), Case.disposed_at.is_not(None))
        .limit(1)
    )
    if disposed is not None:
        raise StepRefused(
            f"The personal data of {disposed} was disposed of under the retention rules: "
            "nothing is written about it in the minutes"
        )


def _combine(minutes: Minutes, changed: dict, shown: Mapping[str, str] | None, user: User):
    """Someone else saved since the person's page was built: keep both people's changes if they changed
    different sections, otherwise save nothing and say where they clash."""
    conflict = _conflict(minutes, changed, shown)
    if conflict.differences:
        return conflict
    if not rules.conflicting_sections(conflict.theirs, changed):
        # Already saved as it is (say the page's background save got there first with the same text).
        return Saved(minutes)
    if not claim(minutes, minutes.version):
        raise StepRefused("Someone else saved this draft at the same moment. Save it again")
    return _write(minutes, changed, user, merged_with=conflict.saved_by)


def _write(minutes: Minutes, changed: dict, user: User, merged_with: str | None = None) -> Saved:
    draft = minutes.current
    draft.sections = rules.merge_sections(draft.sections, changed)
    _touch(minutes, user)
    db.session.flush()
    return Saved(minutes, merged_with)


def begin(meeting: Meeting, user: User) -> Minutes:
    """The meeting's minutes begun with an empty first draft (so that their approver can be named before
    anyone writes them), or those someone else began meanwhile."""
    saved = _start(meeting, {}, user, None)
    if isinstance(saved, Conflict):  # nothing was posted, so nothing can clash
        raise StepRefused("Someone else began these minutes at the same moment. Try again")
    return saved.minutes


def _start(meeting: Meeting, posted: dict, user: User, shown: Mapping[str, str] | None) -> Saved | Conflict:
    minutes = Minutes(meeting_id=meeting.id, created_by_id=user.id, updated_by_id=user.id)
    minutes.versions = [
        MinutesVersion(number=1, sections=rules.merge_sections({}, posted), created_by_id=user.id)
    ]
    try:
        # Two people starting the same minutes at once: the second is shown where they differ.
        with db.session.begin_nested():
            db.session.add(minutes)
            db.session.flush()
    except sa.exc.IntegrityError:
        existing = records.load_minutes(meeting)
        if existing is None:
            raise
        return _combine(existing, rules.changed_sections(posted, shown), shown, user)
    return Saved(minutes)


def _step(minutes: Minutes, step: Step, version: str) -> None:
    problem = rules.step_problem(minutes.status, step)
    if problem:
        raise StepRefused(problem)
    if not claim(minutes, version):
        raise StepRefused(
            "Someone else changed these minutes while you had them open. Check them and try again"
        )


def submit(minutes: Minutes, version: str, user: User) -> None:
    """Send the draft to the chair: refused while the meeting's attendance is not recorded (the chair
    cannot approve minutes that do not say who was there, and the minute-taker records it)."""
    problem = rules.step_problem(minutes.status, Step.SUBMIT) or attendance_problem(minutes.meeting)
    if problem:
        raise StepRefused(problem)
    _step(minutes, Step.SUBMIT, version)
    minutes.current.submitted_at = utcnow()
    minutes.current.submitted_by_id = user.id
    minutes.status = rules.status_after(Step.SUBMIT, minutes.status)
    _touch(minutes, user)
    follow_up.minutes_submitted(minutes.meeting, minutes.approver, by=user)


def approve(meeting: Meeting, minutes: Minutes, version: str, user: User) -> None:
    """Approve the draft: refused while anything in the meeting's records is missing; otherwise the
    records are frozen into the version, which never changes again."""
    problem = rules.step_problem(minutes.status, Step.APPROVE)
    if problem:
        raise StepRefused(problem)
    disposed = correction.disposed_problems(meeting, minutes.current)
    if disposed:
        raise StepRefused(*disposed)
    correction.open_draft(meeting)  # a correction's draft is what is approved
    blockers = approval_problems(meeting)
    if blockers:
        raise StepRefused(*blockers)
    _step(minutes, Step.APPROVE, version)
    draft = minutes.current
    draft.record = records.build_record(meeting).to_json()
    if draft.restore_point is not None:
        correction.approved(meeting, draft, user)  # while the record is still open
    draft.approved_at = utcnow()
    draft.approved_by_id = user.id
    if user.id != meeting.chair_id:  # the chair the co-ordinator handed the approval to (`handover`)
        draft.approval_note = rules.approval_note(meeting.chair.name, meeting.chair.active)
    minutes.status = rules.status_after(Step.APPROVE, minutes.status)
    _touch(minutes, user)
    follow_up.minutes_approved(meeting)


@dataclass(frozen=True)
class Distributed:
    """What a distribution did: how many recipients were added (those already recorded are not recorded
    twice), and the agencies added that the tracker sent nothing to (no one named, no secure mailbox):
    the minutes reach them only if someone sends them another way."""

    added: int
    send_another_way: list[str]


def distribute(
    meeting: Meeting, minutes: Minutes, version: str, chosen: list[str], user: User
) -> Distributed:
    """Record that the approved version went to these recipients (and tell those with an account, by
    reference only; an agency's secure mailbox gets a one-time link)."""
    _step(minutes, Step.DISTRIBUTE, version)
    approved = minutes.current
    already = {(r.agency_id, r.user_id) for r in approved.recipients}
    added = []
    for value in chosen:
        agency_id, _, user_id = value.partition(":")
        person = recipients.named_recipient(db.session.get(User, int(user_id))) if user_id else None
        # Someone who may no longer be sent them (deactivated since the page was shown): their agency is.
        key = (int(agency_id), person.id if person else None)
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
    for recipient in added:
        # The distribution is a disclosure: the log names who it went to and why.
        audit.record(
            "distribute",
            recipient,
            summary=f"approved minutes of {meeting.reference} version {approved.number}",
            justified_by="disclosure",
            recipient=_recipient_name(recipient),
            reason="Distribution of the approved minutes to those who attended or need them",
        )
    _notify(meeting, approved, [r.user_id for r in added if r.user_id])
    unsent = []
    for recipient in added:
        # An agency with no named person: its secure group mailbox, if it has one, gets a one-time link.
        if recipient.user_id is None and recipient.agency.secure_mailbox:
            disclosure.send_link(meeting, approved, recipient, user)
        elif recipient.user_id is None:
            unsent.append(recipient.agency.name)
    return Distributed(len(added), sorted(unsent))


def _recipient_name(recipient: MinutesRecipient) -> str:
    person = db.session.get(User, recipient.user_id) if recipient.user_id else None
    return f"{person.name} <{person.email}> ({recipient.agency.name})" if person else recipient.agency.name


def _notify(meeting: Meeting, version: MinutesVersion, user_ids: list[int]) -> None:
    """An email to each named recipient: the meeting reference and a link, never a name or case detail."""
    if not user_ids:
        return
    people = db.session.scalars(sa.select(User).where(User.id.in_(user_ids), User.active)).all()
    link = current_app.config["BASE_URL"].rstrip("/") + url_for("minutes.minutes_view", meeting_id=meeting.id)
    for person in people:
        message: EmailMessage = mail.new_message(
            person.email, rules.sent_minutes_subject(meeting.reference, version.number)
        )
        paragraphs = [
            f"Dear {person.name},",
            f"The approved minutes (version {version.number}) of MAPPA meeting {meeting.reference} are "
            "ready for you in MAPPA Tracker:",
            link,
            rules.replaces_note(version.number),
            "They are OFFICIAL-SENSITIVE. Do not copy or share them outside the arrangements without the "
            "chair's agreement.",
        ]
        message.set_content("\n\n".join(paragraph for paragraph in paragraphs if paragraph) + "\n")
        mail.queue(message)


def correct(minutes: Minutes, version: str, reason: str, user: User) -> MinutesVersion:
    """Start a corrected version from the approved one's text; the approved version stays as it was."""
    problem = rules.correction_problem(reason)
    if problem:
        raise StepRefused(problem)
    status = minutes.status
    _step(minutes, Step.CORRECT, version)
    approved = minutes.current
    point = restore_point.take(minutes.meeting, status)
    draft = MinutesVersion(
        number=approved.number + 1,
        sections=dict(approved.sections),
        correction_reason=reason.strip(),
        created_by_id=user.id,
        restore_point=point,
        draft_record={key: value for key, value in point.items() if key != "status"},
    )
    minutes.versions.append(draft)
    minutes.status = rules.status_after(Step.CORRECT, minutes.status)
    _touch(minutes, user)
    db.session.flush()
    return draft


def abandon_correction(minutes: Minutes, version: str, user: User) -> MinutesVersion:
    """Drop the correction not yet approved: the meeting's record goes back to what the approved minutes
    say (and with it the case's history and the plan later reviews start from), the draft version goes,
    and the minutes are approved (or distributed) as before. Returns the version that stands."""
    draft = minutes.current
    if draft.approved_at is not None or draft.restore_point is None:
        raise StepRefused(rules.REFUSALS[Step.ABANDON])
    # An earlier meeting the correction reopened changes only as part of it: not left contradicting the
    # minutes that stand.
    reopened = started_from.reopened_departures(minutes.meeting)
    if reopened:
        raise StepRefused(*(started_from.abandon_problem(departure) for departure in reopened))
    _step(minutes, Step.ABANDON, version)
    carried = draft.draft_record is None  # begun before drafts were kept apart: the draft is in the rows
    correction.open_draft(minutes.meeting)
    live = correction.live_follow_up(minutes.meeting)
    restore_point.restore(minutes.meeting, draft.restore_point, user, carried=carried)
    restore_point.keep_follow_up(minutes.meeting, live)
    db.session.flush()  # the record is back while the correction still holds it open
    audit.record("correction abandoned", draft, summary=f"version {draft.number}: {draft.correction_reason}")
    minutes.versions.remove(draft)
    db.session.delete(draft)
    minutes.status = MinutesStatus[draft.restore_point["status"]]
    _touch(minutes, user)
    return minutes.current
