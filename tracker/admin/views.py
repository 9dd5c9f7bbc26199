"""Accounts, agencies, area settings and the audit trail."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.orm import defer
from sqlmodel import col, select

from tracker.admin import agencies, grant_refusals, grants, services, settings_changes
from tracker.admin.forms import AgencyForm, UserForm, settings_form_class
from tracker.auth import sessions
from tracker.auth.models import AccessGrant, Agency, AgencySector, Privilege, User, UserRole, UserSession
from tracker.calendar import outbox as calendar_outbox
from tracker.calendar.models import EmailReply
from tracker.core import audit, sending
from tracker.core import settings as area_settings
from tracker.core.db import db
from tracker.core.forms import ConfirmForm, require_confirmation
from tracker.core.mail import is_configured as mail_configured
from tracker.core.models import OutboxMessage, OutboxStatus
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, Role, requires
from tracker.core.types import utcnow
from tracker.minutes import leavers

bp = Blueprint("admin", __name__, url_prefix="/admin")


# Accounts ---------------------------------------------------------------------------------------


@bp.route("/users")
@requires(Permission.MANAGE_USERS)
def user_list():
    query = request.args.get("q", "").strip()
    role = request.args.get("role", "")
    statement = select(User).order_by(User.name)
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            sa.or_(sa.func.lower(User.name).like(pattern), col(User.email).like(pattern))
        )
    if role in Role.__members__:
        statement = statement.where(
            col(User.id).in_(select(UserRole.user_id).where(UserRole.role == Role[role]))
        )
    page = paginate(statement)
    waiting = grants.waiting()
    return render_template(
        "admin/user_list.html", page=page, query=query, role=role, roles=Role.choices(), waiting=waiting
    )


@bp.route("/users/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_USERS)
def user_new():
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = services.create_account(g.user, _account_details(form), _roles(form))
        except services.Refused as refused:
            getattr(form, refused.field).errors.append(str(refused))
        else:
            if waits := _what_waits(user):
                flash(f"{user.name}'s account is made.{waits}", "success")
            return _password_link(user, new_account=True)
    return render_template("admin/user_form.html", form=form, user=None)


def _what_waits(user: User) -> str:
    """What the save asked for and a second admin must confirm, as a sentence ("" if nothing)."""
    waiting = grants.waiting_for(user)
    if not waiting:
        return ""
    what = " and ".join(grant.in_sentence for grant in waiting)
    return f" The {what} will take effect once another system admin confirms it."


def _account_details(form: UserForm) -> dict:
    """The account's details as the form gives them (a new account is always active: the box shows only
    when editing)."""
    return {
        "name": form.name.data,
        "email": form.email.data,
        "agency_id": int(form.agency_id.data),
        "job_title": form.job_title.data or "",
        "terrorism_cleared": form.terrorism_cleared.data,
        "chair_trained": form.chair_trained.data,
        "active": form.active.data,
    }


def _roles(form: UserForm) -> set[Role]:
    return {Role[name] for name in form.roles.data}


@bp.route("/users/<int:user_id>")
@requires(Permission.MANAGE_USERS)
def user_view(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    open_sessions = db.session.scalar(select(sa.func.count()).select_from(_open_sessions(user).subquery()))
    return render_template(
        "admin/user_view.html",
        user=user,
        open_sessions=open_sessions,
        confirm=ConfirmForm(),
        may_change=services.may_change(g.user, user),
        waiting=[(grant, grants.why_not(g.user, grant)) for grant in grants.waiting_for(user)],
        refused=grant_refusals.refusals_of(user),
        password_seen=services.password_an_admin_saw(user),
        left=leavers.left_behind(user),
    )


def _open_sessions(user: User):
    return select(UserSession.id).where(UserSession.user_id == user.id, col(UserSession.ended_at).is_(None))


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_USERS)
def user_edit(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    try:
        services.ensure_may_change(g.user, user)
    except services.Refused as refused:
        return _refused(user, refused)
    form = UserForm(obj=user, editing=user)
    if request.method == "GET":
        # What waits for a second admin shows as asked for: unticking it withdraws the request.
        waiting = [grant.privilege for grant in grants.waiting_for(user)]
        form.agency_id.data = str(user.agency_id)
        form.roles.data = [role.name for role in user.roles] + [p.name for p in waiting if p.role is not None]
        form.terrorism_cleared.data = user.terrorism_cleared or Privilege.CATEGORY_4 in waiting
    if form.validate_on_submit():
        if user.id == g.user.id and (not form.active.data or "SYSTEM_ADMIN" not in form.roles.data):
            form.roles.errors.append("You cannot remove your own admin role or deactivate your own account")
        else:
            was_active = user.active
            try:
                ended = services.update_account(g.user, user, _account_details(form), _roles(form))
            except services.Refused as refused:
                getattr(form, refused.field).errors.append(str(refused))
            else:
                left = _left_behind(user) if was_active and not user.active else ""
                ended = AFTER_CONFIRMING[grants.Confirmed.PASSWORD_ENDED] if ended else ""
                flash(f"Changes to {user.name} saved.{_what_waits(user)}{left}{ended}", "success")
                return redirect(url_for("admin.user_view", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=user, left=leavers.left_behind(user))


def _left_behind(user: User) -> str:
    """What a person just deactivated leaves behind, as a sentence ("" if nothing)."""
    left = leavers.left_behind(user)
    if left.empty:
        return ""
    return (
        f" {user.name} leaves behind {left.summary()}. The MAPPA co-ordinator is shown this on their home "
        "page, and hands it on."
    )


@bp.route("/users/<int:user_id>/reset-link", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def user_reset_link(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    require_confirmation()
    try:
        return _password_link(user, new_account=False)
    except services.Refused as refused:
        return _refused(user, refused)


def _refused(user: User, refused: services.Refused):
    flash(str(refused), "error")
    return redirect(url_for("admin.user_view", user_id=user.id))


def _password_link(user: User, new_account: bool):
    """Make the person's password link: shown to hand over, or emailed to them (`services.password_link`),
    saying why it is not shown where no mail goes out."""
    link, mail_out = services.password_link(g.user, user), mail_configured()
    shown = {"link": link, "mail_out": mail_out, "guarded": None if link else grants.guarded_because(user)}
    hours = services.link_hours(user)
    lasts = f"{hours // 24} days" if hours > 24 and hours % 24 == 0 else f"{hours} hours"
    return render_template("admin/reset_link.html", user=user, new_account=new_account, lasts=lasts, **shown)


@bp.route("/users/<int:user_id>/reset-two-factor", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def user_reset_two_factor(user_id: int):
    return _account_button(
        user_id,
        services.reset_two_factor,
        "Two-factor sign-in reset for {name}. They will set it up again when they next sign in, and have "
        "been emailed to say so.",
    )


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def user_deactivate(user_id: int):
    """Switch an account off (someone who has left), which every admin may do, cleared account or not."""
    return _account_button(
        user_id,
        services.deactivate_account,
        "{name}'s account is deactivated and signed out everywhere.{left}",
    )


def _account_button(user_id: int, change, done: str):
    """A button on an account's page: confirm it was pressed there, make the change (or say why not),
    and go back to the account saying what happened (`done`, with the person's {name})."""
    user = db.session.get(User, user_id) or abort(404)
    require_confirmation()
    try:
        change(g.user, user)
    except services.Refused as refused:
        return _refused(user, refused)
    flash(done.format(name=user.name, left=_left_behind(user) if not user.active else ""), "success")
    return redirect(url_for("admin.user_view", user_id=user.id))


@bp.route("/grants/<int:grant_id>/confirm", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def grant_confirm(grant_id: int):
    """The second admin confirms a grant another asked for."""
    return _grant_button(grant_id, grants.confirm, "{name} has the {what} from now.", AFTER_CONFIRMING)


# What confirming a grant adds when it did more than grant (`grants.confirm`). Refusing one, which asks
# why, and withdrawing it are in `approvals`.
AFTER_CONFIRMING = {
    grants.Confirmed.PASSWORD_ENDED: (
        " Their password was set through a link shown to an admin, so it and their two-factor sign-in are"
        " ended and they are signed out: a new password link has gone to their own email address."
    ),
    grants.Confirmed.SHOWN_LINK_REPLACED: (
        " Their unused password link had been shown on screen to an admin, so it no longer works: a new"
        " password link has gone to their own email address."
    ),
    grants.Confirmed.LINK_SENT_TO_NEW_ADDRESS: (
        " Their unused password link went to the old address, so it no longer works: a new password link"
        " has gone to the new one."
    ),
}


def _grant_button(grant_id: int, decide, done: str, also: dict | None = None):
    """A button on a waiting grant: make the decision (or say why not) and go back to the account, saying
    `done`, and what `also` says of what more the decision did."""
    grant = db.session.get(AccessGrant, grant_id) or abort(404)
    require_confirmation()
    try:
        more = decide(g.user, grant)
    except grants.Refused as refused:
        flash(str(refused), "error")
    else:
        what, outcome = grant.in_sentence, grant.outcome.label.lower()
        said = done.format(name=grant.user.name, what=what, outcome=outcome)
        flash(said + (also or {}).get(more, ""), "success")
    return redirect(url_for("admin.user_view", user_id=grant.user_id))


@bp.route("/users/<int:user_id>/end-sessions", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def user_end_sessions(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    require_confirmation()
    count = sessions.end_all_for(user)
    audit.record("sessions ended", user, summary=f"{count} session(s) ended by an admin")
    flash(f"{user.name} has been signed out everywhere.", "success")
    return redirect(url_for("admin.user_view", user_id=user.id))


# Agencies ---------------------------------------------------------------------------------------


@bp.route("/agencies")
@requires(Permission.MANAGE_AGENCIES)
def agency_list():
    listed = db.session.exec(select(Agency).order_by(Agency.name)).all()
    return render_template("admin/agency_list.html", agencies=listed)


@bp.route("/agencies/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_AGENCIES)
def agency_new():
    form = AgencyForm()
    if form.validate_on_submit():
        agency, waits = agencies.add_agency(
            g.user, form.name.data, AgencySector[form.sector.data], form.secure_mailbox.data or ""
        )
        flash(f"{agency.name} added.{grants.waiting_note(waits)}", "success")
        return redirect(url_for("admin.agency_list"))
    return render_template("admin/agency_form.html", form=form, agency=None)


@bp.route("/agencies/<int:agency_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_AGENCIES)
def agency_edit(agency_id: int):
    agency = db.session.get(Agency, agency_id) or abort(404)
    form = AgencyForm(obj=agency, editing=agency)
    if request.method == "GET":
        form.sector.data = agency.sector.name
    if form.validate_on_submit():
        try:
            sector, mailbox = AgencySector[form.sector.data], form.secure_mailbox.data or ""
            waits = agencies.update_agency(g.user, agency, form.name.data, sector, mailbox, form.active.data)
        except services.Refused as refused:
            getattr(form, refused.field).errors.append(str(refused))
        else:
            flash(f"Changes to {agency.name} saved.{grants.waiting_note(waits)}", "success")
            return redirect(url_for("admin.agency_list"))
    waiting = grants.mailbox_page(g.user, agency)
    page = "admin/agency_form.html"
    return render_template(page, form=form, agency=agency, confirm=ConfirmForm(), **waiting)


# Settings ---------------------------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
@requires(Permission.MANAGE_SETTINGS)
def settings():
    form, status = settings_form_class()(data=area_settings.all_values()), 200
    if form.validate_on_submit():
        values = {key: getattr(form, key).data for key in area_settings.REGISTRY}
        clashes = settings_changes.save(g.user, values, settings_changes.opened(form.opened.data))
        if not clashes:
            flash("Settings saved.", "success")
            return redirect(url_for("admin.settings"))
        for key, message in clashes.items():
            getattr(form, key).errors = [message]
        status = 409
    if request.method == "GET":
        form.contradictions_shown()
    if request.method == "GET" or status == 409:  # else the form keeps what it was opened with
        form.opened.data = settings_changes.shown_as_opened()
    groups: dict[str, list] = {}
    for key, definition in area_settings.REGISTRY.items():
        groups.setdefault(definition.group, []).append(getattr(form, key))
    return render_template("admin/settings.html", form=form, groups=groups), status


# Email outbox -----------------------------------------------------------------------------------


@bp.route("/outbox")
@requires(Permission.MANAGE_OUTBOX)
def outbox():
    """The emails waiting to go, sent, or failed for good, newest first; failed ones can be sent again."""
    status = OutboxStatus.__members__.get(request.args.get("status", "").upper())
    counted = select(OutboxMessage.status, sa.func.count()).group_by(col(OutboxMessage.status))
    counts = dict(db.session.exec(counted).all())
    # The page lists emails, not their bodies: leave the stored message (calendars and all) unread.
    statement = (
        select(OutboxMessage).options(defer(OutboxMessage.message)).order_by(col(OutboxMessage.id).desc())
    )
    if status is not None:
        statement = statement.where(OutboxMessage.status == status)
    page = paginate(statement, size=50)
    return render_template(
        "admin/outbox.html",
        page=page,
        status=status,
        counts={member: counts.get(member, 0) for member in OutboxStatus},
        statuses=OutboxStatus,
        now=utcnow(),
        form=ConfirmForm(),
    )


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@requires(Permission.MANAGE_OUTBOX)
def outbox_retry(message_id: int):
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    require_confirmation()
    if message.status == OutboxStatus.SENT:
        flash(f"The email to {message.recipients} was sent already.", "important")
    elif refused := calendar_outbox.resend_refusal(message):
        flash(refused, "important")
    else:
        sending.retry(message)
        flash(f"The email to {message.recipients} will be sent again in the next few minutes.", "success")
    return redirect(url_for("admin.outbox", status=request.args.get("status") or None))


@bp.route("/email-replies")
@requires(Permission.MANAGE_OUTBOX)
def email_replies():
    """Replies to invitations read from the organiser's mailbox: those not applied (and why) first."""
    statement = select(EmailReply).order_by(col(EmailReply.applied), col(EmailReply.id).desc())
    page = paginate(statement, size=50)
    return render_template("admin/email_replies.html", page=page)

