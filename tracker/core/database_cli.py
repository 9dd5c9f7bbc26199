"""The database's commands: `tracker db upgrade | grant-app-role | revision`, and `tracker backup` and
`tracker restore` for SQLite (PostgreSQL is backed up with pg_dump: README, "Backing up PostgreSQL")."""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

import click
import sqlalchemy as sa
from alembic import command
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from tracker.core import migrate, roles
from tracker.core.db import normalise_url

db_group = AppGroup("db", help="Database schema migrations (Alembic).")

# PostgreSQL's SQLSTATE for "insufficient privilege" (permission denied, must be owner of ...).
INSUFFICIENT_PRIVILEGE = "42501"


class _NotAllowed(click.ClickException):
    """The migrations' role was refused something: said plainly, with what to do, never a traceback."""

    def __init__(self, error: sa.exc.DBAPIError) -> None:
        url = sa.make_url(normalise_url(current_app.config["MIGRATION_DATABASE_URL"]))
        refused = str(error.orig).strip().splitlines()[0]
        super().__init__(
            f'The database refused the migrations\' role "{url.username}": {refused}. Run `tracker db '
            "upgrade` as the role that owns the database and its tables (MIGRATION_DATABASE_URL). A copy "
            "restored as another role (postgres, say) has tables that role owns: restore it again into a "
            'database the owner owns, as the owner (README, "Backing up PostgreSQL").'
        )


def _lacks_privilege(error: sa.exc.DBAPIError) -> bool:
    return getattr(error.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: the newest; never back), as the schema's owner; then, on
    PostgreSQL with a separate application role, grant that role its privileges again (new tables too)."""
    try:
        click.echo(migrate.upgrade_told(current_app.config["MIGRATION_DATABASE_URL"], revision))
    except ValueError as unknown:
        raise click.ClickException(str(unknown)) from None
    except sa.exc.DBAPIError as error:
        if _lacks_privilege(error):
            raise _NotAllowed(error) from None
        raise
    app_role = _app_role()
    if app_role:
        _grant(app_role)


def _app_role() -> str | None:
    """The role DATABASE_URL connects as, when it is not the one migrations run as (PostgreSQL)."""
    app_url = sa.make_url(normalise_url(current_app.config["DATABASE_URL"]))
    owner_url = sa.make_url(normalise_url(current_app.config["MIGRATION_DATABASE_URL"]))
    if app_url.get_backend_name() != "postgresql" or app_url.username == owner_url.username:
        return None
    return app_url.username


@db_group.command("grant-app-role")
@click.argument("role", required=False)
def db_grant_app_role(role: str | None) -> None:
    """PostgreSQL: let ROLE (default: DATABASE_URL's) read and write the tables but only add to and read
    the audit trail. Runs as the schema's owner (MIGRATION_DATABASE_URL); `db upgrade` runs it too."""
    role = role or _app_role()
    if not role:
        raise click.ClickException(
            "Name the application role, or set DATABASE_URL and MIGRATION_DATABASE_URL to different roles"
        )
    _grant(role)


def _grant(role: str) -> None:
    engine = sa.create_engine(normalise_url(current_app.config["MIGRATION_DATABASE_URL"]))
    try:
        with engine.begin() as connection:
            roles.grant_app_role(connection, role)
    except roles.RoleProblem as problem:
        raise click.ClickException(str(problem)) from None
    except sa.exc.DBAPIError as error:
        if _lacks_privilege(error):
            raise _NotAllowed(error) from None
        raise
    finally:
        engine.dispose()
    click.echo(f'"{role}" may now use the tables; on the audit trail only INSERT and SELECT.')


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--rev-id", required=True, help="The next number in sequence, like 0002.")
def db_revision(message: str, rev_id: str) -> None:
    """Write a migration from the difference between the models and an up-to-date database."""
    config = migrate.alembic_config(current_app.config["MIGRATION_DATABASE_URL"])
    command.revision(config, message=message, autogenerate=True, rev_id=rev_id)


# SQLite: backup and restore ---------------------------------------------------------------------------

# The files SQLite keeps beside a database in WAL mode: written changes not yet in it, and the index.
BESIDE = ("-wal", "-shm")


def _sqlite_path(what: str) -> Path:
    url = normalise_url(current_app.config["DATABASE_URL"])
    if not url.startswith("sqlite:///"):
        raise click.ClickException(f"{what} the SQLite database; for PostgreSQL use pg_dump and pg_restore")
    return Path(url.removeprefix("sqlite:///")).resolve()


def _same_file(path: Path, database: Path) -> bool:
    """Whether `path` is the database or one of the files beside it."""
    path = path.resolve()
    return path == database or path in {Path(f"{database}{suffix}") for suffix in BESIDE}


@click.command("backup")
@with_appcontext
@click.option("--to", "target", type=click.Path(dir_okay=False, path_type=Path), default=None)
def backup(target: Path | None) -> None:
    """Copy the SQLite database safely while the app is running (SQLite's online backup), readable by
    this account only (0600); a folder in --to that does not exist is made."""
    source_path = _sqlite_path("backup copies")
    if target is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = Path(current_app.instance_path) / "backups" / f"tracker-{stamp}.db"
    if _same_file(target, source_path):
        raise click.ClickException(f"{target} is the database itself: back it up to another file")
    if not target.parent.is_dir():
        target.parent.mkdir(parents=True)
        click.echo(f"Made the folder {target.parent}.")
    os.close(os.open(target, os.O_WRONLY | os.O_CREAT, 0o600))
    os.chmod(target, 0o600)  # a file that was there keeps the mode it had otherwise
    with closing(sqlite3.connect(source_path)) as source, closing(sqlite3.connect(target)) as destination:
        source.backup(destination)
    click.echo(f"Backed up {source_path} to {target}.")


def _held_by_another(database: Path) -> bool:
    """Whether a process has the database open: an open connection in WAL mode keeps a shared lock,
    so one that asks for the database alone is refused at once."""
    probe = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        probe.execute("PRAGMA locking_mode = EXCLUSIVE")
        probe.execute("BEGIN EXCLUSIVE")
        probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def _check_copy(copy: Path) -> str | None:
    """What is wrong with a copied backup (None: a sound tracker database), leaving it in rollback-journal
    mode so that nothing is left beside it (the app turns WAL on again when it opens it)."""
    try:
        with closing(sqlite3.connect(copy, isolation_level=None)) as connection:
            found = connection.execute("PRAGMA integrity_check").fetchone()[0]
            if found != "ok":
                return f"it fails SQLite's integrity check ({found})"
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                return "it is not a MAPPA Tracker database"
            connection.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.DatabaseError as error:
        return f"it is not an SQLite database ({error})"
    return None


@click.command("restore")
@with_appcontext
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(backup_file: Path) -> None:
    """Put a `tracker backup` copy in place of the SQLite database: refused while a process has the
    database open; the database in use, with its -wal and -shm files, is moved aside, not deleted."""
    database = _sqlite_path("restore replaces")
    if _same_file(backup_file, database):
        raise click.ClickException(f"{backup_file} is the database in use: name a backup")
    current_app.extensions["db_engine"].dispose()  # this command's own connections
    if database.exists() and _held_by_another(database):
        raise click.ClickException(
            "The database is open in another process: stop the web workers and the mail sender (every "
            "process using it), then restore. Nothing was changed."
        )
    copy = database.with_name(database.name + ".restoring")
    shutil.copyfile(backup_file, copy)
    os.chmod(copy, 0o600)
    problem = _check_copy(copy)
    if problem:
        for path in (copy, *(Path(f"{copy}{suffix}") for suffix in BESIDE)):
            path.unlink(missing_ok=True)
        raise click.ClickException(f"{backup_file} cannot be restored: {problem}. Nothing was changed.")
    if database.exists():
        aside = database.with_name(f"{database.name}.replaced-{datetime.now():%Y%m%d-%H%M%S}")
        moved = [suffix for suffix in ("", *BESIDE) if Path(f"{database}{suffix}").exists()]
        for suffix in moved:  # kept together: a -wal may hold changes not yet in the database file
            Path(f"{database}{suffix}").rename(f"{aside}{suffix}")
        also = f" (with its {' and '.join(moved[1:])} files)" if moved[1:] else ""
        click.echo(f"Moved the database that was in use aside to {aside}{also}.")
    copy.rename(database)
    click.echo(f"Restored {backup_file} to {database} (integrity checked).")
    click.echo(migrate.upgrade_told(current_app.config["MIGRATION_DATABASE_URL"], "head"))
    click.echo("Start the app again, then check that GET /readyz says ready.")
