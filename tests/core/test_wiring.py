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
"""


def test_importing_every_module_registers_nothing():
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING], capture_output=True, text=True, check=True, timeout=120
    )
    # Only the fallback rule of can_view (for `object`) is there before an app is made.
    assert result.stdout.split() == ["0", "0", "0", "1"]


def test_the_app_has_each_areas_panels_rules_grants_and_calendar_entries_once(app):
    from tracker import create_app
    from tracker.calendar import providers
    from tracker.core.navigation import DASHBOARD_PANELS
    from tracker.core.permissions import _can_view
    from tracker.meetings.access import MEETING_GRANTS

    create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "a second app"})
    assert [panel.__module__.split(".")[1] for panel in DASHBOARD_PANELS] == [
        "evaluations", "evaluations", "meetings", "minutes", "reports", "reports", "training", "training",
        "training",
    ]
    assert [provider.__name__ for provider in providers.registered()] == [
        "meetings_in_calendar",
        "sessions_in_calendar",
    ]
    assert [grant.__name__ for grant in MEETING_GRANTS] == ["meetings_to_audit"]
    assert sorted(cls.__name__ for cls in _can_view.registry if cls is not object) == [
        "Action", "AgendaItem", "Case", "CourseEvent", "Enrolment", "EvaluationInvitation", "Meeting",
        "MeetingAudit", "TrainingSession",
    ]
    areas = {"home", "auth", "admin", "meetings", "minutes", "training", "evaluations", "calendar", "reports"}
    assert areas | {"transfer"} <= set(app.blueprints)
