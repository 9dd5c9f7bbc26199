"""A trained chair who has no account: the TRSG asks, from the chairs' register, for one to be made; a
system admin approves it (or refuses it, saying why), and only then is the chair emailed a one-time link
that expires (through the outbox); following it, they set a password and the tracker makes their account
with the chair role and links it to their training record, so their training and CPD history is theirs
and they appear once on the register and in the picker. Only the hash of the link's token is kept. The
TRSG member who asked is emailed the outcome, and the register shows where the latest request stands.

The chair role reads case data, and making an account that reads case data is a system admin's decision
(as making any account is): the TRSG, whose own role reads none, only asks. The admin's approval, and the
account's making, check what the admin's own account form would: nobody in an agency that holds no case
records (the Board's lay advisers) is given a role that reads them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, render_template, url_for
from sqlmodel import col, select

from tracker.auth import rules as auth_rules
from tracker.auth.models import AccountInvitation, Agency, User
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
    """Why no account can be asked for, approved or made for this person."""


@dataclass(frozen=True)
class Standing:
    """What decides whether a training record may be invited: has it an account, did the person complete
    chair training as a chair, and is an address already someone's account."""

    has_account: bool
    trained_as_chair: bool
    email_taken: bool


def invitation_problem(standing: Standing) -> str | None:
    """Only a trained chair without an account may be asked an account for."""
    if standing.has_account:
        return "This chair already has an account"
    if not standing.trained_as_chair:
        return "Only a chair who has completed chair training can be invited to make an account"
    if standing.email_taken:
        return "An account already uses this chair's email address: ask a system admin to link them"
    return None


class RequestState(enum.Enum):
    """Where an account the TRSG asked for stands, as the chairs' register and the admin read it."""

    WAITING = "waiting for a system admin"
    LAPSED = "lapsed with no decision"  # (or replaced by a newer request)
    REFUSED = "refused"
    LINK_SENT = "approved, the link sent"
    LINK_LAPSED = "approved, the link lapsed unused"
    USED = "account made"


# After these, the TRSG is offered to ask again: nothing it asked for is under way.
ENDED = frozenset({RequestState.LAPSED, RequestState.REFUSED, RequestState.LINK_LAPSED, RequestState.USED})


def request_state(invitation: AccountInvitation, now: datetime) -> RequestState:
    """Where the request stands: a request waits for a system admin, who approves it (emailing the chair
    a link) or refuses it; a request or a link not acted on lapses (as does one replaced by a newer)."""
    if invitation.used_at is not None:
        return RequestState.USED
    if invitation.refused_at is not None:
        return RequestState.REFUSED
    current = invitation.expires_at > now
    if invitation.approved_at is not None:
        return RequestState.LINK_SENT if current else RequestState.LINK_LAPSED
    return RequestState.WAITING if current else RequestState.LAPSED


def link_usable(invitation: AccountInvitation | None, now: datetime) -> bool:
    """A link works once, until it expires, and only once a system admin approved the account."""
    return invitation is not None and request_state(invitation, now) is RequestState.LINK_SENT


def request_open(invitation: AccountInvitation, now: datetime) -> bool:
    """An account asked for that waits for a system admin (it lapses as a link would)."""
    return request_state(invitation, now) is RequestState.WAITING


def chair_barred(agency: Agency) -> str | None:
    """Why no one in this agency may hold the chair role, if no one may: the rule of the admin's account
    form (an agency that holds no case records, the Board's lay advisers, has no role that reads them),
    said as the TRSG, an admin and the person themselves need it said."""
    from tracker.admin.services import Refused, ensure_case_roles_where_records_are_held

    try:
        ensure_case_roles_where_records_are_held(agency.id, {Role.CHAIR})
    except Refused:
        return (
            f"{agency.name} holds no case records, and a chair's account reads them (lay advisers are not "
            "chairs)"
        )
    if not agency.active:
        return f"{agency.name} is no longer active: no account is made in it"
    return None


def agency_problem(trainee: Trainee) -> str | None:
    """Why the chair's agency cannot have a chair's account in it, if it cannot."""
    barred = chair_barred(trainee.agency)
    return f"{trainee.name} cannot have a chair's account: {barred}" if barred else None


def account_problem(trainee: Trainee) -> str | None:
    """Why no chair's account can be made for this training record, if none can."""
    return invitation_problem(standing_of(trainee)) or agency_problem(trainee)


def link_problem(invitation: AccountInvitation) -> str | None:
    """Why a link that has not lapsed can make no account now (the person's agency no longer active, or one
    that holds no case records), said before they choose a password; None when it can."""
    trainee = db.session.get(Trainee, invitation.trainee_id)
    return chair_barred(trainee.agency) if trainee is not None else None


def barred_from_chairing(trainee_ids: list[int]) -> dict[int, str]:
    """Per training record (of those given) whose person may not hold the chair role, why not (for the
    chairs' register, which offers no account to ask for them). One query: each record's agency is
    joined to it."""
    if not trainee_ids:
        return {}
    trainees = db.session.exec(select(Trainee).where(col(Trainee.id).in_(trainee_ids))).all()
    found = {trainee.id: chair_barred(trainee.agency) for trainee in trainees}
    return {trainee_id: barred for trainee_id, barred in found.items() if barred}


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


@dataclass(frozen=True)
class Asked:
    """The latest account asked for a chair, and where it stands."""

    invitation: AccountInvitation
    state: RequestState

    @property
    def may_ask_again(self) -> bool:
        return self.state in ENDED


def latest_requests(trainee_ids: list[int]) -> dict[int, Asked]:
    """Per training record (of those given) with an account ever asked for: the latest request, and
    where it stands. One query (ids are never given out twice, so the highest is the latest)."""
    if not trainee_ids:
        return {}
    latest = (
        select(sa.func.max(AccountInvitation.id))
        .where(col(AccountInvitation.trainee_id).in_(trainee_ids))
        .group_by(AccountInvitation.trainee_id)
    )
    now = utcnow()
    found = db.session.exec(select(AccountInvitation).where(col(AccountInvitation.id).in_(latest)))
    return {asked.trainee_id: Asked(asked, request_state(asked, now)) for asked in found}


def ask(trainee: Trainee, by: User) -> AccountInvitation:
    """The TRSG asks a system admin to make the chair's account (any earlier request or link stops
    working). Nothing goes to the chair yet: they are emailed a link once an admin approves."""
    problem = account_problem(trainee)
    if problem:
        raise NotInvitable(problem)
    now = utcnow()
    _end_earlier(trainee, now)
    # No link is given out until an admin approves: the token kept is one no one was given.
    _token, token_hash = auth_rules.new_token()
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
    audit.record("account asked for", invitation, summary=f"a chair's account for trainee {trainee.id}")
    return invitation


def _end_earlier(trainee: Trainee, now: datetime) -> None:
    for earlier in db.session.exec(
        select(AccountInvitation).where(
            AccountInvitation.trainee_id == trainee.id, col(AccountInvitation.used_at).is_(None)
        )
    ):
        earlier.expires_at = min(earlier.expires_at, now)


def waiting_requests() -> list[AccountInvitation]:
    """The accounts the TRSG asked for that wait for a system admin, oldest first."""
    return list(
        db.session.exec(
            select(AccountInvitation)
            .where(
                col(AccountInvitation.approved_at).is_(None),
                col(AccountInvitation.refused_at).is_(None),
                col(AccountInvitation.used_at).is_(None),
                col(AccountInvitation.expires_at) > utcnow(),
            )
            .order_by(col(AccountInvitation.id))
        )
    )


def approve(invitation: AccountInvitation, by: User) -> User | None:
    """A system admin approves the chair's account: the chair is emailed a new one-time link (through the
    outbox) to set a password, which makes the account, and the TRSG member who asked is told. Returns
    who was told, if anyone was."""
    if not request_open(invitation, utcnow()):
        raise NotInvitable("This request has been dealt with already, or has lapsed")
    trainee = _trainee_who_may_have_one(invitation)
    now = utcnow()
    token, token_hash = auth_rules.new_token()
    days = int(current_app.config["ACCOUNT_INVITATION_DAYS"])
    invitation.token_hash, invitation.approved_at = token_hash, now
    invitation.email, invitation.expires_at = trainee.email, now + timedelta(days=days)
    db.session.flush()
    audit.record("account approved", invitation, summary=f"a chair's account for trainee {trainee.id}")
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
    return _tell_who_asked(invitation, trainee)


def _trainee_who_may_have_one(invitation: AccountInvitation) -> Trainee:
    """The person the account is for; NotInvitable when they may not have a chair's account."""
    trainee = db.session.get(Trainee, invitation.trainee_id)
    if problem := account_problem(trainee):
        raise NotInvitable(problem)
    return trainee


def refuse(invitation: AccountInvitation, by: User, reason: str) -> User | None:
    """A system admin refuses the account, saying why: the request ends, no link is sent, and the TRSG
    member who asked is told (the chairs' register shows the refusal and its reason). Returns who was
    told, if anyone was."""
    if not request_open(invitation, utcnow()):
        raise NotInvitable("This request has been dealt with already, or has lapsed")
    if not reason.strip():
        raise NotInvitable("Enter why the account is refused")
    now = utcnow()
    invitation.refused_at, invitation.refusal_reason = now, reason.strip()
    invitation.expires_at = now
    db.session.flush()
    audit.record(
        "account refused", invitation, summary=f"a chair's account for trainee {invitation.trainee_id}"
    )
    return _tell_who_asked(invitation, db.session.get(Trainee, invitation.trainee_id))


def _tell_who_asked(invitation: AccountInvitation, trainee: Trainee) -> User | None:
    """Email the TRSG member who asked for the account what a system admin decided (through the outbox):
    the chair's name and the outcome, nothing else (the reason for a refusal is on the register)."""
    asker = invitation.created_by
    if asker is None or not asker.active:
        return None
    approved = invitation.approved_at is not None
    outcome = "approved" if approved else "refused"
    message = mail.new_message(asker.email, f"The chair's account you asked for is {outcome}")
    message.set_content(
        render_template(
            "training/email/account_request_outcome.txt",
            asker=asker,
            trainee=trainee,
            approved=approved,
            asked_on=format_date(invitation.created_at),
            expires=format_date(invitation.expires_at),
            register=current_app.config["BASE_URL"].rstrip("/") + url_for("training.chairs_register"),
        )
    )
    mail.queue(message, about=invitation, summary=f"account request {outcome}, to user {asker.id}")
    return asker


def invitation_for(token: str) -> AccountInvitation | None:
    """The invitation a link names, if it still works."""
    invitation = db.session.exec(
        select(AccountInvitation).where(AccountInvitation.token_hash == auth_rules.token_hash(token))
    ).first()
    return invitation if link_usable(invitation, utcnow()) else None


def make_account(invitation: AccountInvitation, password: str) -> User:
    """The chair's account, with the chair role, linked to their training record (which keeps its
    history); the link (of an account a system admin approved) is used up."""
    if not link_usable(invitation, utcnow()):
        raise NotInvitable("This link does not work: ask the TRSG")
    trainee = _trainee_who_may_have_one(invitation)
    now = utcnow()
    user = User(
        name=trainee.name,
        email=trainee.email,
        agency_id=trainee.agency_id,
        password_hash=auth_rules.hash_password(password),
        password_changed_at=now,
        # Only a chair who completed chair training is given an account: the meetings read it from here.
        chair_trained=True,
        chair_trained_by_course=True,
    )
    user.set_roles({Role.CHAIR})
    db.session.add(user)
    db.session.flush()
    trainee.user_id = user.id
    invitation.used_at, invitation.user_id = now, user.id
    db.session.flush()
    audit.record("account made from invitation", user, actor=user)
    return user
