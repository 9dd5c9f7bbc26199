"""Migration 0034 gives each agenda item already there the category its meeting recorded: from the meeting's
last approved minutes where they hold the case, otherwise the case's category as it is now."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from tests.conftest import make_database, owner_url
from tests.meetings.test_plan_migration import _row
from tracker.core import migrate


def _insert(db, table: sa.Table, **values) -> int:
    return db.execute(table.insert().values(_row(table, **values))).inserted_primary_key[0]


def _record(item_id: int, category: str) -> dict:
    return {"items": [{"id": str(item_id), "category": category, "level": "LEVEL_2"}]}


def test_existing_items_take_the_category_their_approved_minutes_recorded(database_url, tmp_path_factory):
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    databases = make_database(kind, tmp_path_factory, revision="0033")
    url = owner_url(next(databases))
    try:
        engine = sa.create_engine(url)
        meta = sa.MetaData()
        meta.reflect(engine)
        t = meta.tables
        with engine.begin() as db:
            agency = _insert(db, t["agency"], name="Probation")
            chair = _insert(db, t["user"], email="chair@example.org", agency_id=agency)
            # Category 3 at its meetings, Category 2 since.
            case = _insert(
                db, t["mappa_case"], reference="OLD-1", category="CATEGORY_2", level="LEVEL_2", lead_agency_id=agency
            )
            items = {}
            for number in (1, 2, 3):
                at = datetime(2026, number, 10, 10)
                meeting = _insert(
                    db,
                    t["meeting"],
                    reference=f"M-OLD-{number}",
                    level="LEVEL_2",
                    meeting_type="REVIEW",
                    starts_at=at,
                    ends_at=at,
                    chair_id=chair,
                    status="HELD",
                )
                items[number] = _insert(
                    db,
                    t["agenda_item"],
                    meeting_id=meeting,
                    case_id=case,
                    purpose="REVIEW",
                    level_considered="LEVEL_2",
                    risk_notes="",
                    contingency_plan="",
                    licence_conditions="",
                    level_decision_reason="",
                )
                if number == 3:
                    continue  # no minutes yet
                minutes = _insert(db, t["minutes"], meeting_id=meeting, status="APPROVED")
                # Meeting 1 was corrected: version 2, approved last, is the record that stands.
                versions = [(1, "CATEGORY_1"), (2, "CATEGORY_3")] if number == 1 else [(1, "CATEGORY_3")]
                for version, category in versions:
                    _insert(
                        db,
                        t["minutes_version"],
                        minutes_id=minutes,
                        number=version,
                        sections={},
                        record=_record(items[number], category),
                        correction_reason="",
                        approved_at=at,
                    )

        migrate.upgrade(url, "0034")

        with engine.connect() as db:
            found = dict(db.execute(sa.text("SELECT id, category_considered FROM agenda_item")).all())
        assert found == {items[1]: "CATEGORY_3", items[2]: "CATEGORY_3", items[3]: "CATEGORY_2"}
        engine.dispose()
    finally:
        databases.close()
