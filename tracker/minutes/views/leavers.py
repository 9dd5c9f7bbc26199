"""The work someone who has left leaves behind, for the co-ordinator who hands it on: the scheduled meetings
they chair, the minutes awaiting their approval, their meeting audits and open actions, each with a link;
and handing the approval of those minutes to another chair (`tracker.minutes.handover`)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from tracker.auth.models import User
from tracker.core import consultations
from tracker.core.db import db
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import format_date
from tracker.minutes import handover, leavers
from tracker.minutes.forms import HandoverForm
from tracker.minutes.views.common import bp


@bp.route("/people/<int:user_id>/work-left", methods=["GET", "POST"])
@requires(Permission.VIEW_ALL_CASES, Permission.EDIT_MINUTES)
def work_left(user_id: int):
    person = db.session.get(User, user_id) or abort(404)
    left = leavers.left_behind(person)
    form = HandoverForm()
    form.meetings.choices = [
        (str(meeting.id), f"{meeting.reference}, held {format_date(meeting.starts_at)}: {stage.lower()}")
        for meeting, _minutes, stage in left.approval_stages()
    ]
    form.approver_id.choices = handover.approver_choices(person)
    if request.method == "GET":
        form.meetings.data = [value for value, _label in form.meetings.choices]
    elif form.validate_on_submit():
        approver = db.session.get(User, int(form.approver_id.data))
        try:
            done = handover.hand_over(person, [int(value) for value in form.meetings.data], approver, g.user)
        except handover.HandoverRefused as refused:
            getattr(form, refused.field).errors = [str(refused)]
        else:
            flash(_handed_over(done, approver, person), "success")
            return redirect(url_for("minutes.work_left", user_id=person.id))
    consultations.show_cases(action.case_id for action in left.actions_shown_to(g.user))
    return render_template("minutes/work_left.html", person=person, left=left, form=form)


def _handed_over(done: handover.HandedOver, approver: User, person: User) -> str:
    references = ", ".join(meeting.reference for meeting in done.meetings)
    told = (
        " They have been emailed." if done.emailed else " They turned these emails off: tell them yourself."
    )
    return f"{approver.name} will approve the minutes of {references} in place of {person.name}.{told}"
