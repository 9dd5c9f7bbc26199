"""A case on the agenda that the meeting did not discuss after all: marking it, with the chair's reason
(the page first says what that withdraws), and undoing it while the record is open."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for

from tracker.core.forms import require_confirmation
from tracker.core.permissions import Permission, requires
from tracker.meetings import loaders, services
from tracker.meetings.forms import NotDiscussedForm
from tracker.meetings.views.common import _closed_for_a_reason, bp


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/not-discussed", methods=["GET", "POST"])
@requires(Permission.RUN_MEETINGS)
def agenda_item_not_discussed(meeting_id: int, item_id: int):
    """Ask why (saying first what was recorded for the case here and would be withdrawn), then mark the
    case not discussed at this meeting; whoever may not do it is not asked either."""
    meeting, item = loaders.item_to_change(meeting_id, item_id)
    back = url_for("meetings.agenda_item_view", meeting_id=meeting.id, item_id=item.id)
    try:
        services.ensure_may_defer(meeting, item)
    except services.Refused as refused:
        flash(str(refused), "important")
        return redirect(back)
    withdrawn = services.withdrawn_by_deferral(item)
    form = NotDiscussedForm()
    status = _closed_for_a_reason(
        form,
        item,
        "agenda item",
        lambda: services.defer(meeting, item, form.reason.data, form.version.data, g.user),
    )
    if status is None:
        flash(f"{item.case.reference} marked as not discussed at this meeting.", "success")
        return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor="agenda"))
    page = render_template(
        "meetings/agenda_item_not_discussed.html", form=form, meeting=meeting, item=item, withdrawn=withdrawn
    )
    return page, status


@bp.route("/meetings/<int:meeting_id>/agenda/<int:item_id>/not-discussed/undo", methods=["POST"])
@requires(Permission.RUN_MEETINGS)
def agenda_item_not_discussed_undo(meeting_id: int, item_id: int):
    """Put the case back to be discussed at this meeting."""
    meeting, item = loaders.item_to_change(meeting_id, item_id)
    require_confirmation()
    try:
        services.undo_deferral(meeting, item, g.user)
    except services.Refused as refused:
        flash(str(refused), "important")
    else:
        flash(f"{item.case.reference} is to be discussed at this meeting again.", "success")
    return redirect(url_for("meetings.agenda_item_view", meeting_id=meeting.id, item_id=item.id))
