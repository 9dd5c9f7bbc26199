"""Accounts at the command line: the first admins of a new area (`tracker create-user`), and the way back
in for an admin who cannot sign in (`tracker reset-two-factor`, `tracker password-link`). Whoever can run
these on the server is trusted with every account; each is in the audit trail as done at the command line
by the operating-system user who ran it."""

from __future__ import annotations

import getpass
import os
from contextlib import contextmanager

import click
from flask import current_app, g
from flask.cli import with_appcontext
from sqlmodel import select

from tracker.core.db import db
from tracker.core.permissions import Role


@click.command("create-user")
@with_appcontext
@click.option("--name", prompt=True)
@click.option("--email", prompt=True)
@click.option("--agency", prompt=True, help="The agency's name as listed (case and spacing aside).")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([r.name for r in Role], case_sensitive=False),
    required=True,
)
@click.option(
    "--cleared",
    is_flag=True,
    help="Clear the person for Category 4 cases (in the app only a cleared admin clears someone).",
)
@click.password_option()
def create_user(
    name: str, email: str, agency: str, roles: tuple[str, ...], cleared: bool, password: str
) -> None:
    """Add an account (the first admins of a new installation, for instance)."""
    from tracker.auth import rules
    from tracker.auth.models import Agency, User
    from tracker.core.forms import name_key

    problem = rules.password_problem(password, email=email, name=name)
    if problem:
        raise click.BadParameter(problem, param_hint="password")
    session = db.session
    agencies = session.exec(select(Agency).order_by(Agency.name)).all()
    found = next((a for a in agencies if name_key(a.name) == name_key(agency)), None)
    if found is None:
        listed = "; ".join(a.name for a in agencies) or "none yet"
        raise click.BadParameter(
            f"no agency called {agency!r}. The agencies are: {listed}. An admin adds others under Agencies",
            param_hint="agency",
        )
    if session.exec(select(User).where(User.email == email.lower())).first():
        raise click.BadParameter("there is already an account with this email address", param_hint="email")
    user = User(
        name=name,
        email=email.lower(),
        agency_id=found.id,
        password_hash=rules.hash_password(password),
        terrorism_cleared=cleared,
    )
    user.set_roles({Role[r.upper()] for r in roles})
    session.add(user)
    session.commit()
    click.echo(f"Created {user.name} <{user.email}>.")


def os_user() -> str:
    """The operating-system account running the command (and, under sudo, who ran sudo)."""
    try:
        import pwd

        name = pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        name = getpass.getuser()
    sudo = os.environ.get("SUDO_USER")
    return f"{name} (sudo by {sudo})" if sudo and sudo != name else name


@contextmanager
def _at_the_command_line(command: str):
    """A request to BASE_URL (links are built as a request would build them) in which every change is
    audited as made by this command, naming the operating-system user; committed at the end."""
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        g.command = f"tracker {command} at the command line, by OS user {os_user()}"
        yield
        db.session.commit()


def _account(email: str):
    from tracker.auth.models import User

    user = db.session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise click.ClickException(f"There is no account with the email address {email!r}")
    return user


@click.command("reset-two-factor")
@with_appcontext
@click.argument("email")
def reset_two_factor(email: str) -> None:
    """Turn off the two-factor sign-in of the account with EMAIL (a lost phone) and sign it out
    everywhere: they set up a new authenticator at their next sign-in."""
    from tracker.admin import services
    from tracker.core import audit

    with _at_the_command_line("reset-two-factor"):
        user = _account(email)
        services.reset_two_factor(None, user)
        audit.record("two-factor reset", user, summary="at the command line: signed out everywhere")
    click.echo(f"Two-factor sign-in reset for {user.name}: they set it up again when they next sign in.")


@click.command("password-link")
@with_appcontext
@click.argument("email")
def password_link(email: str) -> None:
    """Print a one-time link with which the account with EMAIL sets a new password (replacing any unused
    earlier link). Hand it to the person only: whoever opens it first can become them."""
    from tracker.admin import services
    from tracker.admin.mail import reset_url
    from tracker.core import audit

    with _at_the_command_line("password-link"):
        user = _account(email)
        try:
            link = reset_url(services.issue_reset_link(None, user, shown=True))
        except services.Refused as refused:
            raise click.ClickException(str(refused)) from None
        audit.record("password link made", user, summary="at the command line: shown to whoever ran it")
    hours = services.link_hours(user)
    click.echo(f"A password link for {user.name} <{user.email}>, working once, for {hours} hours:")
    click.echo(link)
