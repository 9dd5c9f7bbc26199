"""Meeting pages: the list, scheduling, a meeting's page and calendar file, changing, cancelling and
holding it."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.auth.models import User, UserRole
from tracker.core import audit, locking
from tracker.core.db import db
from tracker.core.fields import DateField, optional
from tracker.core.forms import ConfirmForm
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, Role, requires
from tracker.core.timeutil import london, today_london
from tracker.meetings import access, freeze, ics, queries, rules, services
from tracker.meetings.forms import (
    CancelMeetingForm,
    MeetingForm,
)
from tracker.meetings.models import (
    AgendaItem,
    Invitation,
    Level,
    Meeting,
    MeetingStatus,
    MeetingType,
)
from tracker.meetings.views.common import _add_problem, _closed, _conflict, _meeting, bp

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


def _meeting_form_valid(form: MeetingForm, *, new: bool) -> bool:
    """The form's own checks and the date rule together (a new or moved meeting is not in the past)."""
    valid = form.validate_on_submit()
    if not form.is_submitted() or form.day.data is None:
        return valid
    return (
        not _add_problem(form.day, rules.meeting_day_problem(form.day.data, today_london(), new=new))
        and valid
    )


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
