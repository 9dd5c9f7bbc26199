"""Changes an admin makes to accounts (agencies: `tracker.admin.agencies`), one function per change, each
taking the admin acting. The views parse the forms; these change the records and leave the commit to the
request.

Accounts and agencies carry no version on their forms: a system admin's edit of them is rare enough that
the last save is kept (the audit trail records each).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from sqlmodel import col, select

from tracker.admin import grants
from tracker.admin.mail import (
    reset_url,
    send_account_made,
    send_email_changed,
    send_reset_link,
    send_two_factor_reset,
)
from tracker.auth import rules, sessions
from tracker.auth import services as auth_services
from tracker.auth.models import Agency, PasswordReset, Privilege, User
from tracker.core import audit
from tracker.core.db import db
from tracker.core.mail import is_configured as mail_configured
from tracker.core.models import AuditEvent
from tracker.core.permissions import Permission, Role, permissions_for
from tracker.core.types import utcnow

# Accounts ---------------------------------------------------------------------------------------


def _apply(user: User, details: dict[str, Any], roles: set[Role]) -> None:
    for name, value in details.items():
        setattr(user, name, value)
    user.set_roles(roles)


def create_account(actor: User, details: dict[str, Any], roles: set[Role]) -> User:
    """A new account (always active), flushed so that it has an id for its first password link. A role
    that reads every case or gives roles, and clearance, wait for a second admin (`grants`)."""
    _ensure_may_clear(actor, None, details)
    ensure_case_roles_where_records_are_held(details["agency_id"], roles)
    now, cleared, asked = grants.held_back(None, roles, bool(details.get("terrorism_cleared")))
    user = User(**{**details, "terrorism_cleared": cleared, "active": True})
    user.set_roles(now)
    db.session.add(user)
    db.session.flush()
    grants.ask(actor, user, asked)
    return user


class Refused(Exception):
    """A change the rules do not allow; the message says why (`field`: the form field it is about)."""

    def __init__(self, message: str, field: str = "roles"):
        super().__init__(message)
        self.field = field


def update_account(actor: User, user: User, details: dict[str, Any], roles: set[Role]) -> bool:
    """Save an account's details and roles; deactivating it signs the person out everywhere. An admin
    gives no role and no Category 4 clearance to themselves; a role that reads every case or gives roles,
    and clearance, wait for a second admin to confirm them (`grants`). An account one admin alone must not
    take over that gains access here (a role, or made active again) loses a password an admin may have
    set (`end_password_an_admin_saw`): returns whether it did."""
    if actor.id == user.id:
        if roles - set(user.roles):
            raise Refused("You cannot give yourself a role: ask another system admin")
        if details.get("terrorism_cleared") and not user.terrorism_cleared:
            raise Refused(
                "You cannot clear yourself for Category 4 cases: ask another system admin",
                field="terrorism_cleared",
            )
    _ensure_may_clear(actor, user, details)
    ensure_may_change(actor, user)
    if user.terrorism_cleared and not details.get("terrorism_cleared", True):
        _ensure_no_category_4_part(user)
    ensure_case_roles_where_records_are_held(details.get("agency_id", user.agency_id), roles)
    clearance = details.get("terrorism_cleared", user.terrorism_cleared)
    grants.withdraw_unticked(actor, user, roles, clearance)
    # Where the next password link of an account one admin must not take over would go (as it is, or with
    # what this save gives or asks for): a second admin confirms a new one.
    guarded = grants.one_admin_must_not_take_over(user, roles, clearance)
    roles, cleared, asked = grants.held_back(user, roles, clearance)
    address = details.get("email", user.email)
    new_email = address if address != user.email and guarded else ""
    details = {**details, "terrorism_cleared": cleared, "email": user.email if new_email else address}
    grants.ask(actor, user, asked, new_email=new_email)
    was_active, old_address = user.active, user.email
    more_access = bool(roles - set(user.roles)) or (
        details.get("terrorism_cleared", False) and not user.terrorism_cleared
    )
    if details.get("chair_trained", user.chair_trained) != user.chair_trained:
        user.chair_trained_by_course = False  # set or taken back by hand, which no register undoes
    _apply(user, details, roles)
    if user.email != old_address or (was_active and not user.active):
        withdraw_password_links(user)
    elif more_access:
        withdraw_password_links(user, only_shown=True)
    if user.email != old_address:
        send_email_changed(user, old_address, by=actor)
    if was_active and not user.active:
        sessions.end_all_for(user)
        stop_feed(user)
    gains = more_access or (user.active and not was_active)
    return gains and grants.one_admin_must_not_take_over(user) and end_password_an_admin_saw(actor, user)


def stop_feed(user: User) -> None:
    """An account switched off loses its calendar feed link: made active again, it starts with none."""
    from tracker.calendar import feeds

    feeds.stop_link(user)


def deactivate_account(actor: User, user: User) -> None:
    """Switch the account off, sign the person out everywhere and stop their unused password links and
    calendar feed link (someone who has left: an account made active again starts with none)."""
    if actor.id == user.id:
        raise Refused("You cannot deactivate your own account")
    user.active = False
    sessions.end_all_for(user)
    withdraw_password_links(user)
    stop_feed(user)


def _ensure_may_clear(actor: User, user: User | None, details: dict[str, Any]) -> None:
    """Only an admin who is cleared for Category 4 clears someone for it: one who is not could add an
    account for an address he reads, clear it and sign in as it. A clearance a cleared admin already asked
    for, still ticked on the form (which shows it as asked for), is not asked again: it goes on waiting."""
    waiting = {grant.privilege for grant in grants.waiting_for(user)} if user is not None else set()
    already = user is not None and (user.terrorism_cleared or Privilege.CATEGORY_4 in waiting)
    newly_cleared = details.get("terrorism_cleared") and not already
    if newly_cleared and not actor.terrorism_cleared:
        raise Refused(
            "Only a system admin cleared for Category 4 cases can clear someone for them: ask one",
            field="terrorism_cleared",
        )


def may_change(actor: User, user: User) -> bool:
    """Whether this admin changes this account's details, roles, password link and second factor. A
    cleared account is changed only by a cleared admin: one who is not could change its email address,
    make its password link and become the person, with every Category 4 case. Deactivating it (a leaver)
    and signing it out everywhere are open to every admin."""
    return actor.terrorism_cleared or not user.terrorism_cleared


def ensure_may_change(actor: User, user: User) -> None:
    if not may_change(actor, user):
        raise Refused(
            f"{user.name} is cleared for Category 4 cases: only a system admin who is cleared too can change "
            "this account (you can deactivate it, or sign it out everywhere)"
        )


def ensure_case_roles_where_records_are_held(agency_id: int, roles: set[Role]) -> None:
    """Someone in an agency that holds no case records (the Board's lay advisers) has no role that reads
    them."""
    agency = db.session.get(Agency, agency_id)
    if (
        agency is not None
        and not agency.sector.holds_case_records
        and Permission.VIEW_CASE_DATA in (permissions_for(roles))
    ):
        raise Refused(
            f"{agency.name} holds no case records (lay advisers see figures only): choose roles that do not "
            "read case records, or another agency",
        )


def _ensure_no_category_4_part(user: User) -> None:
    """Clearance is not taken from someone still doing Category 4 work (who would keep the role but no
    longer see the case): what they do is handed to someone cleared first."""
    from tracker.meetings.services import category_4_parts

    parts = category_4_parts(user.id)
    if parts:
        raise Refused(
            f"{user.name} still has a part in Category 4 work ({'; '.join(parts)}): give it to someone "
            "cleared first, then remove the clearance",
            field="terrorism_cleared",
        )


def password_link(actor: User, user: User) -> str | None:
    """A new password link for the person, replacing any unused earlier one. Where mail goes out it goes to
    their own address only; otherwise the admin is shown it (returned), to hand over, unless one admin
    alone must not take the account over (`grants.one_admin_must_not_take_over`: wide access, case data,
    case work): whoever sets its password becomes that person, so its link goes only by email (into the
    mail folder on the server while no mail server is set up). A link shown is marked so (see
    `end_password_an_admin_saw`)."""
    shown = not (mail_configured() or grants.one_admin_must_not_take_over(user))
    token = issue_reset_link(actor, user, shown=shown)
    if shown:
        return reset_url(token)
    _send_link(actor, user, token)
    return None


def first_password(user: User) -> bool:
    """Whether the account's password link sets its first password: an account made for the person, who
    has never had one. Its email says an account was made for them, and the link lasts as long as a
    chair's account invitation from the TRSG (ACCOUNT_INVITATION_DAYS), so that a link made on a Friday
    still works after the weekend; any other link PASSWORD_RESET_HOURS."""
    return auth_services.never_had_a_password(user)


def link_hours(user: User) -> int:
    """How long a password link made for the account now works, in hours (`first_password`)."""
    if first_password(user):
        return int(current_app.config["ACCOUNT_INVITATION_DAYS"]) * 24
    return int(current_app.config["PASSWORD_RESET_HOURS"])


def _send_link(actor: User, user: User, token: str) -> None:
    """Email the person their password link: for a first password, that an account was made for them,
    by whom (the admin who added it, as the audit trail has it) and with what roles."""
    if not first_password(user):
        send_reset_link(user, reset_url(token), link_hours(user))
        return
    made = select(AuditEvent.user_id).where(
        AuditEvent.object_type == "User", AuditEvent.object_id == str(user.id), AuditEvent.action == "create"
    )
    maker_id = db.session.exec(made.order_by(col(AuditEvent.id))).first()
    maker = db.session.get(User, maker_id) if maker_id else None
    waiting = [grant.privilege for grant in grants.waiting_for(user)]
    send_account_made(user, reset_url(token), link_hours(user), by=maker or actor, waiting=waiting)


def issue_reset_link(actor: User | None, user: User, *, shown: bool = False) -> str:
    """A new password link for the person (its token), replacing any unused earlier one; `shown` when
    the admin is shown it rather than it being emailed to the person. None for a deactivated account: no
    one signs in to it. `actor` None: made at the command line (`tracker password-link`), where access to
    the server is the trust boundary."""
    if actor is not None:
        ensure_may_change(actor, user)
    if not user.active:
        raise Refused(
            f"{user.name}'s account is deactivated, so no password link is made for it: if they need it "
            "again, reactivate it first (Change details)"
        )
    token, token_hash = rules.new_token()
    withdraw_password_links(user)
    hours = link_hours(user)
    db.session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=token_hash,
            created_by_id=actor.id if actor is not None else None,
            expires_at=utcnow() + timedelta(hours=hours),
            shown_to_admin=shown,
        )
    )
    return token


def password_an_admin_saw(user: User) -> PasswordReset | None:
    """The link shown to an admin through which the account's password was last set by a link, if it was
    shown: that admin could have set it, and a password changed on the account page since could be his
    too (he could have signed in and changed it). Only a password set through a link that went to the
    person's own address breaks the chain."""
    if user.password_hash is None:
        return None
    latest = db.session.exec(
        select(PasswordReset)
        .where(PasswordReset.user_id == user.id, col(PasswordReset.used_at).is_not(None))
        .order_by(col(PasswordReset.used_at).desc(), col(PasswordReset.id).desc())
    ).first()
    return latest if latest is not None and latest.shown_to_admin else None


def end_password_an_admin_saw(actor: User, user: User, why: str = "Given more access") -> bool:
    """When an account one admin must not take over gains access (wide access a second admin confirmed, a
    role that reads case data, or made active again), a password set through a link an admin was shown
    could be that admin's: it is ended, with the second factor set up after it, the person is signed out
    everywhere, and a new link goes to their own address. Returns whether it was."""
    seen = password_an_admin_saw(user)
    if seen is None:
        return False
    user.password_hash = None
    user.totp_secret = None
    user.totp_last_counter = None
    sessions.end_all_for(user)
    email_password_link(actor, user)
    who = seen.created_by.name if seen.created_by else "an admin"
    audit.record(
        "password ended",
        user,
        summary=f"{why}; its password was set through a link shown to {who}: a new link emailed",
    )
    return True


def withdraw_password_links(user: User, *, only_shown: bool = False) -> bool:
    """Every unused password link for the account stops working (with `only_shown`, only those an admin
    was shown on screen). Returns whether one of them still worked until now.

    All of them stop when a new one is made, when the account gets another email address (they went to
    the old one) and when it is deactivated. When it is given a role or clearance, only those an admin was
    shown: a link made before (perhaps by an admin who may not change the account as it is now) must not
    become that admin's way into what the account can now see. A link that went to the person's own
    address stays, as a password they set through it would: whoever reads that address could have used it
    already, and would be sent the next link anyway."""
    now, live = utcnow(), False
    unused = select(PasswordReset).where(
        PasswordReset.user_id == user.id, col(PasswordReset.used_at).is_(None)
    )
    if only_shown:
        unused = unused.where(col(PasswordReset.shown_to_admin).is_(True))
    for earlier in db.session.exec(unused):
        live = live or earlier.expires_at > now
        earlier.expires_at = min(earlier.expires_at, now)
    return live


def email_password_link(actor: User, user: User) -> None:
    """A new password link, emailed to the person's own address (never shown to the admin)."""
    _send_link(actor, user, issue_reset_link(actor, user))


def reset_two_factor(actor: User | None, user: User) -> None:
    """Turn the person's second factor off and sign them out: they set it up again at their next sign-in.
    `actor` None: at the command line (`tracker reset-two-factor`). They are told, at their own address,
    who did it and when (`send_two_factor_reset`)."""
    if actor is not None:
        ensure_may_change(actor, user)
    user.totp_secret = None
    user.totp_last_counter = None
    sessions.end_all_for(user)
    send_two_factor_reset(user, by=actor)
