"""The meetings area's pages, one module per feature, all on the one blueprint defined in `common`."""

from tracker.meetings.views import (
    actions,
    agenda,
    cases,
    chairs,
    deferral,
    follow_up,
    invitations,
    meetings,
    reasons,
    record,
)
from tracker.meetings.views.common import bp as bp  # registered in tracker.meetings.register

# Importing each module registers its routes on the blueprint.
_FEATURES = (cases, reasons, meetings, agenda, deferral, invitations, record, actions, chairs, follow_up)
