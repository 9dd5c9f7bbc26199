"""Command line: `tracker ...` or `flask --app tracker ...`.

tracker db upgrade             bring the database schema up to date (as MIGRATION_DATABASE_URL's role)
tracker db grant-app-role R    let role R (DATABASE_URL's) use the tables, the audit trail append-only
tracker db revision -m MSG     write a new migration from the models (developers)
tracker create-user            add an account (a new area's first admins)
tracker reset-two-factor EMAIL turn off an account's two-factor sign-in (a lost phone)
tracker password-link EMAIL    print a one-time link to set an account's password
tracker seed-demo              fill an empty database with the fictional London-like demo
tracker backup                 copy the SQLite database while the app runs
tracker restore FILE           put a backup in place of the SQLite database (the app stopped)
tracker demo-code EMAIL        the current two-factor code of a demo account
tracker send-mail              deliver the email outbox (--forever: keep at it)
tracker send-reminders         remind those yet to answer open evaluations (daily)
tracker send-action-reminders  remind action owners of actions due soon and overdue (daily)
tracker send-weekly-digest     the co-ordinators' digest of overdue reviews and late minutes (weekly)
tracker close-training-events  set the outcomes of training events that have ended (daily)
tracker retention-review       list the records due for review under the retention rules (daily)
tracker fetch-replies          read Accept/Tentative/Decline replies from the organiser's mailbox (IMAP)
tracker export-area FILE       write every record of the area to a ZIP of CSV files (a disclosure)
tracker import-area FILE       load such a ZIP into a new, empty installation
"""

from __future__ import annotations

from pathlib import Path

import click
import pyotp
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from tracker.auth.commands import create_user, password_link, reset_two_factor
from tracker.core.database_cli import backup, db_group, restore
from tracker.core.db import db


def main() -> None:
    from tracker import create_app

    # "\b" keeps click from rewrapping the list of commands into one paragraph.
    FlaskGroup(create_app=create_app, help=__doc__.replace("\n\n", "\n\n\b\n", 1))()


def register(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(create_user)
    app.cli.add_command(seed_demo)
    app.cli.add_command(backup)
    app.cli.add_command(restore)
    app.cli.add_command(reset_two_factor)
    app.cli.add_command(password_link)
    app.cli.add_command(demo_code)
    app.cli.add_command(send_reminders)
    app.cli.add_command(send_action_reminders)
    app.cli.add_command(send_weekly_digest)
    app.cli.add_command(close_training_events)
    app.cli.add_command(send_mail)
    app.cli.add_command(retention_review)
    app.cli.add_command(fetch_replies)
    app.cli.add_command(export_area)
    app.cli.add_command(import_area)


def _run_job(name: str, job):
    """Run a scheduled job as the command `name`, inside a request to BASE_URL (the emails carry links to
    the tracker, built as such a request would build them); commit, then send what waits for the commit."""
    from flask import g

    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        g.command = name
        result = job()
        db.session.commit()
        db.run_after_commit()
    return result


@click.command("send-reminders")
@with_appcontext
def send_reminders() -> None:
    """Remind everyone who has not answered an open evaluation, where the gap set in Settings has passed
    since their link or the last reminder. Run it once a day (cron or a systemd timer)."""
    from tracker.core.timeutil import today_london
    from tracker.core.types import utcnow
    from tracker.evaluations import services

    sent = _run_job("send-reminders", lambda: services.remind_due(utcnow(), today_london()))
    for title, count in sent:
        click.echo(f"{title}: reminded {count} {'person' if count == 1 else 'people'}.")
    if not sent:
        click.echo("No reminders are due.")


@click.command("send-action-reminders")
@with_appcontext
def send_action_reminders() -> None:
    """Remind action owners of actions due within the set number of days, and of overdue ones: once per
    action and threshold, so running it twice sends nothing new. Run it once a day."""
    from tracker.core.timeutil import today_london
    from tracker.meetings import follow_up

    sent = _run_job("send-action-reminders", lambda: follow_up.send_action_reminders(today_london()))
    click.echo(f"Sent {sent} action {'reminder' if sent == 1 else 'reminders'}.")


@click.command("send-weekly-digest")
@with_appcontext
def send_weekly_digest() -> None:
    """Send each co-ordinator the weekly digest of overdue reviews and initial meetings, and late minutes.
    Run it once a week."""
    from tracker.core.timeutil import today_london
    from tracker.meetings import follow_up

    sent = _run_job("send-weekly-digest", lambda: follow_up.send_weekly_digest(today_london()))
    click.echo(f"Sent the weekly digest to {sent} {'person' if sent == 1 else 'people'}.")


@click.command("retention-review")
@with_appcontext
def retention_review() -> None:
    """List the records that the retention rules make due for review today, and record that each is due
    (the co-ordinator decides on the Retention page). Idempotent: run it once a day; a second run adds
    nothing. Nothing is disposed of here."""
    from flask import g

    from tracker.core.timeutil import today_london
    from tracker.retention import services

    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        g.command = "retention-review"
        added, withdrawn = services.review_day(today_london())
        db.session.commit()
        waiting = services.open_reviews()
        for review in waiting:
            new = " (new)" if review in added else ""
            click.echo(
                f"{review.kind.label} {review.record_id}: due {review.due_on:%-d %B %Y}, {review.rule}{new}"
            )
    for review in withdrawn:
        click.echo(f"{review.kind.label} {review.record_id}: withdrawn, no longer due under the settings")
    click.echo(f"{len(added)} newly due; {len(withdrawn)} withdrawn; {len(waiting)} waiting for a decision.")


@click.command("close-training-events")
@with_appcontext
def close_training_events() -> None:
    """Set the outcomes of every training event that has ended (Completed, Did not complete), close
    their waiting lists and email the certificates. Run it once a day: an event already closed (by the
    command or by the TRSG) is left as it is, so running it twice changes nothing."""
    from tracker.training import outcomes

    closed = _run_job("close-training-events", outcomes.close_ended_events)
    for title in closed:
        click.echo(f"{title}: outcomes set.")
    if not closed:
        click.echo("No training events to close.")


@click.command("send-mail")
@with_appcontext
@click.option("--forever", is_flag=True, help="Keep sending as messages fall due, until stopped.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between looks (with --forever).")
def send_mail(forever: bool, interval: float) -> None:
    """Deliver the email outbox: what is due now (for cron or a systemd timer), or, with --forever, as it
    falls due. Several senders may run at once: none sends a message another has claimed."""
    import signal
    import threading

    from tracker.core import sending

    if not forever:
        run = sending.send_all_due()
        db.session.close()
        click.echo(f"Sent {len(run.sent)}, to try again {len(run.retrying)}, failed {len(run.failed)}.")
        return
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    click.echo(f"Sending the outbox every {interval:g} seconds (Ctrl+C to stop).")
    sending.run_forever(stop, interval=interval)


@click.command("fetch-replies")
@with_appcontext
def fetch_replies() -> None:
    """Read the organiser's mailbox (IMAP_HOST) and record each Accept, Tentative or Decline on the meeting
    invitation or training place it answers. Run it every few minutes (cron or a systemd timer)."""
    from tracker.calendar import imap

    if not imap.is_configured():
        raise click.ClickException("set IMAP_HOST (and IMAP_USERNAME, IMAP_PASSWORD) to read replies")
    fetched = imap.fetch()
    db.session.close()
    click.echo(f"Replies applied {len(fetched.applied)}, not applied {len(fetched.not_applied)}.")


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Fill an empty database with the fictional demo area (does nothing if it is there already; refuses a
    database with accounts of its own)."""
    from tracker.demo import AreaInUse, seed

    try:
        created = seed()
    except AreaInUse as refused:
        raise click.ClickException(str(refused)) from None
    if created:
        db.refresh_statistics()
    click.echo("Demo data created." if created else "Demo data is already there.")


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
    from tracker.core import settings
    from tracker.transfer import export

    made = export.build(settings.get("area_name"))
    path.write_bytes(made.data)
    _record_whole_area("export", f"Whole-area export ({_rows(made.counts)}) to {recipient}: {reason}")
    click.echo(f"Exported {_rows(made.counts)} to {path}.")


def _rows(counts: dict[str, int]) -> str:
    return f"{sum(counts.values()):,} rows in {len(counts)} tables"


def _record_whole_area(operation: str, summary: str) -> None:
    """The export or import of the whole area, in the audit trail (committed)."""
    from tracker.core import audit

    audit.record(operation, object_type="Area", object_id="all", summary=summary)
    db.session.commit()


@click.command("import-area")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_area(path: Path) -> None:
    """Load an area export into this installation, which must be new (no accounts yet)."""
    from tracker.transfer import export

    try:
        loaded = export.load(path.read_bytes())
    except export.ImportRefused as refused:
        db.session.rollback()
        raise click.ClickException(str(refused)) from refused
    _record_whole_area("import", f"Whole-area import of {_rows(loaded)} from {path.name}")
    db.refresh_statistics()
    click.echo(f"Imported {_rows(loaded)}. Everyone needs a new password.")
