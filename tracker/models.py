"""Every table of the tracker, imported in one place so that SQLModel.metadata knows them all."""

from sqlmodel import SQLModel

# One line per area: importing an area's models module registers its tables.
import tracker.auth.models  # noqa: F401
import tracker.calendar.models  # noqa: F401
import tracker.core.models  # noqa: F401
import tracker.disclosure.models  # noqa: F401
import tracker.evaluations.models  # noqa: F401
import tracker.meetings.models  # noqa: F401
import tracker.minutes.models  # noqa: F401
import tracker.reports.models  # noqa: F401
import tracker.retention.models  # noqa: F401
import tracker.training.models  # noqa: F401
import tracker.transfer.models  # noqa: F401
from tracker.core.db import ids_never_reused

# Once every table is registered: no id is ever given out twice on SQLite (migration 0038 made the
# tables so, and a table a later migration adds is made so from these, as the schema test checks).
ids_never_reused(SQLModel.metadata)
