"""Training rules as plain functions: reporting years, completion, CPD, waiting lists, chair status, uploads.

Views and queries call these; the tests call them directly with plain values.

A module per subject: `chairs` (reporting years, months, the CPD lapse and a chair's status),
`attendance` (completion, CPD, the waiting list, enrolment rules, certificates) and `uploads`.
"""

from tracker.training.rules.attendance import (
    ATTENDED,
    Outcome,
    attendance_rate,
    certificate_kind,
    describe_days,
    enrolment_conflict,
    format_hours,
    hours_to_minutes,
    move_up,
    outcome,
    placement,
    register_open,
    session_day_warning,
    session_day_warnings,
)
from tracker.training.rules.chairs import (
    CPD_LAPSE_MONTHS,
    CPD_WARNING_MONTHS,
    ChairState,
    ChairStatus,
    CpdThresholds,
    ReportingYear,
    chair_status,
    cpd_thresholds,
    lapses_on,
    months_after,
    months_before,
    reporting_year_of,
)
from tracker.training.rules.uploads import MAX_UPLOAD_ROWS, CheckedRow, UploadProblem, check_rows, read_upload

__all__ = [
    "ATTENDED",
    "CPD_LAPSE_MONTHS",
    "CPD_WARNING_MONTHS",
    "ChairState",
    "ChairStatus",
    "CheckedRow",
    "CpdThresholds",
    "MAX_UPLOAD_ROWS",
    "Outcome",
    "ReportingYear",
    "UploadProblem",
    "attendance_rate",
    "certificate_kind",
    "chair_status",
    "check_rows",
    "cpd_thresholds",
    "describe_days",
    "enrolment_conflict",
    "format_hours",
    "hours_to_minutes",
    "lapses_on",
    "months_after",
    "months_before",
    "move_up",
    "outcome",
    "placement",
    "read_upload",
    "register_open",
    "reporting_year_of",
    "session_day_warning",
    "session_day_warnings",
]
