"""Warnings on the meeting page: a chair not trained, responsible authority agencies not invited."""

from __future__ import annotations

from tracker.meetings import chairing, rules
from tracker.meetings.models import (
    AgendaItem,
    AttendanceStatus,
    CaseStatus,
    Invitation,
    Meeting,
    MeetingStatus,
)
from tracker.meetings.queries.chairs import chair_standings

# Warnings on the meeting page ----------------------------------------------------------------------


def represented_sector(invitation: Invitation):
    """The sector an invitation represents: a deputy's own agency's when a deputy from another agency went
    in the invited person's place, else the invited agency's (walk-ins count as present for theirs)."""
    deputised = invitation.attendance is not AttendanceStatus.PRESENT and invitation.deputy_name.strip()
    if deputised and invitation.deputy_agency is not None:
        return invitation.deputy_agency.sector
    return invitation.agency.sector


def meeting_warnings(meeting: Meeting, items: list[AgendaItem] | None = None) -> list[str]:
    """What the chair and administrator should put right before the meeting: a chair who has left (their
    account deactivated), a Responsible Authority agency not represented, and a chair not trained, with
    lapsed CPD, or not cleared for this level.
    The meeting's agenda items and invitations must be loaded; `items`, when given, are the ones the reader
    sees (a Category 4 case in custody must not show itself through the Prison Service warning)."""
    if meeting.imported:  # brought in from the area's records, which hold no attendance or chair's training
        return []
    items = meeting.agenda_items if items is None else items
    in_custody = any(item.case.status is CaseStatus.IN_CUSTODY for item in items)
    represented = [
        represented_sector(invitation)
        for invitation in meeting.invitations
        if rules.represents(invitation.rsvp, invitation.attendance, invitation.deputy_name)
    ]
    warnings = [
        f"{sector.label} {'is' if meeting.status is MeetingStatus.SCHEDULED else 'was'} not represented: "
        "the Responsible Authority agencies are expected at every meeting"
        for sector in rules.missing_ra_sectors(rules.required_ra_sectors(in_custody), represented)
    ]
    if meeting.status is MeetingStatus.SCHEDULED and not meeting.chair.active:
        warnings.insert(0, f"{meeting.chair.name}'s account is deactivated: choose another chair")
    standing = chair_standings([meeting.chair_id])[meeting.chair_id]
    warnings += chairing.chair_warnings(
        chair_name=meeting.chair.name,
        level=meeting.level,
        trained=standing.trained,
        cpd_current=standing.cpd_current,
        may_chair=None if standing.levels is None else meeting.level in standing.levels,
    )
    return warnings
