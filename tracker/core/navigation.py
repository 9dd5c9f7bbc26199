"""The primary navigation, by role, and the panels of the home page that each area contributes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, request, url_for

from tracker.core.permissions import Permission, Role


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    allowed: Callable[[Any], bool]
    # Active when the current endpoint starts with this (a blueprint name and dot, usually).
    section: str


def _perm(permission: Permission) -> Callable[[Any], bool]:
    return lambda user: user.can(permission)


NAVIGATION: list[NavItem] = [
    NavItem("Home", "home.dashboard", lambda user: True, "home."),
    NavItem("Meetings", "meetings.meeting_list", _perm(Permission.VIEW_CASE_DATA), "meetings.meeting"),
    NavItem("Cases", "meetings.case_list", _perm(Permission.VIEW_CASE_DATA), "meetings.case"),
    NavItem("Actions", "meetings.action_list", _perm(Permission.VIEW_CASE_DATA), "meetings.action"),
    NavItem("Minutes", "minutes.minutes_list", _perm(Permission.EDIT_MINUTES), "minutes."),
    NavItem("Training", "training.index", _perm(Permission.MANAGE_TRAINING), "training."),
    NavItem(
        "My training",
        "training.my_record",
        lambda user: user.can(Permission.VIEW_OWN_TRAINING) and not user.can(Permission.MANAGE_TRAINING),
        "training.my_",
    ),
    NavItem(
        "Training figures",
        "training.overview",
        lambda user: user.can(Permission.VIEW_TRAINING_OVERVIEW) and not user.can(Permission.MANAGE_TRAINING),
        "training.overview",
    ),
    NavItem("Evaluations", "evaluations.form_list", _perm(Permission.MANAGE_EVALUATIONS), "evaluations."),
    NavItem("Reports", "reports.index", _perm(Permission.VIEW_REPORTS), "reports."),
    NavItem("Retention", "retention.review_list", _perm(Permission.REVIEW_RETENTION), "retention."),
    NavItem("Audit trail", "admin.audit_trail", _perm(Permission.VIEW_AUDIT), "admin.audit"),
    NavItem("Users", "admin.user_list", _perm(Permission.MANAGE_USERS), "admin.user"),
    NavItem("Agencies", "admin.agency_list", _perm(Permission.MANAGE_AGENCIES), "admin.agenc"),
    NavItem("Settings", "admin.settings", _perm(Permission.MANAGE_SETTINGS), "admin.setting"),
    NavItem("Email outbox", "admin.outbox", _perm(Permission.MANAGE_OUTBOX), "admin.outbox"),
    NavItem("Export", "transfer.export_area", _perm(Permission.EXPORT_AREA), "transfer."),
]


def navigation_for(user: Any) -> list[dict]:
    """Items for the MOJ primary navigation: what this person may use, in a fixed order."""
    if user is None:
        return []
    endpoint = request.endpoint or ""
    items = []
    for item in NAVIGATION:
        if item.endpoint in current_app.view_functions and item.allowed(user):
            items.append(
                {
                    "text": item.label,
                    "href": url_for(item.endpoint),
                    "active": endpoint.startswith(item.section),
                }
            )
    return items


# Home page panels: functions of the signed-in person returning a template and its context, or None.
# Each area adds its own in its `register(app)`; the home page shows them in the order they were added.
DashboardPanel = Callable[[Any], "tuple[str, dict] | None"]
DASHBOARD_PANELS: list[DashboardPanel] = []


def add_panels(*panels: DashboardPanel) -> None:
    """Add home page panels (adding one twice, as a second app would, has no effect)."""
    for panel in panels:
        if panel not in DASHBOARD_PANELS:
            DASHBOARD_PANELS.append(panel)


ROLE_DESCRIPTIONS = {
    Role.SYSTEM_ADMIN: "manage accounts, agencies and settings, and search the audit trail",
    Role.COORDINATOR: (
        "oversee every meeting, overdue reviews and initial meetings, and the quality of MAPPA work"
    ),
    Role.CHAIR: "prepare agendas, chair meetings and approve minutes",
    Role.ADMINISTRATOR: "schedule meetings, invite agencies, record attendance and draft minutes",
    Role.TRSG: "run chair training and CPD events and their evaluations",
    Role.SMB: "see the Board's figures and reports",
    Role.LAY_ADVISER: "see the Board's figures and reports",
    Role.PRACTITIONER: "see the meetings you are invited to and your actions",
}
