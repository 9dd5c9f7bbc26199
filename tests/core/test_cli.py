"""The command line: migrations, the demo area, accounts and backups."""

import sqlite3
import subprocess
import sys

import click
import pytest
from sqlmodel import Session, select

from tests.conftest import make_database
from tracker import create_app
from tracker.auth.models import User
from tracker.core.permissions import Role
from tracker.demo import DEMO_DOMAIN
from tracker.meetings.models import AgendaItem, Meeting, PlanOutcome, PlanPart
from tracker.minutes.models import Minutes, MinutesStatus


@pytest.fixture
def cli_app(tmp_path_factory):
    for url in make_database("sqlite", tmp_path_factory):
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "cli-tests", "TESTING": True})
        yield app
        app.extensions["db_engine"].dispose()


def test_seed_demo_makes_one_account_per_role_once(cli_app):
    runner = cli_app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).output.strip() == "Demo data created."
    assert runner.invoke(args=["seed-demo"]).output.strip() == "Demo data is already there."
    with Session(cli_app.extensions["db_engine"]) as session:
        demo = session.exec(select(User).where(User.email.like(f"%@{DEMO_DOMAIN}"))).all()
        # Every approved record says what its meeting did with each part of the plan, as approval requires.
        unreviewed = session.exec(
            select(Meeting.reference)
            .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
            .join(PlanPart, PlanPart.agenda_item_id == AgendaItem.id, isouter=True)
            .join(Minutes, Minutes.meeting_id == Meeting.id)
            .where(
                Minutes.status.in_([MinutesStatus.APPROVED, MinutesStatus.DISTRIBUTED]),
                (PlanPart.id.is_(None)) | (PlanPart.outcome == PlanOutcome.PENDING),
            )
        ).all()
    covered = set().union(*(user.roles for user in demo))
    assert covered == set(Role)
    assert all(user.email.endswith("@demo.mappa.example") for user in demo)
    assert unreviewed == []


def test_create_user_refuses_a_weak_password_and_accepts_a_good_one(cli_app):
    runner = cli_app.test_cli_runner()
    base = [
        "create-user",
        "--name",
        "Ola First",
        "--email",
        "ola@example.org",
        "--agency",
        "Probation Service",
        "--role",
        "system_admin",
    ]
    weak = runner.invoke(args=base + ["--password", "password1234"])
    assert weak.exit_code != 0 and "too common" in weak.output
    good = runner.invoke(args=base + ["--password", "lantern meadow quartz"])
    assert good.exit_code == 0, good.output
    with Session(cli_app.extensions["db_engine"]) as session:
        user = session.exec(select(User).where(User.email == "ola@example.org")).one()
        assert user.roles == {Role.SYSTEM_ADMIN} and not user.terrorism_cleared


def test_a_real_areas_first_admin_is_made_from_the_agencies_listed_and_the_demo_never_joins_it(cli_app):
    """A new installation's first admin names an agency as listed (case and spacing aside; a name not
    listed is answered with the list); once the area has accounts of its own, seed-demo refuses, changing
    nothing: its accounts share a published password and authenticator keys."""
    runner = cli_app.test_cli_runner()
    base = ["create-user", "--name", "Ola First", "--email", "ola@example.org", "--role", "system_admin"]
    base += ["--password", "lantern meadow quartz"]
    unknown = runner.invoke(args=[*base, "--agency", "Probation"])
    assert unknown.exit_code != 0
    assert "no agency called 'Probation'. The agencies are: " in " ".join(unknown.output.split())
    assert "Probation Service" in unknown.output and "seed-demo" not in unknown.output
    made = runner.invoke(args=[*base, "--agency", "probation  SERVICE"])
    assert made.exit_code == 0, made.output

    refused = runner.invoke(args=["seed-demo"])
    assert refused.exit_code != 0
    assert "This database already has accounts of its own (1)" in refused.output
    with Session(cli_app.extensions["db_engine"]) as session:
        assert session.exec(select(User.email)).all() == ["ola@example.org"]


def test_create_user_clears_the_first_cleared_admin(cli_app):
    """In the app only a cleared admin clears someone: the first one is made at the server."""
    runner = cli_app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user", "--name", "Kit Cleared", "--email", "kit@example.org",
            "--agency", "Probation Service", "--role", "system_admin", "--cleared",
            "--password", "lantern meadow quartz",
        ]
    )
    assert result.exit_code == 0, result.output
    with Session(cli_app.extensions["db_engine"]) as session:
        assert session.exec(select(User).where(User.email == "kit@example.org")).one().terrorism_cleared


def test_backup_copies_the_sqlite_database_while_it_is_open(cli_app, tmp_path):
    runner = cli_app.test_cli_runner()
    made = runner.invoke(
        args=["create-user", "--name", "Ola First", "--email", "ola@example.org", "--agency", "Probation Service",
              "--role", "system_admin", "--password", "lantern meadow quartz"]
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    target = tmp_path / "copy.db"
    result = runner.invoke(args=["backup", "--to", str(target)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT email FROM user").fetchall() == [("ola@example.org",)]
    # Restored as the README says (the copy put where the app looks for its database), it is ready.
    restored = create_app({"DATABASE_URL": f"sqlite:///{target}", "SECRET_KEY": "restored", "TESTING": True})
    assert restored.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
    ready = restored.test_client().get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["checks"]["migrations"] == "ok"
    restored.extensions["db_engine"].dispose()


def test_db_upgrade_names_an_unknown_revision_and_never_goes_back(cli_app):
    runner = cli_app.test_cli_runner()
    unknown = runner.invoke(args=["db", "upgrade", "nonsense"])
    assert unknown.exit_code != 0 and "There is no migration 'nonsense': the newest is" in unknown.output
    assert "Traceback" not in unknown.output
    older = runner.invoke(args=["db", "upgrade", "0010"])
    assert older.exit_code == 0
    assert "newer than 0010: nothing changed (migrations are not undone)" in older.output
    assert runner.invoke(args=["db", "upgrade"]).output.startswith("Database is at 00")


def test_the_help_lists_each_command_on_its_own_line():
    from tracker import cli

    result = subprocess.run(
        [sys.executable, "-c", "from tracker.cli import main; main()", "--help"],
        capture_output=True, text=True, timeout=120,
    )
    for line in cli.__doc__.splitlines()[2:]:
        assert line.strip() in [shown.strip() for shown in result.stdout.splitlines()], line
    # Every command is in the list.
    commands = [name for name, command in vars(cli).items() if isinstance(command, click.Command)]
    listed = cli.__doc__
    assert [getattr(cli, name).name for name in commands if f" {getattr(cli, name).name} " not in listed] == []


def test_demo_code_prints_a_code_only_for_demo_accounts(cli_app):
    runner = cli_app.test_cli_runner()
    code = runner.invoke(args=["demo-code", f"admin@{DEMO_DOMAIN}"]).output.strip()
    assert code.isdigit() and len(code) == 6
    assert runner.invoke(args=["demo-code", "someone@example.org"]).exit_code != 0


def test_the_readme_lists_every_command():
    """README "Command line" gives every command `tracker --help` lists."""
    from pathlib import Path

    from tracker import cli

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.split("## Command line", 1)[1].split("\n## ", 1)[0]
    words = [line.split() for line in cli.__doc__.splitlines()[2:] if line.startswith("tracker ")]
    commands = sorted({" ".join(w[1:3]) if w[1] == "db" else w[1] for w in words})
    assert "reset-two-factor" in commands and "password-link" in commands and "restore" in commands
    assert [command for command in commands if f".venv/bin/tracker {command}" not in section] == []
