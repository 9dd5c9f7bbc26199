"""Choice lists the meetings area's forms share: levels, and the people who may be invited, present a
case or own an action."""

from __future__ import annotations

from flask_wtf import FlaskForm
from sqlmodel import col, select

from tracker.auth.models import User, UserRole
from tracker.core.db import db
from tracker.core.fields import ValidationError
from tracker.core.forms import agency_choices
from tracker.core.permissions import ROLE_PERMISSIONS, Permission, Role
from tracker.meetings.models import MEETING_LEVELS

LEVEL_CHOICES = [(level.name, level.label) for level in MEETING_LEVELS]


# The roles whose holders may see case data: only they can be invited, present a case or own an action
# (SMB members and lay advisers see aggregates only; system admins run the system, not cases).
CASEWORK_ROLES = tuple(
    role for role, granted in ROLE_PERMISSIONS.items() if Permission.VIEW_CASE_DATA in granted
)


def people_choices(blank: str, role: Role | None = None, cleared_only: bool = False) -> list[tuple[str, str]]:
    """Active people, with their agency, for a select: those with `role` when given, else everyone whose
    roles let them see case data; with `cleared_only`, only those cleared for Category 4 cases."""
    roles = (role,) if role is not None else CASEWORK_ROLES
    statement = (
        select(User)
        .where(User.active, col(User.id).in_(select(UserRole.user_id).where(col(UserRole.role).in_(roles))))
        .order_by(User.name)
    )
    if cleared_only:
        statement = statement.where(User.terrorism_cleared)
    return [("", blank)] + [(str(u.id), f"{u.name} ({u.agency.name})") for u in db.session.exec(statement)]


def chosen_id(value: str | None) -> int | None:
    return int(value) if value else None


class AgencyAndPersonForm(FlaskForm):
    """A form naming an agency that may hold case records and, optionally, someone who may see case data
    (with `cleared_only`, only those cleared for Category 4 cases): the selects `agency_field` and
    `person_field`, filled when the form is made. A person named must work for the agency named, or the
    person's select says `works_elsewhere`."""

    agency_field = "agency_id"
    person_field = "user_id"
    works_elsewhere = "Select a person who works for the agency"
    # The person's select starts with this choice (no one named), for forms where a person is optional.
    no_one = "No one named"

    def __init__(self, *args, cleared_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self[self.agency_field].choices = agency_choices(include_blank="Select an agency", case_records=True)
        self[self.person_field].choices = people_choices(self.no_one, cleared_only=cleared_only)

    def validate(self, extra_validators=None) -> bool:
        extra = dict(extra_validators or {})
        extra[self.person_field] = [*extra.get(self.person_field, ()), self._works_for_agency]
        return super().validate(extra)

    def _works_for_agency(self, form, person) -> None:
        agency = self[self.agency_field]
        if person.data and agency.data:
            named = db.session.get(User, int(person.data))
            if named is None or str(named.agency_id) != agency.data:
                raise ValidationError(self.works_elsewhere)
