"""Minutes shared with an agency's secure mailbox: the one-time link, its code, and revoking it."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from tracker.core.db import db
from tracker.core.downloads import disclose_to, download
from tracker.core.forms import ConfirmForm, require_confirmation
from tracker.core.permissions import Permission, public, requires
from tracker.core.types import utcnow
from tracker.meetings.models import Meeting
from tracker.minutes import disclosure as disclosures
from tracker.minutes import pdf, rules
from tracker.minutes.access import may_distribute
from tracker.minutes.forms import SharedCodeForm
from tracker.minutes.models import MinutesDisclosure
from tracker.minutes.views.common import bp, document_for, for_viewer, meeting_to_view, version_info

# Minutes shared with an agency's secure mailbox -------------------------------------------------------


@bp.route("/minutes/shared/<token>", methods=["GET", "POST"])
@public
def shared_minutes(token: str):
    """Open minutes shared with an agency's secure mailbox: ask for a code, then give the PDF once."""
    disclosure = disclosures.for_token(token)
    if disclosure is None:
        return render_template("minutes/shared_gone.html"), 410
    meeting = db.session.get(Meeting, disclosure.version.minutes.meeting_id)
    form = SharedCodeForm()
    if request.method == "POST" and form.validate_on_submit():
        problem = disclosures.check_code(disclosure, form.code.data or "")
        if problem is None:
            disclose_to(f"{disclosure.mailbox} ({disclosure.agency.name})", disclosure.reason)
            disclosures.record_opening(disclosure, meeting)
            version = disclosure.version
            record, _hidden = for_viewer(document_for(meeting, version), False)
            data = pdf.minutes_pdf(record, version.sections, version_info(version))
            name = rules.file_name(meeting.reference, "minutes", version.number, "approved")
            return download(data, "application/pdf", name)
        form.code.errors.append(problem)
    return render_template(
        "minutes/shared.html",
        disclosure=disclosure,
        meeting=meeting,
        form=form,
        token=token,
        confirm=ConfirmForm(),
    )


@bp.route("/minutes/shared/<token>/code", methods=["POST"])
@public
def shared_minutes_code(token: str):
    disclosure = disclosures.for_token(token)
    if disclosure is None:
        return render_template("minutes/shared_gone.html"), 410
    require_confirmation()
    disclosures.send_code(disclosure, db.session.get(Meeting, disclosure.version.minutes.meeting_id))
    flash(f"We have emailed a code to {disclosure.mailbox}. It may take a minute to arrive.", "success")
    return redirect(url_for("minutes.shared_minutes", token=token))


def _link_to_manage(meeting_id: int, disclosure_id: int) -> tuple[Meeting, MinutesDisclosure]:
    """The meeting and one of the links its minutes were sent by, for someone who distributes them."""
    meeting = meeting_to_view(meeting_id)
    if not may_distribute(g.user, meeting):
        abort(404)
    disclosure = db.session.get(MinutesDisclosure, disclosure_id)
    if disclosure is None or disclosure.version.minutes.meeting_id != meeting.id:
        abort(404)
    return meeting, disclosure


@bp.route("/meetings/<int:meeting_id>/minutes/shared/<int:disclosure_id>/revoke", methods=["POST"])
@requires(Permission.EDIT_MINUTES)
def shared_minutes_revoke(meeting_id: int, disclosure_id: int):
    meeting, disclosure = _link_to_manage(meeting_id, disclosure_id)
    require_confirmation()
    if disclosure.state(utcnow()) == "Waiting":
        disclosures.revoke(disclosure, g.user)
        flash(f"The link to {disclosure.mailbox} no longer works.", "success")
    return redirect(url_for("minutes.minutes_view", meeting_id=meeting.id))


@bp.route("/meetings/<int:meeting_id>/minutes/shared/<int:disclosure_id>/send-again", methods=["POST"])
@requires(Permission.EDIT_MINUTES)
def shared_minutes_send_again(meeting_id: int, disclosure_id: int):
    """A new link to the agency's mailbox, in place of one that was used, ran out, or was revoked."""
    meeting, disclosure = _link_to_manage(meeting_id, disclosure_id)
    require_confirmation()
    try:
        disclosures.send_again(meeting, disclosure, g.user)
    except disclosures.NotSentAgain as refused:
        flash(str(refused), "error")
    else:
        flash(f"A new link to the minutes has been sent to {disclosure.agency.secure_mailbox}.", "success")
    return redirect(url_for("minutes.minutes_view", meeting_id=meeting.id))
