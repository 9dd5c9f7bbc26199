"""Forms for cases, meetings, agendas, invitations, attendance, the Four Pillars, decisions and actions.

Checks that need only the form's own values live here; checks against the record being changed (the
meeting's date, the case's level) are made by the views through `rules`.

A module per feature: `cases`, `meetings` (scheduling, the agenda, invitations and attendance) and `record`
(the Four Pillars, risk, decisions and actions); `choices` holds the choice lists they share.
"""

from tracker.meetings.forms.cases import CaseEventForm, CaseForm
from tracker.meetings.forms.choices import CASEWORK_ROLES, LEVEL_CHOICES, people_choices
from tracker.meetings.forms.meetings import (
    AgendaItemForm,
    CancelMeetingForm,
    InvitationForm,
    MeetingFilterForm,
    MeetingForm,
    NotDiscussedForm,
    RsvpForm,
    WalkInForm,
    attendance_form_class,
)
from tracker.meetings.forms.record import (
    ActionForm,
    ActionProgressForm,
    ChairProfileForm,
    DecisionForm,
    DropActionForm,
    PillarForm,
    RiskForm,
)

__all__ = [
    "ActionForm",
    "ActionProgressForm",
    "AgendaItemForm",
    "CASEWORK_ROLES",
    "CancelMeetingForm",
    "CaseEventForm",
    "CaseForm",
    "ChairProfileForm",
    "DecisionForm",
    "DropActionForm",
    "InvitationForm",
    "LEVEL_CHOICES",
    "MeetingFilterForm",
    "MeetingForm",
    "NotDiscussedForm",
    "PillarForm",
    "RiskForm",
    "RsvpForm",
    "WalkInForm",
    "attendance_form_class",
    "people_choices",
]
