"""Benchmark of the meetings pages on a large area: time (median and 95th percentile) and SQL queries per
page, for the co-ordinator (who sees everything) and a chair (who sees their own meetings).

    .venv/bin/python bench/meetings.py                        # 2,000 cases and 5,000 meetings on SQLite
    .venv/bin/python bench/meetings.py --cases 20000 --meetings 50000
    .venv/bin/python bench/meetings.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

With a PostgreSQL URL the benchmark makes a throwaway database on that server and drops it afterwards.
The data is generated in bulk (agenda items with their four pillar entries, actions, invitations) over ten
years of meetings; the demo accounts sign in.
"""

from __future__ import annotations

import argparse
import html
import random
import re
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import analyze, bench_app  # noqa: E402

from tracker.auth import rules as auth_rules  # noqa: E402
from tracker.auth.models import Agency, User, UserRole, UserSession  # noqa: E402
from tracker.core.db import db  # noqa: E402
from tracker.core.permissions import Role  # noqa: E402
from tracker.core.timeutil import today_london  # noqa: E402
from tracker.demo import DEMO_DOMAIN, seed  # noqa: E402
from tracker.meetings import tallies as case_tallies  # noqa: E402
from tracker.meetings.models import (  # noqa: E402
    Action,
    ActionStatus,
    AgendaItem,
    Case,
    CaseStatus,
    Category,
    Invitation,
    Level,
    Meeting,
    MeetingStatus,
    MeetingType,
    Pillar,
    PillarEntry,
    PillarStatus,
)
from tracker.minutes import tallies as minutes_tallies  # noqa: E402
from tracker.reports import tallies as report_tallies  # noqa: E402

BOROUGHS = [
    "Barnet",
    "Camden",
    "Croydon",
    "Ealing",
    "Hackney",
    "Haringey",
    "Islington",
    "Lambeth",
    "Lewisham",
]


def _insert(session: Session, model, rows: list[dict], chunk: int = 5000) -> None:
    for start in range(0, len(rows), chunk):
        session.execute(sa.insert(model), rows[start : start + chunk])


def _people(session: Session, agencies: list[Agency], count: int, role: Role, now: datetime) -> list[int]:
    """`count` more accounts with one role, in bulk; their ids."""
    first = (session.scalar(select(sa.func.max(User.id))) or 0) + 1
    _insert(
        session,
        User,
        [
            {
                "name": f"Bench {role.name.title()} {number}",
                "email": f"bench.{role.name.lower()}.{number}@bench.example",
                "agency_id": random.choice(agencies).id,
                "job_title": "",
                "active": True,
                "terrorism_cleared": False,
                "chair_trained": role is Role.CHAIR,
                "created_at": now,
                "version": 1,
            }
            for number in range(count)
        ],
    )
    ids = list(range(first, first + count))
    _insert(session, UserRole, [{"user_id": user_id, "role": role.name} for user_id in ids])
    return ids


def generate(session: Session, cases: int, meetings: int) -> None:
    """Bulk rows: cases, ten years of meetings, 3 agenda items each with four pillar entries, 2 actions per
    item, 3 invitations per meeting. The people grow with the area: a chair for every 100 cases and a
    practitioner for every 20, so the demo chair chairs and owns a typical chair's share (at 2,000 cases,
    one meeting in 20 and one action in 120) while the co-ordinator sees everything."""
    random.seed(7)
    seed()
    agencies = session.exec(select(Agency)).all()
    chair = session.exec(select(User).where(User.email == f"chair@{DEMO_DOMAIN}")).one()
    today = today_london()
    now = datetime.now(UTC)
    chairs = [chair.id, *_people(session, agencies, max(1, cases // 100) - 1, Role.CHAIR, now)]
    people = chairs + _people(session, agencies, max(1, cases // 20), Role.PRACTITIONER, now)
    first_case = (session.scalar(select(sa.func.max(Case.id))) or 0) + 1
    _insert(
        session,
        Case,
        [
            {
                "reference": f"BENCH-{number:07d}",
                "name": f"Bench Person {number}",
                "date_of_birth": today - timedelta(days=365 * 30 + number % 5000),
                "visor_reference": "",
                "ndelius_reference": "",
                "pnc_reference": "",
                "category": random.choice(
                    [Category.CATEGORY_1, Category.CATEGORY_2, Category.CATEGORY_3]
                ).name,
                "level": random.choice([Level.LEVEL_2, Level.LEVEL_2, Level.LEVEL_3]).name,
                "status": random.choice(
                    [CaseStatus.ACTIVE] * 8 + [CaseStatus.IN_CUSTODY, CaseStatus.EXITED]
                ).name,
                "lead_agency_id": random.choice(agencies).id,
                "borough": random.choice(BOROUGHS),
                "referred_on": today - timedelta(days=random.randint(1, 3650)),
                "last_reviewed_on": today - timedelta(days=random.randint(1, 200)),
                "next_review_on": today + timedelta(days=random.randint(-60, 120)),
                "created_at": now,
                "version": 1,
            }
            for number in range(cases)
        ],
    )
    first_meeting = (session.scalar(select(sa.func.max(Meeting.id))) or 0) + 1
    meeting_rows = []
    for number in range(meetings):
        starts = now - timedelta(days=3650 * number / meetings) + timedelta(days=30)
        meeting_rows.append(
            {
                "reference": f"B-{number:07d}",
                "level": random.choice([Level.LEVEL_2, Level.LEVEL_3]).name,
                "meeting_type": MeetingType.REVIEW.name,
                "starts_at": starts,
                "ends_at": starts + timedelta(hours=2),
                "venue": "MAPPA Unit",
                "online_link": "",
                "chair_id": random.choice(chairs),
                "status": (MeetingStatus.HELD if starts < now else MeetingStatus.SCHEDULED).name,
                "cancelled_reason": "",
                "sequence": 0,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
        )
    _insert(session, Meeting, meeting_rows)
    first_item = (session.scalar(select(sa.func.max(AgendaItem.id))) or 0) + 1
    items, invitations = [], []
    for offset in range(meetings):
        for position, case_offset in enumerate(random.sample(range(cases), 3), start=1):
            items.append(
                {
                    "meeting_id": first_meeting + offset,
                    "case_id": first_case + case_offset,
                    "position": position,
                    "purpose": "REVIEW",
                    "level_considered": "LEVEL_2",
                    "risk_notes": "",
                    "contingency_plan": "",
                    "licence_conditions": "",
                    "level_decision_reason": "",
                    "version": 1,
                }
            )
        for agency in random.sample(agencies, 3):
            invitations.append(
                {
                    "meeting_id": first_meeting + offset,
                    "agency_id": agency.id,
                    "rsvp": "ACCEPTED",
                    "deputy_name": "",
                    "invited_at": now,
                }
            )
    _insert(session, AgendaItem, items)
    _insert(session, Invitation, invitations)
    entries, actions = [], []
    for index, item in enumerate(items):
        item_id = first_item + index
        for pillar in Pillar:
            entries.append(
                {
                    "agenda_item_id": item_id,
                    "pillar": pillar.name,
                    "status": PillarStatus.ADDRESSED.name,
                    "not_applicable_reason": "",
                    "summary": "Plan in place.",
                    "updated_at": now,
                    "version": 1,
                }
            )
        for _ in range(2):
            actions.append(
                {
                    "case_id": item["case_id"],
                    "agenda_item_id": item_id,
                    "description": "Visit and report back",
                    "owner_agency_id": random.choice(agencies).id,
                    "owner_id": random.choice(people),
                    "due_on": today + timedelta(days=random.randint(-400, 60)),
                    "status": random.choice([ActionStatus.OPEN, ActionStatus.DONE]).name,
                    "dropped_reason": "",
                    "created_at": now,
                    "version": 1,
                }
            )
    _insert(session, PillarEntry, entries)
    _insert(session, Action, actions)
    # Rows inserted in bulk bypass the counts the app keeps as it changes them: count them once.
    case_tallies.recount(session.connection())
    minutes_tallies.recount(session.connection())
    report_tallies.recount(session.connection())
    session.commit()


def signed_in_client(app, session: Session, local: str):
    user = session.exec(select(User).where(User.email == f"{local}@{DEMO_DOMAIN}")).one()
    token, token_hash = auth_rules.new_token()
    session.add(UserSession(token_hash=token_hash, user_id=user.id, second_factor=True))
    session.commit()
    client = app.test_client()
    with client.session_transaction() as browser_session:
        browser_session["sid"] = token
    return client


def give_reason(client, case_id: int) -> None:
    """Say why this person opens the case, as the reason form does, if the case's pages ask them (section
    62: once per case per sign-in session): the pages are then measured, not the question."""
    # Requests of their own (a new application context), not one a caller holds open: the form's token is
    # kept in `g` for the request, and another person's would be refused.
    with client.application.app_context():
        response = client.get(f"/cases/{case_id}/reason")
    if response.status_code != 200:
        return  # they have a part in the case: nothing is asked
    page = response.get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    reason = re.search(r'name="reason" type="radio" value="([^"]+)"', page)
    with client.application.app_context():
        posted = client.post(
            f"/cases/{case_id}/reason",
            data={"csrf_token": token.group(1), "reason": html.unescape(reason.group(1))},
        )
    assert posted.status_code == 302, posted.status_code


def measure(client, engine, url: str, runs: int) -> tuple[float, float, int]:
    counted = [0]

    def count(*_args, **_kwargs):
        counted[0] += 1

    timings = []
    for run in range(runs + 1):
        counted[0] = 0
        sa.event.listen(engine, "before_cursor_execute", count)
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        sa.event.remove(engine, "before_cursor_execute", count)
        assert response.status_code == 200, (url, response.status_code)
        if run:  # the first request warms caches
            timings.append(elapsed)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * (len(timings) - 1))))]
    return statistics.median(timings), p95, counted[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--meetings", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with bench_app(args.database_url, TESTING=True, SESSION_COOKIE_SECURE=False) as app:
        engine = app.extensions["db_engine"]
        started = time.perf_counter()
        with app.app_context():
            session = db.session  # the demo is seeded through the app's session
            generate(session, args.cases, args.meetings)
            analyze(engine)
            clients = {who: signed_in_client(app, session, who) for who in ("coordinator", "chair")}
            chair_id = session.exec(select(User.id).where(User.email == f"chair@{DEMO_DOMAIN}")).one()
            meeting = session.exec(
                select(Meeting).where(Meeting.chair_id == chair_id).order_by(Meeting.id)
            ).first()
            item = session.exec(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)).first()
        print(
            f"{engine.dialect.name}: {args.cases:,} cases, {args.meetings:,} meetings, "
            f"{3 * args.meetings:,} agenda items, {12 * args.meetings:,} pillar entries, "
            f"{6 * args.meetings:,} actions "
            f"(generated in {time.perf_counter() - started:.0f} s)"
        )
        pages = [
            ("Dashboard", "/home"),
            ("Meeting list", "/meetings"),
            ("Case list", "/cases"),
            ("Cases overdue", "/cases?review=overdue"),
            ("Action list (all)", "/actions?owner=all"),
            ("Meeting page", f"/meetings/{meeting.id}"),
            ("Agenda item page", f"/meetings/{meeting.id}/agenda/{item.id}"),
            ("Case page", f"/cases/{item.case_id}"),
        ]
        print(f"{'page':<20}{'who':<13}{'median ms':>10}{'p95 ms':>10}{'queries':>9}")
        for client in clients.values():  # the case's pages ask those with no part in it why they open it
            give_reason(client, item.case_id)
        with app.app_context():
            for label, page_url in pages:
                for who, client in clients.items():
                    median, p95, queries = measure(client, engine, page_url, args.runs)
                    print(f"{label:<20}{who:<13}{median:>10.1f}{p95:>10.1f}{queries:>9}")


if __name__ == "__main__":
    main()
