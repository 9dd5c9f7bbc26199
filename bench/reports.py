"""Benchmark: the annual report on a national-scale area.

Builds a throwaway database (SQLite by default; BENCH_DATABASE_URL for PostgreSQL) with N people (60,000
by default) and dated histories reaching across several years (referrals, level changes, recalls,
releases, exits), inserted in bulk; then times building the 2024/25 annual report and the pages and
downloads that serve it, and counts the SQL statements each runs.
Run: `.venv/bin/python bench/reports.py [--cases 60000]` (BENCH_DATABASE_URL=postgresql://... for PostgreSQL).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta

import sqlalchemy as sa
from common import count_statements, filled_app, insert_agency, insert_user, signed_in_client

from tracker.auth.models import AgencySector
from tracker.core.permissions import Role
from tracker.meetings.models import Case, CaseEvent, CaseEventKind, CaseStatus, Category, Level
from tracker.reports import histories
from tracker.reports.rules import ReportingYear

CATEGORIES = (
    [Category.CATEGORY_1] * 9 + [Category.CATEGORY_2] * 7 + [Category.CATEGORY_3] * 3 + [Category.CATEGORY_4]
)
CHUNK = 5_000


def history(rng: random.Random) -> list[tuple[date, CaseEventKind, Level]]:
    """A plausible history: referred at Level 2 or 3, then level changes, custody and release, maybe exit."""
    day = date(2019, 1, 1) + timedelta(days=rng.randint(0, 6 * 365))
    level = Level.LEVEL_3 if rng.random() < 0.12 else Level.LEVEL_2
    steps = [(day, CaseEventKind.REFERRED, level)]
    in_custody = False
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
        day += timedelta(days=rng.randint(20, 400))
        roll = rng.random()
        if in_custody:
            steps.append((day, CaseEventKind.RELEASED, level))
            in_custody = False
        elif roll < 0.35:
            level = Level.LEVEL_2 if level is Level.LEVEL_3 else rng.choice([Level.LEVEL_1, Level.LEVEL_3])
            steps.append((day, CaseEventKind.LEVEL_CHANGED, level))
        elif roll < 0.6:
            steps.append((day, CaseEventKind.RECALLED, level))
            in_custody = True
        elif roll < 0.75:
            steps.append((day, CaseEventKind.EXITED, level))
            break
    return steps


def fill(engine, cases: int, rng: random.Random) -> dict:
    started = time.perf_counter()
    with engine.begin() as conn:
        agency = insert_agency(conn, "Bench Probation", AgencySector.PROBATION)
        smb = insert_user(conn, "Bench Board Member", "smb@bench.example", agency, Role.SMB)
    events = 0
    for start in range(0, cases, CHUNK):
        numbers = range(start, min(start + CHUNK, cases))
        histories = {n: history(rng) for n in numbers}
        with engine.begin() as conn:
            conn.execute(
                sa.insert(Case.__table__),
                [
                    {
                        "reference": f"BENCH-{n:07d}",
                        "name": f"Bench Person {n}",
                        "date_of_birth": date(1980, 1, 1),
                        "category": rng.choice(CATEGORIES).name,
                        "level": steps[-1][2].name,
                        "status": (
                            CaseStatus.EXITED if steps[-1][1] is CaseEventKind.EXITED else CaseStatus.ACTIVE
                        ).name,
                        "lead_agency_id": agency,
                        "referred_on": steps[0][0],
                        "version": 1,
                    }
                    for n, steps in histories.items()
                ],
            )
            ids = dict(
                conn.execute(
                    sa.select(Case.__table__.c.reference, Case.__table__.c.id).where(
                        Case.__table__.c.reference.in_([f"BENCH-{n:07d}" for n in numbers])
                    )
                ).all()
            )
            rows = [
                {
                    "case_id": ids[f"BENCH-{n:07d}"],
                    "kind": kind.name,
                    "occurred_on": day,
                    "level": level.name,
                    "reason": "",
                }
                for n, steps in histories.items()
                for day, kind, level in steps
            ]
            conn.execute(sa.insert(CaseEvent.__table__), rows)
            events += len(rows)
    return {"smb": smb, "events": events, "seconds": time.perf_counter() - started}


def timed(call, repeat: int = 3) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=60_000)
    args = parser.parse_args()
    with filled_app(
        lambda engine: fill(engine, args.cases, random.Random(2425)),
        lambda built: f"{args.cases:,} people, {built['events']:,} history events",
    ) as (app, built):
        year = ReportingYear(2024)
        with app.test_request_context():
            seconds = timed(lambda: histories.year_counts(year))
            counts = histories.year_counts(year)
            print(
                f"Counting 2024/25 from the histories: {seconds * 1000:.0f} ms "
                f"({sum(counts.over_year.values()):,} people-levels over the year, "
                f"{sum(counts.snapshot.values()):,} on 31 March, {sum(counts.recalled.values()):,} recalled)"
            )
        client = signed_in_client(app, built["smb"])
        print(f"{'Request':40} {'median ms':>10} {'SQL statements':>15}")
        for label, path in [
            ("Annual report page 2024/25", "/reports/annual-report?year=2024"),
            ("Annual report PDF 2024/25", "/reports/annual-report/2024.pdf"),
            ("Annual report CSV 2024/25", "/reports/annual-report/2024.csv"),
            ("Quality dashboard", "/reports/"),
        ]:
            assert client.get(path).status_code == 200, path
            statements = count_statements(app, lambda path=path: client.get(path))
            ms = timed(lambda path=path: client.get(path)) * 1000
            print(f"{label:40} {ms:10.0f} {statements:15d}")


if __name__ == "__main__":
    main()
