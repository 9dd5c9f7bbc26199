"""Who approved minutes may go to: the choices offered on the distribution page and those ticked to start
with. The distribution itself is `services.distribute`."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.auth.models import Agency, User
from tracker.core.db import db
from tracker.core.permissions import Permission
from tracker.meetings.models import Action, ActionStatus, AttendanceStatus, Invitation, Meeting


def recipient_choices(meeting: Meeting, agencies: list[Agency]) -> list[tuple[str, str]]:
    """Who the minutes may go to: the people and agencies invited, then every other active agency; never
    an agency that holds no case records (the Board's lay advisers), and never by name someone who may not
    read them or whose account is deactivated (their agency instead). Values are "agency id:person id"
    (person id empty for an agency without a named person)."""
    choices = []
    invited_agencies = set()
    for invitation in sorted(meeting.invitations, key=lambda i: (i.agency.name, i.id)):
        invited_agencies.add(invitation.agency_id)
        if not invitation.agency.sector.holds_case_records:
            continue
        person = named_recipient(invitation.user)
        status = invitation.attendance.label if invitation.attendance else invitation.rsvp.label
        value = _invited_value(invitation)
        if value not in dict(choices):
            who = f"{person.name}, {invitation.agency.name}" if person else invitation.agency.name
            label = f"{who} ({status.lower()})"
            choices.append((value, label if person else f"{label}{_reaches(invitation.agency)}"))
    for agency in agencies:
        if agency.id not in invited_agencies and agency.sector.holds_case_records:
            choices.append((f"{agency.id}:", f"{agency.name}{_reaches(agency)}"))
    return choices


def named_recipient(person: User | None) -> User | None:
    """The person minutes may go to by name: not someone who may not read case records (a Board member
    or lay adviser invited by name), nor someone whose account is deactivated (a leaver, whom nothing
    reaches any more). For either, their agency is the recipient instead."""
    if person is None or not person.active or not person.can(Permission.VIEW_CASE_DATA):
        return None
    return person


def _invited_value(invitation: Invitation) -> str:
    person = named_recipient(invitation.user)
    return f"{invitation.agency_id}:{person.id if person else ''}"


def recipients_to_tick(meeting: Meeting, choices: list[tuple[str, str]]) -> list[str]:
    """The choices ticked to start with, the attending and relevant agencies (`reasons_to_tick`)."""
    return list(reasons_to_tick(meeting, choices))


def reasons_to_tick(meeting: Meeting, choices: list[tuple[str, str]]) -> dict[str, str]:
    """The choices ticked to start with, each with why, the attending and relevant agencies: each
    invitation whose person attended or sent a deputy who did, and, for an agency that owns an action
    agreed at the meeting (or whose deputy attended) but is not ticked yet, that agency. A correction
    also goes to everyone who had the version it replaces (`holders.to_tick`)."""
    attended = [
        invitation
        for invitation in meeting.invitations
        if invitation.attendance is AttendanceStatus.PRESENT
        or (invitation.attendance is AttendanceStatus.APOLOGIES and invitation.deputy_name)
    ]
    why: dict[str, str] = {}
    for invitation in attended:
        present = invitation.attendance is AttendanceStatus.PRESENT
        why.setdefault(_invited_value(invitation), "attended" if present else "sent a deputy, who attended")
    ticked = {value: why[value] for value, _label in choices if value in why}
    owners = set(
        db.session.execute(
            sa.select(Action.owner_agency_id).where(
                Action.agenda_item_id.in_([item.id for item in meeting.agenda_items]),
                Action.status != ActionStatus.REMOVED,
            )
        ).scalars()
    )
    relevant = {*owners, *(i.deputy_agency_id for i in attended if i.deputy_agency_id)}
    covered = {int(value.split(":")[0]) for value in ticked}
    for agency_id in sorted(relevant - covered):
        agency_choices = [value for value, _label in choices if value.startswith(f"{agency_id}:")]
        if agency_choices:
            value = f"{agency_id}:" if f"{agency_id}:" in agency_choices else agency_choices[0]
            ticked[value] = (
                "owns an action agreed at the meeting"
                if agency_id in owners
                else "one of its staff attended as a deputy"
            )
    return ticked


def _reaches(agency: Agency) -> str:
    """Where minutes for an agency with no one named go: shown before they are sent, since an admin sets
    the mailbox."""
    if agency.secure_mailbox:
        return f": a link to its secure mailbox, {agency.secure_mailbox}"
    return ": no secure mailbox, so nothing is sent (send them another way)"
