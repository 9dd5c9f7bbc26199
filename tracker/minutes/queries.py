"""The lists of minutes a person works on: to write, awaiting approval, overdue, and all of them, each one
SQL statement filtered by the drafting rule, paginated in SQL."""

from __future__ import annotations

import enum
from datetime import date, time, timedelta

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import User, people_named, person_named
from tracker.core.db import db
from tracker.core.permissions import Permission
from tracker.core.timeutil import london, london_to_utc, today_london
from tracker.core.types import utcnow
from tracker.meetings.models import Meeting, MeetingStatus
from tracker.minutes import rules, tallies
from tracker.minutes.access import drafting_condition
from tracker.minutes.models import Minutes, MinutesStatus, MinutesTally, MinutesVersion


class Show(enum.Enum):
    TO_WRITE = "to-write"
    AWAITING_APPROVAL = "awaiting-approval"
    OVERDUE = "overdue"
    ALL = "all"

    @property
    def label(self) -> str:
        return {
            Show.TO_WRITE: "To write",
            Show.AWAITING_APPROVAL: "Awaiting approval",
            Show.OVERDUE: "Overdue",
            Show.ALL: "All minutes",
        }[self]


def first_distributed():
    """When the minutes first went out (any version), as a correlated scalar subquery."""
    return (
        select(sa.func.min(MinutesVersion.distributed_at))
        .where(MinutesVersion.minutes_id == Minutes.id)
        .correlate(Minutes)
        .scalar_subquery()
    )


def _overdue_before(today: date) -> sa.ColumnElement[bool]:
    last_day = rules.last_meeting_day_overdue(today, rules.working_days_setting())
    return Meeting.starts_at < london_to_utc(last_day + timedelta(days=1), time(0, 0))


def _condition(show: Show, today: date) -> sa.ColumnElement[bool]:
    not_started = col(Minutes.id).is_(None)
    if show is Show.TO_WRITE:
        return sa.or_(not_started, Minutes.status == MinutesStatus.DRAFT)
    if show is Show.AWAITING_APPROVAL:
        return Minutes.status == MinutesStatus.SUBMITTED
    if show is Show.OVERDUE:
        # Minutes brought in from the area's records were never due out through the tracker.
        return sa.and_(first_distributed().is_(None), _overdue_before(today), sa.not_(Meeting.imported))
    return sa.true()


def minutes_statement(user: User, show: Show, today: date | None = None) -> sa.Select:
    """(meeting, minutes or None, first distributed at) for meetings held that this person drafts for,
    most recent first."""
    today = today or today_london()
    return (
        select(Meeting, Minutes, first_distributed().label("first_distributed"))
        .outerjoin(Minutes, Minutes.meeting_id == Meeting.id)
        .where(_held(user), _condition(show, today))
        .options(person_named(Meeting.chair), person_named(Meeting.administrator))
        .order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    )


TABS = (Show.TO_WRITE, Show.AWAITING_APPROVAL, Show.OVERDUE)


def counts(user: User) -> dict[Show, int]:
    """How many minutes this person has to write, awaiting approval and overdue: the counts kept per day
    for someone who drafts for every meeting, else one pass over their own meetings (a meeting has at
    most one minutes, so each meeting is counted once)."""
    if _drafts_for_every_meeting(user):
        return {show: _count_every_meeting(user, show) for show in TABS}
    today = today_london()
    statement = (
        select(*(sa.func.count().filter(_condition(show, today)).label(show.name) for show in TABS))
        .select_from(Meeting)
        .outerjoin(Minutes, Minutes.meeting_id == Meeting.id)
        .where(_held(user))
    )
    row = db.session.execute(statement).one()
    return {show: getattr(row, show.name) for show in TABS}


def _drafts_for_every_meeting(user: User) -> bool:
    return user.can(Permission.VIEW_ALL_CASES) and user.can(Permission.EDIT_MINUTES)


def _held(user: User) -> sa.ColumnElement[bool]:
    """Meetings held that this person drafts for: recorded as held (which may be earlier on its day than
    the time it was set for), or not cancelled and past their start."""
    return sa.and_(
        drafting_condition(user),
        Meeting.status != MeetingStatus.CANCELLED,
        sa.or_(Meeting.status == MeetingStatus.HELD, Meeting.starts_at <= utcnow()),
    )


_STAGES = {Show.TO_WRITE: tallies.TO_WRITE, Show.AWAITING_APPROVAL: tallies.AWAITING_APPROVAL}


def _count_every_meeting(user: User, show: Show) -> int:
    """The count for someone who drafts for every meeting, from the counts kept per day
    (`tracker.minutes.tallies`): the days before today's, and today's meetings so far counted live (the
    overdue are all of earlier days)."""
    today = today_london()
    kept = MinutesTally.__table__
    if show is Show.OVERDUE:
        last_day = rules.last_meeting_day_overdue(today, rules.working_days_setting())
        before = sa.and_(kept.c.stage == tallies.UNSENT, kept.c.held_on <= last_day)
        return db.session.scalar(select(sa.func.coalesce(sa.func.sum(kept.c.meetings), 0)).where(before)) or 0
    earlier = (
        select(sa.func.coalesce(sa.func.sum(kept.c.meetings), 0))
        .where(kept.c.stage == _STAGES[show], kept.c.held_on < today)
        .scalar_subquery()
    )
    so_far_today = (
        select(sa.func.count())
        .select_from(
            minutes_statement(user, show, today)
            .where(Meeting.starts_at >= london_to_utc(today, time(0, 0)))
            .order_by(None)
            .subquery()
        )
        .scalar_subquery()
    )
    return db.session.scalar(select(earlier + so_far_today)) or 0


def awaiting_my_approval(user: User) -> int:
    """Submitted minutes of the meetings this person chairs, and of those whose approval was handed to
    them in place of a chair who has left (not those they chaired but were handed to someone else)."""
    mine = sa.or_(
        Minutes.approver_id == user.id,
        sa.and_(col(Minutes.approver_id).is_(None), Meeting.chair_id == user.id),
    )
    statement = (
        select(sa.func.count())
        .select_from(Minutes)
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .where(Minutes.status == MinutesStatus.SUBMITTED, mine)
    )
    return db.session.scalar(statement) or 0


def deadline(meeting: Meeting, first_distributed_at, today: date | None = None):
    """The distribution deadline of a meeting's minutes and where they stand against it."""
    due_on = rules.distribution_due_on(london(meeting.starts_at).date(), rules.working_days_setting())
    distributed_on = london(first_distributed_at).date() if first_distributed_at else None
    return due_on, rules.timeliness(due_on, distributed_on, today or today_london())


def distribution(minutes: Minutes | None):
    """When the minutes first went out (any version), and which versions went when (and the corrected one
    approved but not yet sent), in words (`rules.distribution_note`)."""
    if minutes is None:
        return None, ""
    sent = sorted((v.distributed_at, v.number) for v in minutes.versions if v.distributed_at)
    latest = minutes.latest_approved
    unsent = latest.number if latest is not None and latest.distributed_at is None else None
    note = rules.distribution_note([(number, london(at).date()) for at, number in sent], unsent)
    return (sent[0][0] if sent else None), note


def imported_note(meeting: Meeting) -> str:
    """For a meeting brought in from the area's records: when and by whom, from its first minutes ("" for
    any other meeting)."""
    if not meeting.imported:
        return ""
    first = db.session.exec(
        select(MinutesVersion)
        .join(Minutes, col(Minutes.id) == MinutesVersion.minutes_id)
        .where(Minutes.meeting_id == meeting.id, MinutesVersion.number == 1)
        .options(people_named(MinutesVersion.approved_by))
    ).first()
    if first is None:
        return rules.imported_note(london(meeting.created_at).date(), None)
    return version_imported_note(first, meeting)


def version_imported_note(version: MinutesVersion, meeting: Meeting) -> str:
    """The note for the version of the minutes that was brought in with its meeting ("" for any other)."""
    if not meeting.imported or version.number != 1 or version.approved_at is None:
        return ""
    by = version.approved_by.name if version.approved_by else None
    return rules.imported_note(london(version.approved_at).date(), by)
