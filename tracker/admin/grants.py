"""Four eyes on every grant of wide access: a role that reads every case (co-ordinator), reaches any case
(MAPPA administrator: any case may go on the agenda of a meeting it administers) or gives roles (system
admin), clearance for Category 4 cases, a new email address for an account that has any of these or reads
case data (its next password link goes there), and a new secure mailbox for an agency (its invitations and
links to minutes go there), take effect only when a second system admin confirms what the first asked
for. Neither the admin who asked nor the person it is for confirms it, nor an admin
whose own admin role the one who asked had asked for: one person with two admin accounts is still one
pair of eyes. Turning a request down is open to any admin; taking access away needs no second admin.
`one_admin_must_not_take_over` is the one rule of which accounts one admin alone must never be able to take
over: their password links are never shown on screen, and a new address for them waits for a second admin."""

from __future__ import annotations

from enum import Enum, auto

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth import sessions
from tracker.auth.models import AccessGrant, Agency, GrantOutcome, MailboxChange, Privilege, User
from tracker.core import audit
from tracker.core.db import db
from tracker.core.permissions import Permission, Role, permissions_for
from tracker.core.types import utcnow

WIDE_ROLES = frozenset(p.role for p in Privilege if p.role is not None)


class Refused(Exception):
    """A grant this admin may not confirm; the message says why."""


def held_back(user: User | None, roles: set[Role], cleared: bool) -> tuple[set[Role], bool, list[Privilege]]:
    """Of what a form gives an account (a new one when `user` is None): the roles and clearance to save
    now, and the privileges it newly asks for, which wait for a second admin."""
    current = set(user.roles) if user is not None else set()
    asked = sorted(((roles - current) & WIDE_ROLES), key=lambda role: role.name)
    privileges = [Privilege[role.name] for role in asked]
    was_cleared = bool(user is not None and user.terrorism_cleared)
    if cleared and not was_cleared:
        privileges.append(Privilege.CATEGORY_4)
    return roles - set(asked), was_cleared if cleared else False, privileges


def has_wide_access(user: User) -> bool:
    """A role that reads every case or gives roles, or clearance: a new email address for the account
    (where its next password link goes) waits for a second admin too."""
    return bool(set(user.roles) & WIDE_ROLES) or user.terrorism_cleared


def one_admin_must_not_take_over(user: User, roles: set[Role] | None = None, cleared: bool = False) -> bool:
    """Whether one admin alone must never be able to take this account over, by setting its password or
    giving it an address he reads (`guarded_because` says why). Its password link then goes only to its
    own address, never shown on screen, and a new address waits for a second admin."""
    return guarded_because(user, roles, cleared) is not None


def guarded_because(user: User, roles: set[Role] | None = None, cleared: bool = False) -> str | None:
    """Why one admin alone must never be able to take this account over, as it reads after the person's
    name ("... account reads case records"), or None when nothing guards it: it has wide access, or waits
    for it or is being given it (`roles` and `cleared`: what a save gives or asks for); it reads case data
    now or will with `roles`; or it has a part in a meeting or a case (giving it a role back later would
    open those to whoever holds it). An account with none of these (the TRSG's, the Board's, a lay
    adviser's) reads no case record, so an admin may hand over its link himself where no mail goes out."""
    given, asked = set(roles or ()), {grant.privilege for grant in waiting_for(user)}
    if has_wide_access(user):
        return "has wide access"
    if asked - {Privilege.NEW_EMAIL} or given & WIDE_ROLES or (cleared and not user.terrorism_cleared):
        return "waits for a second admin to confirm wide access"
    if Permission.VIEW_CASE_DATA in permissions_for(set(user.roles) | given):
        return "reads case records"
    if _has_case_work(user):
        return "has a part in meetings or cases"
    if asked:
        return "waits for a second admin to confirm a new email address"
    return None


def _has_case_work(user: User) -> bool:
    """Whether the account is named on any meeting, invitation, case, agenda item or action."""
    from tracker.meetings.models import Action, AgendaItem, Case, Invitation, Meeting

    parts = [
        select(Meeting.id).where(sa.or_(Meeting.chair_id == user.id, Meeting.administrator_id == user.id)),
        select(Invitation.id).where(Invitation.user_id == user.id),
        select(Case.id).where(sa.or_(Case.lead_officer_id == user.id, Case.created_by_id == user.id)),
        select(AgendaItem.id).where(AgendaItem.presenting_officer_id == user.id),
        select(Action.id).where(Action.owner_id == user.id),
    ]
    return any(db.session.exec(part.limit(1)).first() is not None for part in parts)


def ask(actor: User, user: User, privileges: list[Privilege], new_email: str = "") -> list[AccessGrant]:
    """Record the requests (one waiting request a privilege: asking again adds nothing; a new email
    address asked for again replaces the one waiting)."""
    waiting = {grant.privilege: grant for grant in waiting_for(user)}
    if new_email:
        earlier = waiting.pop(Privilege.NEW_EMAIL, None)
        if earlier is not None:
            _decide(actor, earlier, GrantOutcome.WITHDRAWN)
        privileges = [*privileges, Privilege.NEW_EMAIL]
    made = [
        AccessGrant(
            user_id=user.id,
            privilege=privilege,
            requested_by_id=actor.id,
            detail=new_email if privilege is Privilege.NEW_EMAIL else "",
        )
        for privilege in privileges
        if privilege not in waiting
    ]
    db.session.add_all(made)
    _tell_second_admins(made)
    return made


def _tell_second_admins(made: list[AccessGrant] | MailboxChange) -> None:
    from tracker.admin import second_admins

    if isinstance(made, MailboxChange):
        second_admins.tell_about_mailbox(made)
    else:
        second_admins.tell_about_grants(made)


def withdraw_unticked(actor: User, user: User, roles: set[Role], cleared: bool) -> None:
    """A role or clearance waiting for a second admin that the form no longer asks for is withdrawn."""
    for grant in waiting_for(user):
        role = grant.privilege.role
        unticked = role not in roles if role is not None else not cleared
        if grant.privilege is not Privilege.NEW_EMAIL and unticked:
            _decide(actor, grant, GrantOutcome.WITHDRAWN)


def waiting_for(user: User) -> list[AccessGrant]:
    return list(
        db.session.exec(
            select(AccessGrant)
            .where(AccessGrant.user_id == user.id, AccessGrant.outcome == GrantOutcome.WAITING)
            .order_by(col(AccessGrant.id))
        )
    )


def waiting() -> list[AccessGrant]:
    """Every request waiting for a second admin, oldest first."""
    return list(
        db.session.exec(
            select(AccessGrant)
            .where(AccessGrant.outcome == GrantOutcome.WAITING)
            .order_by(col(AccessGrant.id))
        )
    )


def why_not(actor: User, grant: AccessGrant) -> str | None:
    """Why this admin may not confirm the grant (None when they may)."""
    from tracker.admin.services import may_change

    if grant.outcome is not GrantOutcome.WAITING:
        return f"This request was {grant.outcome.label.lower()} already"
    if actor.id == grant.requested_by_id:
        return "You asked for this: another system admin confirms it"
    if actor.id == grant.user_id:
        return "This is for you: another system admin confirms it"
    if grant.privilege is Privilege.CATEGORY_4 and not actor.terrorism_cleared:
        return "Only a system admin cleared for Category 4 cases can confirm a clearance: ask one"
    if not may_change(actor, grant.user):
        return f"{grant.user.name} is cleared for Category 4 cases: only a cleared system admin confirms this"
    if _asked_admin_role(of=actor.id, by=grant.requested_by_id):
        return (
            f"{grant.requested_by.name} asked for your own admin role, so your confirmation would not be a "
            "second person's: another system admin confirms this"
        )
    if _asked_admin_role(of=grant.requested_by_id, by=actor.id):
        return (
            f"You asked for {grant.requested_by.name}'s admin role, so your confirmation would not be a "
            "second person's: another system admin confirms this"
        )
    role = grant.privilege.role
    if role is not None and (problem := problem_with_roles(grant.user, {*grant.user.roles, role})):
        return problem
    if not grant.user.active:
        return f"{grant.user.name}'s account is deactivated"
    return None


def _asked_admin_role(of: int, by: int) -> bool:
    """Whether `by` asked for `of`'s admin role (the two accounts may be one person's)."""
    asked = select(AccessGrant.id).where(
        AccessGrant.user_id == of,
        AccessGrant.privilege == Privilege.SYSTEM_ADMIN,
        AccessGrant.requested_by_id == by,
    )
    return db.session.exec(asked).first() is not None


def problem_with_roles(user: User, roles: set[Role]) -> str | None:
    """What is wrong with the account having these roles in its agency as it is now (None if nothing)."""
    from tracker.admin.services import Refused as NotAllowed
    from tracker.admin.services import ensure_case_roles_where_records_are_held

    try:
        ensure_case_roles_where_records_are_held(user.agency_id, roles)
    except NotAllowed as refused:
        return str(refused)
    return None


class Confirmed(Enum):
    """What confirming a grant did besides, for the admin to be told."""

    NOTHING_MORE = auto()
    # A password set through a link an admin was shown was ended; a new link went to the person.
    PASSWORD_ENDED = auto()
    # An unused link an admin was shown stopped working; a new one went to the person.
    SHOWN_LINK_REPLACED = auto()
    # An unused link that went to the old address stopped working; a new one went to the new address.
    LINK_SENT_TO_NEW_ADDRESS = auto()


def confirm(actor: User, grant: AccessGrant) -> Confirmed:
    """The second admin's confirmation: the account has the privilege from now. An unused password link
    an admin was shown stops working (the admin who asked may have been shown it), and a password set
    through such a link is ended (`end_password_an_admin_saw`); a link emailed to the person's own address
    stays. A new email address ends every unused link, since they went to the old one. Whenever a link
    that still worked is ended, a new one goes to the person's own address at once, so they are not left
    with none.

    A role or clearance also signs the person out everywhere (as a new password does): a session
    started before, perhaps in a browser left open or by someone who had only the password, must not go
    on with the wider access. They sign in again, with a security code where the role needs one."""
    from tracker.admin.services import email_password_link, end_password_an_admin_saw, withdraw_password_links

    problem = why_not(actor, grant)
    if problem:
        raise Refused(problem)
    user = grant.user
    new_email = grant.privilege is Privilege.NEW_EMAIL
    if new_email:
        _change_email(actor, grant)
    elif grant.privilege.role is not None:
        user.set_roles(set(user.roles) | {grant.privilege.role})
    else:
        user.terrorism_cleared = True
    ended_a_live_link = withdraw_password_links(user, only_shown=not new_email)
    _decide(actor, grant, GrantOutcome.CONFIRMED)
    if not new_email and end_password_an_admin_saw(actor, user, why="Given wide access"):
        return Confirmed.PASSWORD_ENDED
    if not new_email:
        _sign_out_everywhere(user, grant)
    if ended_a_live_link:
        email_password_link(actor, user)
        return Confirmed.LINK_SENT_TO_NEW_ADDRESS if new_email else Confirmed.SHOWN_LINK_REPLACED
    return Confirmed.NOTHING_MORE


def _sign_out_everywhere(user: User, grant: AccessGrant) -> None:
    ended = sessions.end_all_for(user, reason="access-granted")
    if ended:
        summary = f"{ended} session(s) ended: given the {grant.in_sentence}"
        audit.record("sessions ended", user, summary=summary)


def _change_email(actor: User, grant: AccessGrant) -> None:
    """The new address from now; the old one is told who asked for it and who confirmed it."""
    from tracker.admin.mail import send_email_changed

    user, address = grant.user, grant.detail
    taken = select(User.id).where(User.email == address, User.id != user.id)
    if db.session.exec(taken).first() is not None:
        raise Refused(f"There is already an account with the email address {address}: refuse this request")
    old_address, user.email = user.email, address
    send_email_changed(user, old_address, by=grant.requested_by, confirmed_by=actor)


def turn_down(actor: User, grant: AccessGrant | MailboxChange) -> None:
    """Refuse the request (withdraw it, for the admin who asked): nothing is granted, and an agency asked
    a new mailbox for keeps its own."""
    if grant.outcome is not GrantOutcome.WAITING:
        raise Refused(f"This request was {grant.outcome.label.lower()} already")
    asker = actor.id == grant.requested_by_id
    _decide(actor, grant, GrantOutcome.WITHDRAWN if asker else GrantOutcome.REFUSED)


def _decide(actor: User, grant: AccessGrant | MailboxChange, outcome: GrantOutcome) -> None:
    grant.outcome, grant.decided_by_id, grant.decided_at = outcome, actor.id, utcnow()


# An agency's secure mailbox ---------------------------------------------------------------------
# Invitations to the agency and links to minutes go to its secure mailbox: a new one, like a wide-access
# account's new email address, takes effect only when a second admin confirms it. Taking the mailbox away
# (leaving the field empty) sends nothing anywhere and needs no second admin.


def ask_mailbox(actor: User, agency: Agency, address: str) -> MailboxChange | None:
    """Record a new secure mailbox for the agency, waiting for a second admin (one waiting an agency: another
    address replaces it). None when the address is the agency's already (the form shows the mailbox in
    use, so saving other details leaves a waiting change alone)."""
    if address == agency.secure_mailbox:
        return None
    earlier = waiting_mailbox(agency)
    if earlier is not None:
        if earlier.address == address:
            return earlier
        _decide(actor, earlier, GrantOutcome.WITHDRAWN)
    change = MailboxChange(
        agency_id=agency.id, address=address, old_address=agency.secure_mailbox, requested_by_id=actor.id
    )
    db.session.add(change)
    _tell_second_admins(change)
    return change


def withdraw_mailbox(actor: User, agency: Agency) -> None:
    earlier = waiting_mailbox(agency)
    if earlier is not None:
        _decide(actor, earlier, GrantOutcome.WITHDRAWN)


def waiting_mailbox(agency: Agency) -> MailboxChange | None:
    return db.session.exec(
        select(MailboxChange).where(
            MailboxChange.agency_id == agency.id, MailboxChange.outcome == GrantOutcome.WAITING
        )
    ).first()


def waiting_mailboxes() -> list[MailboxChange]:
    """Every new secure mailbox waiting for a second admin, oldest first."""
    return list(
        db.session.exec(
            select(MailboxChange)
            .where(MailboxChange.outcome == GrantOutcome.WAITING)
            .order_by(col(MailboxChange.id))
        )
    )


def waiting_note(change: MailboxChange | None) -> str:
    """What the admin who saved the agency is told of a new mailbox now waiting ("" for none)."""
    if change is None:
        return ""
    address = change.address
    return f" The new secure mailbox ({address}) will take effect once another system admin confirms it."


def mailbox_page(actor: User, agency: Agency) -> dict:
    """What the agency's page shows of a new mailbox waiting: the change, and why this admin may not
    confirm it (None when they may)."""
    change = waiting_mailbox(agency)
    return {"change": change, "change_problem": why_not_mailbox(actor, change) if change else None}


def why_not_mailbox(actor: User, change: MailboxChange) -> str | None:
    """Why this admin may not confirm the new mailbox (None when they may)."""
    if change.outcome is not GrantOutcome.WAITING:
        return f"This request was {change.outcome.label.lower()} already"
    if actor.id == change.requested_by_id:
        return "You asked for this: another system admin confirms it"
    if _asked_admin_role(of=actor.id, by=change.requested_by_id) or _asked_admin_role(
        of=change.requested_by_id, by=actor.id
    ):
        return (
            f"You and {change.requested_by.name} gave one another the admin role, so your confirmation would "
            "not be a second person's: another system admin confirms this"
        )
    return None


def confirm_mailbox(actor: User, change: MailboxChange) -> None:
    """The second admin's confirmation: the agency's mailbox is the new one from now, and the old one is
    told (a change the agency did not ask for is how its minutes would be diverted)."""
    from tracker.admin.mail import send_mailbox_changed

    problem = why_not_mailbox(actor, change)
    if problem:
        raise Refused(problem)
    agency = change.agency
    old_address, agency.secure_mailbox = agency.secure_mailbox, change.address
    _decide(actor, change, GrantOutcome.CONFIRMED)
    if old_address:
        send_mailbox_changed(agency, old_address, by=actor)


def panel(user: User):
    """The admin's home page: the requests waiting for a second admin, and the admin's own requests a
    second admin refused lately (with why), if any."""
    from tracker.admin.grant_refusals import refusals_for_asker

    if not user.can(Permission.MANAGE_USERS):
        return None
    found, mailboxes, refused = waiting(), waiting_mailboxes(), refusals_for_asker(user)
    if not found and not mailboxes and not refused:
        return None
    return ("admin/panels/grants.html", {"waiting": found, "mailboxes": mailboxes, "refused": refused})
