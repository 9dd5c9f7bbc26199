"""Benchmark: the log review over a decade of a large area's audit trail, and what logging a consultation
costs a page.

Builds a throwaway database (SQLite by default; BENCH_DATABASE_URL for PostgreSQL) with N audit entries
(10 million by default: a realistic decade for a large area) spread over ten years, about 20,000 cases and
600 people, bulk-loaded with the trail's indexes made afterwards (as a restore would); then times the log
review's searches through the app as the co-ordinator (medians of whole requests), and a case page with
and without its consultation entry (the justification lookup and the entry written), interleaved.
Run: `.venv/bin/python bench/audit_log.py [--entries 10000000]` (BENCH_DATABASE_URL=postgresql://... for
PostgreSQL; `--entries 200000` for a quick run).
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from common import analyze, database

from tracker import create_app
from tracker.auth import rules as auth_rules
from tracker.auth.models import Agency, AgencySector, User, UserRole, UserSession
from tracker.core import audit, migrate
from tracker.core.permissions import Role
from tracker.meetings import justification
from tracker.meetings.models import AgendaItem, AgendaPurpose, Case, Category, Level, Meeting, MeetingType

CASES = 20_000
PEOPLE = 600
CHUNK = 100_000
START = datetime(2016, 12, 1, tzinfo=UTC)
SPAN_SECONDS = int(timedelta(days=3652).total_seconds())
REASONS = [
    "Reviewing the case for the MAPPA co-ordinator's oversight",
    "Preparing a referral or meeting",
    "Responding to a request for information",
]
COLUMNS = (
    "at", "user_id", "actor", "action", "object_type", "object_id", "summary", "ip_address",
    "case_id", "meeting_id", "justified_by", "reason", "recipient",
)  # fmt: skip


def entry(rng: random.Random, people: list[tuple[int, str]], case_ids: list[int]) -> tuple:
    """One plausible entry: mostly consultations of cases, then changes, exports, sign-ins."""
    user_id, email = rng.choice(people)
    at = START + timedelta(seconds=rng.randrange(SPAN_SECONDS))
    roll = rng.random()
    case_id = rng.choice(case_ids)
    if roll < 0.55:
        role = rng.random() < 0.8
        why = (
            ("role", f"chair of M-20{rng.randint(16, 26)}-{rng.randint(1, 9999):04d}")
            if role
            else ("reason", rng.choice(REASONS) if rng.random() < 0.9 else "Other: checking a victim contact")
        )
        return (at, user_id, email, "view", "Case", str(case_id), f"page /cases/{case_id}", "10.0.0.1",
                case_id, None, *why, "")  # fmt: skip
    if roll < 0.60:
        return (at, user_id, email, "reason given", "UserSession", str(rng.randint(1, 10**6)), "reason",
                "10.0.0.1", case_id, None, "reason", rng.choice(REASONS), "")  # fmt: skip
    if roll < 0.85:
        action = rng.choice(("create", "update", "update", "delete"))
        return (at, user_id, email, action, "AgendaItem", str(rng.randint(1, 10**6)), "changed: risk_notes",
                "10.0.0.1", case_id, rng.randint(1, 50_000), "", "", "")  # fmt: skip
    if roll < 0.90:
        return (at, user_id, email, "export", "Meeting", str(rng.randint(1, 50_000)), "PDF minutes",
                "10.0.0.1", None, rng.randint(1, 50_000), "disclosure",
                "Sharing with a partner agency under the information sharing agreement",
                "Probation Service, secure mailbox")  # fmt: skip
    return (at, user_id, email, "sign-in", "User", str(user_id), "", "10.0.0.1", None, None, "", "", "")


def _indexes(conn) -> list[tuple[str, str]]:
    if conn.dialect.name == "postgresql":
        found = conn.exec_driver_sql(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'audit_event' "
            "AND indexname <> 'audit_event_pkey'"
        )
    else:
        found = conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'index' AND tbl_name = 'audit_event' AND sql IS NOT NULL"
        )
    return list(found.all())


def fill(engine: sa.Engine, entries: int, rng: random.Random) -> dict:
    """People, cases and a meeting, then the trail in bulk (COPY on PostgreSQL), indexes built after."""
    started = time.perf_counter()
    with engine.begin() as conn:
        agency = conn.execute(
            sa.insert(Agency).values(name="Bench Probation", sector=AgencySector.PROBATION.name, active=True)
        ).inserted_primary_key[0]
        conn.execute(
            sa.insert(User.__table__),
            [
                {
                    "name": f"Bench Person {n}",
                    "email": f"person{n}@bench.example",
                    "agency_id": agency,
                    "job_title": "",
                    "active": True,
                    "terrorism_cleared": n == 0,
                    "chair_trained": True,
                    "version": 1,
                }  # fmt: skip
                for n in range(PEOPLE)
            ],
        )
        people = [tuple(row) for row in conn.execute(sa.select(User.__table__.c.id, User.__table__.c.email))]
        conn.execute(sa.insert(UserRole), [{"user_id": people[0][0], "role": Role.COORDINATOR.name}])
        conn.execute(sa.insert(UserRole), [{"user_id": people[1][0], "role": Role.CHAIR.name}])
        conn.execute(
            sa.insert(Case.__table__),
            [
                {
                    "reference": f"BENCH-{n:06d}",
                    "name": f"Bench Case {n}",
                    "date_of_birth": date(1980, 1, 1),
                    "category": Category.CATEGORY_2.name,
                    "level": Level.LEVEL_2.name,
                    "status": "ACTIVE",
                    "lead_agency_id": agency,
                    "referred_on": date(2020, 1, 1),
                    "version": 1,
                }  # fmt: skip
                for n in range(CASES)
            ],
        )
        case_ids = list(conn.execute(sa.select(Case.__table__.c.id)).scalars())
        # The chair's meeting, with the first case on it: the page measured for the consultation cost.
        meeting = conn.execute(
            sa.insert(Meeting.__table__).values(
                reference="M-2026-0001",
                level=Level.LEVEL_2.name,
                meeting_type=MeetingType.REVIEW.name,
                starts_at=datetime(2026, 12, 1, 10, tzinfo=UTC),
                ends_at=datetime(2026, 12, 1, 12, tzinfo=UTC),
                chair_id=people[1][0],
                status="SCHEDULED",
                sequence=0,
                version=1,
                created_at=datetime.now(UTC),
                updated_at=datetime.now(UTC),
                venue="",
                online_link="",
                cancelled_reason="",
            )  # fmt: skip
        ).inserted_primary_key[0]
        conn.execute(
            sa.insert(AgendaItem.__table__).values(
                meeting_id=meeting,
                case_id=case_ids[0],
                position=1,
                purpose=AgendaPurpose.REVIEW.name,
                level_considered=Level.LEVEL_2.name,
                risk_notes="",
                assessment_tool="",
                contingency_plan="",
                licence_conditions="",
                level_decision_reason="",
                version=1,
            )  # fmt: skip
        )
        indexes = _indexes(conn)
        for name, _sql in indexes:
            conn.exec_driver_sql(f"DROP INDEX {name}")
    for start in range(0, entries, CHUNK):
        rows = [entry(rng, people, case_ids) for _ in range(min(CHUNK, entries - start))]
        _load(engine, rows)
    loaded = time.perf_counter() - started
    with engine.begin() as conn:
        for _name, sql in indexes:
            conn.exec_driver_sql(sql)
    analyze(engine)
    return {
        "coordinator": people[0][0],
        "chair": people[1][0],
        "case": case_ids[0],
        "person": people[7][1],
        "load_seconds": loaded,
        "index_seconds": time.perf_counter() - started - loaded,
    }


def found(engine: sa.Engine) -> dict:
    """What `fill` made, read back from a database it filled before."""
    users = User.__table__.c
    with engine.connect() as conn:
        people = conn.execute(sa.select(users.id, users.email).order_by(users.id)).all()
        first_case = conn.execute(sa.select(sa.func.min(Case.__table__.c.id))).scalar()
        entries = conn.execute(sa.text("SELECT count(*) FROM audit_event")).scalar()
    print(f"{engine.dialect.name}: {entries:,} entries already there", flush=True)
    return {"coordinator": people[0][0], "chair": people[1][0], "case": first_case, "person": people[7][1]}


def _load(engine: sa.Engine, rows: list[tuple]) -> None:
    if engine.dialect.name == "postgresql":
        raw = engine.raw_connection()
        try:
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY audit_event ({', '.join(COLUMNS)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
        return
    marks = ", ".join("?" for _ in COLUMNS)
    with engine.begin() as conn:
        conn.exec_driver_sql(
            f"INSERT INTO audit_event ({', '.join(COLUMNS)}) VALUES ({marks})",  # noqa: S608
            [(row[0].strftime("%Y-%m-%d %H:%M:%S.%f"), *row[1:]) for row in rows],
        )


def signed_in_client(app, user_id: int):
    token, token_hash = auth_rules.new_token()
    with app.extensions["db_engine"].begin() as conn:
        now = datetime.now(UTC)
        conn.execute(
            sa.insert(UserSession.__table__).values(
                token_hash=token_hash, user_id=user_id, created_at=now, last_seen_at=now, user_agent=""
            )
        )
    client = app.test_client()
    with client.session_transaction() as browser_session:
        browser_session["sid"] = token
    return client


def median_ms(client, url: str, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings)


def cpu_ms(client, url: str) -> float:
    """The processor time of one request (this process's, so the machine's other load counts less than in
    wall time; the database's own work is in it on SQLite, not on PostgreSQL)."""
    started = time.process_time()
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return (time.process_time() - started) * 1000


def consultation_cost(app, client, url: str, rounds: int, measure=None) -> tuple[float, float]:
    """The case page's median time with its justification and consultation entry, and without (both
    switched off), measured in alternation so that the machine's load falls on both alike."""
    measure = measure or (lambda client, url: median_ms(client, url, 1))
    real_justify, real_record = justification.justify, audit.record

    def no_consultation(action, *args, **kwargs):
        if action in audit.CONSULTATIONS:
            from flask import g

            g.audit_consulted = True
            return None
        return real_record(action, *args, **kwargs)

    logged, unlogged = [], []
    for _ in range(rounds):
        logged.append(measure(client, url))
        justification.justify, audit.record = (lambda *_a, **_k: None), no_consultation
        try:
            unlogged.append(measure(client, url))
        finally:
            justification.justify, audit.record = real_justify, real_record
    return statistics.median(logged), statistics.median(unlogged)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=200, help="case page loads each way for the cost")
    parser.add_argument("--existing", help="the URL of a database this script filled before: measure only")
    args = parser.parse_args()
    logging.getLogger("tracker.requests").setLevel(logging.WARNING)  # one line per request otherwise
    if args.existing:
        url, drop = args.existing, (lambda: None)
    else:
        url, drop = database(os.environ.get("BENCH_DATABASE_URL"))
    try:
        migrate.upgrade(url)
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench" * 8, "TESTING": True})
        engine = app.extensions["db_engine"]
        if args.existing:
            made = found(engine)
        else:
            print(f"{engine.dialect.name}: loading {args.entries:,} entries ...", flush=True)
            made = fill(engine, args.entries, random.Random(62))
            print(f"loaded in {made['load_seconds']:.0f} s, indexes built in {made['index_seconds']:.0f} s")
        coordinator = signed_in_client(app, made["coordinator"])
        with engine.connect() as conn:
            reference = conn.execute(
                sa.select(Case.__table__.c.reference).where(Case.__table__.c.id == 5000)
            ).scalar()
        month = "date_from=1&date_from=3&date_from=2022&date_to=31&date_to=3&date_to=2022"
        searches = {
            "Latest entries (page 1)": "/admin/audit",
            "By person (page 1)": f"/admin/audit?person={made['person']}",
            "By person, page 40": f"/admin/audit?person={made['person']}&page=40",
            "By case reference": f"/admin/audit?case={reference}",
            "By operation and a month (exports, March 2022)": f"/admin/audit?action=export&{month}",
            "By a listed reason": "/admin/audit?reason=Preparing+a+referral+or+meeting",
            "By words of a typed reason, within a month": f"/admin/audit?reason=victim&{month}",
            "Unusual patterns (the last 7 days)": "/admin/audit/patterns",
            "CSV of a case's entries": f"/admin/audit.csv?case={reference}"
            "&disclosure-recipient=me&disclosure-reason=Responding+to+a+request+for+information",
        }
        for label, address in searches.items():
            print(f"{label}: {median_ms(coordinator, address, args.repeat):.0f} ms", flush=True)
        chair = signed_in_client(app, made["chair"])
        case_page = f"/cases/{made['case']}"
        with_entry, without = consultation_cost(app, chair, case_page, args.rounds)
        print(
            f"Case page (chair, justified by role): {with_entry:.2f} ms with its consultation entry, "
            f"{without:.2f} ms without: {with_entry - without:+.2f} ms",
            flush=True,
        )
        with_entry, without = consultation_cost(app, chair, case_page, args.rounds, cpu_ms)
        print(
            f"The same in processor time: {with_entry:.2f} ms with, {without:.2f} ms without: "
            f"{with_entry - without:+.2f} ms",
            flush=True,
        )
        engine.dispose()
    finally:
        drop()


if __name__ == "__main__":
    main()
