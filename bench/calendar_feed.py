"""Benchmark: how long a personal calendar feed takes to build for a chair with a year's meetings.

    .venv/bin/python bench/calendar_feed.py [--meetings 300] [--others 5000] [--runs 50]
        [--postgresql SERVER_URL]

The database holds real rows, and the feed is built by the meetings and training areas' own providers.
The chair chairs, supports or is invited by name to `--meetings` meetings spread over the feed's window
(a month back to a year ahead; a third online, a tenth cancelled) and has a place on a two-day course
and two Chairs' Forums; the area holds `--others` meetings of other chairs over ten years besides, each
with three people invited, so the queries must pick the chair's out. The script reports the median and
95th percentile of (a) the providers' queries turned into entries, (b) building the .ics from them and
(c) the whole feed request through Flask, with the number of SQL queries per request.
"""

import sys
from pathlib import Path

# Run as a script, this folder comes first on sys.path and this file would shadow the standard
# library's `calendar` module, which the tracker uses: take the folder off and put the project on.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402

import sqlalchemy as sa  # noqa: E402
from sqlmodel import Session  # noqa: E402

from bench.common import analyze, migrated_database  # noqa: E402
from tests.factories import Factory  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.auth import rules as auth_rules  # noqa: E402
from tracker.auth.models import Agency, AgencySector, User  # noqa: E402
from tracker.calendar import feeds, ics, rules  # noqa: E402
from tracker.calendar.models import FeedToken  # noqa: E402
from tracker.core.permissions import Role  # noqa: E402
from tracker.core.timeutil import today_london  # noqa: E402
from tracker.core.types import utcnow  # noqa: E402
from tracker.meetings.models import Invitation, Meeting  # noqa: E402
from tracker.training.models import CourseKind, EventKind  # noqa: E402


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


def _meeting_rows(chair: User, staff: list[User], mine: int, others: int) -> tuple[list[dict], list[bool]]:
    """The chair's meetings across the feed's window, then ten years of everyone else's; and for each,
    whether the chair is invited to it by name."""
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    start, end = rules.feed_window(today_london())
    rows, invited = [], []
    for n in range(mine + others):
        if n < mine:
            begins = start + (end - start) * n / mine
            role = ("chair", "chair", "administrator", "invited")[n % 4]
        else:
            begins = now - timedelta(days=3300) + timedelta(days=3650 * (n - mine) / others)
            role = None
        begins = begins.replace(minute=0, second=0, microsecond=0)
        online = n % 3 == 0
        rows.append(
            {
                "reference": f"M-BENCH-{n + 1:06d}",
                "level": ("LEVEL_2", "LEVEL_3")[n % 2],
                "meeting_type": "REVIEW",
                "starts_at": begins,
                "ends_at": begins + timedelta(hours=2),
                "venue": "" if online else "Room 4, Lambeth Police Station",
                "online_link": "https://teams.example/l/meetup-join/abc" if online else "",
                "chair_id": chair.id if role == "chair" else staff[n % 10].id,
                "administrator_id": chair.id if role == "administrator" else staff[10 + n % 5].id,
                "status": "CANCELLED" if n % 10 == 9 else "SCHEDULED",
                "cancelled_reason": "",
                "sequence": n % 4,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
        invited.append(role == "invited")
    return rows, invited


def _training(session: Session, chair: User) -> None:
    """A two-day course and two forums ahead, with the chair on each (built by the tests' factories)."""
    make = Factory(session)
    trainee = make.trainee(chair)
    first = today_london() + timedelta(days=40)
    for number, (title, days) in enumerate((("Chair Training", 2), ("Forum: Supervision", 1), ("Forum", 1))):
        begins = first + timedelta(days=90 * number)
        course = make.course(CourseKind.CPD, title=title, days=days)
        event = make.event(
            course,
            days=[begins + timedelta(days=day) for day in range(days)],
            kind=EventKind.CHAIRS_FORUM,
            capacity=30,
            title=title,
        )
        make.enrolment(event, trainee)


def seed(app, mine: int, others: int) -> str:
    """The chair, their meetings and training, everyone else's meetings; returns the chair's feed token."""
    with Session(app.extensions["db_engine"]) as session:
        agency = Agency(name="Bench Police", sector=AgencySector.POLICE)
        session.add(agency)
        session.flush()
        staff = []
        for number in range(40):
            person = User(
                name=f"Bench Person {number}", email=f"person{number}@bench.example", agency_id=agency.id
            )
            person.set_roles({Role.CHAIR if number < 10 else Role.PRACTITIONER})
            staff.append(person)
        chair = User(name="Bench Chair", email="chair@bench.example", agency_id=agency.id)
        chair.set_roles({Role.CHAIR})
        session.add_all([*staff, chair])
        session.flush()
        rows, chair_invited = _meeting_rows(chair, staff, mine, others)
        session.execute(sa.insert(Meeting), rows)
        ids = session.scalars(sa.select(Meeting.id).order_by(Meeting.id)).all()
        people = [(meeting_id, staff[15 + (meeting_id + k) % 25].id) for meeting_id in ids for k in range(3)]
        people += [(meeting_id, chair.id) for meeting_id, yes in zip(ids, chair_invited, strict=True) if yes]
        session.execute(
            sa.insert(Invitation),
            [
                {"meeting_id": meeting_id, "agency_id": agency.id, "user_id": user_id, "rsvp": "AWAITING"}
                for meeting_id, user_id in people
            ],
        )
        _training(session, chair)
        token, token_hash = auth_rules.new_token()
        session.add(FeedToken(user_id=chair.id, token_hash=token_hash))
        session.commit()
    return token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=300, help="the chair's meetings in the feed's window")
    parser.add_argument("--others", type=int, default=5000, help="other chairs' meetings in the area")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--postgresql", help="a PostgreSQL server URL to make a throwaway database on")
    args = parser.parse_args()

    with migrated_database(args.postgresql) as url:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "BASE_URL": "https://tracker.example"})
        token = seed(app, args.meetings, args.others)
        analyze(app.extensions["db_engine"])
        client = app.test_client()

        with app.test_request_context():
            user = feeds.owner_of(token)
            today = today_london()
            entries = feeds.entries(user, today)
            gather = timed(lambda: feeds.entries(user, today), args.runs)
            build = timed(lambda: ics.feed(entries, "MAPPA Tracker (Bench)"), args.runs)
        meetings = sum(1 for entry in entries if entry.uid.startswith("meeting-"))

        statements = []

        def count(_connection, _cursor, statement, *_args):
            if not statement.startswith("BEGIN"):  # SQLite's BEGIN IMMEDIATE is no query
                statements.append(statement)

        engine = app.extensions["db_engine"]
        sa.event.listen(engine, "before_cursor_execute", count)
        response = client.get(f"/calendar/feed/{token}.ics")
        sa.event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200, response.status_code
        request = timed(lambda: client.get(f"/calendar/feed/{token}.ics"), args.runs)

        backend = sa.make_url(url).get_backend_name()
        print(
            f"Feed for a chair with {meetings} meetings and {len(entries) - meetings} training sessions in "
            f"the window, {args.others} other meetings in the area ({backend}, {args.runs} runs)"
        )
        print(f"  feed size:                       {len(response.data) / 1024:.0f} KiB")
        for label, times in (
            ("providers' queries to entries", gather),
            ("build the .ics from the entries", build),
            ("whole feed request", request),
        ):
            print(
                f"  {label + ':':<33}median {statistics.median(times):.0f} ms, "
                f"95th percentile {percentile(times, 0.95):.0f} ms"
            )
        queries = len(statements)
        print(f"  SQL queries per request:         {queries} (link and owner, roles, settings, 1 per area)")
        engine.dispose()


if __name__ == "__main__":
    main()
