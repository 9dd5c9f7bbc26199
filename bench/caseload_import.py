"""Benchmark: bringing an area's records in from spreadsheets.

Builds a throwaway database (SQLite by default; BENCH_DATABASE_URL for PostgreSQL), then, as the
co-ordinator through the app's own pages, uploads and checks (the preview) and imports a caseload of N
cases, then N rows of their past meetings (two cases a meeting) and N open actions. Each import is one
transaction, all or nothing, with an audit entry per record created.
Run: `.venv/bin/python bench/caseload_import.py [--rows 5000]`.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import time
from datetime import date, timedelta

import sqlalchemy as sa
from common import analyze, database, signed_in_client
from sqlmodel import Session, select

from tracker import create_app
from tracker.auth.models import Agency, AgencySector, User
from tracker.core import migrate
from tracker.core.permissions import Role
from tracker.meetings.models import Action, Case, Meeting
from tracker.transfer import caseload, history

AGENCY = "Bench Probation"


def people(app) -> tuple[int, str]:
    """The agency, a co-ordinator (who imports) and a chair (who chaired the past meetings)."""
    with Session(app.extensions["db_engine"]) as session:
        agency = Agency(name=AGENCY, sector=AgencySector.PROBATION)
        session.add(agency)
        session.flush()
        coordinator = User(name="Bench Coordinator", email="coordinator@bench.example", agency_id=agency.id)
        coordinator.set_roles({Role.COORDINATOR})
        chair = User(name="Bench Chair", email="chair@bench.example", agency_id=agency.id)
        chair.set_roles({Role.CHAIR})
        session.add_all([coordinator, chair])
        session.commit()
        return coordinator.id, chair.email


def _csv(columns, rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[column.name for column in columns])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def cases_file(n: int) -> bytes:
    start = date(2023, 1, 2)
    return _csv(
        caseload.CASE_COLUMNS,
        [
            {
                "reference": f"BEN-{i:06d}",
                "name": f"Bench Person {i}",
                "date_of_birth": "1980-01-01",
                "category": str(1 + i % 3),
                "level": "2" if (i // 2) % 5 else "3",
                "lead_agency": AGENCY,
                "referred_on": (start + timedelta(days=i % 300)).isoformat(),
                "next_review_due": "",
                "status": "",
                "borough": "Camden",
                "visor_reference": "",
                "ndelius_reference": f"X{i:06d}",
                "pnc_reference": "",
            }
            for i in range(n)
        ],
    )


def meetings_file(n: int, chair_email: str) -> bytes:
    """Two cases a meeting, held in 2024, each retained with a review set."""
    rows = []
    for i in range(n):
        held = date(2024, 1, 1) + timedelta(days=(i // 2) % 330)
        rows.append(
            {
                "meeting_reference": f"M-BEN-{i // 2:06d}",
                "meeting_date": held.isoformat(),
                "level": "2" if (i // 2) % 5 else "3",  # a meeting's cases are at its level
                "case_reference": f"ben-{i:06d}",
                "decision": "Retain",
                "reason": "",
                "next_review_due": (held + timedelta(weeks=16)).isoformat(),
                "purpose": "Review",
                "chair_email": chair_email,
            }
        )
    return _csv(history.MEETING_COLUMNS, rows)


def actions_file(n: int) -> bytes:
    return _csv(
        history.ACTION_COLUMNS,
        [
            {
                "case_reference": f"BEN-{i:06d}",
                "description": "Confirm the address with a home visit",
                "owner_agency": AGENCY,
                "owner_email": "",
                "due_on": "2025-03-31",
                "meeting_reference": "",
                "pillar": "Supervision",
            }
            for i in range(n)
        ],
    )


def bring_in(client, path: str, data: bytes, name: str) -> tuple[float, float, float, int]:
    """Seconds to upload and check (the preview), seconds to import, and the app's CPU seconds in the
    import (this process's, so the database server's own work is left out: on a shared machine it varies
    less than the elapsed time); the rows ready."""
    started = time.perf_counter()
    response = client.post(path, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    preview = client.get(response.location)
    page = preview.get_data(as_text=True)
    problem = page[page.find("Row ") :][:300]
    assert preview.status_code == 200 and "every row is ready" in page, (name, problem)
    checked, cpu = time.perf_counter(), time.process_time()
    done = client.post(response.location + "/import")
    assert done.status_code == 302, done.status_code
    imported = time.perf_counter() - checked
    return checked - started, imported, time.process_time() - cpu, data.count(b"\n") - 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    url, drop = database(os.environ.get("BENCH_DATABASE_URL"))
    try:
        migrate.upgrade(url)
        config = {"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True, "WTF_CSRF_ENABLED": False}
        app = create_app(config)
        coordinator, chair_email = people(app)
        analyze(app.extensions["db_engine"])
        client = signed_in_client(app, coordinator)
        print(f"Database: {sa.make_url(url).get_backend_name()}; {args.rows:,} rows a file")
        print(f"{'File':34} {'rows':>6} {'upload + preview s':>19} {'import s':>9} {'import CPU s':>13}")
        for label, path, data in (
            ("Caseload (cases)", "/cases/import", cases_file(args.rows)),
            ("Past meetings (a case a row)", "/cases/import/meetings", meetings_file(args.rows, chair_email)),
            ("Open actions", "/cases/import/actions", actions_file(args.rows)),
        ):
            checking, importing, cpu, rows = bring_in(client, path, data, f"{label}.csv")
            print(f"{label:34} {rows:6d} {checking:19.1f} {importing:9.1f} {cpu:13.1f}")
            analyze(app.extensions["db_engine"])
        with Session(app.extensions["db_engine"]) as session:
            count = sa.func.count()
            counted = [session.scalar(select(count).select_from(model)) for model in (Case, Meeting, Action)]
        print(f"Held afterwards: {counted[0]:,} cases, {counted[1]:,} meetings, {counted[2]:,} actions")
        app.extensions["db_engine"].dispose()
    finally:
        drop()


if __name__ == "__main__":
    main()
