"""Area settings: every number the MAPPA guidance leaves to the area, with the guidance value as default.

Each area of the tracker defines its settings where it uses them (`define(...)`); an admin changes them on
the settings page, and a change is stored in the `setting` table. Reading a setting returns the stored value
or the default.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import select

from tracker.core.db import db
from tracker.core.models import Setting
from tracker.core.types import utcnow


@dataclass(frozen=True)
class SettingDefinition:
    key: str
    default: Any
    label: str
    hint: str = ""
    group: str = "General"
    minimum: int | None = None
    maximum: int | None = None
    # Text: the most characters it may have.
    max_length: int | None = None
    # A list, one entry a line ("\n") or separated by commas (","): blanks are dropped, repeats refused.
    separator: str | None = None
    # What the page choosing from the list always offers beside it, so is not listed too.
    offered: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        if isinstance(self.default, bool):
            return "bool"
        if isinstance(self.default, int):
            return "int"
        if isinstance(self.default, str) and len(self.default) > 120:
            return "text"
        return "str"


REGISTRY: dict[str, SettingDefinition] = {}


def entries(text: Any, separator: str) -> list[str]:
    """A list setting's entries, each trimmed, blanks left out."""
    parts = str(text).splitlines() if separator == "\n" else str(text).split(separator)
    return [entry.strip() for entry in parts if entry.strip()]


def joined(items: list[str], separator: str) -> str:
    """A list setting's entries as it is stored: one a line, or separated by a comma and a space."""
    return separator.join(items) if separator == "\n" else f"{separator} ".join(items)


def define(key: str, default: Any, label: str, **kwargs: Any) -> SettingDefinition:
    definition = SettingDefinition(key, default, label, **kwargs)
    REGISTRY[key] = definition
    return definition


def get(key: str) -> Any:
    """The setting's current value: what the area chose, or the default."""
    definition = REGISTRY[key]
    values = _cached_values()
    return values.get(key, definition.default)


def all_values() -> dict[str, Any]:
    stored = _cached_values()
    return {key: stored.get(key, definition.default) for key, definition in REGISTRY.items()}


def fingerprints(values: dict[str, Any]) -> dict[str, str]:
    """A short digest of each setting's value, for a form to say what it showed (see
    `tracker.admin.settings_changes.save`)."""
    return {key: fingerprint(value) for key, value in values.items()}


def fingerprint(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:12]


def set_value(key: str, value: Any, user_id: int | None) -> None:
    definition = REGISTRY[key]
    row = db.session.get(Setting, key)
    encoded = json.dumps(value)
    if value == definition.default:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(Setting(key=key, value=encoded, updated_by_id=user_id))
    elif row.value != encoded:  # saved again unchanged: nothing to record
        row.value = encoded
        row.updated_at = utcnow()
        row.updated_by_id = user_id
    _forget_cache()


def _cached_values() -> dict[str, Any]:
    # One query per request at most; settings change rarely and are read often.
    from flask import g, has_app_context

    if has_app_context() and "settings_cache" in g:
        return g.settings_cache
    rows = db.session.exec(select(Setting)).all()
    values = {row.key: json.loads(row.value) for row in rows if row.key in REGISTRY}
    if has_app_context():
        g.settings_cache = values
    return values


def _forget_cache() -> None:
    from flask import g, has_app_context

    if has_app_context():
        g.pop("settings_cache", None)


# Longer than any MAPPA area's name, short enough for the header, the heading of documents and the
# label an authenticator app shows.
AREA_NAME = define(
    "area_name", "London", "Area name", hint="Shown in the header and on documents.", max_length=80
)
CONFIDENTIALITY_STATEMENT = define(
    "confidentiality_statement",
    (
        "This meeting is held under the Multi-Agency Public Protection Arrangements. Information is shared "
        "because the need to protect the public outweighs the duty of confidentiality. The minutes are "
        "exempt "
        "from disclosure under the Freedom of Information Act. Decisions weigh the right of the person to a "
        "private and family life against the protection of the public. All papers are OFFICIAL-SENSITIVE: "
        "they are not to be copied, shared outside this meeting or passed to another agency without the "
        "agreement of the Chair, and are kept in restricted files. "
        "Diversity: the meeting considers the diversity needs of the person, of victims and of potential "
        "victims, and every decision is taken without discrimination."
    ),
    "Confidentiality and diversity statement",
    hint="Read at the start of each case and printed at the head of every agenda and minutes (form MAPPA D).",
)
