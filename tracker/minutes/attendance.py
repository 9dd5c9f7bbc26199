"""What the minutes record of who attended: each agency invited with who came (a walk-in with their role, a
deputy with their agency), the agencies absent, and the Responsible Authority agencies not represented."""

from __future__ import annotations

from tracker.meetings import rules as meeting_rules
from tracker.meetings.models import AgendaItem, AttendanceStatus, CaseStatus, Meeting
from tracker.minutes.document import AttendanceRecord


def recorded(meeting: Meeting) -> list[AttendanceRecord]:
    return [
        AttendanceRecord(
            agency=invitation.agency.name,
            # A walk-in is named with their role; a deputy from another agency with that agency.
            name=_attendee(invitation),
            status=invitation.attendance.name if invitation.attendance else "",
            deputy=_deputy(invitation),
        )
        for invitation in sorted(meeting.invitations, key=lambda i: (i.agency.name, i.id))
    ]


def absent(meeting: Meeting) -> list[str]:
    missed = (AttendanceStatus.ABSENT, AttendanceStatus.APOLOGIES)
    return sorted(
        {i.agency.name for i in meeting.invitations if i.attendance in missed and not i.deputy_name.strip()}
    )


def _attendee(invitation) -> str:
    if not invitation.walk_in:
        return invitation.who  # the person invited, or who came from an agency invited as such
    return f"{invitation.attendee_name} ({invitation.attendee_role or 'no role given'}, walked in)"


def _deputy(invitation) -> str:
    if not invitation.deputy_name or invitation.deputy_agency is None:
        return invitation.deputy_name
    return f"{invitation.deputy_name} ({invitation.deputy_agency.name})"


def ra_not_represented(meeting: Meeting, items: list[AgendaItem]) -> list[str]:
    """The Responsible Authority agencies expected and not represented, as the meeting's page works them
    out (`queries.meeting_warnings`) once attendance is recorded: Prisons are expected when a person
    discussed (among `items`) is in custody, and a deputy from another agency represents their own
    agency."""
    if meeting.imported:  # the area's records brought in do not say who attended
        return []
    from tracker.meetings.queries import represented_sector

    in_custody = any(item.case.status is CaseStatus.IN_CUSTODY for item in items)
    represented = [
        represented_sector(invitation)
        for invitation in meeting.invitations
        # What the minutes record is who attended: an agency invited whose attendance is not recorded was
        # not (yet) recorded as there, whatever it replied.
        if meeting_rules.represented_at_meeting(invitation.attendance, invitation.deputy_name)
    ]
    missing = meeting_rules.missing_ra_sectors(meeting_rules.required_ra_sectors(in_custody), represented)
    return [sector.name for sector in missing]
