"""Changes to the Board's records, one function per change a person makes: each takes the person acting
and the version their form was built from, and leaves the commit to the request."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tracker.auth.models import User
from tracker.core import locking
from tracker.core.db import db
from tracker.core.types import utcnow
from tracker.reports.models import AnnualFigures
from tracker.reports.rules import ReportingYear


def save_figures(
    actor: User, year: ReportingYear, figures: AnnualFigures | None, version: Any, values: Mapping[str, Any]
) -> AnnualFigures | None:
    """Save a year's entered figures; None, changing nothing, when someone else saved them meanwhile
    (or first entered them) after this person's form was built."""
    if figures is None:
        if locking.parse_version(version) != 0:
            return None
        figures = AnnualFigures(start_year=year.start_year)
        db.session.add(figures)
    elif not locking.claim(figures, version):
        return None
    for name, value in values.items():
        setattr(figures, name, value)
    figures.updated_at = utcnow()
    figures.updated_by_id = actor.id
    return figures
