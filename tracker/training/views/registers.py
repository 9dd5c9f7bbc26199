"""Marking a session's register."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from tracker.core.locking import Conflict
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import london, today_london
from tracker.training import listings, loaders, register_markup, rules, services
from tracker.training.forms import register_form
from tracker.training.models import Mark, SessionStatus
from tracker.training.views import bp
from tracker.training.views.common import released_message


@bp.route("/sessions/<int:session_id>/register", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def register(session_id: int):
    session = loaders.session_to_manage(session_id)
    if session.status is SessionStatus.CANCELLED:
        abort(404)
    opens = london(session.starts_at).date()
    is_open = rules.register_open(opens, today_london())
    if request.method == "POST" and not is_open:
        abort(400)
    enrolments = listings.register_enrolments(session.event_id)
    marks = listings.session_marks(session.id)
    after_the_day = rules.from_paper(opens, today_london())
    form = register_form(enrolments, marks, after_the_day)
    paper = {enrolment_id for enrolment_id, row in marks.items() if row.from_paper}
    if request.method == "GET":
        form.register_version.data = str(session.register_version)
    elif form.validate_on_submit():
        return _save(session, form, enrolments, after_the_day)
    return render_template(
        "training/register.html",
        form=form,
        session=session,
        event=session.event,
        enrolments=enrolments,
        replies={reply.enrolment_id: reply for reply in listings.session_replies(session.id)},
        is_open=is_open,
        opens=opens,
        after_the_day=after_the_day,
        rule_text=services.completion_rule(session.event.course).describe(
            len(session.event.scheduled_sessions)
        ),
        rows=register_markup.register_rows(form, enrolments, Mark.choices(), paper),
    )


def _save(session, form, enrolments, after_the_day: bool):
    from_paper = after_the_day and bool(form.from_paper.data)
    try:
        marks = _marks_from(form, enrolments)
        changed, places = services.save_register(
            session, form.register_version.data, marks, g.user, from_paper
        )
    except Conflict:
        flash(
            "Someone else saved this register while you were marking it, so your marks were not "
            "saved. Their marks are shown below: check them and mark again."
        )
        return redirect(url_for("training.register", session_id=session.id))
    flash(
        released_message(
            f"Register for {session.title} saved ({changed} change{'s' if changed != 1 else ''}).", places
        ),
        "success",
    )
    return redirect(url_for("training.event_view", event_id=session.event_id))


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
