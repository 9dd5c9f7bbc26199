"""Benchmark: how long a personal calendar feed takes to build for a chair with a year's meetings.

    .venv/bin/python bench/calendar.py [--events 300] [--runs 50] [--postgresql SERVER_URL]

A fake provider stands in for the meetings area: it makes one query (as a real provider must) and
turns that many meetings, spread over the feed's window, into calendar entries. The script reports the
median and 95th percentile of (a) building the .ics from entries and (b) the whole feed request through
Flask (token lookup, providers, .ics), with the number of SQL queries per request.
"""

import sys
from pathlib import Path

# Run as a script, this folder comes first on sys.path and this file would shadow the standard
# library's `calendar` module, which the tracker uses: take the folder off and put the project on.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import contextlib  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from datetime import timedelta  # noqa: E402

import sqlalchemy as sa  # noqa: E402
from sqlmodel import Session  # noqa: E402

from tracker import create_app  # noqa: E402
from tracker.auth import rules as auth_rules  # noqa: E402
from tracker.auth.models import Agency, AgencySector, User  # noqa: E402
from tracker.calendar import feeds, ics, providers, rules  # noqa: E402
from tracker.calendar.events import Attendee, meeting_event  # noqa: E402
from tracker.calendar.models import FeedToken  # noqa: E402
from tracker.core import migrate  # noqa: E402
from tracker.core.db import db, normalise_url  # noqa: E402
from tracker.core.permissions import Role  # noqa: E402
from tracker.core.timeutil import today_london  # noqa: E402


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return times


def fake_meetings(count: int):
    """What a meetings query would return for a chair: `count` meetings across the feed's window."""
    start, end = rules.feed_window(today_london())
    step = (end - start) / count
    rows = []
    for n in range(count):
        begins = (start + step * n).replace(minute=0, second=0, microsecond=0)
        rows.append((n + 1, f"M-2026-{n + 1:04d}", 2 + n % 2, begins, n % 3 == 0, n % 7))
    return rows


def make_provider(rows):
    invitees = tuple(Attendee(f"person{i}@agency.example", f"Invitee {i}") for i in range(8))

    def meetings_provider(user, start, end):
        db.session.execute(sa.text("SELECT 1"))  # the one query a real provider makes
        return [
            meeting_event(
                meeting_id=meeting_id,
                reference=reference,
                level=level,
                start=begins,
                end=begins + timedelta(hours=2),
                path=f"/meetings/{meeting_id}",
                venue=None if online else "Room 4, Lambeth Police Station",
                join_url="https://teams.example/l/meetup-join/abc" if online else None,
                sequence=sequence,
                attendees=invitees,
            )
            for meeting_id, reference, level, begins, online, sequence in rows
        ]

    return meetings_provider


def seed(app) -> str:
    with Session(app.extensions["db_engine"]) as session:
        agency = Agency(name="Bench Police", sector=AgencySector.POLICE)
        session.add(agency)
        session.flush()
        chair = User(name="Bench Chair", email="chair@bench.example", agency_id=agency.id)
        chair.set_roles({Role.CHAIR})
        session.add(chair)
        session.flush()
        token, token_hash = auth_rules.new_token()
        session.add(FeedToken(user_id=chair.id, token_hash=token_hash))
        session.commit()
    return token


@contextlib.contextmanager
def database(folder: str, server: str | None):
    """A new, migrated database: a SQLite file, or a throwaway database on the PostgreSQL server given."""
    if server is None:
        url = f"sqlite:///{folder}/bench.db"
        migrate.upgrade(url)
        yield url
        return
    admin = sa.create_engine(normalise_url(server), isolation_level="AUTOCOMMIT")
    name = f"tracker_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--postgresql", help="a PostgreSQL server URL to make a throwaway database on")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder, database(folder, args.postgresql) as url:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "BASE_URL": "https://tracker.example"})
        token = seed(app)
        client = app.test_client()
        with app.test_request_context():
            rows = fake_meetings(args.events)
        providers.register(make_provider(rows))

        with app.test_request_context():
            user = feeds.owner_of(token)
            entries = feeds.entries(user, today_london())
            build = timed(lambda: ics.feed(entries, "MAPPA Tracker (Bench)"), args.runs)

        statements = []

        def count(_connection, _cursor, statement, *_args):
            if not statement.startswith("BEGIN"):  # SQLite's BEGIN IMMEDIATE is no query
                statements.append(statement)

        sa.event.listen(app.extensions["db_engine"], "before_cursor_execute", count)
        response = client.get(f"/calendar/feed/{token}.ics")
        queries = len(statements)
        assert response.status_code == 200, response.status_code
        request = timed(lambda: client.get(f"/calendar/feed/{token}.ics"), args.runs)

        backend = sa.make_url(url).get_backend_name()
        print(f"Feed for a chair with {len(entries)} meetings in the window ({backend}, {args.runs} runs)")
        print(f"  feed size:                     {len(response.data) / 1024:.0f} KiB")
        print(
            f"  build the .ics from entries:   median {statistics.median(build):.0f} ms, "
            f"95th percentile {percentile(build, 0.95):.0f} ms"
        )
        print(
            f"  whole feed request:            median {statistics.median(request):.0f} ms, "
            f"95th percentile {percentile(request, 0.95):.0f} ms"
        )
        print(f"  SQL queries per request:       {queries} (link and owner, roles, settings, 1 per provider)")
        app.extensions["db_engine"].dispose()


if __name__ == "__main__":
    main()
