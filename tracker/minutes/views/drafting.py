"""Drafting the minutes: the form, saving it (merging with what others saved meanwhile) and autosave."""

from __future__ import annotations

import json

from flask import abort, flash, g, jsonify, redirect, render_template, request, url_for

from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import format_datetime
from tracker.meetings.models import Meeting
from tracker.minutes import rules, services
from tracker.minutes.document import MinutesRecord
from tracker.minutes.forms import MinutesForm
from tracker.minutes.models import Minutes
from tracker.minutes.views.common import bp, meeting_to_draft, record_to_show, section_labels


def _draft_form(meeting: Meeting, minutes: Minutes | None, record: MinutesRecord) -> MinutesForm:
    item_ids = [item.id for item in record.items]
    version = minutes.version if minutes else 0
    form = MinutesForm.for_items(
        item_ids, data={"version": str(version)} if request.method == "GET" else None
    )
    if request.method == "GET":
        form.show(minutes.current.sections if minutes is not None else {})
    return form


@bp.route("/meetings/<int:meeting_id>/minutes/edit", methods=["GET", "POST"])
@requires(Permission.EDIT_MINUTES)
def minutes_edit(meeting_id: int):
    meeting, minutes = meeting_to_draft(meeting_id)
    if minutes is not None and not minutes.status.is_editable:
        flash("Approved minutes cannot be changed. Make a correction to start a new version.")
        return redirect(url_for("minutes.minutes_view", meeting_id=meeting.id))
    record, hidden = record_to_show(meeting, None)
    form = _draft_form(meeting, minutes, record)
    conflict = None
    if form.validate_on_submit():
        result = _save(meeting, minutes, form)
        if isinstance(result, services.Saved):
            flash(_saved_message(result), "success")
            return redirect(url_for("minutes.minutes_view", meeting_id=meeting.id))
        conflict = result
        # The page is now built on what they saved, with this person's changes on top.
        form.version.data = str(conflict.current_version)
        form.show(conflict.theirs)
        form.load(conflict.combined)
    status = 409 if conflict else 200
    return (
        render_template(
            "minutes/edit.html",
            meeting=meeting,
            minutes=minutes,
            record=record,
            hidden=hidden,
            form=form,
            conflict=conflict,
            **section_labels(),
        ),
        status,
    )


def _saved_message(saved: services.Saved) -> str:
    if saved.merged_with:
        return (
            f"The draft minutes have been saved. {saved.merged_with} saved changes to other parts while "
            "you were writing: theirs are kept too."
        )
    return "The draft minutes have been saved."


def _save(meeting: Meeting, minutes: Minutes | None, form: MinutesForm):
    try:
        return services.save_draft(
            meeting, minutes, form.sections(), form.version.data or "", g.user, form.shown_fingerprints()
        )
    except services.StepRefused as refused:
        abort(409, "; ".join(refused.problems))


@bp.route("/meetings/<int:meeting_id>/minutes/autosave", methods=["POST"])
@requires(Permission.EDIT_MINUTES)
def minutes_autosave(meeting_id: int):
    """The draft form saved by the page's script every little while; answers in JSON."""
    meeting, minutes = meeting_to_draft(meeting_id)
    if minutes is not None and not minutes.status.is_editable:
        return jsonify(saved=False, message="These minutes have been approved and can no longer change"), 409
    record, _hidden = record_to_show(meeting, None)
    form = _draft_form(meeting, minutes, record)
    if not form.validate_on_submit():
        return jsonify(saved=False, message="; ".join(_messages(form))), 400
    result = _save(meeting, minutes, form)
    if isinstance(result, services.Conflict):
        return jsonify(
            saved=False,
            conflict=True,
            message=f"{result.saved_by} changed the same parts since you opened this page. "
            "Save to see both versions",
        ), 409
    saved = result.minutes
    note = ""
    if result.merged_with:
        note = f"{result.merged_with} saved changes to other parts: reload the page to see them."
    return jsonify(
        saved=True,
        version=saved.version,
        saved_at=format_datetime(saved.updated_at),
        # The page's text is what is saved now: later saves compare with it.
        shown=json.dumps(rules.fingerprints(form.sections())),
        note=note,
    )


def _messages(form) -> list[str]:
    return [message for messages in form.errors.values() for message in messages]
