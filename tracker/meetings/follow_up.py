"""Follow-through emails after a meeting: minutes awaiting the chair's approval (to the chair), minutes
approved (to the administrator), reminders to action owners before and after an action's due date (a
daily command), what an approved correction changed in owners' actions (`tracker.meetings.action_changes`),
and a weekly digest for the co-ordinator of overdue reviews and initial meetings
and late minutes.

Every email is queued in the outbox (`tracker.core.mail.queue`) and carries references and a link
only, never a name or a case's details, as the tracker's other emails do. Each goes only to the roles
that are sent it (`RECEIVED_BY`), and each person may turn any of theirs off under Your account
(`EmailOptOut`).
"""

from __future__ import annotations

from datetime import date, timedelta
from email.message import EmailMessage

import sqlalchemy as sa
from flask import current_app, url_for
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.auth.models import User, UserRole
from tracker.core import mail, settings
from tracker.core.db import db
from tracker.core.permissions import ROLE_PERMISSIONS, Permission, Role
from tracker.core.templating import plural
from tracker.core.timeutil import london
from tracker.meetings import access, queries, rules
from tracker.meetings.models import (
    Action,
    ActionReminder,
    ActionStatus,
    AgendaItem,
    Case,
    DigestSent,
    EmailOptOut,
    Meeting,
    MeetingStatus,
    action_due_in_force,
)

MINUTES_AWAITING = "minutes_awaiting_approval"
MINUTES_APPROVED = "minutes_approved"
ACTION_REMINDERS = "action_reminders"
ACTION_CHANGES = "action_changes"
WEEKLY_DIGEST = "weekly_digest"
# Sent by the admin area (`tracker.admin.second_admins`); listed here so that Your account offers it too.
SECOND_ADMIN_REQUESTS = "second_admin_requests"

# Each email a person may turn off, as Your account lists them.
KINDS = {
    MINUTES_AWAITING: "Minutes awaiting your approval, for meetings you chair",
    MINUTES_APPROVED: "Minutes approved, for meetings you administer",
    ACTION_REMINDERS: "Reminders about actions you own, before they are due and when overdue",
    ACTION_CHANGES: "Actions given to you or taken from you, and changed when corrected minutes are approved",
    WEEKLY_DIGEST: (
        "A weekly digest of overdue reviews and initial meetings, and late minutes (co-ordinators)"
    ),
    SECOND_ADMIN_REQUESTS: (
        "Access and secure mailboxes another admin asked for, waiting for you to confirm (system admins)"
    ),
}

# The same, as Your account sums them up in a list.
SHORT_NAMES = {
    MINUTES_AWAITING: "minutes to approve",
    MINUTES_APPROVED: "minutes approved",
    ACTION_REMINDERS: "action reminders",
    ACTION_CHANGES: "actions given or taken",
    WEEKLY_DIGEST: "weekly digest",
    SECOND_ADMIN_REQUESTS: "requests to confirm",
}


def _roles_with(*permissions: Permission) -> frozenset[Role]:
    return frozenset(role for role, given in ROLE_PERMISSIONS.items() if set(permissions) & given)


# Who each email goes to, by role, as the rest of the tracker names them: the chair and administrator of a
# meeting are chosen from those roles (and approve or distribute its minutes only while they hold them),
# an action's owner from everyone who may see case data, the digest to the co-ordinators, and requests to
# the admins who may confirm them. A person is offered, and sent, only the emails of the roles they hold.
RECEIVED_BY: dict[str, frozenset[Role]] = {
    MINUTES_AWAITING: frozenset({Role.CHAIR}),
    MINUTES_APPROVED: frozenset({Role.ADMINISTRATOR}),
    ACTION_REMINDERS: _roles_with(Permission.VIEW_CASE_DATA),
    ACTION_CHANGES: _roles_with(Permission.VIEW_CASE_DATA),
    WEEKLY_DIGEST: frozenset({Role.COORDINATOR}),
    SECOND_ADMIN_REQUESTS: _roles_with(Permission.MANAGE_USERS, Permission.MANAGE_AGENCIES),
}

DUE_SOON, OVERDUE = "due_soon", "overdue"

REMINDER_DAYS = settings.define(
    "action_reminder_days",
    3,
    "Action owners reminded (days before the due date)",
    hint="The daily reminder tells an action's owner this many days before it is due, and again once it "
    "is overdue.",
    group=rules.GROUP,
    minimum=1,
    maximum=60,
)


def link(endpoint: str, **values) -> str:
    """The page's full address, for an email."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def turned_off(user_id: int) -> set[str]:
    return set(db.session.exec(select(EmailOptOut.kind).where(EmailOptOut.user_id == user_id)))


def kinds_for(user: User) -> dict[str, str]:
    """The emails this person's roles are sent (of `KINDS`, in its order), with what each is."""
    roles = user.roles
    return {kind: label for kind, label in KINDS.items() if roles & RECEIVED_BY[kind]}


def summary(user: User) -> str:
    """The emails this person's roles are sent, in a few words for Your account."""
    text = ", ".join(SHORT_NAMES[kind] for kind in kinds_for(user)) or "none sent to your roles"
    return text[:1].upper() + text[1:]


def wants(user: User | None, kind: str) -> bool:
    """Whether to send this person this kind of email: they are active, their roles are sent it (those
    they are offered under Your account) and they have not turned it off."""
    return user is not None and user.active and kind in kinds_for(user) and kind not in turned_off(user.id)


def message(person: User, subject: str, body: str) -> EmailMessage:
    """A follow-through email to the person (it says how to turn such emails off)."""
    email = mail.new_message(person.email, subject)
    email.set_content(
        f"Dear {person.name},\n\n{body}\n\n"
        "You can turn these emails off under Your account in MAPPA Tracker.\n"
    )
    return email


def minutes_submitted(meeting: Meeting, approver: User | None = None, by: User | None = None) -> None:
    """Tell the chair (or the chair handed the approval in place of one who has left: `approver`) that the
    minutes await their approval (sent once the change is saved), unless they submitted them (`by`)."""
    approver = approver or meeting.chair
    if by is not None and approver is not None and approver.id == by.id:
        return
    _minutes_notice(
        approver,
        MINUTES_AWAITING,
        meeting,
        f"Minutes of MAPPA meeting {meeting.reference} await your approval",
        f"The minutes of MAPPA meeting {meeting.reference} have been submitted for your approval:",
    )


def minutes_approved(meeting: Meeting) -> None:
    """Tell the administrator that the chair approved the minutes, ready to distribute."""
    _minutes_notice(
        meeting.administrator,
        MINUTES_APPROVED,
        meeting,
        f"Minutes of MAPPA meeting {meeting.reference} approved",
        f"The chair approved the minutes of MAPPA meeting {meeting.reference}. They are ready to distribute:",
    )


def approval_handed_over(person: User, meetings: list[Meeting]) -> bool:
    """Tell a chair that the co-ordinator handed them the approval of these meetings' minutes, in place of
    the chair who has left: the references and links, naming no one. Whether the email was queued."""
    if not meetings or not wants(person, MINUTES_AWAITING):
        return False
    if len(meetings) == 1:
        subject = f"Minutes of MAPPA meeting {meetings[0].reference} handed to you for approval"
    else:
        subject = f"Minutes of {len(meetings)} MAPPA meetings handed to you for approval"
    links = "\n".join(
        f"- {meeting.reference}: {link('minutes.minutes_view', meeting_id=meeting.id)}"
        for meeting in meetings
    )
    body = (
        "The MAPPA co-ordinator has handed you the approval of these minutes, in place of the chair of the "
        f"meeting, who has left. Read them and approve them when they are submitted to you:\n\n{links}"
    )
    mail.queue(message(person, subject, body))
    return True


def _minutes_notice(person, preference: str, meeting: Meeting, subject: str, lead: str) -> None:
    """Email `person` about the meeting's minutes, with a link to them, if they want such emails."""
    if not wants(person, preference):
        return
    url = link("minutes.minutes_view", meeting_id=meeting.id)
    mail.queue(message(person, subject, f"{lead}\n\n{url}"))


def _threshold(action: Action, today: date) -> str:
    return OVERDUE if action.due_in_force < today else DUE_SOON


def reminders_due(today: date) -> list[tuple[Action, str]]:
    """Open actions with a named owner, due within the set number of days or overdue, with the threshold
    each has reached and not yet been reminded of."""
    horizon = today + timedelta(days=settings.get(REMINDER_DAYS.key))
    actions = db.session.exec(
        select(Action)
        .where(
            Action.status == ActionStatus.OPEN,
            col(Action.owner_id).is_not(None),
            action_due_in_force() <= horizon,
        )
        .options(
            selectinload(Action.owner),
            selectinload(Action.agenda_item).selectinload(AgendaItem.meeting),
        )
        .order_by(action_due_in_force(), Action.id)
    ).all()
    sent = set(
        db.session.exec(
            select(ActionReminder.action_id, ActionReminder.threshold).where(
                col(ActionReminder.action_id).in_([a.id for a in actions])
            )
        ).all()
    )
    return [(a, _threshold(a, today)) for a in actions if (a.id, _threshold(a, today)) not in sent]


def send_action_reminders(today: date) -> int:
    """Remind each owner once per action and threshold; the reminders are recorded so that running the
    command again sends nothing new. Returns how many were sent (flushes; the caller commits)."""
    count = 0
    for action, threshold in reminders_due(today):
        owner = action.owner
        db.session.add(ActionReminder(action_id=action.id, threshold=threshold))
        if not wants(owner, ACTION_REMINDERS):
            continue
        meeting = action.agenda_item.meeting
        when = f"{'was' if threshold == OVERDUE else 'is'} due on {action.due_in_force:%-d %B %Y}"
        subject = (
            f"An action from MAPPA meeting {meeting.reference} is overdue"
            if threshold == OVERDUE
            else f"An action from MAPPA meeting {meeting.reference} is due soon"
        )
        mail.queue(
            message(
                owner,
                subject,
                f"An action you own from MAPPA meeting {meeting.reference} {when}. See your actions:\n\n"
                f"{link('meetings.action_list')}",
            )
        )
        count += 1
    db.session.flush()
    return count


def _late_minutes(today: date) -> list[Meeting]:
    """Held meetings whose minutes are past their distribution date and were never distributed, however
    long ago, as the co-ordinator's overdue list has them (a meeting brought in from the area's records
    was never due to send its minutes through the tracker)."""
    from tracker.minutes.models import Minutes, MinutesVersion

    distributed = (
        select(Minutes.meeting_id)
        .join(MinutesVersion, col(MinutesVersion.minutes_id) == Minutes.id)
        .where(col(MinutesVersion.distributed_at).is_not(None))
    )
    meetings = db.session.exec(
        select(Meeting)
        .where(Meeting.status == MeetingStatus.HELD, sa.not_(Meeting.imported))
        .where(col(Meeting.id).not_in(distributed))
        .order_by(Meeting.starts_at)
    ).all()
    working_days = rules.minutes_working_days()
    return [m for m in meetings if rules.minutes_due_on(london(m.starts_at).date(), working_days) < today]


def send_weekly_digest(today: date) -> int:
    """The co-ordinators' digest: how many reviews and initial meetings are overdue (of the cases each may
    see) and which meetings' minutes are late, by reference. Each person gets it once a week (the week
    from Monday): what is sent is recorded, so running the command again that week sends nothing new.
    Returns how many were sent (flushes; the caller commits)."""
    week_of = today - timedelta(days=today.weekday())
    already = select(DigestSent.user_id).where(DigestSent.week_of == week_of)
    coordinators = db.session.exec(
        select(User).where(
            User.active,
            col(User.id).in_(select(UserRole.user_id).where(UserRole.role == Role.COORDINATOR)),
            col(User.id).not_in(already),
        )
    ).all()
    late = _late_minutes(today)
    count = 0
    for person in coordinators:
        if not wants(person, WEEKLY_DIGEST):
            continue
        # Never discussed: no meeting here, nor a review date brought in with the caseload.
        initial_due = sa.and_(col(Case.last_reviewed_on).is_(None), col(Case.next_review_on).is_(None))
        overdue, initial = db.session.execute(
            select(sa.func.count(Case.id), sa.func.count(Case.id).filter(initial_due)).where(
                access.case_condition(person), queries.overdue_condition(today)
            )
        ).one()
        lines = [
            f"Meetings overdue: {overdue} ({plural(overdue - initial, 'review')}, "
            f"{plural(initial, 'initial meeting')}).",
            f"Meetings with late minutes: {len(late)}.",
        ]
        lines += [f"- {meeting.reference}" for meeting in late]
        lines += ["", f"The cases: {link('meetings.case_list', review='overdue')}"]
        db.session.add(DigestSent(user_id=person.id, week_of=week_of))
        mail.queue(
            message(person, f"MAPPA weekly digest, week of {week_of:%-d %B %Y}", "\n".join(lines))
        )
        count += 1
    db.session.flush()
    return count
