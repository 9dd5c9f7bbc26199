"""Benchmark: how long the disposal of one case takes in an area with a long audit trail and outbox.

    .venv/bin/python bench/disposal.py [--audit 1000000] [--emails 20000] [--runs 3]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

The demo area is seeded (its cases, meetings and approved minutes), then `--audit` audit entries (views
and changes of the demo's cases, their summaries naming the cases' references as the app's labels do) and
`--emails` outbox messages are added in bulk. A demo case with approved minutes is given a decided review
and disposed of through the service, in a transaction rolled back after each run; the median of `--runs`
is printed. Disposal reads every text column of every table for the person's name, references and date
of birth, the whole outbox and the trail's summaries, so its time follows the size of the area.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import analyze, bench_app  # noqa: E402

from tracker.auth.models import User, UserRole  # noqa: E402
from tracker.core.db import db  # noqa: E402
from tracker.core.models import AuditEvent, OutboxMessage  # noqa: E402
from tracker.core.permissions import Role  # noqa: E402
from tracker.core.types import utcnow  # noqa: E402
from tracker.demo import seed  # noqa: E402
from tracker.meetings.models import AgendaItem, Case, CaseStatus  # noqa: E402
from tracker.minutes.models import Minutes  # noqa: E402
from tracker.retention import services  # noqa: E402
from tracker.retention.models import RecordKind, RetentionReview, ReviewOutcome  # noqa: E402


def fill(app, audit_entries: int, emails: int) -> None:
    with app.test_request_context():
        seed()
        db.session.commit()
        cases = db.session.execute(select(Case.id, Case.reference)).all()
        connection = db.session.connection()
        start = utcnow() - timedelta(days=3650)
        batch = []
        for number in range(audit_entries):
            case_id, reference = cases[number % len(cases)]
            batch.append(
                {
                    "at": start + timedelta(seconds=number * 30),
                    "actor": f"person{number % 400}@example.org",
                    "action": "view" if number % 5 else "update",
                    "object_type": "Case",
                    "object_id": str(case_id),
                    "summary": reference if number % 5 else f"{reference}; changed: level",
                    "case_id": case_id,
                }
            )
            if len(batch) == 20_000:
                connection.execute(sa.insert(AuditEvent.__table__), batch)
                batch = []
        if batch:
            connection.execute(sa.insert(AuditEvent.__table__), batch)
        message = b"From: tracker@example.org\r\nSubject: Meeting\r\n\r\n" + b"Agenda and papers. " * 100
        for first in range(0, emails, 5_000):
            connection.execute(
                sa.insert(OutboxMessage.__table__),
                [
                    {
                        "sender": "tracker@example.org",
                        "recipients": f"person{n % 400}@example.org",
                        "subject": "Invitation: MAPPA meeting",
                        "message": message,
                        "summary": "invitation",
                        "status": "SENT",
                        "created_at": start,
                        "next_attempt_at": start,
                        "attempts": 1,
                    }
                    for n in range(first, min(emails, first + 5_000))
                ],
            )
        db.session.commit()
    analyze(app.extensions["db_engine"])


def one_disposal(app) -> float:
    with app.test_request_context():
        g_case = db.session.execute(
            select(AgendaItem.case_id)
            .join(Minutes, Minutes.meeting_id == AgendaItem.meeting_id)
            .order_by(AgendaItem.case_id)
            .limit(1)
        ).scalar_one()
        coordinator = db.session.exec(
            select(User).join(UserRole, UserRole.user_id == User.id).where(UserRole.role == Role.COORDINATOR)
        ).first()
        # Disposal needs the case's exit recorded and a rule making it due now: here the person would be over
        # 100 (rolled back with the rest).
        exited_centenarian = {"status": CaseStatus.EXITED, "date_of_birth": date(1920, 1, 1)}
        db.session.execute(sa.update(Case).where(Case.id == g_case).values(**exited_centenarian))
        review = RetentionReview(
            kind=RecordKind.CASE, record_id=g_case, rule="case-age", due_on=utcnow().date()
        )
        db.session.add(review)
        db.session.flush()
        began = time.perf_counter()
        services.dispose(review, coordinator, review.version)
        db.session.flush()
        took = time.perf_counter() - began
        assert review.outcome is ReviewOutcome.DISPOSED
        db.session.rollback()
    return took


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--audit", type=int, default=1_000_000)
    parser.add_argument("--emails", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url")
    options = parser.parse_args()
    with bench_app(options.database_url) as app:
        began = time.perf_counter()
        fill(app, options.audit, options.emails)
        filled = time.perf_counter() - began
        print(f"filled in {filled:.0f} s: {options.audit:,} audit entries, {options.emails:,} emails")
        times = [one_disposal(app) for _ in range(options.runs)]
        runs = ", ".join(f"{t:.2f}" for t in times)
        print(f"disposal of one case: median {statistics.median(times):.2f} s (runs: {runs})")


if __name__ == "__main__":
    main()
