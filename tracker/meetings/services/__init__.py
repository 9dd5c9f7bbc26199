"""The meetings area's one write path: a function for each change a person makes to a case, a meeting,
its agenda, invitations, attendance and record, or an action.

Views parse a form, call one of these and render; they never set a model's fields or add or delete rows.
Each function takes the person acting and, where two people may edit the same thing, the version their
form was built from (checked with `tracker.core.locking.claim`: False means someone else saved first).
They flush, never commit (the request commits once); the audit trail records each change as it flushes.
A refusal by the rules raises `Refused` with a message for the person. Every change to what a meeting
plans or records calls `ensure_record_open(meeting)` first: the one place that decides whether the
meeting's record may still change.
"""

from tracker.meetings.services.actions import (
    actions_closed_by,
    actions_to_review,
    add_action,
    agreed_due_date_problem,
    change_action,
    drop,
    ensure_actions_open,
    mark_done,
    new_due_date_hint,
    new_due_date_problem,
    open_actions_by_case,
    progress,
    take_off_record,
)
from tracker.meetings.services.agenda import (
    SLOT_FORM_COLUMNS,
    add_to_agenda,
    change_agenda_item,
    ensure_may_add,
    ensure_may_take_off,
    ensure_staff_cleared,
    find_case_for_agenda,
    move,
    take_off_agenda,
)
from tracker.meetings.services.base import (
    ANY_STATUS,
    PLANNING,
    RECORDING,
    RecordClosed,
    Refused,
    ensure_discussed,
    ensure_record_open,
)
from tracker.meetings.services.cancelling import (
    actions_agreed_at,
    actions_shown,
    cancel,
    decisions_withdrawn,
    withdrawn_shown,
)
from tracker.meetings.services.cases import (
    DateRefused,
    category_4_parts,
    edit_case,
    record_case_event,
    record_case_events,
    refer_case,
    refer_cases,
)
from tracker.meetings.services.chairs import save_chair_profile
from tracker.meetings.services.deferral import (
    defer,
    ensure_may_defer,
    undo_deferral,
    withdrawn_by_deferral,
)
from tracker.meetings.services.invitations import (
    cancellation_to,
    ensure_may_uninvite,
    invite_to,
    invited_notice,
    record_attendance,
    record_walk_in,
    reply,
    uninvite,
)
from tracker.meetings.services.meetings import (
    change_meeting,
    record_held,
    schedule,
)
from tracker.meetings.services.preferences import set_email_preferences
from tracker.meetings.services.record import (
    DECISION_FORM_COLUMNS,
    RISK_FORM_COLUMNS,
    confirm_plan_part,
    decide_level,
    ensure_plan_open,
    plan_closed_by,
    save_pillar,
    save_risk,
)

__all__ = [
    "agreed_due_date_problem",
    "new_due_date_hint",
    "new_due_date_problem",
    "actions_agreed_at",
    "actions_shown",
    "actions_closed_by",
    "ensure_actions_open",
    "ANY_STATUS",
    "DECISION_FORM_COLUMNS",
    "RISK_FORM_COLUMNS",
    "SLOT_FORM_COLUMNS",
    "DateRefused",
    "category_4_parts",
    "PLANNING",
    "RECORDING",
    "RecordClosed",
    "Refused",
    "add_action",
    "add_to_agenda",
    "ensure_may_add",
    "ensure_may_defer",
    "ensure_staff_cleared",
    "change_action",
    "cancel",
    "cancellation_to",
    "change_agenda_item",
    "change_meeting",
    "confirm_plan_part",
    "ensure_plan_open",
    "plan_closed_by",
    "decide_level",
    "decisions_withdrawn",
    "defer",
    "drop",
    "edit_case",
    "ensure_may_take_off",
    "ensure_may_uninvite",
    "ensure_discussed",
    "ensure_record_open",
    "find_case_for_agenda",
    "invite_to",
    "invited_notice",
    "mark_done",
    "move",
    "open_actions_by_case",
    "actions_to_review",
    "progress",
    "record_attendance",
    "record_case_event",
    "record_case_events",
    "record_held",
    "record_walk_in",
    "refer_case",
    "refer_cases",
    "reply",
    "save_chair_profile",
    "save_pillar",
    "save_risk",
    "set_email_preferences",
    "schedule",
    "take_off_agenda",
    "take_off_record",
    "undo_deferral",
    "uninvite",
    "withdrawn_shown",
    "withdrawn_by_deferral",
]
