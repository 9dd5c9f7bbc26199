"""Migration 0039 gives each agenda item whose decision made an entry in the case's history that entry's
recorder and time; on SQLite it rebuilds agenda_item, keeping every row, what hangs from it and its
counter of ids."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa

from tests.migrating import database_at, discussed_at, insert, old_case
from tracker.core import migrate


def test_existing_decisions_take_the_recorder_of_their_entry(database_url, tmp_path_factory):
    recorded_at = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)
    with database_at(database_url, tmp_path_factory, "0038") as (url, engine, t):
        with engine.begin() as db:
            chair, case = old_case(db, t)
            _meeting, raised = discussed_at(
                db,
                t,
                case,
                chair,
                1,
                datetime(2026, 3, 10, 10),
                level_decision="RAISE",
                level_decided="LEVEL_3",
            )
            _meeting, retained = discussed_at(
                db, t, case, chair, 2, datetime(2026, 4, 10, 10), level_decision="RETAIN"
            )
            insert(
                db,
                t["case_event"],
                case_id=case,
                kind="LEVEL_CHANGED",
                occurred_on=date(2026, 3, 10),
                level="LEVEL_3",
                previous_level="LEVEL_2",
                agenda_item_id=raised,
                recorded_by_id=chair,
                recorded_at=recorded_at,
            )
            part = insert(db, t["plan_part"], agenda_item_id=raised, part="SUPERVISION", outcome="AGREED")
            # The item added last was taken off the agenda: its id is not given out again.
            _meeting, gone = discussed_at(db, t, case, chair, 3, datetime(2026, 5, 1, 10))
            db.execute(t["agenda_item"].delete().where(t["agenda_item"].c.id == gone))

        migrate.upgrade(url, "0039")

        with engine.connect() as db:
            found = {
                row[0]: (row[1], row[2])
                for row in db.execute(
                    sa.text("SELECT id, decision_recorded_by_id, decision_recorded_at FROM agenda_item")
                )
            }
            parts = db.execute(sa.text("SELECT id, agenda_item_id FROM plan_part")).all()
        with engine.begin() as db:
            _meeting, added = discussed_at(db, t, case, chair, 4, datetime(2026, 6, 1, 10))
    assert found[raised][0] == chair
    assert _utc(found[raised][1]) == recorded_at
    assert found[retained] == (None, None)
    assert (part, raised) in [tuple(row) for row in parts]
    assert added > gone


def _utc(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)
