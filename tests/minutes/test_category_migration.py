"""Migration 0034 gives each agenda item already there the category its meeting recorded: from the meeting's
last approved minutes where they hold the case, otherwise the case's category as it is now."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from tests.migrating import database_at, discussed_at, insert, old_case
from tracker.core import migrate


def _record(item_id: int, category: str) -> dict:
    return {"items": [{"id": str(item_id), "category": category, "level": "LEVEL_2"}]}


def test_existing_items_take_the_category_their_approved_minutes_recorded(database_url, tmp_path_factory):
    with database_at(database_url, tmp_path_factory, "0033") as (url, engine, t):
        with engine.begin() as db:
            # Category 3 at its meetings, Category 2 since.
            chair, case = old_case(db, t)
            items = {}
            for number in (1, 2, 3):
                at = datetime(2026, number, 10, 10)
                meeting, items[number] = discussed_at(db, t, case, chair, number, at)
                if number == 3:
                    continue  # no minutes yet
                minutes = insert(db, t["minutes"], meeting_id=meeting, status="APPROVED")
                # Meeting 1 was corrected: version 2, approved last, is the record that stands.
                versions = [(1, "CATEGORY_1"), (2, "CATEGORY_3")] if number == 1 else [(1, "CATEGORY_3")]
                for version, category in versions:
                    insert(
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
