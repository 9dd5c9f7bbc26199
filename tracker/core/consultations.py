"""Every page that shows case data, or a person's training record, is logged as a consultation (with its
justification, which `tracker.meetings.justification` works out as the entry is written).

Views that log their own consultation (with a better summary) keep doing so; for every other such page
answered successfully, one `view` entry is written after the view has run, naming the object the
address points at. So a new page is logged without anyone remembering to.

A page that lists cases (the case list, the action list, the cases due for an agenda, the home page's
panels) says which it showed, on the page as rendered (`show_cases`): its one entry then lists them in
`audit_event_case`, written with the entry in the same flush, so that the log review's search by case finds
who read the case on a list. A page that shows cases is logged even when it is not otherwise case data.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask import Flask, Response, g, request
from sqlalchemy.orm import Session as OrmSession

from tracker.core import audit
from tracker.core.models import AuditEvent, AuditEventCase
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
# Pages that ask why before a case (or a meeting's minutes) opens: they show nothing of it but its reference.
QUESTION_ENDPOINTS = frozenset({"meetings.case_reason", "minutes.minutes_reason"})

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


# The model each kind of object an address points at is, by the name in `_OBJECTS`: registered by the area
# that owns it (`register_objects`), so that a page's entry names the case and meeting the object is about.
_MODELS: dict[str, type] = {}


def register_objects(*models: type) -> None:
    """Models that addresses point at (by their class name in `_OBJECTS`), whose `audit_scope` gives the
    case and meeting of a page about one of them."""
    for model in models:
        _MODELS[model.__name__] = model


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


def show_cases(case_ids: Iterable[int | None]) -> None:
    """The page being answered shows these cases (ids taken from the rows it renders: no query): its
    consultation entry lists them, so that a search of the log by any of them finds the page."""
    shown = g.setdefault("cases_shown", {})
    shown.update(dict.fromkeys(case_id for case_id in case_ids if case_id is not None))


def init_app(app: Flask) -> None:
    from tracker.core.db import listen

    listen(OrmSession, "after_flush", _write_cases_shown)

    @app.after_request
    def _log_consultation(response: Response) -> Response:
        # Registered after the commit step, so it runs before it (Flask runs these in reverse).
        shown = list(g.pop("cases_shown", {}))
        if request.method != "GET" or response.status_code != 200 or g.get("user") is None:
            return response
        if g.get("audit_consulted"):  # the view logged its own consultation: the cases go with it
            _list_cases(_own_entry(), shown)
            return response
        if not (shown or is_consultation(app, request.endpoint)):
            return response
        arguments = request.view_args or {}
        object_type, object_id = next(
            ((kind, arguments[key]) for key, kind in _OBJECTS if key in arguments), (None, None)
        )
        page = _page_address()
        try:
            entry = audit.record(
                "view",
                _object(object_type, object_id),
                object_type=object_type or "Page",
                object_id=object_id,
                summary=f"page {page}",
            )
        except NotYetJustified as needed:  # the page is not sent: the person says why first
            return _ask_first(needed)
        _list_cases(entry, shown)
        return response

    app.register_error_handler(NotYetJustified, _ask_first)


# Filters whose value is typed (a name, a reference): the entry says a search was made, not what for. The
# words may be a person's name, and an entry about no one case is read by everyone who reads the trail
# (the system admin, someone not cleared for Category 4).
TYPED_FILTERS = frozenset({"q", "case", "chair_name", "name", "person", "reference"})


def _page_address() -> str:
    """The page's path and query, each typed filter's value left out."""
    query = [
        f"{name}=[search]" if name in TYPED_FILTERS and value else f"{name}={value}"
        for name, value in request.args.items(multi=True)
    ]
    return request.path + ("?" + "&".join(query) if query else "")


def _object(object_type: str | None, object_id):
    """The object the address points at, for its case and meeting (the view loaded it: no query), or None
    for a kind no area registered."""
    from tracker.core.db import db

    model = _MODELS.get(object_type or "")
    return None if model is None or object_id is None else db.session.get(model, object_id)


# The cases shown --------------------------------------------------------------------------------------

# Where an entry keeps the cases its page showed until the entry is flushed (its InstanceState's `info`).
_SHOWN = "cases_shown"


def _own_entry() -> AuditEvent | None:
    """The page's own consultation entry, which its view logged (added as the request commits)."""
    return next((event for event in reversed(g.get("audit_deferred", [])) if event.action == "view"), None)


def _list_cases(entry: AuditEvent | None, case_ids: list[int]) -> None:
    if entry is not None and case_ids:
        sa.inspect(entry).info[_SHOWN] = case_ids


def _write_cases_shown(session: OrmSession, _context) -> None:
    """After a flush: the cases each new entry's page showed, in one INSERT (however many), with the entry."""
    rows = [
        {"audit_event_id": event.id, "case_id": case_id}
        for event in session.new
        if isinstance(event, AuditEvent)
        for case_id in sa.inspect(event).info.pop(_SHOWN, ())
    ]
    if rows:
        session.connection().execute(sa.insert(AuditEventCase.__table__), rows)


def _ask_first(needed: NotYetJustified) -> Response:
    from tracker.core.db import db

    db.session.rollback()  # nothing of the page is kept, nor shown
    return needed.answer
