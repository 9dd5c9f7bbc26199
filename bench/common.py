"""What the benchmarks share: a throwaway database, and planner statistics for it."""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

# The checkout this script is in comes first, before an editable install of another checkout (a second
# worktree would otherwise measure the first one's code).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from tracker.core import migrate
from tracker.core.db import normalise_url


def database(url: str | None) -> tuple[str, Callable[[], None]]:
    """A new empty database and how to drop it: a SQLite file, or one made on the PostgreSQL server
    given."""
    if not url or url.startswith("sqlite"):
        return f"sqlite:///{os.path.join(tempfile.mkdtemp(), 'bench.db')}", lambda: None
    server = sa.make_url(normalise_url(url))
    name = f"tracker_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


@contextmanager
def migrated_database(url: str | None) -> Iterator[str]:
    """A new database brought up to date with the migrations, dropped afterwards."""
    target, drop = database(url)
    try:
        migrate.upgrade(target)
        yield target
    finally:
        drop()


def analyze(engine: sa.Engine) -> None:
    """Give PostgreSQL's planner statistics for the rows just bulk-loaded, as autovacuum would within a
    minute or so on a live server (outside a transaction: statistics gathered in one that rolls back are
    lost). SQLite's planner is measured as the app leaves it, without ANALYZE."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")
