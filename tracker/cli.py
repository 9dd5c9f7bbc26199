"""Command line: `tracker ...` or `flask --app tracker ...`.

tracker db upgrade           bring the database schema up to date
tracker db revision -m MSG   write a new migration from the models (developers)
tracker create-user          add an account
tracker seed-demo            fill an empty database with the fictional London-like demo
tracker backup               copy the SQLite database while the app runs
tracker demo-code EMAIL      the current two-factor code of a demo account
tracker export-area FILE     write every record of the area to a ZIP of CSV files (a disclosure)
tracker import-area FILE     load such a ZIP into a new, empty installation
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import click
import pyotp
from alembic import command
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from sqlmodel import select

from tracker.core import migrate
from tracker.core.db import db, normalise_url
from tracker.core.permissions import Role


def main() -> None:
    from tracker import create_app

    FlaskGroup(create_app=create_app, help=__doc__)()


def register(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)
    app.cli.add_command(backup)
    app.cli.add_command(demo_code)
    app.cli.add_command(send_reminders)
    app.cli.add_command(send_action_reminders)
    app.cli.add_command(send_weekly_digest)
    app.cli.add_command(export_area)
    app.cli.add_command(import_area)


db_group = AppGroup("db", help="Database schema migrations (Alembic).")


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest)."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database is at {revision}.")


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--rev-id", required=True, help="The next number in sequence, like 0002.")
def db_revision(message: str, rev_id: str) -> None:
    """Write a migration from the difference between the models and an up-to-date database."""
    config = migrate.alembic_config(current_app.config["DATABASE_URL"])
    command.revision(config, message=message, autogenerate=True, rev_id=rev_id)


@click.command("create-user")
@with_appcontext
@click.option("--name", prompt=True)
@click.option("--email", prompt=True)
@click.option("--agency", prompt=True, help="The agency's name, exactly as listed.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([r.name for r in Role], case_sensitive=False),
    required=True,
)
@click.password_option()
def create_user(name: str, email: str, agency: str, roles: tuple[str, ...], password: str) -> None:
    """Add an account (the first admin of a new installation, for instance)."""
    from tracker.auth import rules
    from tracker.auth.models import Agency, User

    problem = rules.password_problem(password, email=email, name=name)
    if problem:
        raise click.BadParameter(problem, param_hint="password")
    session = db.session
    found = session.exec(select(Agency).where(Agency.name == agency)).first()
    if found is None:
        raise click.BadParameter(
            f"no agency called {agency!r}; run seed-demo or add it first", param_hint="agency"
        )
    if session.exec(select(User).where(User.email == email.lower())).first():
        raise click.BadParameter("there is already an account with this email address", param_hint="email")
    user = User(
        name=name, email=email.lower(), agency_id=found.id, password_hash=rules.hash_password(password)
    )
    user.set_roles({Role[r.upper()] for r in roles})
    session.add(user)
    session.commit()
    click.echo(f"Created {user.name} <{user.email}>.")


@click.command("send-reminders")
@with_appcontext
def send_reminders() -> None:
    """Remind everyone who has not answered an open evaluation, where the gap set in Settings has passed
    since their link or the last reminder. Run it once a day (cron or a systemd timer)."""
    from flask import g

    from tracker.core.timeutil import today_london
    from tracker.core.types import utcnow
    from tracker.evaluations import services

    # The emails carry links to the tracker, built as a request to BASE_URL would build them.
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        g.command = "send-reminders"
        due = services.due_for_reminders(utcnow(), today_london())
        sent = [(evaluation.event.title, services.remind(evaluation)) for evaluation in due]
        db.session.commit()
        db.run_after_commit()
    for title, count in sent:
        click.echo(f"{title}: reminded {count} {'person' if count == 1 else 'people'}.")
    if not sent:
        click.echo("No reminders are due.")


@click.command("send-action-reminders")
@with_appcontext
def send_action_reminders() -> None:
    """Remind action owners of actions due within the set number of days, and of overdue ones: once per
    action and threshold, so running it twice sends nothing new. Run it once a day."""
    from flask import g

    from tracker.core.timeutil import today_london
    from tracker.meetings import follow_up

    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        g.command = "send-action-reminders"
        sent = follow_up.send_action_reminders(today_london())
        db.session.commit()
        db.run_after_commit()
    click.echo(f"Sent {sent} action {'reminder' if sent == 1 else 'reminders'}.")


@click.command("send-weekly-digest")
@with_appcontext
def send_weekly_digest() -> None:
    """Send each co-ordinator the weekly digest of overdue reviews and late minutes. Run it once a week."""
    from flask import g

    from tracker.core.timeutil import today_london
    from tracker.meetings import follow_up

    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        g.command = "send-weekly-digest"
        sent = follow_up.send_weekly_digest(today_london())
        db.session.commit()
        db.run_after_commit()
    click.echo(f"Sent the weekly digest to {sent} {'person' if sent == 1 else 'people'}.")


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Fill the database with the fictional demo area (does nothing if it is there already)."""
    from tracker.demo import seed

    created = seed()
    click.echo("Demo data created." if created else "Demo data is already there.")


@click.command("backup")
@with_appcontext
@click.option("--to", "target", type=click.Path(dir_okay=False, path_type=Path), default=None)
def backup(target: Path | None) -> None:
    """Copy the SQLite database safely while the app is running (SQLite's online backup)."""
    url = normalise_url(current_app.config["DATABASE_URL"])
    if not url.startswith("sqlite:///"):
        raise click.ClickException("backup copies the SQLite database; for PostgreSQL use pg_dump")
    source_path = Path(url.removeprefix("sqlite:///"))
    if target is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = Path(current_app.instance_path) / "backups" / f"tracker-{stamp}.db"
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(source_path)
    destination = sqlite3.connect(target)
    with destination:
        source.backup(destination)
    source.close()
    destination.close()
    click.echo(f"Backed up {source_path} to {target}.")


@click.command("demo-code")
@with_appcontext
@click.argument("email")
def demo_code(email: str) -> None:
    """Print the current two-factor code of a demo account (demo accounts only)."""
    from tracker.demo import DEMO_TOTP_SECRETS

    secret = DEMO_TOTP_SECRETS.get(email.lower())
    if secret is None:
        raise click.ClickException("only the demo accounts' codes can be shown")
    click.echo(pyotp.TOTP(secret).now())


@click.command("export-area")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--recipient", required=True, help="Who the export is for (recorded as a disclosure).")
@click.option("--reason", required=True, help="Why the records are exported (recorded as a disclosure).")
def export_area(path: Path, recipient: str, reason: str) -> None:
    """Write every record of the area (the audit trail included) to PATH as a ZIP of CSV files."""
    from tracker.core import audit, settings
    from tracker.transfer import export

    made = export.build(settings.get("area_name"))
    path.write_bytes(made.data)
    audit.record(
        "export",
        object_type="Area",
        object_id="all",
        summary=f"Whole-area export ({sum(made.counts.values()):,} rows in {len(made.counts)} tables) "
        f"to {recipient}: {reason}",
    )
    db.session.commit()
    click.echo(f"Exported {sum(made.counts.values()):,} rows in {len(made.counts)} tables to {path}.")


@click.command("import-area")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_area(path: Path) -> None:
    """Load an area export into this installation, which must be new (no accounts yet)."""
    from tracker.core import audit
    from tracker.transfer import export

    try:
        loaded = export.load(path.read_bytes())
    except export.ImportRefused as refused:
        db.session.rollback()
        raise click.ClickException(str(refused)) from refused
    audit.record(
        "import",
        object_type="Area",
        object_id="all",
        summary=f"Whole-area import of {sum(loaded.values()):,} rows in {len(loaded)} tables "
        f"from {path.name}",
    )
    db.session.commit()
    click.echo(
        f"Imported {sum(loaded.values()):,} rows in {len(loaded)} tables. Everyone needs a new password."
    )
