"""Counts kept up to date in the same transaction as the changes they count, so that a page reads a few
hundred rows of counts instead of counting every case or meeting of ten years.

A tally is a table of keys (a day, a state) and how many rows have them. It says which of its rows a
pending change touches (a meeting, say, for a change to its minutes) and, in SQL, which keys each of those
rows has. Before every flush the touched rows' keys are read as the database holds them, after it as it
now holds them, and the difference is added to the table, on the flush's own connection: the counts are
committed, or rolled back, with the change. `recount` works a tally out afresh from every row (for a
migration's backfill, after a bulk load, and for the tests that prove the kept counts equal it).

Changes made with SQL statements rather than through the ORM (bulk loads, the retention disposal's
blanking) are not seen: they must not change what a tally counts, or must call `recount`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session as OrmSession

from tracker.core.db import listen

Keys = tuple
# The keys each of these rows has (a row may have several, or none), or every row's when ids is None.
Contributions = Callable[[sa.Connection, "set[int] | None"], Iterable[Keys]]


@dataclass(eq=False)
class Tally:
    table: sa.Table
    keys: tuple[str, ...]
    count: str
    # The id of the counted row a pending ORM object touches (None if it touches none, or a set of ids
    # if it touches several: a meeting, say, for a tally counted by case).
    touched: Callable[[object, bool], int | Iterable[int] | None]
    contributions: Contributions
    # Called before the flush with the session, to set what the counted rows store (may be None).
    prepare: Callable[[OrmSession], None] | None = None
    watched: tuple[type, ...] = field(default_factory=tuple)
    # A pending object that changes every row's keys (an area setting, say): the tally is then refreshed
    # (`refresh` brings what the rows store up to date) and counted afresh after the flush.
    recount_when: Callable[[object], bool] = lambda _obj: False
    refresh: Callable[[sa.Connection], None] | None = None


TALLIES: list[Tally] = []


def register(tally: Tally) -> None:
    """Keep this tally up to date from now on (once however many apps are made)."""
    if all(existing.table is not tally.table for existing in TALLIES):
        TALLIES.append(tally)
    listen(OrmSession, "before_flush", _before_flush)
    listen(OrmSession, "after_flush", _after_flush)


def _touched_ids(tally: Tally, session: OrmSession) -> set[int]:
    ids = set()
    whole = (*session.new, *session.deleted)
    for obj, added_or_deleted in (*((obj, True) for obj in whole), *((obj, False) for obj in session.dirty)):
        if not isinstance(obj, tally.watched):
            continue
        found = tally.touched(obj, added_or_deleted)
        if isinstance(found, int):
            ids.add(found)
        elif found is not None:
            ids.update(found)
    return ids


def _before_flush(session: OrmSession, _context, _instances) -> None:
    pending = {}
    with session.no_autoflush:
        for tally in TALLIES:
            if tally.prepare is not None:
                tally.prepare(session)
            changed = (*session.new, *session.dirty, *session.deleted)
            if any(tally.recount_when(obj) for obj in changed):
                pending[id(tally)] = (tally, None, Counter())
                continue
            if not any(isinstance(obj, tally.watched) for obj in changed):
                continue
            ids = _touched_ids(tally, session)
            before = Counter(tally.contributions(session.connection(), ids)) if ids else Counter()
            pending[id(tally)] = (tally, ids, before)
    session.info["tallies_pending"] = pending


def _after_flush(session: OrmSession, _context) -> None:
    pending = session.info.pop("tallies_pending", {})
    for tally, ids_before, before in pending.values():
        if ids_before is None:
            if tally.refresh is not None:
                tally.refresh(session.connection())
            recount(tally, session.connection())
            continue
        ids = ids_before | _touched_ids(tally, session)
        after = Counter(tally.contributions(session.connection(), ids)) if ids else Counter()
        add(session.connection(), tally, {key: after[key] - before[key] for key in {*before, *after}})


def add(connection: sa.Connection, tally: Tally, changes: dict[Keys, int]) -> None:
    """Add each change to its key's count, in one statement per key that makes the key's row if it is not
    there yet (so two transactions adding the first row of a key at once both count, rather than one
    failing); a count that falls to nought is deleted, so the table holds only keys some row has."""
    table, count = tally.table, tally.table.c[tally.count]
    insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    changed = False
    for key, change in changes.items():
        if not change:
            continue
        statement = insert(table).values({**dict(zip(tally.keys, key, strict=True)), tally.count: change})
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=list(tally.keys), set_={tally.count: count + change}
            )
        )
        changed = True
    if changed:
        connection.execute(sa.delete(table).where(count == 0))


def counted(tally: Tally, connection: sa.Connection) -> Counter:
    """Every count as the tally's table holds it."""
    rows = connection.execute(sa.select(*(tally.table.c[k] for k in tally.keys), tally.table.c[tally.count]))
    return Counter({tuple(row[:-1]): row[-1] for row in rows})


def recount(tally: Tally, connection: sa.Connection) -> Counter:
    """Work the tally out from every row and replace its table with it; the counts."""
    fresh = Counter(tally.contributions(connection, None))
    connection.execute(sa.delete(tally.table))
    if fresh:
        connection.execute(
            sa.insert(tally.table),
            [{**dict(zip(tally.keys, key, strict=True)), tally.count: n} for key, n in fresh.items() if n],
        )
    return fresh
