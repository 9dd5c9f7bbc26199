"""Each area wires itself into the app in its `register(app)`, and nothing registers by being imported."""

import subprocess
import sys

IMPORT_EVERYTHING = """
import importlib, pkgutil
import tracker
for module in pkgutil.walk_packages(tracker.__path__, "tracker."):
    if ".migrations" not in module.name:
        importlib.import_module(module.name)
from tracker.calendar import providers
from tracker.core.navigation import DASHBOARD_PANELS
from tracker.core.permissions import _can_view
from tracker.meetings.access import MEETING_GRANTS
print(len(DASHBOARD_PANELS), len(providers.registered()), len(MEETING_GRANTS), len(_can_view.registry))
print(*(len(listeners) for listeners in _listeners()))
"""

# The database event listeners the app attaches: the audit trail's, the frozen record's guard, and the
# link from a new account to its training record.
LISTENERS = """
import sqlalchemy as sa
from sqlalchemy.orm import Session
from tracker.auth.models import User
from tracker.core import audit
from tracker.meetings import freeze
from tracker.training import models as training

def _listeners():
    before = (audit._collect_changes, freeze._guard)
    return (
        [fn for fn in before if sa.event.contains(Session, "before_flush", fn)],
        [fn for fn in (audit._write_changes,) if sa.event.contains(Session, "after_flush", fn)],
        [fn for fn in (training.link_training_record,) if sa.event.contains(User, "after_insert", fn)],
    )
"""


def test_importing_every_module_registers_nothing():
    result = subprocess.run(
        [sys.executable, "-c", LISTENERS + IMPORT_EVERYTHING], capture_output=True, text=True, check=True, timeout=120
    )
    # Only the fallback rule of can_view (for `object`) is there before an app is made, and no database
    # event listener.
    assert result.stdout.split() == ["0", "0", "0", "1", "0", "0", "0"]


def test_the_database_listeners_are_attached_by_the_app_once():
    script = LISTENERS + """
from tracker import create_app
create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "one"})
create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "two"})
print(*(len(listeners) for listeners in _listeners()))
"""
    # A fresh process, so that the apps the other tests make do not count.
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.split() == ["2", "1", "1"]


def test_the_app_has_each_areas_panels_rules_grants_and_calendar_entries_once(app):
    from tracker import create_app
    from tracker.calendar import providers
    from tracker.core.navigation import DASHBOARD_PANELS
    from tracker.core.permissions import _can_view
    from tracker.meetings.access import MEETING_GRANTS

    create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "a second app"})
    assert [panel.__module__.split(".")[1] for panel in DASHBOARD_PANELS] == [
        "admin", "admin", "admin", "evaluations", "evaluations", "meetings", "minutes", "minutes", "reports",
        "reports", "training", "training", "training",
    ]
    assert [provider.__name__ for provider in providers.registered()] == [
        "meetings_in_calendar",
        "sessions_in_calendar",
    ]
    assert [grant.__name__ for grant in MEETING_GRANTS] == ["approving_for", "meetings_to_audit"]
    assert sorted(cls.__name__ for cls in _can_view.registry if cls is not object) == [
        "Action", "AgendaItem", "Case", "CourseEvent", "Enrolment", "EvaluationInvitation", "Meeting",
        "MeetingAudit", "TrainingSession",
    ]
    areas = {"home", "auth", "admin", "meetings", "minutes", "training", "evaluations", "calendar", "reports"}
    assert areas | {"transfer"} <= set(app.blueprints)
