"""Access to cases, meetings, agendas, attendance, the Four Pillars record, actions and chair records.

The world's chair chairs the meeting, its administrator supports it and its practitioner is invited and
owns an action, so each of them really is allowed; the co-ordinator sees everything. POSTs are chosen to
leave the objects in place for the next role (an item with an action cannot be removed, nor an invitation
whose attendance is recorded).
"""

from tests.access_cases import CASEWORK, Case, World, get_and_post, post
from tracker.auth.models import AgencySector
from tracker.core.timeutil import today_london
from tracker.meetings.models import AttendanceStatus

MANAGERS = frozenset({"COORDINATOR", "CHAIR", "ADMINISTRATOR"})
SCHEDULERS = frozenset({"COORDINATOR", "ADMINISTRATOR"})
RUNNERS = MANAGERS
INVITEE = frozenset({"PRACTITIONER"})
COORDINATOR = frozenset({"COORDINATOR"})


def build(world: World, factory) -> None:
    case = factory.case()
    meeting = factory.meeting(chair=world.users["CHAIR"], administrator=world.users["ADMINISTRATOR"])
    item = factory.agenda_item(meeting, case)
    invitation = factory.invitation(meeting, world.users["PRACTITIONER"])
    recorded = factory.invitation(
        meeting,
        agency=factory.agency("Access Probation", AgencySector.PROBATION),
        attendance=AttendanceStatus.PRESENT,
    )
    world.objects.update(
        case=case,
        meeting=meeting,
        item=item,
        recorded_invitation=recorded,
        invitation=invitation,
        # Nothing recorded about it, so those who may remove it are asked (nobody posts its removal).
        removable_item=factory.agenda_item(meeting, factory.case()),
        action=factory.action(item, owner=world.users["PRACTITIONER"]),
    )
    # Attendance is recorded from the day of the meeting: its pages are tried on a meeting held today.
    today = factory.meeting(
        chair=world.users["CHAIR"], administrator=world.users["ADMINISTRATOR"], day=today_london()
    )
    factory.agenda_item(today, factory.case())
    factory.invitation(today, agency=factory.agency("Access Police Today", AgencySector.POLICE))
    world.objects.update(meeting_today=today)
    _build_audited(world, factory)


def _build_audited(world: World, factory) -> None:
    """A meeting someone else chairs, with a case, an action, an invitation and attendance recorded, and
    a chair named to audit it (audit open): he may read it, and change nothing on it."""
    from tracker.reports.models import MeetingAudit

    audited = factory.meeting(chair=factory.user("CHAIR"))
    audited_item = factory.agenda_item(audited, factory.case())
    auditor = factory.user("CHAIR", name="Access Auditor")
    factory.save(MeetingAudit(meeting_id=audited.id, auditor_id=auditor.id))
    world.objects.update(
        audited=audited,
        audited_item=audited_item,
        # Nothing recorded about it: the co-ordinator, who may remove it, is asked (nobody posts it).
        audited_removable_item=factory.agenda_item(audited, factory.case()),
        audited_action=factory.action(audited_item),
        audited_invitation=factory.invitation(
            audited, agency=factory.agency("Audited Police", AgencySector.POLICE)
        ),
        auditor=auditor,
    )


def _meeting(path: str = ""):
    return lambda w: f"/meetings/{w.meeting.id}{path}"


def _item(path: str = ""):
    return lambda w: f"/meetings/{w.meeting.id}/agenda/{w.item.id}{path}"


CASES = [
    Case("meetings.case_list", "/cases", CASEWORK),
    *get_and_post("meetings.case_new", "/cases/new", MANAGERS, data={}),
    Case("meetings.case_view", lambda w: f"/cases/{w.case.id}", CASEWORK),
    Case("meetings.case_edit", lambda w: f"/cases/{w.case.id}/edit", MANAGERS),
    # The question asked before a case opens for someone with no part in it (section 62 logging).
    *get_and_post(
        "meetings.case_reason",
        lambda w: f"/cases/{w.case.id}/reason",
        CASEWORK,
        data={"reason": "Preparing a referral or meeting"},
    ),
    Case("meetings.case_event_new", lambda w: f"/cases/{w.case.id}/events/new", MANAGERS),
    Case("meetings.meeting_list", "/meetings", CASEWORK),
    Case("meetings.meeting_new", "/meetings/new", SCHEDULERS),
    Case("meetings.meeting_view", _meeting(), CASEWORK),
    Case("meetings.meeting_calendar", _meeting("/calendar.ics"), CASEWORK),
    Case("meetings.meeting_edit", _meeting("/edit"), RUNNERS),
    *get_and_post("meetings.meeting_cancel", _meeting("/cancel"), RUNNERS, data={}),
    post("meetings.meeting_held", _meeting("/held"), RUNNERS),
    Case("meetings.agenda_item_new", _meeting("/agenda/new"), RUNNERS),
    Case("meetings.agenda_item_edit", _item("/edit"), RUNNERS),
    post("meetings.agenda_item_move", _item("/move"), RUNNERS, data={"direction": "up"}),
    # Removing asks first (GET), on the same check of the person and the object as the removal (POST).
    Case(
        "meetings.agenda_item_remove",
        lambda w: f"/meetings/{w.meeting.id}/agenda/{w.removable_item.id}/remove",
        RUNNERS,
    ),
    post("meetings.agenda_item_remove", _item("/remove"), RUNNERS),
    # On a meeting someone else chairs and administers, only the co-ordinator runs it.
    Case(
        "meetings.agenda_item_remove",
        lambda w: f"/meetings/{w.audited.id}/agenda/{w.audited_removable_item.id}/remove",
        COORDINATOR,
    ),
    Case("meetings.agenda_item_view", _item(), CASEWORK),
    # Marking a case not discussed (a POST without a reason changes nothing), and undoing it (the item is
    # not marked, so nothing changes either).
    *get_and_post("meetings.agenda_item_not_discussed", _item("/not-discussed"), RUNNERS, data={}),
    post("meetings.agenda_item_not_discussed_undo", _item("/not-discussed/undo"), RUNNERS),
    Case("meetings.invitation_new", _meeting("/invitations/new"), RUNNERS),
    Case(
        "meetings.invitation_remove",
        lambda w: f"/meetings/{w.meeting.id}/invitations/{w.invitation.id}/remove",
        RUNNERS,
    ),
    post(
        "meetings.invitation_remove",
        lambda w: f"/meetings/{w.meeting.id}/invitations/{w.recorded_invitation.id}/remove",
        RUNNERS,
    ),
    Case(
        "meetings.invitation_remove",
        lambda w: f"/meetings/{w.audited.id}/invitations/{w.audited_invitation.id}/remove",
        COORDINATOR,
    ),
    Case("meetings.meeting_rsvp", _meeting("/reply"), INVITEE),
    Case("meetings.attendance", lambda w: f"/meetings/{w.meeting_today.id}/attendance", RUNNERS),
    Case("meetings.walk_in", lambda w: f"/meetings/{w.meeting_today.id}/attendance/walk-in", RUNNERS),
    Case("meetings.pillar_edit", _item("/pillars/supervision"), RUNNERS),
    Case("meetings.risk_edit", _item("/risk"), RUNNERS),
    post("meetings.plan_part_confirm", _item("/plan/supervision/confirm"), RUNNERS),
    Case("meetings.decision_edit", _item("/decision"), RUNNERS),
    Case("meetings.action_new", _item("/actions/new"), RUNNERS),
    Case("meetings.action_edit", lambda w: f"/meetings/{w.meeting.id}/agenda/{w.item.id}/actions/{w.action.id}/edit", RUNNERS),
    post(
        "meetings.action_remove",
        lambda w: f"/meetings/{w.meeting.id}/agenda/{w.item.id}/actions/{w.action.id}/remove",
        RUNNERS,
    ),
    Case("meetings.action_progress", lambda w: f"/actions/{w.action.id}/progress", CASEWORK),
    Case("meetings.action_list", "/actions", CASEWORK),
    post("meetings.action_complete", lambda w: f"/actions/{w.action.id}/complete", CASEWORK),
    Case("meetings.action_drop", lambda w: f"/actions/{w.action.id}/drop", CASEWORK),
    Case("meetings.chair_list", "/chairs", COORDINATOR),
    Case("meetings.chair_edit", lambda w: f"/chairs/{w.users['CHAIR'].id}", COORDINATOR),
]


# Every write the meetings area offers, aimed at the audited meeting's objects: its auditor must be
# refused each (tests/test_access.py checks that every POST route of the area is here).
def _audited_case(path: str):
    return lambda w: f"/cases/{w.audited_item.case_id}{path}"


def _audited(path: str = ""):
    return lambda w: f"/meetings/{w.audited.id}{path}"


def _audited_item(path: str = ""):
    return lambda w: f"/meetings/{w.audited.id}/agenda/{w.audited_item.id}{path}"


def _write(endpoint: str, url, **kwargs) -> Case:
    """A POST to the audited meeting's objects that no role is allowed, its auditor included."""
    return post(endpoint, url, frozenset(), **kwargs)


AUDITOR_WRITES = [
    _write("meetings.case_edit", _audited_case("/edit")),
    _write("meetings.case_event_new", _audited_case("/events/new")),
    _write("meetings.meeting_edit", _audited("/edit")),
    _write("meetings.meeting_cancel", _audited("/cancel")),
    _write("meetings.meeting_held", _audited("/held")),
    _write(
        "meetings.agenda_item_new",
        _audited("/agenda/new"),
        data=lambda w: {"case_reference": w.case.reference, "purpose": "REVIEW"},
    ),
    _write("meetings.agenda_item_edit", _audited_item("/edit")),
    _write("meetings.agenda_item_move", _audited_item("/move"), data={"direction": "up"}),
    _write("meetings.agenda_item_not_discussed", _audited_item("/not-discussed"), data={"reason": "Not reached"}),
    _write("meetings.agenda_item_not_discussed_undo", _audited_item("/not-discussed/undo")),
    # The page asking why is refused him too (GET).
    Case("meetings.agenda_item_not_discussed", _audited_item("/not-discussed"), frozenset()),
    _write("meetings.agenda_item_remove", _audited_item("/remove")),
    _write("meetings.invitation_new", _audited("/invitations/new")),
    _write(
        "meetings.invitation_remove",
        lambda w: f"/meetings/{w.audited.id}/invitations/{w.audited_invitation.id}/remove",
    ),
    # The pages asking before a removal are refused him too (GET).
    Case("meetings.agenda_item_remove", _audited_item("/remove"), frozenset()),
    Case(
        "meetings.invitation_remove",
        lambda w: f"/meetings/{w.audited.id}/invitations/{w.audited_invitation.id}/remove",
        frozenset(),
    ),
    _write("meetings.meeting_rsvp", _audited("/reply"), data={"answer": "ACCEPTED"}),
    _write("meetings.attendance", _audited("/attendance")),
    _write("meetings.walk_in", _audited("/attendance/walk-in")),
    _write("meetings.pillar_edit", _audited_item("/pillars/supervision")),
    _write("meetings.risk_edit", _audited_item("/risk")),
    _write("meetings.decision_edit", _audited_item("/decision")),
    _write("meetings.action_new", _audited_item("/actions/new")),
    _write("meetings.plan_part_confirm", _audited_item("/plan/supervision/confirm")),
    _write(
        "meetings.action_edit",
        lambda w: f"/meetings/{w.audited.id}/agenda/{w.audited_item.id}/actions/{w.audited_action.id}/edit",
    ),
    _write(
        "meetings.action_remove",
        lambda w: f"/meetings/{w.audited.id}/agenda/{w.audited_item.id}/actions/{w.audited_action.id}/remove",
    ),
    _write(
        "meetings.action_progress",
        lambda w: f"/actions/{w.audited_action.id}/progress",
        data=lambda w: {"progress_note": "Under way", "version": str(w.audited_action.version)},
    ),
    _write("meetings.action_complete", lambda w: f"/actions/{w.audited_action.id}/complete"),
    _write(
        "meetings.action_drop",
        lambda w: f"/actions/{w.audited_action.id}/drop",
        data=lambda w: {"reason": "Not needed", "version": str(w.audited_action.version)},
    ),
]
# Writes that are not about any one meeting: referring a case, scheduling, chair records.
NOT_ABOUT_A_MEETING = {
    "meetings.case_new",
    "meetings.case_reason",  # writes only the audit trail: a reason for reading, never a change
    "meetings.meeting_new",
    "meetings.chair_edit",
    "meetings.email_preferences",
}
