"""What the benchmarks share: a throwaway database, and planner statistics for it."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
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


@contextmanager
def bench_app(url: str | None, **config) -> Iterator:
    """The app on a new database brought up to date (on the PostgreSQL server `url` names, else SQLite), its
    engine disposed and the database dropped afterwards. `config` is the app's settings beyond the database
    and the secret key (by default TESTING alone)."""
    from tracker import create_app

    with migrated_database(url) as target:
        app = create_app({"DATABASE_URL": target, "SECRET_KEY": "bench", **(config or {"TESTING": True})})
        try:
            yield app
        finally:
            app.extensions["db_engine"].dispose()


@contextmanager
def filled_app(fill: Callable[[sa.Engine], dict], describe: Callable[[dict], str]) -> Iterator[tuple]:
    """(app, what `fill(engine)` built) on a new database (on the PostgreSQL server BENCH_DATABASE_URL names,
    else SQLite), analysed once filled; prints the database and `describe(built)` with the time it took."""
    with bench_app(os.environ.get("BENCH_DATABASE_URL")) as app:
        engine = app.extensions["db_engine"]
        built = fill(engine)
        analyze(engine)
        print(f"Database: {engine.dialect.name}; {describe(built)} (built in {built['seconds']:.1f} s)")
        yield app, built


def analyze(engine: sa.Engine) -> None:
    """Give PostgreSQL's planner statistics for the rows just bulk-loaded, as autovacuum would within a
    minute or so on a live server (outside a transaction: statistics gathered in one that rolls back are
    lost). SQLite's planner is measured as the app leaves it, without ANALYZE."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")


def signed_in_client(app, user_id: int):
    """A test client with a signed-in session for the user, as the sign-in page would make."""
    from sqlmodel import Session

    from tracker.auth import rules as auth_rules
    from tracker.auth.models import UserSession

    token, token_hash = auth_rules.new_token()
    with Session(app.extensions["db_engine"]) as session:
        session.add(UserSession(token_hash=token_hash, user_id=user_id, second_factor=True))
        session.commit()
    client = app.test_client()
    with client.session_transaction() as browser_session:
        browser_session["sid"] = token
    return client


def insert_agency(conn: sa.Connection, name: str, sector) -> int:
    """An active agency of the sector, inserted directly: its id."""
    from tracker.auth.models import Agency

    return conn.execute(
        sa.insert(Agency).values(name=name, sector=sector.name, active=True)
    ).inserted_primary_key[0]


def insert_user(conn: sa.Connection, name: str, email: str, agency_id: int, role) -> int:
    """An active user with one role, inserted directly: its id."""
    from tracker.auth.models import User, UserRole

    user_id = conn.execute(
        sa.insert(User).values(
            name=name,
            email=email,
            agency_id=agency_id,
            job_title="",
            active=True,
            terrorism_cleared=False,
            chair_trained=False,
            version=1,
        )
    ).inserted_primary_key[0]
    conn.execute(sa.insert(UserRole), [{"user_id": user_id, "role": role.name}])
    return user_id


def insert_course(conn: sa.Connection, title: str, kind, days: int, cpd_minutes: int) -> int:
    """An active course, inserted directly: its id."""
    from tracker.training.models import Course

    return conn.execute(
        sa.insert(Course).values(
            title=title,
            kind=kind.name,
            days=days,
            cpd_minutes=cpd_minutes,
            description="",
            active=True,
            version=1,
        )
    ).inserted_primary_key[0]


def count_statements(app, call: Callable[[], object]) -> int:
    """How many SQL statements `call()` runs."""
    engine = app.extensions["db_engine"]
    statements = []

    def counter(*_args):
        statements.append(1)

    sa.event.listen(engine, "before_cursor_execute", counter)
    try:
        call()
    finally:
        sa.event.remove(engine, "before_cursor_execute", counter)
    return len(statements)


def measure(app, client, path: str, repeat: int = 5) -> tuple[float, int]:
    """Median milliseconds for the page (after one warm-up request that counts its SQL statements)."""

    def warm_up():
        assert client.get(path).status_code == 200, path

    statements = count_statements(app, warm_up)
    timings = []
    for _attempt in range(repeat):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), statements


def print_pages(app, client, pages: list[tuple[str, str]]) -> None:
    """A line a page (label, path): its median time and how many SQL statements it runs."""
    print(f"{'Page':40} {'median ms':>10} {'SQL statements':>15}")
    for label, path in pages:
        ms, statements = measure(app, client, path)
        print(f"{label:40} {ms:10.1f} {statements:15d}")
