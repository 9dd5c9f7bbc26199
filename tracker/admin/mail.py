"""Emails an admin's actions send: the password reset link (for a new account, that it was made for the
person), the notices that an account's address or two-factor sign-in or an agency's secure mailbox
changed, and the notice to an admin that a second admin refused what they asked."""

from datetime import timedelta

from flask import current_app, render_template, url_for

from tracker.auth.models import AccessGrant, Agency, MailboxChange, Privilege, User
from tracker.core import mail
from tracker.core.types import utcnow


def reset_url(token: str) -> str:
    """The address of the password link with this token."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for("auth.reset_password", token=token)


def send_reset_link(user: User, link: str, hours: int) -> None:
    message = mail.new_message(user.email, "Set your MAPPA Tracker password")
    message.set_content(render_template("admin/email/reset_link.txt", user=user, link=link, hours=hours))
    mail.queue(message)


def send_account_made(user: User, link: str, hours: int, by: User, waiting: list[Privilege]) -> None:
    """Tell the person an account was made for them (by whom, with what roles, and any that wait for a
    second admin), with the link that sets its first password."""
    message = mail.new_message(user.email, "A MAPPA Tracker account has been made for you")
    roles = sorted(role.label for role in user.roles)
    context = {"user": user, "link": link, "by": by, "roles": roles, "waiting": waiting}
    expires = utcnow() + timedelta(hours=hours)
    message.set_content(render_template("admin/email/account_made.txt", **context, expires=expires))
    mail.queue(message)


def send_email_changed(user: User, old_address: str, by: User, confirmed_by: User | None = None) -> None:
    """Tell the old address that the account's address changed: the next password link goes to the new
    one, so a change the person did not ask for is how an account would be taken over. `by` is the admin
    who made the change or, where a second admin confirmed it (`confirmed_by`), who asked for it."""
    message = mail.new_message(old_address, "Your MAPPA Tracker email address has changed")
    body = render_template("admin/email/email_changed.txt", user=user, by=by, confirmed_by=confirmed_by)
    message.set_content(body)
    mail.queue(message)


def send_two_factor_reset(user: User, by: User | None) -> None:
    """Tell the person that an admin reset their two-factor sign-in, who and when: whoever next signs in
    with the password sets up a new second factor, so a reset the person did not ask for is how an account
    would be taken over (`by` None: at the command line). No case detail: it is about the account only."""
    message = mail.new_message(user.email, "Your MAPPA Tracker two-factor sign-in was reset")
    body = render_template("admin/email/two_factor_reset.txt", user=user, by=by, at=utcnow())
    message.set_content(body)
    mail.queue(message, about=user, summary=f"two-factor sign-in reset, to user {user.id}")


def send_grant_refused(asker: User, grant: AccessGrant, by: User, reason: str, link: str) -> None:
    """Tell the admin who asked for access that a second admin refused it, who and why (the reason is an
    admin's words about an account, never case details: the form asks for none)."""
    message = mail.new_message(asker.email, f"The {grant.privilege.in_sentence} you asked for was refused")
    context = {"asker": asker, "grant": grant, "by": by, "reason": reason, "link": link}
    message.set_content(render_template("admin/email/grant_refused.txt", **context))
    mail.queue(message, about=grant, summary=f"access refused, to user {asker.id}")


def send_mailbox_refused(asker: User, change: MailboxChange, by: User, reason: str, link: str) -> None:
    """Tell the admin who asked for an agency's new secure mailbox that a second admin refused it, who and
    why."""
    subject = f"The new secure mailbox you asked for {change.agency.name} was refused"
    message = mail.new_message(asker.email, subject)
    context = {"asker": asker, "change": change, "by": by, "reason": reason, "link": link}
    message.set_content(render_template("admin/email/mailbox_refused.txt", **context))
    mail.queue(message, about=change, summary=f"new mailbox refused, to user {asker.id}")


def send_mailbox_changed(agency: Agency, old_address: str, by: User) -> None:
    """Tell the agency's old secure mailbox that invitations and links to minutes now go elsewhere."""
    message = mail.new_message(old_address, "Your agency's MAPPA Tracker secure mailbox has changed")
    message.set_content(render_template("admin/email/mailbox_changed.txt", agency=agency, by=by))
    mail.queue(message)
