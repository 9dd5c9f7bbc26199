"""The question asked before a case opens for someone with no part in it: why they need to see it."""

from __future__ import annotations

from flask import abort, g, redirect, render_template, url_for

from tracker.core.permissions import Permission, requires
from tracker.core.reasons import ConsultationReasonForm
from tracker.core.redirects import safe_next
from tracker.meetings import justification, loaders
from tracker.meetings.views.common import bp


@bp.route("/cases/<int:case_id>/reason", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA, Permission.GIVE_REASONS)
def case_reason(case_id: int):
    case = loaders.case_to_view(case_id)
    back = safe_next(url_for("meetings.case_view", case_id=case.id))
    found = justification.justify(g.user, {"case_id": case.id})
    if found is None:
        abort(404)
    if found[1] is not None and found[1][0] == justification.ROLE:
        return redirect(back)  # their part in the case is reason enough
    form = ConsultationReasonForm()
    if form.validate_on_submit():
        justification.give_reason(g.user, case, form.given())
        return redirect(back)
    form.next.data = back
    return render_template("core/consultation_reason.html", form=form, case=case)
