"""Every page that shows case data, or a person's training record, is logged as a consultation (with its
justification, which `tracker.meetings.justification` works out as the entry is written).

Views that log their own consultation (with a better summary) keep doing so; for every other such page
answered successfully, one `view` entry is written after the view has run, naming the object the
address points at. So a new page is logged without anyone remembering to.
"""

from __future__ import annotations

from flask import Flask, Response, g, request

from tracker.core import audit
from tracker.core.permissions import Permission

# A view that declares any of these shows case data (cases, meetings, agendas, actions, minutes).
CASE_DATA_PERMISSIONS = frozenset(
    {
        Permission.VIEW_CASE_DATA,
        Permission.MANAGE_CASES,
        Permission.RUN_MEETINGS,
        Permission.UPDATE_ACTIONS,
        Permission.REPLY_TO_INVITATIONS,
        Permission.EDIT_MINUTES,
        Permission.APPROVE_MINUTES,
        Permission.IMPORT_CASELOAD,
        Permission.DISCLOSE,
    }
)
# Pages about one person that are not case data, but are consulted as a record of that person.
PERSONAL_RECORD_ENDPOINTS = frozenset({"training.trainee_view"})
# Pages that ask why before a case opens: they show nothing of it but its reference.
QUESTION_ENDPOINTS = frozenset({"meetings.case_reason"})

# What an address points at, most specific first (a case's summary within a meeting is the case's).
_OBJECTS = [
    ("case_id", "Case"),
    ("action_id", "Action"),
    ("item_id", "AgendaItem"),
    ("audit_id", "MeetingAudit"),
    ("meeting_id", "Meeting"),
    ("trainee_id", "Trainee"),
    ("user_id", "User"),
]


class NotYetJustified(Exception):
    """Raised when a page logs its consultation but the person must justify it first (a reason for
    opening a case they have no part in): the page is not sent, and `answer` is sent instead."""

    def __init__(self, message: str, answer: Response):
        super().__init__(message)
        self.answer = answer


def is_consultation(app: Flask, endpoint: str | None) -> bool:
    """Whether reading the page at `endpoint` must be logged."""
    if endpoint is None or endpoint not in app.view_functions or endpoint in QUESTION_ENDPOINTS:
        return False
    if endpoint in PERSONAL_RECORD_ENDPOINTS:
        return True
    needed = getattr(app.view_functions[endpoint], "required_permissions", None) or ()
    return bool(CASE_DATA_PERMISSIONS.intersection(needed))


def init_app(app: Flask) -> None:
    @app.after_request
    def _log_consultation(response: Response) -> Response:
        # Registered after the commit step, so it runs before it (Flask runs these in reverse).
        if (
            request.method != "GET"
            or response.status_code != 200
            or g.get("user") is None
            or g.get("audit_consulted")
            or not is_consultation(app, request.endpoint)
        ):
            return response
        arguments = request.view_args or {}
        object_type, object_id = next(
            ((kind, arguments[key]) for key, kind in _OBJECTS if key in arguments), (None, None)
        )
        page = request.full_path.rstrip("?")
        try:
            audit.record(
                "view", object_type=object_type or "Page", object_id=object_id, summary=f"page {page}"
            )
        except NotYetJustified as needed:  # the page is not sent: the person says why first
            return _ask_first(needed)
        return response

    app.register_error_handler(NotYetJustified, _ask_first)


def _ask_first(needed: NotYetJustified) -> Response:
    from tracker.core.db import db

    db.session.rollback()  # nothing of the page is kept, nor shown
    return needed.answer
