"""Signing in (with a second factor where needed), signing out, one's account and password resets."""

from __future__ import annotations

import time

import qrcode
import qrcode.image.svg
from flask import Blueprint, abort, flash, g, redirect, render_template, session, url_for
from markupsafe import Markup
from sqlmodel import select

from tracker.auth import rules, services, sessions, throttle
from tracker.auth.forms import ChangePasswordForm, CodeForm, NewPasswordForm, SignInForm
from tracker.auth.models import LoginAttempt, PasswordReset, User
from tracker.core import audit
from tracker.core import settings as area_settings
from tracker.core.db import db
from tracker.core.forms import ConfirmForm
from tracker.core.permissions import current_user, public, requires
from tracker.core.redirects import safe_next
from tracker.core.types import utcnow

bp = Blueprint("auth", __name__)

# How long someone who gave the right password has to enter their code.
_PENDING_SECONDS = 300
# How a sign-in with a security code is recorded; the session made by it counts as two-factor.
_WITH_CODE = "password and security code"


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in():
    if current_user() is not None:
        return redirect(url_for("home.dashboard"))
    form = SignInForm()
    message = sessions.end_message()
    if form.validate_on_submit():
        address = form.email.data
        user = db.session.exec(select(User).where(User.email == address)).first()
        attempt, refusal = throttle.claim(address, user)
        if refusal:
            audit.record("sign-in refused", summary=f"throttled: {address}")
            form.email.errors.append(refusal)
        else:
            password_ok = rules.verify_password(user.password_hash if user else None, form.password.data)
            if user is None or not password_ok or not user.active:
                throttle.failed(attempt)
                audit.record(
                    "sign-in failed", user, summary=f"wrong email or password: {address}", actor=user
                )
                form.email.errors.append("Enter a correct email address and password")
            else:
                if rules.needs_rehash(user.password_hash):
                    services.rehash_password(user, form.password.data)
                return _after_password(user, attempt)
    return render_template("auth/sign_in.html", form=form, message=message)


def _after_password(user: User, attempt: LoginAttempt):
    """The password was right: ask for the code, or for two-factor set-up, or sign straight in."""
    if user.two_factor_enabled or user.two_factor_required:
        throttle.password_right(attempt)
        next_url = session.get("next_url")
        session.clear()
        if next_url:  # the page asked for before signing in opens once the code is given
            session["next_url"] = next_url
        session["pending_user_id"] = user.id
        session["pending_since"] = time.time()
        if user.two_factor_enabled:
            return redirect(url_for("auth.two_factor"))
        session["pending_secret"] = rules.new_totp_secret()
        return redirect(url_for("auth.set_up_two_factor"))
    return _complete_sign_in(user, attempt=attempt)


def _complete_sign_in(user: User, method: str = "password", attempt: LoginAttempt | None = None):
    next_url = session.get("next_url")
    throttle.succeeded(attempt, user.email)
    sessions.start(user, second_factor=method == _WITH_CODE)
    audit.record("sign-in", user, summary=f"signed in with {method}")
    return throttle.remember_device(redirect(safe_next(url_for("home.dashboard"), next_url or "")), user)


def _pending_user() -> User | None:
    user_id = session.get("pending_user_id")
    if user_id is None or time.time() - session.get("pending_since", 0) > _PENDING_SECONDS:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.active else None


def _sign_in_again():
    """No sign-in is under way (or it ran out): forget what there was of it and start again. Someone
    already signed in stays so: a link to this page from elsewhere does not sign them out."""
    for key in ("pending_user_id", "pending_since", "pending_secret"):
        session.pop(key, None)
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-in/two-factor", methods=["GET", "POST"])
@public
def two_factor():
    user = _pending_user()
    if user is None or not user.two_factor_enabled:
        return _sign_in_again()
    form = CodeForm()
    if form.validate_on_submit():
        attempt, refusal = throttle.claim(user.email, user)
        step = None if refusal else _check_code(user, user.totp_secret, form.code.data)
        if step is not None and not services.use_code(user, step):
            step = None  # used a moment ago, by another request
        if step is None:
            if not refusal:
                throttle.failed(attempt)
            audit.record("sign-in failed", user, summary="wrong security code", actor=user)
            form.code.errors.append(
                refusal or "The security code is wrong or has been used. Enter the latest code"
            )
        else:
            return _complete_sign_in(user, _WITH_CODE, attempt)
    return render_template("auth/two_factor.html", form=form)


def _check_code(user: User, secret: str, code: str) -> int | None:
    return rules.check_totp(secret, code, last_counter=user.totp_last_counter, at=utcnow())


def _qr_svg(uri: str) -> Markup:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    labelled = svg.replace("<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1)
    return Markup(labelled)  # noqa: S704  (SVG drawn by the qrcode library from our own URI)


def _turned_on(user: User, secret: str, form: CodeForm) -> bool:
    """Turns two-factor sign-in on when the code typed matches the new secret; else says so on the form."""
    step = _check_code(user, secret, form.code.data)
    if step is None:
        form.code.errors.append("The security code is wrong. Enter the code your app shows now")
        return False
    services.turn_on_two_factor(user, secret, step)
    audit.record("two-factor set up", user)
    return True


@bp.route("/sign-in/set-up-two-factor", methods=["GET", "POST"])
@public
def set_up_two_factor():
    """Someone whose role needs a second factor, signing in for the first time, sets it up here."""
    user = _pending_user()
    secret = session.get("pending_secret")
    if user is None or secret is None or user.two_factor_enabled:
        return _sign_in_again()
    form = CodeForm()
    if form.validate_on_submit() and _turned_on(user, secret, form):
        return _complete_sign_in(user, _WITH_CODE)
    return render_template("auth/set_up_two_factor.html", form=form, **_enrolment(user, secret))


def _enrolment(user: User, secret: str) -> dict:
    uri = rules.totp_uri(secret, user.email, f"MAPPA Tracker ({area_settings.get('area_name')})")
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return {"qr_svg": _qr_svg(uri), "secret": grouped}


@bp.route("/sign-out", methods=["POST"])
@requires()
def sign_out():
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    audit.record("sign-out", g.user)
    sessions.end()
    return redirect(url_for("auth.sign_in"))


@bp.route("/account")
@requires()
def account():
    return render_template("auth/account.html", user=g.user)


@bp.route("/account/password", methods=["GET", "POST"])
@requires()
def change_password():
    user = g.user
    form = ChangePasswordForm(person_email=user.email, person_name=user.name)
    if form.validate_on_submit():
        if not rules.verify_password(user.password_hash, form.current.data):
            form.current.errors.append("Your current password is not right")
        else:
            services.set_password(user, form.password.data)
            ended = sessions.end_all_for(user, reason="password-changed", keep=g.user_session)
            audit.record("password changed", user, summary=f"{ended} other session(s) ended")
            flash(_changed_message(ended), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form)


def _changed_message(ended: int) -> str:
    if not ended:
        return "Your password has been changed."
    where = "1 other browser" if ended == 1 else f"{ended} other browsers"
    return f"Your password has been changed. You have been signed out in {where}."


@bp.route("/account/two-factor", methods=["GET", "POST"])
@requires()
def account_two_factor():
    """Turn on two-factor sign-in (or off, where the person's roles allow)."""
    user = g.user
    form = CodeForm()
    if user.two_factor_enabled:
        return render_template("auth/two_factor_on.html", user=user, form=ConfirmForm())
    secret = session.get("enrol_secret") or rules.new_totp_secret()
    session["enrol_secret"] = secret
    if form.validate_on_submit() and _turned_on(user, secret, form):
        session.pop("enrol_secret", None)
        flash("Two-factor sign-in is on. You will be asked for a code each time you sign in.", "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account_two_factor.html", form=form, **_enrolment(user, secret))


@bp.route("/account/two-factor/turn-off", methods=["POST"])
@requires()
def turn_off_two_factor():
    user = g.user
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    if user.two_factor_required:
        flash("Your role needs two-factor sign-in, so it cannot be turned off.", "error")
        return redirect(url_for("auth.account_two_factor"))
    services.turn_off_two_factor(user)
    audit.record("two-factor turned off", user)
    flash("Two-factor sign-in is off.", "success")
    return redirect(url_for("auth.account"))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str):
    reset = db.session.exec(
        select(PasswordReset).where(PasswordReset.token_hash == rules.token_hash(token))
    ).first()
    if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
        return render_template("auth/reset_link_invalid.html"), 404
    user = db.session.get(User, reset.user_id)
    if not user.active:
        # A leaver's link (made before the account was switched off) sets no password on it.
        return render_template("auth/reset_link_invalid.html", deactivated=True), 404
    form = NewPasswordForm(person_email=user.email, person_name=user.name)
    if form.validate_on_submit():
        first = services.never_had_a_password(user)
        services.reset_password(reset, user, form.password.data)
        sessions.end_all_for(user, reason="reset")
        audit.record("password reset", user, actor=user)
        session.clear()
        session["ended"] = "first-password" if first else "reset"
        return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form, user=user)


@bp.route("/create-account/<token>", methods=["GET", "POST"])
@public
def create_account(token: str):
    """A trained chair, invited from the chairs' register, sets a password and so makes their account."""
    from tracker.training import invitations

    invitation = invitations.invitation_for(token)
    if invitation is None:
        return render_template("auth/reset_link_invalid.html", invitation=True), 404
    if problem := invitations.link_problem(invitation):
        return render_template("auth/reset_link_invalid.html", invitation=True, barred=problem), 404
    form = NewPasswordForm(person_email=invitation.email, person_name="")
    if form.validate_on_submit():
        try:
            invitations.make_account(invitation, form.password.data)
        except invitations.NotInvitable as refused:
            form.password.errors.append(str(refused))
        else:
            session.clear()
            session["ended"] = "account-made"
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/create_account.html", form=form, invitation=invitation)
