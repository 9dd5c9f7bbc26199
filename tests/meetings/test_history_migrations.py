"""Migrations of a case's history: 0040 gives each agenda item whose decision made an entry in the case's
history that entry's recorder and time (on SQLite it rebuilds agenda_item, keeping every row, what hangs
from it and its counter of ids); 0041 gives each entry a decision made its meeting's start in London."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import sqlalchemy as sa

from tests.migrating import database_at, discussed_at, insert, old_case
from tracker.core import migrate


def test_existing_decisions_take_the_recorder_of_their_entry(database_url, tmp_path_factory):
    recorded_at = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)
    with database_at(database_url, tmp_path_factory, "0039") as (url, engine, t):
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

        migrate.upgrade(url, "0040")

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


def test_entries_decisions_made_take_their_meetings_start_in_london(database_url, tmp_path_factory):
    with database_at(database_url, tmp_path_factory, "0040") as (url, engine, t):
        with engine.begin() as db:
            chair, case = old_case(db, t)
            # 09:30 UTC in summer is 10:30 in London; in winter, 14:00 UTC is 14:00.
            _meeting, summer = discussed_at(
                db, t, case, chair, 1, datetime(2026, 7, 1, 9, 30), level_decision="RAISE"
            )
            _meeting, winter = discussed_at(
                db, t, case, chair, 2, datetime(2026, 12, 1, 14), level_decision="EXIT"
            )
            entries = {}
            for item, kind, day in (
                (summer, "LEVEL_CHANGED", date(2026, 7, 1)),
                (winter, "EXITED", date(2026, 12, 1)),
            ):
                entries[item] = insert(
                    db,
                    t["case_event"],
                    case_id=case,
                    kind=kind,
                    occurred_on=day,
                    level="LEVEL_3",
                    agenda_item_id=item,
                )
            recall = insert(
                db,
                t["case_event"],
                case_id=case,
                kind="RECALLED",
                occurred_on=date(2026, 7, 1),
                level="LEVEL_3",
            )

        migrate.upgrade(url, "0041")

        with engine.connect() as db:
            found = dict(db.execute(sa.text("SELECT id, occurred_time FROM case_event")).all())
    found = {
        entry: time.fromisoformat(value) if isinstance(value, str) else value
        for entry, value in found.items()
    }
    assert found == {entries[summer]: time(10, 30), entries[winter]: time(14, 0), recall: None}
