"""Saving the area settings (the admin's Settings page): only what this person changed, so that two
admins with the page open never undo each other's changes."""

from __future__ import annotations

import json
from typing import Any

from tracker.admin import rules
from tracker.auth.models import User
from tracker.core import settings as area_settings


def shown_as_opened() -> str:
    """What each setting is now, for the page to send back with its changes (`save`'s `opened`)."""
    return json.dumps(area_settings.fingerprints(area_settings.all_values()))


def opened(given: str | None) -> dict[str, str] | None:
    """The settings as the page showed them when opened (None when the form did not say)."""
    try:
        found = json.loads(given or "null")
    except ValueError:
        return None
    return found if isinstance(found, dict) else None


def save(
    actor: User, values: dict[str, Any], opened: dict[str, str] | None = None
) -> dict[str, str]:
    """Save the area settings as the form checked them (each in range, none contradicting another): a
    value back at its default is no longer stored.

    Given what each setting was when the page was opened (`opened`, `area_settings.fingerprints`), only
    the settings this person changed are saved, so that another admin's change meanwhile stands. A
    setting both changed, or one whose new value contradicts another's change, is not saved: nothing is,
    and each such setting is returned with what to tell the person (empty: all saved)."""
    if opened is not None:
        current = area_settings.all_values()
        now = area_settings.fingerprints(current)
        changed = {k: v for k, v in values.items() if area_settings.fingerprint(v) != opened.get(k)}
        # Someone else changed it meanwhile, to something other than what this person chose.
        clashes = {
            key: f"Another administrator changed “{area_settings.REGISTRY[key].label}” to "
            f"{_shown(current[key])} after you opened this page: check it, then save again"
            for key, value in changed.items()
            if now[key] != opened.get(key) and now[key] != area_settings.fingerprint(value)
        }
        if clashes:
            return clashes
        if problems := rules.settings_problems(current | changed):
            return problems
        values = changed
    for key, value in values.items():
        area_settings.set_value(key, value, actor.id)
    return {}


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if not isinstance(value, str):
        return str(value)
    return "new wording" if len(value) > 60 or "\n" in value else f"“{value}”"

