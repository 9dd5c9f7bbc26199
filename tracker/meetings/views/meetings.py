"""Meeting pages: the list, scheduling, a meeting's page and calendar file, changing, cancelling and
holding it."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, g, redirect, render_template, request, url_for
from sqlalchemy.orm import joinedload, selectinload

from tracker.auth.models import person_named
from tracker.calendar.ics import OWN_CALENDAR
from tracker.core import audit, settings, timeutil
from tracker.core.downloads import to_themselves
from tracker.core.forms import ConfirmForm, require_confirmation
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, Role, requires
from tracker.core.templating import plural
from tracker.core.timeutil import london, today_london
from tracker.meetings import (
    access,
    chairing,
    freeze,
    ics,
    loaders,
    planning,
    queries,
    rules,
    services,
    standard_items,
    timeline,
)
from tracker.meetings.forms import (
    CancelMeetingForm,
    MeetingFilterForm,
    MeetingForm,
)
from tracker.meetings.models import (
    AgendaItem,
    Invitation,
    Level,
    Meeting,
    MeetingStatus,
)
from tracker.meetings.views.common import _add_problem, _closed_for_a_reason, _conflict, bp
from tracker.minutes import queries as minutes_queries

# Meetings ------------------------------------------------------------------------------------------


@bp.route("/meetings")
@requires(Permission.VIEW_CASE_DATA)
def meeting_list():
    form = MeetingFilterForm(request.args)
    statement = queries.meeting_list_statement(g.user, request.args, form.date_from.data, form.date_to.data)
    # Dates that could not be read show nothing, with the error summary, as the audit trail does.
    page = paginate(statement if form.validate() else statement.where(sa.false()))
    return render_template(
        "meetings/meeting_list.html",
        page=page,
        args=request.args,
        form=form,
        counts=queries.agenda_counts([m.id for m in page.items], g.user),
        levels=[(level.name, level.label) for level in (Level.LEVEL_2, Level.LEVEL_3)],
        statuses=MeetingStatus.choices(),
        may_schedule=g.user.can(Permission.SCHEDULE_MEETINGS),
    )


@bp.route("/meetings/new", methods=["GET", "POST"])
@requires(Permission.SCHEDULE_MEETINGS)
def meeting_new():
    form = MeetingForm()
    if request.method == "GET":
        form.administrator_id.data = str(g.user.id) if g.user.has_role(Role.ADMINISTRATOR) else ""
    if _meeting_form_valid(form, new=True):
        meeting = services.schedule(_details(form), *_times(form), g.user)

        flash(f"Meeting {meeting.reference} scheduled. Now add the cases to its agenda.", "success")
        return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
    return render_template("meetings/meeting_form.html", form=form, meeting=None)


_DETAILS = ("level", "meeting_type", "venue", "online_link", "chair_id", "chair_reason", "administrator_id")


def _details(form: MeetingForm) -> dict:
    return {name: getattr(form, name).data for name in _DETAILS}


def _times(form: MeetingForm) -> tuple:
    return form.day.data, form.start_time.data, form.end_time.data


def _meeting_form_valid(form: MeetingForm, *, new: bool) -> bool:
    """The form's own checks, the date rule (a new or moved meeting is not in the past) and the chair
    rule (an untrained or lapsed chair needs a reason) together."""
    valid = form.validate_on_submit()
    if not form.is_submitted() or form.day.data is None:
        return valid
    day_problem = _add_problem(form.day, rules.meeting_day_problem(form.day.data, today_london(), new=new))
    return not _chair_reason_missing(form) and not day_problem and valid


def _chair_reason_missing(form: MeetingForm) -> bool:
    """Check the chosen chair's standing on the chairs' register today, as the picker shows it; a reason
    given for a chair who needs none is not kept."""
    if not form.chair_id.data or not form.chair_id.data.isdigit():
        return False
    standing = queries.chair_standings([int(form.chair_id.data)]).get(int(form.chair_id.data))
    if standing is None:
        return False
    level = Level[form.level.data] if form.level.data in Level.__members__ else None
    if not (standing.needs_reason_for(level) if level else standing.needs_reason):
        form.chair_reason.data = ""
    problem = chairing.chair_reason_problem(standing, form.chair_reason.data or "", level)
    return _add_problem(form.chair_reason, problem)


# Everything the meeting page shows, in a fixed number of queries: a relationship to one row joined into
# its parent's query, a collection in one query of its own.
_MEETING_PAGE = (
    person_named(Meeting.chair),
    person_named(Meeting.administrator),
    selectinload(Meeting.agenda_items).options(
        joinedload(AgendaItem.case),
        person_named(AgendaItem.presenting_officer),
        selectinload(AgendaItem.pillar_entries),
        selectinload(AgendaItem.plan_parts),
    ),
    selectinload(Meeting.invitations).options(
        joinedload(Invitation.agency),
        person_named(Invitation.user),
        joinedload(Invitation.deputy_agency),
    ),
)


@bp.route("/meetings/<int:meeting_id>")
@requires(Permission.VIEW_CASE_DATA)
def meeting_view(meeting_id: int):
    meeting = loaders.meeting_to_view(meeting_id, *_MEETING_PAGE)
    audit.record("view", meeting)
    items = [item for item in meeting.agenda_items if g.user.terrorism_cleared or not item.category_4]
    my_invitation = next((i for i in meeting.invitations if i.user_id == g.user.id), None)
    may_run = access.can_run(g.user, meeting)
    planning_it = may_run and meeting.status is MeetingStatus.SCHEDULED
    return render_template(
        "meetings/meeting_view.html",
        meeting=meeting,
        items=items,
        # Each case at the level it stands at for this meeting (as the item's page says it).
        levels=timeline.levels_at_items(items),
        open_actions=services.open_actions_by_case(
            [item.case_id for item in items], before=meeting.starts_at
        ),
        warnings=queries.meeting_warnings(meeting, items),
        agenda_warnings=planning.agenda_warnings(meeting, items, g.user) if planning_it else [],
        moves_refused=planning.moves_refused(meeting) if planning_it else set(),
        may_run=may_run,
        record_open=freeze.is_open(meeting),
        standard_items=standard_items.numbered(len(items)),
        statement=settings.get("confidentiality_statement"),
        my_invitation=my_invitation,
        confirm=ConfirmForm(),
        minutes_due=rules.minutes_due_on(london(meeting.starts_at).date(), rules.minutes_working_days()),
        today=today_london(),
        attendance_not_yet=rules.attendance_date_problem(london(meeting.starts_at).date(), today_london()),
        held_not_yet=rules.held_too_soon_problem(meeting.starts_at, timeutil.now()),
        imported=minutes_queries.imported_note(meeting),
    )


@bp.route("/meetings/<int:meeting_id>/calendar.ics")
@requires(Permission.VIEW_CASE_DATA)
def meeting_calendar(meeting_id: int):
    meeting = loaders.meeting_to_view(meeting_id)
    to_themselves(OWN_CALENDAR)
    audit.record("export", meeting, summary="calendar file")
    return ics.download(meeting)


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@requires(Permission.RUN_MEETINGS)
def meeting_edit(meeting_id: int):
    meeting = loaders.meeting_to_change(meeting_id, services.PLANNING)
    form = MeetingForm(obj=meeting, departed_chair=None if meeting.chair.active else meeting.chair.name)
    status = 200
    if request.method == "GET":
        start = london(meeting.starts_at)
        form.level.data, form.meeting_type.data = meeting.level.name, meeting.meeting_type.name
        form.day.data, form.start_time.data = start.date(), start.time()
        form.end_time.data = london(meeting.ends_at).time()
        form.chair_id.data = str(meeting.chair_id)
        form.chair_reason.data = meeting.chair_reason
        form.administrator_id.data = str(meeting.administrator_id or "")
        form.version.data = meeting.version
    elif _meeting_form_valid(form, new=form.day.data != london(meeting.starts_at).date()):
        try:
            saved = services.change_meeting(meeting, _details(form), *_times(form), form.version.data, g.user)
        except services.Refused as refused:
            getattr(form, refused.field or "administrator_id").errors = [str(refused)]
        else:
            if not saved:
                status = _conflict(form, "day", "meeting")
            else:
                flash(f"Changes to {meeting.reference} saved.", "success")
                return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
    return render_template("meetings/meeting_form.html", form=form, meeting=meeting), status


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
@requires(Permission.RUN_MEETINGS)
def meeting_cancel(meeting_id: int):
    meeting = loaders.meeting_to_run(meeting_id)
    form = CancelMeetingForm()
    actions = services.actions_shown(services.actions_agreed_at(meeting), g.user)
    decisions = services.withdrawn_shown(services.decisions_withdrawn(meeting), g.user)
    status = _closed_for_a_reason(
        form,
        meeting,
        "meeting",
        lambda: services.cancel(meeting, form.reason.data, form.version.data, g.user),
    )
    if status is None:
        said = f"Meeting {meeting.reference} cancelled."
        if actions:
            said += f" {plural(len(actions), 'open action')} recorded at it taken off its record."
        if decisions:
            said += f" {plural(len(decisions), 'level decision')} recorded at it withdrawn."
        flash(said, "success")
        return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
    page = render_template(
        "meetings/meeting_cancel.html", form=form, meeting=meeting, actions=actions, decisions=decisions
    )
    return page, status


@bp.route("/meetings/<int:meeting_id>/held", methods=["POST"])
@requires(Permission.RUN_MEETINGS)
def meeting_held(meeting_id: int):
    meeting = loaders.meeting_to_run(meeting_id)
    require_confirmation()
    try:
        if services.record_held(meeting, timeutil.now(), g.user):
            flash(f"Meeting {meeting.reference} recorded as held.", "success")
    except services.Refused as refused:
        flash(str(refused), "important")
    return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
