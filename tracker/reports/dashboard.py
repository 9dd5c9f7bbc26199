"""The home page panels of the reports area: the Board's reports, and the meetings a person is to audit."""

from __future__ import annotations

from tracker.auth.models import User
from tracker.core.permissions import Permission
from tracker.core.timeutil import today_london
from tracker.reports import audits, rules
from tracker.reports.rules import ReportingYear


def board_panel(user: User):
    """The Board's reports, on the home page of the people who read them."""
    if not user.can(Permission.VIEW_REPORTS):
        return None
    current = rules.reporting_year_of(today_london())
    return "reports/_board_panel.html", {"current": current, "last": ReportingYear(current.start_year - 1)}


def audits_panel(user: User):
    """Meetings a person is named to audit, on their home page."""
    if not user.can(Permission.VIEW_CASE_DATA):
        return None
    count = audits.my_open_audits(user)
    if not count and not user.can(Permission.AUDIT_MEETINGS):
        return None
    return "reports/_audits_panel.html", {"audits_to_do": count}
