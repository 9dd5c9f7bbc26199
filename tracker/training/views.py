"""The TRSG's training pages: courses, events, registers, uploads, the chairs' register, certificates.

Also the overview of a reporting year, and each person's own training record.
"""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.auth.forms import ConfirmForm
from tracker.auth.models import Agency, User
from tracker.core import audit, settings
from tracker.core.db import db
from tracker.core.navigation import dashboard_panel
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, Role, get_visible_or_404, requires
from tracker.core.pillars import Pillar
from tracker.core.timeutil import london, london_to_utc, today_london
from tracker.core.types import utcnow
from tracker.training import ics, pdf, queries, rules, services
from tracker.training import overview as year_overview
from tracker.training.forms import (
    CourseForm,
    EnrolForm,
    EventForm,
    NewEventForm,
    SessionForm,
    UploadForm,
    hours_field_value,
    hours_value,
    register_form,
)
from tracker.training.models import (
    Audience,
    Course,
    CourseEvent,
    CourseKind,
    Enrolment,
    EnrolmentImport,
    EnrolmentStatus,
    EventKind,
    Mark,
    SessionReply,
    SessionStatus,
    Trainee,
    TraineeRole,
    TrainingSession,
)

bp = Blueprint("training", __name__, url_prefix="/training")
bp.add_app_template_filter(rules.format_hours, "hours")


@bp.context_processor
def _training_names() -> dict:
    return {"EnrolmentStatus": EnrolmentStatus, "EventKind": EventKind, "certificate_kind": _certificate_kind}


def _certificate_kind(enrolment: Enrolment) -> str | None:
    return rules.certificate_kind(
        enrolment.event.is_chair_course,
        enrolment.status is EnrolmentStatus.COMPLETED,
        enrolment.sessions_attended,
    )


# Home page panels --------------------------------------------------------------------------------


@dashboard_panel
def _trsg_panel(user: User):
    if not user.can(Permission.MANAGE_TRAINING):
        return None
    due_soon, lapsed = queries.chairs_due_count()
    return "training/panels/trsg.html", {"due_soon": due_soon, "lapsed": lapsed}


@dashboard_panel
def _chair_panel(user: User):
    if not user.has_role(Role.CHAIR):
        return None
    return "training/panels/chair.html", {
        "status": queries.chair_status_for(user),
        "lapse_months": settings.get("cpd_lapse_months"),
    }


@dashboard_panel
def _overview_panel(user: User):
    if user.can(Permission.MANAGE_TRAINING) or not user.can(Permission.VIEW_TRAINING_OVERVIEW):
        return None
    return "training/panels/overview.html", {}


# The TRSG's home -------------------------------------------------------------------------------------


@bp.route("/")
@requires(Permission.MANAGE_TRAINING)
def index():
    upcoming = db.session.execute(
        queries.event_list_statement(queries.EventFilters(when="upcoming")).limit(5)
    ).all()
    due_soon, lapsed = queries.chairs_due_count()
    awaiting = db.session.scalar(
        select(sa.func.count()).select_from(
            queries.chairs_register_statement(rules.ChairState.AWAITING_TRAINING.name).subquery()
        )
    )
    return render_template(
        "training/index.html", upcoming=upcoming, due_soon=due_soon, lapsed=lapsed, awaiting=awaiting
    )


# Courses ---------------------------------------------------------------------------------------------


@bp.route("/courses")
@requires(Permission.MANAGE_TRAINING)
def course_list():
    query, kind = request.args.get("q", "").strip(), request.args.get("kind", "")
    statement = select(Course).order_by(col(Course.active).desc(), col(Course.title))
    if query:
        statement = statement.where(sa.func.lower(Course.title).like(f"%{query.lower()}%"))
    if kind in CourseKind.__members__:
        statement = statement.where(Course.kind == CourseKind[kind])
    return render_template(
        "training/course_list.html",
        page=paginate(statement),
        query=query,
        kind=kind,
        kinds=CourseKind.choices(),
    )


@bp.route("/courses/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def course_new():
    form = CourseForm(data={"version": "0"} if request.method == "GET" else None)
    if form.validate_on_submit():
        course = Course(title=form.title.data, kind=CourseKind[form.kind.data])
        _apply_course(form, course)
        db.session.add(course)
        flash(f"Course '{course.title}' added.", "success")
        return redirect(url_for("training.course_list"))
    return render_template("training/course_form.html", form=form, course=None)


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def course_edit(course_id: int):
    course = db.session.get(Course, course_id) or abort(404)
    form = CourseForm(obj=course, editing=course)
    if request.method == "GET":
        form.kind.data = course.kind.name
        form.cpd_hours.data = hours_field_value(course.cpd_minutes)
    if form.validate_on_submit() and form.check_version(course.version):
        _apply_course(form, course)
        course.version += 1
        flash(f"Changes to '{course.title}' saved.", "success")
        return redirect(url_for("training.course_list"))
    return render_template("training/course_form.html", form=form, course=course)


def _apply_course(form: CourseForm, course: Course) -> None:
    course.title = form.title.data
    course.kind = CourseKind[form.kind.data]
    course.description = form.description.data or ""
    course.days = form.days.data
    course.cpd_minutes = hours_value(form.cpd_hours)
    course.active = form.active.data


# Events ----------------------------------------------------------------------------------------------


def _event_filters() -> queries.EventFilters:
    args = request.args
    return queries.EventFilters(
        query=args.get("q", "").strip(),
        kind=args.get("kind", "") if args.get("kind", "") in EventKind.__members__ else "",
        course_id=args.get("course", type=int),
        year=args.get("year", type=int),
        when=args.get("when", "") if args.get("when") in ("upcoming", "past") else "",
    )


@bp.route("/events")
@requires(Permission.MANAGE_TRAINING)
def event_list():
    filters = _event_filters()
    page = paginate(queries.event_list_statement(filters), scalars=False)
    courses = db.session.exec(select(Course).order_by(Course.title)).all()
    return render_template(
        "training/event_list.html",
        page=page,
        filters=filters,
        kinds=EventKind.choices(),
        courses=[(c.id, c.title) for c in courses],
        years=[(y.start_year, y.label) for y in queries.reporting_years()],
    )


@bp.route("/courses/<int:course_id>/events/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def event_new(course_id: int):
    course = db.session.get(Course, course_id) or abort(404)
    if not course.active:
        abort(404)
    form = NewEventForm(course=course)
    if request.method == "GET":
        form.version.data = "0"
        form.cpd_hours.data = hours_field_value(course.cpd_minutes)
        form.kind.data = form.kind.choices[0][0] if len(form.kind.choices) == 1 else None
        form.audience.data = [Audience.NEW_CHAIRS.name] if course.kind is CourseKind.CHAIR_COURSE else []
    if form.validate_on_submit():
        event = CourseEvent(course=course, title=form.title.data, kind=EventKind[form.kind.data], capacity=1)
        _apply_event(form, event)
        event.created_by_id = g.user.id
        db.session.add(event)
        _first_sessions(event, course, form)
        sessions = f"{course.days} session{'s' if course.days != 1 else ''}"
        flash(f"Event '{event.title}' created with {sessions}.", "success")
        return redirect(url_for("training.event_view", event_id=event.id))
    return render_template("training/event_form.html", form=form, course=course, event=None)


def _first_sessions(event: CourseEvent, course: Course, form: NewEventForm) -> None:
    """The course's days, on consecutive weekdays from the first (each can be moved afterwards)."""
    day = form.first_day.data
    for number in range(1, course.days + 1):
        event.sessions.append(
            TrainingSession(
                title=f"Day {number}" if course.days > 1 else "Session",
                starts_at=london_to_utc(day, form.starts.data),
                ends_at=london_to_utc(day, form.ends.data),
                venue=form.venue.data or "",
                online_link=form.online_link.data or "",
            )
        )
        day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
    event.refresh_dates()
    db.session.flush()


def _apply_event(form: EventForm, event: CourseEvent) -> None:
    event.title = form.title.data
    event.kind = EventKind[form.kind.data]
    forum = event.kind is EventKind.CHAIRS_FORUM
    event.pillar = Pillar[form.pillar.data] if forum and form.pillar.data in Pillar.__members__ else None
    event.capacity = form.capacity.data
    event.audience = list(form.audience.data or [])
    event.presenters = form.presenters.data or ""
    event.lived_experience = form.lived_experience.data
    event.cpd_minutes = hours_value(form.cpd_hours)


@bp.route("/events/<int:event_id>")
@requires(Permission.MANAGE_TRAINING)
def event_view(event_id: int):
    event = _event_or_404(event_id)
    status = request.args.get("status", "")
    statement = (
        select(Enrolment)
        .join(Trainee)
        .where(Enrolment.event_id == event.id)
        .options(selectinload(Enrolment.trainee))
        .order_by(col(Enrolment.waiting_position).nulls_first(), col(Trainee.name), col(Trainee.id))
    )
    if status in EnrolmentStatus.__members__:
        statement = statement.where(Enrolment.status == EnrolmentStatus[status])
    else:
        statement = statement.where(Enrolment.status != EnrolmentStatus.WITHDRAWN)
    counts = dict(
        db.session.execute(
            select(Enrolment.status, sa.func.count())
            .where(Enrolment.event_id == event.id)
            .group_by(Enrolment.status)
        ).all()
    )
    return render_template(
        "training/event_view.html",
        event=event,
        page=paginate(statement),
        status=status,
        statuses=EnrolmentStatus.choices(),
        counts=counts,
        today=today_london(),
    )


def _event_or_404(event_id: int) -> CourseEvent:
    event = db.session.exec(
        select(CourseEvent)
        .where(CourseEvent.id == event_id)
        .options(selectinload(CourseEvent.course), selectinload(CourseEvent.sessions))
    ).first()
    return event or abort(404)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def event_edit(event_id: int):
    event = _event_or_404(event_id)
    form = EventForm(obj=event, course=event.course)
    if request.method == "GET":
        form.kind.data = event.kind.name
        form.pillar.data = event.pillar.name if event.pillar else None
        form.cpd_hours.data = hours_field_value(event.cpd_minutes)
    if form.validate_on_submit() and form.check_version(event.version) and _capacity_fits(form, event):
        services.lock_event(event.id)
        _apply_event(form, event)
        event.version += 1
        moved = services.fill_places(event)
        services.recalculate(event)
        flash(_saved_message(f"Changes to '{event.title}' saved.", moved), "success")
        return redirect(url_for("training.event_view", event_id=event.id))
    return render_template("training/event_form.html", form=form, course=event.course, event=event)


def _capacity_fits(form: EventForm, event: CourseEvent) -> bool:
    taken = services.places_taken(event.id)
    if form.capacity.data < taken:
        form.capacity.errors.append(f"Places must be {taken} or more: {taken} people already have a place")
        return False
    return True


def _saved_message(message: str, moved: list[Enrolment]) -> str:
    if moved:
        names = ", ".join(enrolment.trainee.name for enrolment in moved)
        message += f" Moved up from the waiting list: {names}."
    return message


# Sessions --------------------------------------------------------------------------------------------


@bp.route("/events/<int:event_id>/sessions/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def session_new(event_id: int):
    event = _event_or_404(event_id)
    form = SessionForm()
    if request.method == "GET":
        form.version.data = "0"
        form.title.data = f"Day {len(event.sessions) + 1}"
    if form.validate_on_submit():
        session = TrainingSession(title=form.title.data, starts_at=_start(form), ends_at=_end(form))
        session.venue, session.online_link = form.venue.data or "", form.online_link.data or ""
        services.add_session(event, session)
        flash(f"Session '{session.title}' added.", "success")
        return redirect(url_for("training.event_view", event_id=event.id))
    return render_template("training/session_form.html", form=form, event=event, session=None)


def _start(form: SessionForm):
    return london_to_utc(form.day.data, form.starts.data)


def _end(form: SessionForm):
    return london_to_utc(form.day.data, form.ends.data)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def session_edit(session_id: int):
    session = db.session.get(TrainingSession, session_id) or abort(404)
    form = SessionForm(obj=session)
    if request.method == "GET":
        form.day.data = london(session.starts_at).date()
        form.starts.data, form.ends.data = london(session.starts_at).time(), london(session.ends_at).time()
    if form.validate_on_submit() and form.check_version(session.version):
        services.reschedule_session(
            session,
            title=form.title.data,
            starts_at=_start(form),
            ends_at=_end(form),
            venue=form.venue.data or "",
            online_link=form.online_link.data or "",
        )
        flash(f"Changes to '{session.title}' saved.", "success")
        return redirect(url_for("training.event_view", event_id=session.event_id))
    return render_template("training/session_form.html", form=form, event=session.event, session=session)


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def session_cancel(session_id: int):
    """Ask first (it cannot be undone, and everyone with a place is sent a cancellation), then cancel."""
    session = db.session.get(TrainingSession, session_id) or abort(404)
    if request.method == "GET":
        if session.status is SessionStatus.CANCELLED:
            return redirect(url_for("training.event_view", event_id=session.event_id))
        return render_template(
            "training/session_cancel.html",
            session=session,
            event=session.event,
            people=services.places_taken(session.event_id),
            confirm=ConfirmForm(),
        )
    if not ConfirmForm().validate_on_submit() or session.status is SessionStatus.CANCELLED:
        abort(400)
    services.cancel_session(session)
    flash(f"'{session.title}' cancelled. It no longer counts towards completing the event.", "success")
    return redirect(url_for("training.event_view", event_id=session.event_id))


@bp.route("/sessions/<int:session_id>/calendar.ics")
@requires(Permission.VIEW_OWN_TRAINING)
def session_calendar(session_id: int):
    session = get_visible_or_404(TrainingSession, session_id)
    entry = ics.session_entry(session)
    audit.record("export", session, summary="calendar file")
    return ics.download([entry], f"{slug(entry.subject.title)}-session-{entry.subject.number}")


@bp.route("/events/<int:event_id>/calendar.ics")
@requires(Permission.VIEW_OWN_TRAINING)
def event_calendar(event_id: int):
    get_visible_or_404(CourseEvent, event_id)
    event = _event_or_404(event_id)
    entries = ics.event_entries(event)
    audit.record("export", event, summary=f"calendar file, {len(entries)} sessions")
    return ics.download(entries, slug(ics.calendar_title(event.course.title, event.title)))


# Registers -------------------------------------------------------------------------------------------


@bp.route("/sessions/<int:session_id>/register", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def register(session_id: int):
    session = db.session.get(TrainingSession, session_id)
    if session is None or session.status is SessionStatus.CANCELLED:
        abort(404)
    opens = london(session.starts_at).date()
    is_open = rules.register_open(opens, today_london())
    if request.method == "POST" and not is_open:
        abort(400)
    enrolments = services.register_enrolments(session.event_id)
    form = register_form(enrolments, services.session_marks(session.id))
    if request.method == "GET":
        form.register_version.data = str(session.register_version)
    elif form.validate_on_submit():
        if form.register_version.data != str(session.register_version):
            flash(
                "Someone else saved this register while you were marking it, so your marks were not "
                "saved. Their marks are shown below: check them and mark again."
            )
            return redirect(url_for("training.register", session_id=session.id))
        changed = services.save_register(session, _marks_from(form, enrolments), g.user)
        flash(
            f"Register for {session.title} saved ({changed} change{'s' if changed != 1 else ''}).", "success"
        )
        return redirect(url_for("training.event_view", event_id=session.event_id))
    return render_template(
        "training/register.html",
        form=form,
        session=session,
        event=session.event,
        enrolments=enrolments,
        replies={
            reply.enrolment_id: reply
            for reply in db.session.exec(select(SessionReply).where(SessionReply.session_id == session.id))
        },
        is_open=is_open,
        opens=opens,
        mark_choices=Mark.choices(),
    )


def _marks_from(form, enrolments) -> dict[int, tuple[Mark | None, str]]:
    everyone_present = form.all_present.data
    marks = {}
    for enrolment in enrolments:
        value = form[f"mark_{enrolment.id}"].data
        mark = Mark[value] if value in Mark.__members__ else None
        if mark is None and everyone_present:
            mark = Mark.PRESENT
        marks[enrolment.id] = (mark, form[f"note_{enrolment.id}"].data or "")
    return marks


# Enrolment -------------------------------------------------------------------------------------------


@bp.route("/events/<int:event_id>/enrol", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def enrol(event_id: int):
    event = _event_or_404(event_id)
    form = EnrolForm()
    if form.validate_on_submit():
        services.lock_event(event.id)
        trainee = services.trainee_for(form.name.data, form.email.data, int(form.agency_id.data))
        role = TraineeRole[form.role.data] if form.role.data in TraineeRole.__members__ else None
        try:
            enrolment = services.enrol(event, trainee, role)
        except services.AlreadyEnrolled as error:
            form.email.errors.append(str(error))
        else:
            where = "the waiting list" if enrolment.status is EnrolmentStatus.WAITING else "the event"
            flash(f"{trainee.name} added to {where}.", "success")
            return redirect(url_for("training.event_view", event_id=event.id))
    return render_template("training/enrol.html", form=form, event=event)


@bp.route("/enrolments/<int:enrolment_id>/withdraw", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def withdraw(enrolment_id: int):
    """Ask first (their place goes to the waiting list, and their calendar entries are cancelled), then
    withdraw."""
    enrolment = db.session.get(Enrolment, enrolment_id) or abort(404)
    if request.method == "GET" and enrolment.status in (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING):
        return render_template(
            "training/withdraw.html",
            enrolment=enrolment,
            event=enrolment.event,
            waiting=services.waiting_count(enrolment.event_id),
            confirm=ConfirmForm(),
        )
    if request.method == "POST" and not ConfirmForm().validate_on_submit():
        abort(400)
    if enrolment.status not in (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING):
        flash(f"{enrolment.trainee.name} cannot be withdrawn: they have {enrolment.status.label.lower()}.")
        return redirect(url_for("training.event_view", event_id=enrolment.event_id))
    moved = services.withdraw(enrolment)
    flash(_saved_message(f"{enrolment.trainee.name} withdrawn.", moved), "success")
    return redirect(url_for("training.event_view", event_id=enrolment.event_id))


# Uploads ---------------------------------------------------------------------------------------------


@bp.route("/events/<int:event_id>/upload", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def upload(event_id: int):
    event = _event_or_404(event_id)
    form = UploadForm()
    if form.validate_on_submit():
        try:
            rows = rules.read_upload(form.file.data.read())
        except rules.UploadProblem as problem:
            form.file.errors.append(str(problem))
        else:
            staged = services.stage_upload(event, form.file.data.filename or "", rows, g.user)
            return redirect(url_for("training.upload_preview", upload_id=staged.id))
    return render_template("training/upload.html", form=form, event=event, agency_names=_agency_names())


def _agency_names() -> list[str]:
    """The names an uploaded file must use, listed beside the upload."""
    return list(db.session.exec(select(Agency.name).where(Agency.active).order_by(Agency.name)))


def _own_upload_or_404(upload_id: int) -> EnrolmentImport:
    staged = db.session.get(EnrolmentImport, upload_id)
    if staged is None or staged.created_by_id != g.user.id:
        abort(404)
    return staged


@bp.route("/uploads/<int:upload_id>")
@requires(Permission.MANAGE_TRAINING)
def upload_preview(upload_id: int):
    staged = _own_upload_or_404(upload_id)
    event = _event_or_404(staged.event_id)
    preview = services.preview_upload(staged, event)
    return render_template(
        "training/upload_preview.html",
        staged=staged,
        event=event,
        preview=preview,
        form=UploadForm(),
        confirm=ConfirmForm(),
        agency_names=_agency_names(),
    )


@bp.route("/uploads/<int:upload_id>/confirm", methods=["POST"])
@requires(Permission.MANAGE_TRAINING)
def upload_confirm(upload_id: int):
    staged = _own_upload_or_404(upload_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    event = services.lock_event(staged.event_id) or abort(404)
    if services.preview_upload(staged, event).errors:
        flash("The file still has errors: nobody has been enrolled. Upload a corrected file.")
        return redirect(url_for("training.upload_preview", upload_id=staged.id))
    enrolments = services.confirm_upload(staged, event)
    waiting = sum(1 for e in enrolments if e.status is EnrolmentStatus.WAITING)
    message = f"{len(enrolments)} people enrolled from {staged.filename or 'the file'}."
    if waiting:
        message += f" {waiting} of them are on the waiting list."
    flash(message, "success")
    return redirect(url_for("training.event_view", event_id=event.id))


# People ----------------------------------------------------------------------------------------------


@bp.route("/people")
@requires(Permission.MANAGE_TRAINING)
def trainee_list():
    query, agency = request.args.get("q", "").strip(), request.args.get("agency", type=int)
    statement = select(Trainee).order_by(col(Trainee.name), col(Trainee.id))
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            sa.or_(sa.func.lower(Trainee.name).like(pattern), col(Trainee.email).like(pattern))
        )
    if agency:
        statement = statement.where(Trainee.agency_id == agency)
    agencies = db.session.exec(select(Agency).order_by(Agency.name)).all()
    return render_template(
        "training/trainee_list.html",
        page=paginate(statement),
        query=query,
        agency=agency,
        agencies=[(a.id, a.name) for a in agencies],
    )


@bp.route("/people/<int:trainee_id>")
@requires(Permission.MANAGE_TRAINING)
def trainee_view(trainee_id: int):
    trainee = db.session.get(Trainee, trainee_id) or abort(404)
    return render_template("training/trainee_view.html", trainee=trainee, **_record(trainee, trainee.user))


@bp.route("/my-record")
@requires(Permission.VIEW_OWN_TRAINING)
def my_record():
    trainee = services.trainee_for_user(g.user)
    return render_template("training/my_record.html", trainee=trainee, **_record(trainee, g.user))


def _record(trainee: Trainee | None, user: User | None) -> dict:
    """A person's training record: their enrolments (a page of them), CPD hours, and chair status."""
    statement = (
        select(Enrolment)
        .join(Trainee)
        .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
        .where(Enrolment.trainee_id == (trainee.id if trainee else -1), queries.visible_enrolments(g.user))
        .options(selectinload(Enrolment.event).selectinload(CourseEvent.course))
        .order_by(col(CourseEvent.starts_at).desc(), col(Enrolment.id).desc())
    )
    totals = db.session.execute(
        select(sa.func.coalesce(sa.func.sum(Enrolment.cpd_minutes), 0))
        .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
        .join(Course, col(Course.id) == CourseEvent.course_id)
        .where(Enrolment.trainee_id == (trainee.id if trainee else -1), Course.kind == CourseKind.CPD)
    ).scalar_one()
    is_chair = user is not None and user.has_role(Role.CHAIR)
    return {
        "page": paginate(statement),
        "cpd_minutes": totals,
        "chair_status": queries.chair_status_for(user) if is_chair else None,
        "today": today_london(),
        "now": utcnow(),
    }


# The chairs' register ----------------------------------------------------------------------------


@bp.route("/chairs")
@requires(Permission.MANAGE_TRAINING)
def chairs_register():
    state = request.args.get("status", "")
    query = request.args.get("q", "").strip()
    page = paginate(queries.chairs_register_statement(state, query), scalars=False)
    return render_template(
        "training/chairs_register.html",
        page=page,
        statuses=queries.register_statuses(page.items),
        register_key=queries.register_key,
        state=state,
        query=query,
        filters=queries.REGISTER_FILTERS,
        lapse_months=settings.get("cpd_lapse_months"),
        warning_months=settings.get("cpd_warning_months"),
    )


# Certificates ----------------------------------------------------------------------------------------


def _certificate(enrolment: Enrolment) -> pdf.Certificate | None:
    event = enrolment.event
    kind = _certificate_kind(enrolment)
    if kind is None:
        return None
    return pdf.Certificate(
        kind=kind,
        name=enrolment.trainee.name,
        agency=enrolment.trainee.agency.name,
        course=event.course.title,
        event=event.title,
        days=[london(s.starts_at).date() for s in event.scheduled_sessions],
        pillar=event.pillar.label if event.pillar else None,
        cpd_minutes=enrolment.cpd_minutes,
        lived_experience=event.lived_experience,
    )


def _pdf_response(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "event"


@bp.route("/enrolments/<int:enrolment_id>/certificate.pdf")
@requires()
def certificate(enrolment_id: int):
    enrolment = get_visible_or_404(Enrolment, enrolment_id)
    certificate = _certificate(enrolment) or abort(404)
    event = enrolment.event
    title = f"{certificate.heading}: {certificate.name}, {event.course.title} ({event.title})"
    data = pdf.certificates_pdf(
        [certificate], area=settings.get("area_name"), issued=today_london(), title=title
    )
    audit.record("export", enrolment, summary=f"PDF {certificate.heading.lower()}")
    return _pdf_response(data, f"certificate-{slug(event.title)}-{slug(certificate.name)}.pdf")


@bp.route("/events/<int:event_id>/certificates.pdf")
@requires(Permission.MANAGE_TRAINING)
def event_certificates(event_id: int):
    event = _event_or_404(event_id)
    enrolments = services.register_enrolments(event.id)
    certificates = [c for c in (_certificate(e) for e in enrolments) if c is not None]
    if not certificates:
        flash("No one has a certificate for this event yet: mark the registers first.")
        return redirect(url_for("training.event_view", event_id=event.id))
    data = pdf.certificates_pdf(
        certificates,
        area=settings.get("area_name"),
        issued=today_london(),
        title=f"Certificates: {event.course.title} ({event.title})",
    )
    audit.record("export", event, summary=f"PDF certificates for {len(certificates)} people")
    return _pdf_response(data, f"certificates-{slug(event.title)}.pdf")


# The overview ----------------------------------------------------------------------------------------


def _chosen_year() -> tuple[rules.ReportingYear, list[rules.ReportingYear]]:
    years = queries.reporting_years()
    chosen = request.args.get("year", type=int)
    by_start = {year.start_year: year for year in years}
    if chosen is not None and chosen not in by_start:
        abort(404)
    return by_start.get(chosen, years[0]), years


@bp.route("/overview")
@requires(Permission.VIEW_TRAINING_OVERVIEW)
def overview():
    year, years = _chosen_year()
    figures = year_overview.year_figures(year)
    return render_template(
        "training/overview.html",
        figures=figures,
        year=year,
        years=[(y.start_year, y.label) for y in years],
        percent=year_overview.percent,
    )


@bp.route("/overview.csv")
@requires(Permission.VIEW_TRAINING_OVERVIEW)
def overview_csv():
    year, _years = _chosen_year()
    data = year_overview.figures_csv(year_overview.year_figures(year))
    audit.record(
        "export", object_type="TrainingOverview", object_id=year.start_year, summary=f"CSV {year.label}"
    )
    response = Response(data, mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="training-overview-{year.start_year}-{(year.start_year + 1) % 100:02d}.csv"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
