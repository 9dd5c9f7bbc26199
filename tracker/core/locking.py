"""Optimistic locking: a record that two people may edit carries a `version`; a change is saved only if
the version the person started from is still the current one.

The form carries the version in a hidden field; `claim(obj, version)` raises the version in one
conditional UPDATE, so of two people saving at once exactly one succeeds, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from tracker.core.db import db

CONFLICT_MESSAGE = (
    "Someone else saved changes to this {what} while you were editing it. Your changes have not been "
    "saved: reload the page to see theirs, then make yours again"
)


class Conflict(Exception):
    """Someone else saved the record first: nothing of the change was saved."""


def parse_version(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def claim(obj: Any, version: Any, column: str = "version") -> bool:
    """Raise obj's version if it still equals `version` (the one the person's form was built from).

    Returns False, changing nothing, when someone else has saved it in the meantime. `column` names
    another version column of the same kind (a session's register has one of its own).
    """
    expected = parse_version(version)
    if expected is None or expected != getattr(obj, column):
        return False
    model = type(obj)
    result = db.session.execute(
        sa.update(model)
        .where(model.id == obj.id, getattr(model, column) == expected)
        .values({column: expected + 1})
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    set_committed_value(obj, column, expected + 1)
    return True


def fingerprint(obj: Any, columns: Iterable[str]) -> str:
    """A short fingerprint of the values of these columns of obj: what a form that edits only part of a
    record carries (beside the version) to say what its page showed of that part."""
    return fingerprint_of(*(getattr(obj, name) for name in columns))


def fingerprint_of(*values: Any) -> str:
    """A short fingerprint of these values (what a page showed, such as a wording it asks to confirm)."""
    shown = [None if value is None else str(value) for value in values]
    return hashlib.sha256(json.dumps(shown).encode()).hexdigest()[:16]


def claim_part(obj: Any, version: Any, shown: str | None, columns: Iterable[str]) -> bool:
    """`claim` for a form that edits only some columns of a record whose version other forms raise too
    (an agenda item's risk assessment and its level decision): when someone else saved the record since
    the page was built but left these columns as the page showed them (`shown`: their `fingerprint`),
    their change was to another part, which is no conflict, so the record's current version is claimed.
    Without `shown`, as `claim`."""
    if claim(obj, version):
        return True
    if not shown or shown != fingerprint(obj, columns):
        return False
    # The columns and the version were read together: if either has moved since, this claim fails.
    return claim(obj, obj.version)


def claim_or_conflict(obj: Any, version: Any, column: str = "version") -> None:
    """`claim`, raising Conflict when someone else has saved it in the meantime (for services, which make
    the rest of their change only once the claim is theirs)."""
    if not claim(obj, version, column):
        raise Conflict


def conflict_message(what: str) -> str:
    return CONFLICT_MESSAGE.format(what=what)
