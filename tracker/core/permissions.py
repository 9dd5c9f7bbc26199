"""Who may do what: roles, the permissions each role grants, and the per-object check.

Every view declares what it needs with `@requires(...)` (or `@public`); a test checks that none forgets.
Whether a person may see one particular object is decided by `can_view(user, obj)`, which each area
extends for its own models, so the lists a person sees and the objects they may open follow one rule.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import singledispatch, wraps
from typing import TYPE_CHECKING, Any

from flask import abort, g, redirect, request, session, url_for

from tracker.core.types import LabelledEnum

if TYPE_CHECKING:
    from tracker.auth.models import User


class Role(LabelledEnum):
    SYSTEM_ADMIN = "System admin"
    COORDINATOR = "MAPPA co-ordinator"
    CHAIR = "Chair"
    ADMINISTRATOR = "MAPPA administrator"
    TRSG = "TRSG member"
    SMB = "SMB member"
    LAY_ADVISER = "Lay adviser"
    PRACTITIONER = "Agency practitioner"


# Roles that must sign in with a second factor.
TWO_FACTOR_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.COORDINATOR})


class Permission(enum.Enum):
    MANAGE_USERS = "manage users"
    MANAGE_AGENCIES = "manage agencies"
    MANAGE_SETTINGS = "manage settings"
    VIEW_AUDIT = "view the audit trail"
    MANAGE_OUTBOX = "see the email outbox and send failed emails again"
    VIEW_CASE_DATA = "see case data (subject to per-object checks)"
    VIEW_ALL_CASES = "see every case and meeting"
    MANAGE_CASES = "create and change cases"
    SCHEDULE_MEETINGS = "schedule meetings and record attendance"
    RUN_MEETINGS = "run the meetings one chairs or supports: agenda, invitations, attendance and record"
    UPDATE_ACTIONS = "mark actions done or dropped (one's own, or on cases one manages)"
    REPLY_TO_INVITATIONS = "reply to an invitation to a meeting"
    EDIT_MINUTES = "draft minutes"
    APPROVE_MINUTES = "approve minutes"
    MANAGE_TRAINING = "manage training"
    VIEW_OWN_TRAINING = "see one's own training record"
    VIEW_TRAINING_OVERVIEW = "see training figures"
    MANAGE_EVALUATIONS = "manage evaluation forms"
    VIEW_REPORTS = "see aggregate reports"
    ENTER_REPORT_FIGURES = "enter annual report figures"
    AUDIT_MEETINGS = "audit meeting quality"
    SCORE_AUDITS = "open and score the meeting audits one is named for"
    GIVE_REASONS = "give the reason for opening a case one has no part in (recorded in the audit trail)"
    EXPORT_AREA = "export the whole area's records"
    IMPORT_CASELOAD = "bring an existing caseload in from a spreadsheet"
    DISCLOSE = "build and issue disclosure packs of a case's records"
    REVIEW_RETENTION = "review records due under the retention rules, retain or dispose of them, hold cases"


_CASEWORK = {
    Permission.VIEW_CASE_DATA,
    Permission.GIVE_REASONS,
    Permission.VIEW_OWN_TRAINING,
    Permission.UPDATE_ACTIONS,
    Permission.REPLY_TO_INVITATIONS,
}

# Permissions that only let a person read: a route that changes anything must declare more than these.
READ_PERMISSIONS = frozenset(
    {
        Permission.VIEW_AUDIT,
        Permission.VIEW_CASE_DATA,
        Permission.VIEW_ALL_CASES,
        Permission.VIEW_OWN_TRAINING,
        Permission.VIEW_TRAINING_OVERVIEW,
        Permission.VIEW_REPORTS,
    }
)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.SYSTEM_ADMIN: frozenset(
        {
            Permission.MANAGE_USERS,
            Permission.MANAGE_AGENCIES,
            Permission.MANAGE_SETTINGS,
            Permission.VIEW_AUDIT,
            Permission.MANAGE_OUTBOX,
            Permission.EXPORT_AREA,
        }
    ),
    Role.COORDINATOR: frozenset(
        _CASEWORK
        | {
            Permission.VIEW_ALL_CASES,
            Permission.MANAGE_CASES,
            Permission.IMPORT_CASELOAD,
            Permission.REVIEW_RETENTION,
            Permission.SCHEDULE_MEETINGS,
            Permission.RUN_MEETINGS,
            Permission.EDIT_MINUTES,
            Permission.VIEW_AUDIT,
            Permission.VIEW_REPORTS,
            Permission.VIEW_TRAINING_OVERVIEW,
            Permission.ENTER_REPORT_FIGURES,
            Permission.AUDIT_MEETINGS,
            Permission.SCORE_AUDITS,
            Permission.DISCLOSE,
        }
    ),
    Role.CHAIR: frozenset(
        _CASEWORK
        | {
            Permission.SCORE_AUDITS,
            Permission.MANAGE_CASES,
            Permission.RUN_MEETINGS,
            Permission.EDIT_MINUTES,
            Permission.APPROVE_MINUTES,
        }
    ),
    Role.ADMINISTRATOR: frozenset(
        _CASEWORK
        | {
            Permission.MANAGE_CASES,
            Permission.SCHEDULE_MEETINGS,
            Permission.RUN_MEETINGS,
            Permission.EDIT_MINUTES,
        }
    ),
    Role.TRSG: frozenset(
        {
            Permission.MANAGE_TRAINING,
            Permission.MANAGE_EVALUATIONS,
            Permission.VIEW_TRAINING_OVERVIEW,
            Permission.VIEW_OWN_TRAINING,
        }
    ),
    Role.SMB: frozenset({Permission.VIEW_REPORTS, Permission.VIEW_TRAINING_OVERVIEW}),
    Role.LAY_ADVISER: frozenset({Permission.VIEW_REPORTS, Permission.VIEW_TRAINING_OVERVIEW}),
    Role.PRACTITIONER: frozenset(_CASEWORK),
}


def permissions_for(roles: set[Role]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)


def current_user() -> User | None:
    return g.get("user")


def requires(*needed: Permission) -> Callable:
    """Refuse the view unless someone is signed in and holds every permission named (none: just signed in)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any):
            user = current_user()
            if user is None:
                if request.method == "GET":
                    session["next_url"] = request.full_path.rstrip("?")
                return redirect(url_for("auth.sign_in"))
            if not all(user.can(permission) for permission in needed):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_permissions = needed  # type: ignore[attr-defined]
        return wrapped

    return decorator


def public(view: Callable) -> Callable:
    """Mark a view that anyone may open, signed in or not."""
    view.required_permissions = None  # type: ignore[attr-defined]
    return view


@singledispatch
def _can_view(obj: Any, user: User) -> bool:
    raise TypeError(f"no access rule for {type(obj).__name__}")


def can_view(user: User | None, obj: Any) -> bool:
    """Whether this person may see this object. Areas add a rule per model in their `register(app)`:
    `can_view.register(Model, rule)`."""
    if user is None or obj is None:
        return False
    return _can_view(obj, user)


can_view.register = _can_view.register  # type: ignore[attr-defined]


def get_visible_or_404(model: type, object_id: int, options=()) -> Any:
    """Load an object the current user may see (with the loader `options` given), or answer 404 (never
    revealing that it exists)."""
    from tracker.core.db import db

    obj = db.session.get(model, object_id, options=list(options) or None)
    if obj is None or not can_view(current_user(), obj):
        abort(404)
    return obj
