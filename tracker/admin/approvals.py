"""Decisions a system admin makes on what someone else asked for: a chair's account the TRSG asked for (which
the admin approves or refuses, `tracker.training.invitations`), access another admin asked for (a role,
clearance or a new email address, which a second admin refuses saying why, `grant_refusals`, or confirms
from the account's page) and an agency's new secure mailbox another admin asked for (which a second admin
confirms or refuses, `grants`)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlmodel import col, select

from tracker.admin import grant_refusals, grants
from tracker.admin.forms import RefuseAccountForm, RefuseGrantForm
from tracker.admin.views import bp
from tracker.auth.models import AccessGrant, AccountInvitation, GrantOutcome, MailboxChange, User
from tracker.core.db import db
from tracker.core.forms import ConfirmForm, require_confirmation
from tracker.core.mail import is_configured as mail_configured
from tracker.core.permissions import Permission, requires
from tracker.core.types import utcnow
from tracker.training import invitations
from tracker.training.models import Trainee

# Chairs' accounts the TRSG asked for -----------------------------------------------------------


def panel(user: User):
    """The admin's home page: the chairs' accounts the TRSG asked for, if any."""
    if not user.can(Permission.MANAGE_USERS):
        return None
    found = invitations.waiting_requests()
    if not found:
        return None
    ids = [asked.trainee_id for asked in found]
    names = dict(db.session.exec(select(Trainee.id, Trainee.name).where(col(Trainee.id).in_(ids))).all())
    waiting = [(asked, names.get(asked.trainee_id)) for asked in found]
    return "admin/panels/account_requests.html", {"waiting": waiting}


@bp.route("/account-requests/<int:request_id>")
@requires(Permission.MANAGE_USERS)
def account_request(request_id: int):
    """A chair's account the TRSG asked for: who, from which training record, whether it can be made,
    and, once decided, what was decided."""
    return _account_request_page(_account_request(request_id))


@bp.route("/account-requests/<int:request_id>/approve", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def account_request_approve(request_id: int):
    """Approve the chair's account: the chair is emailed the link that makes it (never shown to the admin;
    where no mail goes out, kept in the mail folder on the server, as the admin is told)."""
    asked = _account_request(request_id)
    require_confirmation()
    done = "{name}'s account is approved: {name} has been emailed a link to set a password, which makes it."
    if not mail_configured():
        done = (
            "{name}'s account is approved. No mail server is set up, so the email with the link to set a "
            "password, which makes the account, does not leave the server: it is kept in the tracker's mail "
            "folder there. Ask whoever runs the server to pass it on to {name}, at their own address only."
        )
    return _decide(asked, lambda: invitations.approve(asked, g.user), done)


@bp.route("/account-requests/<int:request_id>/refuse", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def account_request_refuse(request_id: int):
    """Refuse the chair's account, saying why (the TRSG reads the reason on the chairs' register)."""
    asked = _account_request(request_id)
    form = RefuseAccountForm()
    if not form.validate_on_submit():
        return _account_request_page(asked, form)
    return _decide(
        asked,
        lambda: invitations.refuse(asked, g.user, form.reason.data),
        "The account for {name} is refused: no link has been sent.",
    )


def _account_request(request_id: int) -> AccountInvitation:
    return db.session.get(AccountInvitation, request_id) or abort(404)


def _account_request_page(asked: AccountInvitation, refuse: RefuseAccountForm | None = None):
    trainee = db.session.get(Trainee, asked.trainee_id)
    state = invitations.request_state(asked, utcnow())
    waiting = state is invitations.RequestState.WAITING
    refuse = refuse or RefuseAccountForm()
    return render_template(
        "admin/account_request.html",
        asked=asked,
        trainee=trainee,
        state=state,
        waiting=waiting,
        problem=invitations.account_problem(trainee) if waiting else None,
        confirm=ConfirmForm(),
        refuse=refuse,
        form=refuse,
    )


def _decide(asked: AccountInvitation, decide, done: str):
    trainee = db.session.get(Trainee, asked.trainee_id)
    try:
        told = decide()
    except invitations.NotInvitable as refused:
        flash(str(refused), "error")
        return redirect(url_for("admin.account_request", request_id=asked.id))
    done = done.format(name=trainee.name)
    if told is not None:
        done += f" {told.name}, who asked for it, has been emailed the outcome."
    flash(done, "success")
    return redirect(url_for("home.index"))  # where the other requests wait


# Access another admin asked for -----------------------------------------------------------------


@bp.route("/grants/<int:grant_id>")
@requires(Permission.MANAGE_USERS)
def grant_view(grant_id: int):
    """A request for access: what, for whom, who asked, and what was decided (a refusal with its reason);
    while it waits, confirm it or refuse it here."""
    return _grant_page(_grant(grant_id))


@bp.route("/grants/<int:grant_id>/refuse", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def grant_refuse(grant_id: int):
    """Refuse a request, saying why (the admin who asked is emailed it), or withdraw it, for the admin who
    asked (who needs give no reason: there is nobody else to tell)."""
    grant = _grant(grant_id)
    if grant.requested_by_id == g.user.id:
        require_confirmation()
        return _grant_decided(grant, lambda: grants.turn_down(g.user, grant))
    form = RefuseGrantForm()
    if not form.validate_on_submit():
        return _grant_page(grant, form)
    return _grant_decided(grant, lambda: grant_refusals.refuse(g.user, grant, form.reason.data))


def _grant(grant_id: int) -> AccessGrant:
    return db.session.get(AccessGrant, grant_id) or abort(404)


def _grant_page(grant: AccessGrant, refuse: RefuseGrantForm | None = None):
    waiting = grant.outcome is GrantOutcome.WAITING
    refuse = refuse or RefuseGrantForm()
    return render_template(
        "admin/grant.html",
        grant=grant,
        waiting=waiting,
        problem=grants.why_not(g.user, grant) if waiting else None,
        decided_by=db.session.get(User, grant.decided_by_id) if grant.decided_by_id else None,
        refusal=grant_refusals.refusal_of(grant),
        confirm=ConfirmForm(),
        refuse=refuse,
        form=refuse if waiting else None,
    )


def _grant_decided(grant: AccessGrant, decide):
    """Refuse or withdraw the request (or say why not) and go back to the account, saying what happened."""
    try:
        told = decide()
    except grants.Refused as refused:
        flash(str(refused), "error")
        return redirect(url_for("admin.grant_view", grant_id=grant.id))
    done = f"The {grant.in_sentence} for {grant.user.name}: {grant.outcome.label.lower()}."
    if told is not None:
        done += f" {told.name}, who asked for it, has been emailed your reason."
    flash(done, "success")
    return redirect(url_for("admin.user_view", user_id=grant.user_id))


# An agency's new secure mailbox ------------------------------------------------------------------


@bp.route("/mailbox-changes/<int:change_id>/confirm", methods=["POST"])
@requires(Permission.MANAGE_AGENCIES)
def mailbox_change_confirm(change_id: int):
    """The second admin confirms a new secure mailbox another asked for."""
    return _mailbox_button(
        change_id, grants.confirm_mailbox, "{agency}'s secure mailbox is {address} from now."
    )


@bp.route("/mailbox-changes/<int:change_id>/refuse", methods=["GET", "POST"])
@requires(Permission.MANAGE_AGENCIES)
def mailbox_change_refuse(change_id: int):
    """A second admin refuses a new secure mailbox, saying why (the admin who asked is emailed it); the admin
    who asked withdraws it with the agency page's button, needing no reason."""
    done = "The new secure mailbox for {agency} ({address}): {outcome}."
    change = db.session.get(MailboxChange, change_id) or abort(404)
    if change.requested_by_id == g.user.id:
        if request.method == "GET":
            return redirect(url_for("admin.agency_edit", agency_id=change.agency_id))
        return _mailbox_button(change_id, grants.turn_down, done)
    form = RefuseGrantForm()
    if not form.validate_on_submit() and change.outcome is GrantOutcome.WAITING:
        return render_template("admin/mailbox_refuse.html", change=change, form=form)
    try:
        told = grant_refusals.refuse_mailbox(g.user, change, form.reason.data)
    except grants.Refused as refused:  # decided already, by someone else meanwhile
        flash(str(refused), "error")
    else:
        told_note = f" {told.name}, who asked for it, has been emailed your reason." if told else ""
        outcome = done.format(agency=change.agency.name, address=change.address, outcome="refused")
        flash(outcome + told_note, "success")
    return redirect(url_for("admin.agency_edit", agency_id=change.agency_id))


def _mailbox_button(change_id: int, decide, done: str):
    change = db.session.get(MailboxChange, change_id) or abort(404)
    require_confirmation()
    try:
        decide(g.user, change)
    except grants.Refused as refused:
        flash(str(refused), "error")
    else:
        outcome = change.outcome.label.lower()
        flash(done.format(agency=change.agency.name, address=change.address, outcome=outcome), "success")
    return redirect(url_for("admin.agency_edit", agency_id=change.agency_id))
