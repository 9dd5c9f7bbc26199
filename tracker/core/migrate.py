"""Running the Alembic migrations from the app (the command line and the tests use this)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str, connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: str, revision: str = "head", connection=None) -> None:
    command.upgrade(alembic_config(url, connection), revision)


def upgrade_told(url: str, revision: str) -> str:
    """Upgrade to `revision` and say where the database is; ValueError for a revision that does not exist.
    Migrations are never undone: a revision older than the database's changes nothing, and says so."""
    target = known_revision(revision)
    if target is None:
        raise ValueError(f"There is no migration {revision!r}: the newest is {known_revision('head')}")
    before = current_revision(url)
    upgrade(url, revision)
    now = current_revision(url)
    if now == before and before is not None and before != target:
        return f"Database is at {now}, newer than {target}: nothing changed (migrations are not undone)."
    return f"Database is at {now}."


def current_revision(url: str) -> str | None:
    """The revision the database is at (None: no migration has run on it)."""
    from alembic.runtime.migration import MigrationContext

    from tracker.core.db import normalise_url

    engine = sa.create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def known_revision(revision: str) -> str | None:
    """The revision id that `revision` names ("head", an id or a unique start of one), or None."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    try:
        found = script.get_revision(revision)
    except CommandError:
        return None
    return found.revision if found is not None else None


def create_indexes(table: str, *columns: str) -> None:
    """Index each of a table's columns on its own, under SQLAlchemy's name for it (``ix_<table>_<column>``).

    For the migrations; what it creates must never change, since migrations already run depend on it.
    """
    from alembic import op

    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def create_tally(table: str, *key: sa.Column, count: str) -> None:
    """A table of kept counts: the key columns (together its primary key), then how many (``count``).

    For the migrations, and as fixed as ``create_indexes``.
    """
    from alembic import op

    op.create_table(
        table,
        *key,
        sa.Column(count, sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(*(column.name for column in key)),
    )


def drop_tables(*tables: str) -> None:
    """Drop the tables in the order given (each before any it refers to)."""
    from alembic import op

    for table in tables:
        op.drop_table(table)


def create_table_with_id(table: str, *columns_and_constraints, indexed: tuple[str, ...] = ()) -> None:
    """A table whose primary key is an integer ``id`` (its first column), then the columns and constraints
    given, with an index on each of the ``indexed`` columns (as ``create_indexes``). For the migrations, and
    as fixed as ``create_indexes``."""
    from alembic import op

    from tracker.migrations.columns import id_column

    op.create_table(table, id_column(), *columns_and_constraints, sa.PrimaryKeyConstraint("id"))
    create_indexes(table, *indexed)
