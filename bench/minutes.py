"""Benchmark: the minutes PDF of a long meeting (20 cases, 200 actions by default), built as the tracker
builds it: the meeting's records gathered from the database (time and SQL queries), then the PDF rendered
(time, pages, size).

    .venv/bin/python bench/minutes.py
    .venv/bin/python bench/minutes.py --cases 40 --actions 400 --repeat 3

The meeting lives in a throwaway SQLite database, migrated as in production, with realistic lengths of
text in every section and a previous meeting whose actions are reviewed.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from pypdf import PdfReader
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.factories import Factory  # noqa: E402
from tracker import create_app  # noqa: E402
from tracker.auth.models import AgencySector  # noqa: E402
from tracker.core import migrate  # noqa: E402
from tracker.meetings.models import (  # noqa: E402
    AttendanceStatus,
    Imminence,
    LevelDecision,
    Meeting,
    MeetingStatus,
    Pillar,
    PillarStatus,
    RiskLevel,
)
from tracker.minutes import pdf  # noqa: E402
from tracker.minutes import record as records  # noqa: E402
from tracker.minutes.sections import ITEM_KEYS, STATEMENT_READ  # noqa: E402

PARAGRAPH = (
    "The probation officer reported that the person has kept every appointment since the last meeting and "
    "has engaged with the accommodation officer. Police confirmed two unannounced home visits, both without "
    "concern. Children's social care noted a new partner with two children; a strategy discussion is set. "
)


def build_meeting(session: Session, cases: int, actions: int) -> Meeting:
    """The meeting, a previous one whose actions it reviews, and their cases, built by the tests' factories
    with full-length text in every section."""
    make = Factory(session)
    sectors = [AgencySector.POLICE, AgencySector.PROBATION, *[AgencySector.HOUSING] * 10]
    agencies = [make.agency(f"Agency {n}", sector) for n, sector in enumerate(sectors)]
    people = [
        make.user(agency=agencies[n], name=f"Person Łukasz {n}", email=f"p{n}@example.org") for n in range(12)
    ]
    day = date(2026, 3, 3)

    def meeting(reference: str, on: date) -> Meeting:
        return make.meeting(
            people[1],
            on,
            administrator=people[2],
            reference=reference,
            venue="Civic Centre, Room 4",
            status=MeetingStatus.HELD,
        )

    previous, current = meeting("M-2026-0001", day - timedelta(weeks=8)), meeting("M-2026-0002", day)
    for agency, person in zip(agencies, people, strict=True):
        make.invitation(current, person, agency, attendance=AttendanceStatus.PRESENT)
    per_case = max(1, actions // cases)
    for number in range(cases):
        case = make.case(
            reference=f"LDN-2026-{number:04d}",
            name=f"Łukasz Wiśniewski {number}",
            lead_agency_id=agencies[1].id,
            referred_on=day - timedelta(weeks=30),
        )
        for meeting_row in (previous, current):
            item = make.agenda_item(
                meeting_row,
                case,
                position=number + 1,
                risk_to_children=RiskLevel.HIGH,
                risk_to_public=RiskLevel.MEDIUM,
                imminence=Imminence.IF_CIRCUMSTANCES_CHANGE,
                risk_notes=PARAGRAPH,
                contingency_plan=PARAGRAPH,
                licence_conditions="1. Reside at approved premises.\n2. No contact with the victim.",
                level_decision=LevelDecision.RETAIN,
                level_decision_reason=PARAGRAPH,
                next_review_on=meeting_row.starts_at.date() + timedelta(weeks=8),
            )
            for entry in item.pillar_entries:
                entry.status, entry.summary = PillarStatus.ADDRESSED, PARAGRAPH
            make.save(*item.pillar_entries)
            for n in range(per_case if meeting_row is current else 3):
                make.action(
                    item,
                    people[n % 12],
                    pillar=list(Pillar)[n % 4],
                    description=f"Action {n + 1}: " + PARAGRAPH[: 60 + (n * 37) % 200],
                    owner_agency_id=agencies[n % 12].id,
                    due_on=day + timedelta(days=14 + n),
                )
    return current


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        migrate.upgrade(url)
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
        engine = app.extensions["db_engine"]
        queries = 0

        @sa.event.listens_for(engine, "before_cursor_execute")
        def _count(*_args):
            nonlocal queries
            queries += 1

        with Session(engine) as session:
            meeting_id = build_meeting(session, args.cases, args.actions).id
            session.commit()

        gather, render = [], []
        for _ in range(args.repeat):
            with app.app_context():
                queries = 0
                started = time.perf_counter()
                meeting = records.load_meeting(meeting_id)
                record = records.build_record(meeting)
                gather.append(time.perf_counter() - started)
                query_count = queries
            sections = {
                "meeting": {"introductions": PARAGRAPH},
                "items": {
                    item.id: {k: PARAGRAPH * 2 for k in ITEM_KEYS} | {STATEMENT_READ: True}
                    for item in record.items
                },
            }
            started = time.perf_counter()
            data = pdf.minutes_pdf(
                record, sections, pdf.VersionInfo(1, "Approved", False, "Chair on 5 March 2026")
            )
            render.append(time.perf_counter() - started)
        engine.dispose()

    actions = sum(len(item.actions) for item in record.items)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    print(f"minutes of a meeting with {len(record.items)} cases and {actions} actions")
    print(
        f"gather the records: median {statistics.median(gather) * 1000:.0f} ms over {args.repeat} runs, "
        f"{query_count} SQL queries"
    )
    print(
        f"render the PDF:     median {statistics.median(render):.2f} s (best {min(render):.2f} s, "
        f"worst {max(render):.2f} s); {pages} pages, {len(data) / 1024:.0f} KiB"
    )


if __name__ == "__main__":
    main()
