"""The home page panel for casework: my meetings this week, meetings (reviews and initial meetings) overdue
or due soon, cases with no next meeting, and my overdue actions. Everyone sees only what the visibility
rules allow."""

from __future__ import annotations

from tracker.auth.models import User
from tracker.core import consultations
from tracker.core.permissions import Permission
from tracker.core.timeutil import today_london
from tracker.meetings import queries, rules


def casework_panel(user: User) -> tuple[str, dict] | None:
    if not user.can(Permission.VIEW_CASE_DATA):
        return None
    today = today_london()
    action_count, actions = queries.my_overdue_actions(user, today)
    counts = queries.case_counts(user, today)
    overdue = queries.first_cases(user, queries.overdue_condition(today))
    due_soon = queries.first_cases(user, queries.due_soon_condition(today))
    # The panel names these cases: the home page's entry in the audit trail lists them.
    consultations.show_cases(action.case_id for action in actions)
    consultations.show_cases(case.id for case in overdue + due_soon)
    return "meetings/_dashboard_panel.html", {
        "meetings": queries.my_meetings_this_week(user, today),
        "overdue_count": counts["overdue"],
        "overdue": overdue,
        "due_soon_count": counts["due_soon"],
        "due_soon": due_soon,
        "no_meeting_count": counts["no_meeting"],
        "cases_seen": counts["seen"],
        "action_count": action_count,
        "actions": actions,
        "review_due": queries.case_review_due,
        "meeting_kind": rules.next_meeting_kind,
        "today": today,
        "soon_days": rules.due_soon_days(),
    }
