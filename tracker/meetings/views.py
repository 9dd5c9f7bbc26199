"""Pages for cases, meetings, agendas, attendance, the Four Pillars record, actions and chair records."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.auth.forms import ConfirmForm
from tracker.auth.models import User, UserRole
from tracker.core import audit, locking
from tracker.core.db import db
from tracker.core.fields import DateField, optional
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, Role, get_visible_or_404, requires
from tracker.core.timeutil import london, today_london
from tracker.core.types import utcnow
from tracker.meetings import access, dashboard, freeze, ics, plan, queries, rules, services, timeline
from tracker.meetings.forms import (
    RISK_FIELDS,
    ActionForm,
    AgendaItemForm,
    CancelMeetingForm,
    CaseEventForm,
    CaseForm,
    ChairProfileForm,
    DecisionForm,
    DropActionForm,
    InvitationForm,
    MeetingForm,
    PillarForm,
    RiskForm,
    RsvpForm,
    attendance_form_class,
)
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaPurpose,
    AttendanceStatus,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Category,
    ChairProfile,
    Imminence,
    Invitation,
    Level,
    LevelDecision,
    Meeting,
    MeetingStatus,
    MeetingType,
    Pillar,
    PillarStatus,
    PlanPartKind,
    RiskLevel,
    Rsvp,
)

bp = Blueprint("meetings", __name__)
bp.record_once(lambda state: freeze.init_app(state.app))

__all__ = ["bp", "dashboard"]  # the dashboard panel registers itself on import


def _conflict(form, field_name: str, what: str):
    getattr(form, field_name).errors = [locking.conflict_message(what)]
    return 409


def _add_problem(field, problem: str | None) -> bool:
    """Show a rule's problem beside the form's own errors, so that a person sees every problem at once;
    True when there was one."""
    if problem:
        field.errors = [*field.errors, problem]
    return bool(problem)


# Cases ---------------------------------------------------------------------------------------------


@bp.route("/cases")
@requires(Permission.VIEW_CASE_DATA)
def case_list():
    today = today_london()
    page = paginate(queries.case_list_statement(g.user, request.args, today))
    return render_template(
        "meetings/case_list.html",
        page=page,
        args=request.args,
        boroughs=[(b, b) for b in queries.boroughs(g.user)],
        levels=[(level.name, level.label) for level in Level],
        categories=[c for c in Category.choices() if c[0] != "CATEGORY_4" or g.user.terrorism_cleared],
        statuses=[(queries.ALL_STATUSES, "Any status, exited included"), *CaseStatus.choices()],
        reviews=list(queries.REVIEW_FILTERS.items()),
        due={case.id: queries.case_review_due(case) for case in page.items},
        today=today,
        soon=rules.due_soon_days(),
        rules=rules,
    )


@bp.route("/cases/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_CASES)
def case_new():
    form = CaseForm(may_see_category_4=g.user.terrorism_cleared)
    if form.validate_on_submit():
        case = Case()
        form.apply_to(case)
        services.refer_case(case, Level[form.level.data], g.user)
        flash(f"Case {case.reference} referred.", "success")
        return redirect(url_for("meetings.case_view", case_id=case.id))
    return render_template("meetings/case_form.html", form=form, case=None)


@bp.route("/cases/<int:case_id>")
@requires(Permission.VIEW_CASE_DATA)
def case_view(case_id: int):
    case = get_visible_or_404(Case, case_id)
    audit.record("view", case)
    events = db.session.exec(
        select(CaseEvent)
        .where(CaseEvent.case_id == case.id)
        .order_by(col(CaseEvent.occurred_on).desc(), col(CaseEvent.id).desc())
        .options(selectinload(CaseEvent.recorded_by))
    ).all()
    items = db.session.exec(
        select(AgendaItem)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaItem.case_id == case.id, access.meeting_condition(g.user))
        .order_by(col(Meeting.starts_at).desc())
        .options(selectinload(AgendaItem.meeting))
    ).all()
    actions = db.session.exec(
        select(Action)
        .where(Action.case_id == case.id)
        .order_by(Action.status, Action.due_on)
        .options(selectinload(Action.owner), selectinload(Action.owner_agency))
    ).all()
    return render_template(
        "meetings/case_view.html",
        case=case,
        events=events,
        items=items,
        actions=actions,
        due=queries.case_review_due(case),
        today=today_london(),
        soon=rules.due_soon_days(),
        rules=rules,
        may_manage=g.user.can(Permission.MANAGE_CASES),
        may_schedule=g.user.can(Permission.SCHEDULE_MEETINGS),
    )


@bp.route("/cases/<int:case_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_CASES)
def case_edit(case_id: int):
    case = get_visible_or_404(Case, case_id)
    form = CaseForm(obj=case, editing=case, may_see_category_4=g.user.terrorism_cleared)
    del form.level  # the level changes through a level decision or a recorded level change
    status = 200
    if request.method == "GET":
        form.category.data = case.category.name
        form.lead_agency_id.data = str(case.lead_agency_id)
        form.lead_officer_id.data = str(case.lead_officer_id or "")
        form.version.data = case.version
    elif form.validate_on_submit():
        if locking.claim(case, form.version.data):
            form.apply_to(case)
            flash(f"Changes to {case.reference} saved.", "success")
            return redirect(url_for("meetings.case_view", case_id=case.id))
        status = _conflict(form, "reference", "case")
    return render_template("meetings/case_form.html", form=form, case=case), status


@bp.route("/cases/<int:case_id>/events/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_CASES)
def case_event_new(case_id: int):
    case = get_visible_or_404(Case, case_id)
    form = CaseEventForm()
    if form.validate_on_submit():
        new_level = Level[form.new_level.data] if form.new_level.data else None
        kind = CaseEventKind[form.kind.data]
        try:
            services.record_case_event(case, kind, form.occurred_on.data, new_level, form.reason.data, g.user)
        except ValueError as problem:
            form.kind.errors = [str(problem)]
        else:
            flash(f"{kind.label} recorded for {case.reference}.", "success")
            return redirect(url_for("meetings.case_view", case_id=case.id))
    return render_template("meetings/case_event_form.html", form=form, case=case)


# Meetings ------------------------------------------------------------------------------------------


class _DateRange:
    """The meeting list's date filter, read from the query string."""

    def __init__(self, args):
        from wtforms import Form

        class RangeForm(Form):
            date_from = DateField("From", validators=[optional()])
            date_to = DateField("To", validators=[optional()])

        self.form = RangeForm(args)
        self.form.validate()
        self.start = self.form.date_from.data
        self.end = self.form.date_to.data


@bp.route("/meetings")
@requires(Permission.VIEW_CASE_DATA)
def meeting_list():
    dates = _DateRange(request.args)
    page = paginate(queries.meeting_list_statement(g.user, request.args, dates.start, dates.end))
    chairs = db.session.exec(
        select(User)
        .where(col(User.id).in_(select(UserRole.user_id).where(UserRole.role == Role.CHAIR)))
        .order_by(User.name)
    ).all()
    return render_template(
        "meetings/meeting_list.html",
        page=page,
        args=request.args,
        dates=dates.form,
        counts=queries.agenda_counts([m.id for m in page.items], g.user),
        levels=[(level.name, level.label) for level in (Level.LEVEL_2, Level.LEVEL_3)],
        statuses=MeetingStatus.choices(),
        chairs=[(str(c.id), c.name) for c in chairs],
        may_schedule=g.user.can(Permission.SCHEDULE_MEETINGS),
    )


@bp.route("/meetings/new", methods=["GET", "POST"])
@requires(Permission.SCHEDULE_MEETINGS)
def meeting_new():
    form = MeetingForm()
    if request.method == "GET":
        form.administrator_id.data = str(g.user.id) if g.user.has_role(Role.ADMINISTRATOR) else ""
    if _meeting_form_valid(form, new=True):
        meeting = Meeting(
            level=Level[form.level.data],
            meeting_type=MeetingType[form.meeting_type.data],
            venue=form.venue.data or "",
            online_link=form.online_link.data or "",
            chair_id=int(form.chair_id.data),
            administrator_id=int(form.administrator_id.data) if form.administrator_id.data else None,
        )
        services.set_meeting_times(meeting, form.day.data, form.start_time.data, form.end_time.data)
        services.schedule_meeting(meeting)
        flash(f"Meeting {meeting.reference} scheduled. Now add the cases to its agenda.", "success")
        return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
    return render_template("meetings/meeting_form.html", form=form, meeting=None)


def _closed(meeting: Meeting, *, open_to=(MeetingStatus.SCHEDULED,)):
    """A redirect back to the meeting, with the reason, when its status no longer allows this change."""
    if meeting.status in open_to:
        return None
    flash(f"This meeting is {meeting.status.label.lower()}, so this can no longer be changed.", "important")
    return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))


def _meeting_form_valid(form: MeetingForm, *, new: bool) -> bool:
    """The form's own checks and the date rule together (a new or moved meeting is not in the past)."""
    valid = form.validate_on_submit()
    if not form.is_submitted() or form.day.data is None:
        return valid
    return (
        not _add_problem(form.day, rules.meeting_day_problem(form.day.data, today_london(), new=new))
        and valid
    )


def _meeting(meeting_id: int, run: bool = False) -> Meeting:
    """The meeting if this person may see it (404 otherwise); with `run`, only if they run it (403)."""
    meeting = get_visible_or_404(Meeting, meeting_id)
    if run and not access.can_run(g.user, meeting):
        abort(403)
    return meeting


def _load_meeting_page(meeting_id: int) -> Meeting:
    """The meeting with everything its page shows, in a fixed number of queries."""
    meeting = db.session.exec(
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.chair),
            selectinload(Meeting.administrator),
            selectinload(Meeting.agenda_items).selectinload(AgendaItem.case),
            selectinload(Meeting.agenda_items).selectinload(AgendaItem.presenting_officer),
            selectinload(Meeting.agenda_items).selectinload(AgendaItem.pillar_entries),
            selectinload(Meeting.invitations).selectinload(Invitation.agency),
            selectinload(Meeting.invitations).selectinload(Invitation.user),
        )
    ).one()
    return meeting


@bp.route("/meetings/<int:meeting_id>")
@requires(Permission.VIEW_CASE_DATA)
def meeting_view(meeting_id: int):
    meeting = _meeting(meeting_id)
    meeting = _load_meeting_page(meeting_id)
    audit.record("view", meeting)
    items = [item for item in meeting.agenda_items if g.user.terrorism_cleared or not item.case.is_category_4]
    my_invitation = next((i for i in meeting.invitations if i.user_id == g.user.id), None)
    return render_template(
        "meetings/meeting_view.html",
        meeting=meeting,
        items=items,
        open_actions=services.open_actions_by_case(
            [item.case_id for item in items], before=meeting.starts_at
        ),
        warnings=queries.meeting_warnings(meeting),
        may_run=access.can_run(g.user, meeting),
        record_open=freeze.is_open(meeting),
        my_invitation=my_invitation,
        confirm=ConfirmForm(),
        meeting_day=london(meeting.starts_at).date(),
        minutes_due=rules.minutes_due_on(london(meeting.starts_at).date(), rules.minutes_working_days()),
        today=today_london(),
    )


@bp.route("/meetings/<int:meeting_id>/calendar.ics")
@requires(Permission.VIEW_CASE_DATA)
def meeting_calendar(meeting_id: int):
    meeting = _meeting(meeting_id)
    audit.record("export", meeting, summary="calendar file")
    return ics.download(meeting)


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA)
def meeting_edit(meeting_id: int):
    meeting = _meeting(meeting_id, run=True)
    if closed := _closed(meeting):
        return closed
    form = MeetingForm(obj=meeting)
    status = 200
    if request.method == "GET":
        start = london(meeting.starts_at)
        form.level.data, form.meeting_type.data = meeting.level.name, meeting.meeting_type.name
        form.day.data, form.start_time.data = start.date(), start.time()
        form.end_time.data = london(meeting.ends_at).time()
        form.chair_id.data = str(meeting.chair_id)
        form.administrator_id.data = str(meeting.administrator_id or "")
        form.version.data = meeting.version
    elif _meeting_form_valid(form, new=form.day.data != london(meeting.starts_at).date()):
        if not locking.claim(meeting, form.version.data):
            status = _conflict(form, "day", "meeting")
        else:
            _apply_meeting_form(form, meeting)
            flash(f"Changes to {meeting.reference} saved.", "success")
            return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
    return render_template("meetings/meeting_form.html", form=form, meeting=meeting), status


def _apply_meeting_form(form: MeetingForm, meeting: Meeting) -> None:
    meeting.level = Level[form.level.data]
    meeting.meeting_type = MeetingType[form.meeting_type.data]
    meeting.venue = form.venue.data or ""
    meeting.online_link = form.online_link.data or ""
    meeting.chair_id = int(form.chair_id.data)
    meeting.administrator_id = int(form.administrator_id.data) if form.administrator_id.data else None
    services.set_meeting_times(meeting, form.day.data, form.start_time.data, form.end_time.data)
    services.update_meeting(meeting)


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA)
def meeting_cancel(meeting_id: int):
    meeting = _meeting(meeting_id, run=True)
    form = CancelMeetingForm()
    status = 200
    if request.method == "GET":
        form.version.data = meeting.version
    elif meeting.status is not MeetingStatus.SCHEDULED:
        form.reason.errors = [
            f"This meeting is {meeting.status.label.lower()}: only a scheduled meeting can be cancelled"
        ]
    elif form.validate_on_submit():
        if locking.claim(meeting, form.version.data):
            services.cancel_meeting(meeting, form.reason.data)
            flash(f"Meeting {meeting.reference} cancelled.", "success")
            return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
        status = _conflict(form, "reason", "meeting")
    return render_template("meetings/meeting_cancel.html", form=form, meeting=meeting), status


@bp.route("/meetings/<int:meeting_id>/held", methods=["POST"])
@requires(Permission.VIEW_CASE_DATA)
def meeting_held(meeting_id: int):
    meeting = _meeting(meeting_id, run=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if meeting.status is MeetingStatus.SCHEDULED and london(meeting.starts_at).date() <= today_london():
        services.mark_held(meeting)
        flash(f"Meeting {meeting.reference} recorded as held.", "success")
    elif meeting.status is MeetingStatus.SCHEDULED:
        flash("A meeting can be recorded as held only on or after its date.", "important")
    return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))


# Agenda --------------------------------------------------------------------------------------------


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting.id:
        abort(404)
    return get_visible_or_404(AgendaItem, item.id)


@bp.route("/meetings/<int:meeting_id>/agenda/new", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA)
def agenda_item_new(meeting_id: int):
    meeting = _meeting(meeting_id, run=True)
    form = AgendaItemForm(adding=True)
    if request.method == "GET":
        form.purpose.data = (
            AgendaPurpose.INITIAL.name
            if meeting.meeting_type is MeetingType.INITIAL
            else AgendaPurpose.REVIEW.name
        )
        form.case_reference.data = request.args.get("case", "")
    _describe_slot(form, meeting)
    if _slot_valid(form, meeting):
        case = services.find_case_for_agenda(form.case_reference.data, g.user.terrorism_cleared)
        if case is None:
            form.case_reference.errors = ["There is no case with this MAPPA reference"]
        elif any(item.case_id == case.id for item in meeting.agenda_items):
            form.case_reference.errors = [f"{case.reference} is already on this agenda"]
        elif meeting.status is not MeetingStatus.SCHEDULED:
            form.case_reference.errors = ["Cases can be added only to a scheduled meeting"]
        else:
            item = services.add_agenda_item(meeting, case, AgendaPurpose[form.purpose.data])
            _apply_item_form(form, meeting, item)
            flash(f"{case.reference} added to the agenda.", "success")
            return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
    return render_template("meetings/agenda_item_form.html", form=form, meeting=meeting, item=None)


def _describe_slot(form: AgendaItemForm, meeting: Meeting) -> None:
    form.slot_start.description = (
        f"The meeting runs from {london(meeting.starts_at):%H:%M} to {london(meeting.ends_at):%H:%M}."
    )


def _slot_valid(form: AgendaItemForm, meeting: Meeting) -> bool:
    """The form's own checks, and the time slot within the meeting."""
    valid = form.validate_on_submit()
    if not form.is_submitted():
        return valid
    times = london(meeting.starts_at).time(), london(meeting.ends_at).time()
    starts, ends = form.slot_start.data, form.slot_end.data
    if _add_problem(form.slot_start, starts and rules.slot_problem(starts, None, *times)):
        return False
    if not form.slot_end.errors and _add_problem(
        form.slot_end, ends and rules.slot_problem(None, ends, *times)
    ):
        return False
    return valid


def _apply_item_form(form: AgendaItemForm, meeting: Meeting, item: AgendaItem) -> None:
    item.purpose = AgendaPurpose[form.purpose.data]
    item.slot_starts_at, item.slot_ends_at = services.slot_times(
        meeting, form.slot_start.data, form.slot_end.data
    )
    item.presenting_officer_id = (
        int(form.presenting_officer_id.data) if form.presenting_officer_id.data else None
    )


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA)
def agenda_item_edit(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id, run=True)
    if closed := _closed(meeting):
        return closed
    item = _item(meeting, item_id)
    form = AgendaItemForm(obj=item, adding=False)
    del form.case_reference
    _describe_slot(form, meeting)
    status = 200
    if request.method == "GET":
        form.purpose.data = item.purpose.name
        form.slot_start.data = london(item.slot_starts_at).time() if item.slot_starts_at else None
        form.slot_end.data = london(item.slot_ends_at).time() if item.slot_ends_at else None
        form.presenting_officer_id.data = str(item.presenting_officer_id or "")
        form.version.data = item.version
    elif _slot_valid(form, meeting):
        if locking.claim(item, form.version.data):
            _apply_item_form(form, meeting, item)
            flash(f"Agenda item for {item.case.reference} saved.", "success")
            return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
        status = _conflict(form, "purpose", "agenda item")
    return render_template("meetings/agenda_item_form.html", form=form, meeting=meeting, item=item), status


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/move", methods=["POST"])
@requires(Permission.VIEW_CASE_DATA)
def agenda_item_move(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id, run=True)
    if closed := _closed(meeting):
        return closed
    item = _item(meeting, item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    direction = request.form.get("direction")
    if direction in ("up", "down"):
        services.move_agenda_item(meeting, item, direction)
    return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor="agenda"))


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/remove", methods=["POST"])
@requires(Permission.VIEW_CASE_DATA)
def agenda_item_remove(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id, run=True)
    if closed := _closed(meeting):
        return closed
    item = _item(meeting, item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if services.item_has_record(item):
        flash(
            f"{item.case.reference} cannot be removed: the meeting recorded actions or a decision for it.",
            "important",
        )
    else:
        services.remove_agenda_item(meeting, item)
        flash(f"{item.case.reference} removed from the agenda.", "success")
    return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor="agenda"))


# Invitations, replies and attendance ---------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/invitations/new", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA)
def invitation_new(meeting_id: int):
    meeting = _meeting(meeting_id, run=True)
    if closed := _closed(meeting, open_to=(MeetingStatus.SCHEDULED, MeetingStatus.HELD)):
        return closed
    form = InvitationForm()
    if form.validate_on_submit():
        agency_id = int(form.agency_id.data)
        user_id = int(form.user_id.data) if form.user_id.data else None
        if any(i.agency_id == agency_id and i.user_id == user_id for i in meeting.invitations):
            form.agency_id.errors = ["This agency or person is already invited"]
        else:
            invitation = services.invite(meeting, agency_id, user_id)
            flash(f"{invitation.agency.name} invited.", "success")
            if request.form.get("another"):
                return redirect(url_for("meetings.invitation_new", meeting_id=meeting.id))
            return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor="attendance"))
    return render_template("meetings/invitation_form.html", form=form, meeting=meeting)


@bp.route("/meetings/<int:meeting_id>/invitations/<int:invitation_id>/remove", methods=["POST"])
@requires(Permission.VIEW_CASE_DATA)
def invitation_remove(meeting_id: int, invitation_id: int):
    meeting = _meeting(meeting_id, run=True)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.meeting_id != meeting.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if invitation.attendance is not None:
        flash("Attendance has been recorded for this invitation, so it cannot be removed.", "important")
    else:
        services.remove_invitation(meeting, invitation)
        flash(f"Invitation of {invitation.agency.name} removed.", "success")
    return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor="attendance"))


@bp.route("/meetings/<int:meeting_id>/reply", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA)
def meeting_rsvp(meeting_id: int):
    meeting = _meeting(meeting_id)
    invitation = next((i for i in meeting.invitations if i.user_id == g.user.id), None)
    if invitation is None:
        abort(403)
    if meeting.status is not MeetingStatus.SCHEDULED:
        flash(f"This meeting is {meeting.status.label.lower()}, so replies are closed.", "important")
        return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
    form = RsvpForm()
    if request.method == "GET" and invitation.rsvp is not Rsvp.AWAITING:
        form.answer.data = invitation.rsvp.name
        form.deputy_name.data = invitation.deputy_name
    if form.validate_on_submit():
        invitation.rsvp = Rsvp[form.answer.data]
        invitation.rsvp_at = utcnow()
        invitation.deputy_name = form.deputy_name.data if invitation.rsvp is Rsvp.DECLINED else ""
        flash("Your reply has been sent.", "success")
        return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
    return render_template("meetings/rsvp_form.html", form=form, meeting=meeting, invitation=invitation)


@bp.route("/meetings/<int:meeting_id>/attendance", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA)
def attendance(meeting_id: int):
    meeting = _meeting(meeting_id, run=True)
    if closed := _closed(meeting, open_to=(MeetingStatus.SCHEDULED, MeetingStatus.HELD)):
        return closed
    invitations = meeting.invitations
    form = attendance_form_class(invitations)()
    if request.method == "GET":
        for invitation in invitations:
            getattr(form, f"status_{invitation.id}").data = (
                invitation.attendance.name if invitation.attendance else None
            )
            getattr(form, f"deputy_{invitation.id}").data = invitation.deputy_name
    if form.validate_on_submit():
        for invitation in invitations:
            invitation.attendance = AttendanceStatus[getattr(form, f"status_{invitation.id}").data]
            invitation.deputy_name = getattr(form, f"deputy_{invitation.id}").data or ""
        flash("Attendance saved.", "success")
        return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor="attendance"))
    rows = [(i, getattr(form, f"status_{i.id}"), getattr(form, f"deputy_{i.id}")) for i in invitations]
    return render_template("meetings/attendance_form.html", form=form, meeting=meeting, rows=rows)


# The record of a case's discussion -----------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>")
@requires(Permission.VIEW_CASE_DATA)
def agenda_item_view(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id)
    item = _item(meeting, item_id)
    audit.record("view", item.case, summary=f"{item.case.reference} at meeting {meeting.reference}")
    raised = db.session.exec(
        select(Action)
        .where(Action.agenda_item_id == item.id)
        .order_by(Action.id)
        .options(selectinload(Action.owner), selectinload(Action.owner_agency))
    ).all()
    earlier = services.open_actions_by_case([item.case_id], before=meeting.starts_at).get(item.case_id, [])
    return render_template(
        "meetings/agenda_item_view.html",
        meeting=meeting,
        item=item,
        case=item.case,
        raised=raised,
        earlier=earlier,
        may_run=access.can_run(g.user, meeting),
        record_open=freeze.is_open(meeting),
        level_now=timeline.level_changes_since_added(item),
        plan_parts=plan.parts(item),
        pillars=list(Pillar),
        confirm=ConfirmForm(),
        today=today_london(),
        meeting_day=london(meeting.starts_at).date(),
        rules=rules,
    )


def _recordable(meeting: Meeting) -> None:
    if meeting.status is MeetingStatus.CANCELLED:
        abort(404)


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/pillars/<pillar_slug>", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA)
def pillar_edit(meeting_id: int, item_id: int, pillar_slug: str):
    meeting = _meeting(meeting_id, run=True)
    _recordable(meeting)
    item = _item(meeting, item_id)
    pillar = Pillar.from_slug(pillar_slug) or abort(404)
    entry = item.entry_for(pillar) or abort(404)
    form = PillarForm(obj=entry)
    status = 200
    if request.method == "GET":
        form.status.data = entry.status.name
        form.version.data = entry.version
    elif form.validate_on_submit():
        if locking.claim(entry, form.version.data):
            entry.status = PillarStatus[form.status.data]
            entry.summary = form.summary.data or ""
            entry.not_applicable_reason = (
                form.not_applicable_reason.data if entry.status is PillarStatus.NOT_APPLICABLE else ""
            ) or ""
            entry.updated_at, entry.updated_by_id = utcnow(), g.user.id
            plan.recorded(item, [PlanPartKind.for_pillar(pillar)], g.user)
            flash(f"{pillar.label} saved for {item.case.reference}.", "success")
            return redirect(url_for("meetings.agenda_item_view", meeting_id=meeting.id, item_id=item.id))
        status = _conflict(form, "status", "pillar")
    return render_template(
        "meetings/pillar_form.html", form=form, meeting=meeting, item=item, pillar=pillar
    ), status


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/risk", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA)
def risk_edit(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id, run=True)
    _recordable(meeting)
    item = _item(meeting, item_id)
    tools = plan.tools()
    if item.assessment_tool and item.assessment_tool not in tools:
        tools.append(item.assessment_tool)  # a tool the area has since taken off its list
    form = RiskForm(obj=item, tools=tools)
    status = 200
    if request.method == "GET":
        for name in (*RISK_FIELDS, "imminence"):
            value = getattr(item, name)
            getattr(form, name).data = value.name if value else None
        form.version.data = item.version
    elif _risk_valid(form):
        if locking.claim(item, form.version.data):
            for name in RISK_FIELDS:
                setattr(item, name, RiskLevel[getattr(form, name).data])
            item.imminence = Imminence[form.imminence.data]
            item.risk_notes = form.risk_notes.data or ""
            item.contingency_plan = form.contingency_plan.data or ""
            item.licence_conditions = form.licence_conditions.data or ""
            item.assessment_tool = form.assessment_tool.data
            item.assessed_on = form.assessed_on.data
            plan.recorded(item, list(plan.ITEM_COLUMNS), g.user)
            flash(f"Risk assessment saved for {item.case.reference}.", "success")
            return redirect(url_for("meetings.agenda_item_view", meeting_id=meeting.id, item_id=item.id))
        status = _conflict(form, "risk_to_children", "risk assessment")
    return render_template("meetings/risk_form.html", form=form, meeting=meeting, item=item), status


def _risk_valid(form: RiskForm) -> bool:
    valid = form.validate_on_submit()
    problem = rules.assessment_date_problem(form.assessed_on.data, today_london())
    return not _add_problem(form.assessed_on, problem) and valid


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/plan/<part_slug>/confirm", methods=["POST"])
@requires(Permission.VIEW_CASE_DATA)
def plan_part_confirm(meeting_id: int, item_id: int, part_slug: str):
    """The chair confirms one part of the plan as carried from the case's last meeting."""
    meeting = _meeting(meeting_id, run=True)
    _recordable(meeting)
    item = _item(meeting, item_id)
    kind = PlanPartKind.from_slug(part_slug) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    outcome = plan.confirm(item, kind, g.user)
    flash(f"{kind.label}: {outcome.label.lower()} for {item.case.reference}.", "success")
    return redirect(
        url_for("meetings.agenda_item_view", meeting_id=meeting.id, item_id=item.id, _anchor="plan")
    )


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/decision", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA)
def decision_edit(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id, run=True)
    _recordable(meeting)
    item = _item(meeting, item_id)
    form = DecisionForm(obj=item)
    status = 200
    if request.method == "GET":
        form.level_decision.data = item.level_decision.name if item.level_decision else None
        form.version.data = item.version
    elif _decision_valid(form, item):
        decision = LevelDecision[form.level_decision.data]
        if not locking.claim(item, form.version.data):
            status = _conflict(form, "level_decision", "decision")
        else:
            review_on = (
                form.next_review_on.data
                if rules.level_after_decision(timeline.level_at(item), decision)
                else None
            )
            services.record_decision(item, decision, form.level_decision_reason.data, review_on, g.user)
            flash(f"Level decision and next review saved for {item.case.reference}.", "success")
            return redirect(url_for("meetings.agenda_item_view", meeting_id=meeting.id, item_id=item.id))
    return render_template(
        "meetings/decision_form.html",
        form=form,
        meeting=meeting,
        item=item,
        level_now=timeline.level_at(item),
        weeks_level_2=rules.review_weeks(Level.LEVEL_2),
        weeks_level_3=rules.review_weeks(Level.LEVEL_3),
    ), status


def _decision_valid(form: DecisionForm, item: AgendaItem) -> bool:
    """The form's own checks, then the rules: not before the meeting, a decision that fits the case's
    level, and a next review within the longest interval. Every problem found is shown at once."""
    valid = form.validate_on_submit()
    meeting_day = london(item.meeting.starts_at).date()
    if _add_problem(form.level_decision, rules.decision_date_problem(meeting_day, today_london())):
        return False
    decision = LevelDecision.__members__.get(form.level_decision.data or "")
    if decision is None or form.next_review_on.errors:
        return False
    problem = _decision_problem(item, decision, form)
    if problem:
        field, message = problem
        _add_problem(getattr(form, field), message)
        return False
    return valid


def _decision_problem(
    item: AgendaItem, decision: LevelDecision, form: DecisionForm
) -> tuple[str, str] | None:
    standing = timeline.level_at(item)
    problem = rules.level_decision_problem(standing, decision)
    if problem:
        return "level_decision", problem
    level = rules.level_after_decision(standing, decision)
    weeks = rules.review_weeks(level) if level and level.has_meetings else None
    problem = rules.next_review_problem(
        london(item.meeting.starts_at).date(), form.next_review_on.data, level, weeks
    )
    return ("next_review_on", problem) if problem else None


# Actions -------------------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/actions/new", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA)
def action_new(meeting_id: int, item_id: int):
    meeting = _meeting(meeting_id, run=True)
    _recordable(meeting)
    item = _item(meeting, item_id)
    form = ActionForm()
    if request.method == "GET" and (pillar := Pillar.from_slug(request.args.get("pillar", ""))):
        form.pillar.data = pillar.name
    valid = form.validate_on_submit()
    if form.is_submitted() and form.due_on.data:
        problem = rules.action_due_problem(form.due_on.data, london(meeting.starts_at).date())
        valid = not _add_problem(form.due_on, problem) and valid
    if valid:
        action = Action(
            case_id=item.case_id,
            agenda_item_id=item.id,
            pillar=Pillar[form.pillar.data] if form.pillar.data else None,
            description=form.description.data,
            owner_agency_id=int(form.owner_agency_id.data),
            owner_id=int(form.owner_id.data) if form.owner_id.data else None,
            due_on=form.due_on.data,
        )
        db.session.add(action)
        flash(f"Action added for {item.case.reference}.", "success")
        return redirect(url_for("meetings.agenda_item_view", meeting_id=meeting.id, item_id=item.id))
    return render_template("meetings/action_form.html", form=form, meeting=meeting, item=item)


@bp.route("/actions")
@requires(Permission.VIEW_CASE_DATA)
def action_list():
    today = today_london()
    page = paginate(queries.action_list_statement(g.user, request.args, today))
    from tracker.admin.forms import agency_choices

    return render_template(
        "meetings/action_list.html",
        page=page,
        args=request.args,
        today=today,
        rules=rules,
        agencies=agency_choices(),
        statuses=ActionStatus.choices(),
        confirm=ConfirmForm(),
    )


def _action_for_update(action_id: int) -> Action:
    action = get_visible_or_404(Action, action_id)
    if not access.can_update_action(g.user, action):
        abort(403)
    return action


def _back_url() -> str:
    """Where to return after updating an action: the page it was updated from (on this site only)."""
    target = request.form.get("next") or request.args.get("next") or ""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("meetings.action_list")


@bp.route("/actions/<int:action_id>/complete", methods=["POST"])
@requires(Permission.VIEW_CASE_DATA)
def action_complete(action_id: int):
    action = _action_for_update(action_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if action.status is ActionStatus.OPEN:
        services.complete_action(action, today_london())
        flash("Action marked as done.", "success")
    return redirect(_back_url())


@bp.route("/actions/<int:action_id>/drop", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA)
def action_drop(action_id: int):
    action = _action_for_update(action_id)
    form = DropActionForm()
    status = 200
    if request.method == "GET":
        form.version.data = action.version
    elif action.status is not ActionStatus.OPEN:
        form.reason.errors = [f"This action is already {action.status.label.lower()}"]
    elif form.validate_on_submit():
        if locking.claim(action, form.version.data):
            services.drop_action(action, form.reason.data)
            flash("Action dropped.", "success")
            return redirect(_back_url())
        status = _conflict(form, "reason", "action")
    return render_template("meetings/action_drop.html", form=form, action=action, back=_back_url()), status


# Chair records -------------------------------------------------------------------------------------


@bp.route("/chairs")
@requires(Permission.VIEW_ALL_CASES, Permission.SCHEDULE_MEETINGS)
def chair_list():
    chairs = db.session.exec(
        select(User)
        .where(col(User.id).in_(select(UserRole.user_id).where(UserRole.role == Role.CHAIR)))
        .order_by(User.name)
    ).all()
    profiles = {p.user_id: p for p in db.session.exec(select(ChairProfile))}
    return render_template("meetings/chair_list.html", chairs=chairs, profiles=profiles)


@bp.route("/chairs/<int:user_id>", methods=["GET", "POST"])
@requires(Permission.VIEW_ALL_CASES, Permission.SCHEDULE_MEETINGS)
def chair_edit(user_id: int):
    chair = db.session.get(User, user_id)
    if chair is None or not chair.has_role(Role.CHAIR):
        abort(404)
    profile = db.session.get(ChairProfile, user_id)
    form = ChairProfileForm(obj=profile)
    if request.method == "GET":
        form.levels.data = [
            level.name for level in (Level.LEVEL_2, Level.LEVEL_3) if profile and profile.may_chair(level)
        ]
    if form.validate_on_submit():
        profile = profile or ChairProfile(user_id=user_id)
        profile.grade = form.grade.data
        profile.may_chair_level_2 = Level.LEVEL_2.name in form.levels.data
        profile.may_chair_level_3 = Level.LEVEL_3.name in form.levels.data
        profile.updated_at = utcnow()
        db.session.add(profile)
        flash(f"Chair record for {chair.name} saved.", "success")
        return redirect(url_for("meetings.chair_list"))
    return render_template("meetings/chair_form.html", form=form, chair=chair)
