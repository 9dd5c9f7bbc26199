"""Inviting a trained chair who has no account to make one, from the chairs' register.

Most chairs are trained long before anyone makes them an account, so the register holds them as training
records only and the chair picker cannot offer them. The TRSG sends such a chair a one-time link that
expires (through the outbox); following it, they set a password and the tracker makes their account with
the chair role and links it to their training record, so their training and CPD history is theirs and they
appear once on the register and in the picker. Only the hash of the link's token is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app, render_template, url_for
from sqlmodel import col, select

from tracker.auth import rules as auth_rules
from tracker.auth.models import AccountInvitation, User
from tracker.core import audit, mail
from tracker.core.db import db
from tracker.core.permissions import Role
from tracker.core.timeutil import format_date
from tracker.core.types import utcnow
from tracker.training.models import (
    Course,
    CourseEvent,
    CourseKind,
    Enrolment,
    EnrolmentStatus,
    Trainee,
    TraineeRole,
)


class NotInvitable(ValueError):
    """Why this person cannot be sent an invitation to make an account."""


@dataclass(frozen=True)
class Standing:
    """What decides whether a training record may be invited: has it an account, did the person complete
    chair training as a chair, and is an address already someone's account."""

    has_account: bool
    trained_as_chair: bool
    email_taken: bool


def invitation_problem(standing: Standing) -> str | None:
    """Only a trained chair without an account may be invited to make one."""
    if standing.has_account:
        return "This chair already has an account"
    if not standing.trained_as_chair:
        return "Only a chair who has completed chair training can be invited to make an account"
    if standing.email_taken:
        return "An account already uses this chair's email address: ask a system admin to link them"
    return None


def link_usable(invitation: AccountInvitation | None, now: datetime) -> bool:
    """A link works once, until it expires."""
    return invitation is not None and invitation.used_at is None and invitation.expires_at > now


def standing_of(trainee: Trainee) -> Standing:
    completed = (
        select(Enrolment.id)
        .join(CourseEvent)
        .join(Course)
        .where(
            Enrolment.trainee_id == trainee.id,
            Course.kind == CourseKind.CHAIR_COURSE,
            Enrolment.role == TraineeRole.CHAIR,
            Enrolment.status == EnrolmentStatus.COMPLETED,
        )
    )
    taken = select(User.id).where(sa.func.lower(User.email) == trainee.email.lower())
    return Standing(
        has_account=trainee.user_id is not None,
        trained_as_chair=db.session.scalar(completed.limit(1)) is not None,
        email_taken=db.session.scalar(taken.limit(1)) is not None,
    )


def pending_invitations(trainee_ids: list[int]) -> dict[int, date]:
    """Per training record: the day its latest invitation that still works was sent."""
    if not trainee_ids:
        return {}
    rows = db.session.execute(
        select(AccountInvitation.trainee_id, sa.func.max(AccountInvitation.created_at))
        .where(
            col(AccountInvitation.trainee_id).in_(trainee_ids),
            col(AccountInvitation.used_at).is_(None),
            col(AccountInvitation.expires_at) > utcnow(),
        )
        .group_by(AccountInvitation.trainee_id)
    )
    return {trainee_id: sent for trainee_id, sent in rows}


def invite(trainee: Trainee, by: User) -> AccountInvitation:
    """Send the chair a new link (any earlier one stops working), through the outbox."""
    problem = invitation_problem(standing_of(trainee))
    if problem:
        raise NotInvitable(problem)
    now = utcnow()
    for earlier in db.session.exec(
        select(AccountInvitation).where(
            AccountInvitation.trainee_id == trainee.id, col(AccountInvitation.used_at).is_(None)
        )
    ):
        earlier.expires_at = min(earlier.expires_at, now)
    token, token_hash = auth_rules.new_token()
    days = int(current_app.config["ACCOUNT_INVITATION_DAYS"])
    invitation = AccountInvitation(
        trainee_id=trainee.id,
        email=trainee.email,
        token_hash=token_hash,
        created_by_id=by.id,
        expires_at=now + timedelta(days=days),
    )
    db.session.add(invitation)
    db.session.flush()
    link = current_app.config["BASE_URL"].rstrip("/") + url_for("auth.create_account", token=token)
    message = mail.new_message(trainee.email, "Make your MAPPA Tracker account")
    message.set_content(
        render_template(
            "training/email/account_invitation.txt",
            trainee=trainee,
            link=link,
            expires=format_date(invitation.expires_at),
        )
    )
    mail.queue(message, about=invitation, summary=f"account invitation to trainee {trainee.id}")
    return invitation


def invitation_for(token: str) -> AccountInvitation | None:
    """The invitation a link names, if it still works."""
    invitation = db.session.exec(
        select(AccountInvitation).where(AccountInvitation.token_hash == auth_rules.token_hash(token))
    ).first()
    return invitation if link_usable(invitation, utcnow()) else None


def make_account(invitation: AccountInvitation, password: str) -> User:
    """The chair's account, with the chair role, linked to their training record (which keeps its
    history); the link is used up."""
    trainee = db.session.get(Trainee, invitation.trainee_id)
    problem = invitation_problem(standing_of(trainee))
    if problem:
        raise NotInvitable(problem)
    now = utcnow()
    user = User(
        name=trainee.name,
        email=trainee.email,
        agency_id=trainee.agency_id,
        password_hash=auth_rules.hash_password(password),
        password_changed_at=now,
    )
    user.set_roles({Role.CHAIR})
    db.session.add(user)
    db.session.flush()
    trainee.user_id = user.id
    invitation.used_at, invitation.user_id = now, user.id
    db.session.flush()
    audit.record("account made from invitation", user, actor=user)
    return user
