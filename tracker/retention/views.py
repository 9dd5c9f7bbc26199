"""The co-ordinator's retention pages: the records due for review, one review (retain or dispose of), and
the legal hold on a case."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from tracker.core import audit
from tracker.core.db import db
from tracker.core.pagination import paginate_list
from tracker.core.permissions import Permission, get_visible_or_404, requires
from tracker.core.timeutil import today_london
from tracker.meetings.models import Case
from tracker.retention import disposal, queries, services
from tracker.retention.forms import DisposeForm, HoldForm, LiftForm, RetainForm
from tracker.retention.models import RecordKind, RetentionReview, ReviewOutcome

bp = Blueprint("retention", __name__, url_prefix="/retention")


@bp.route("/")
@requires(Permission.REVIEW_RETENTION)
def review_list():
    page = paginate_list(queries.summaries(services.open_reviews(), g.user), size=50)
    return render_template("retention/review_list.html", page=page)


def _refused(field, change: Callable[..., object], *args) -> bool:
    """Makes the change through the service; when the service refuses it, the reason is shown on the field
    and True answered (the page is then shown again, 409)."""
    try:
        change(*args)
    except services.Refused as refused:
        field.errors = [str(refused)]
        return True
    return False


def _review(review_id: int) -> tuple[RetentionReview, queries.RecordSummary]:
    review = db.session.get(RetentionReview, review_id)
    summary = queries.summary_of(review, g.user) if review is not None else None
    if summary is None:
        abort(404)
    return review, summary


def _review_page(review, summary, retain_form=None, dispose_form=None, status=200):
    retain_form = retain_form or RetainForm(prefix="retain", version=review.version)
    dispose_form = dispose_form or DisposeForm(prefix="dispose", version=review.version)
    if summary.case is not None and request.method == "GET":
        audit.record("view", summary.case, summary="retention review")
    return render_template(
        "retention/review.html",
        review=review,
        summary=summary,
        retain_form=retain_form,
        dispose_form=dispose_form,
        form=retain_form if retain_form.errors else dispose_form,
        is_open=review.outcome is ReviewOutcome.DUE,
        due_now=services.due_now(review, today_london()) if review.outcome is ReviewOutcome.DUE else None,
    ), status


@bp.route("/reviews/<int:review_id>")
@requires(Permission.REVIEW_RETENTION)
def review_view(review_id: int):
    return _review_page(*_review(review_id))


@bp.route("/reviews/<int:review_id>/retain", methods=["POST"])
@requires(Permission.REVIEW_RETENTION)
def review_retain(review_id: int):
    review, summary = _review(review_id)
    form = RetainForm(prefix="retain")
    if not form.validate_on_submit():
        return _review_page(review, summary, retain_form=form)
    values = (form.reason.data, form.review_on.data, form.version.data, today_london())
    if _refused(form.reason, services.retain, review, g.user, *values):
        return _review_page(review, summary, retain_form=form, status=409)
    flash(f"{summary.label} is kept, to be reviewed again on {form.review_on.data:%-d %B %Y}.", "success")
    return redirect(url_for("retention.review_list"))


@bp.route("/reviews/<int:review_id>/dispose", methods=["POST"])
@requires(Permission.REVIEW_RETENTION)
def review_dispose(review_id: int):
    review, summary = _review(review_id)
    form = DisposeForm(prefix="dispose")
    if not form.validate_on_submit():
        return _review_page(review, summary, dispose_form=form)
    if _refused(form.confirm, services.dispose, review, g.user, form.version.data):
        return _review_page(review, summary, dispose_form=form, status=409)
    flash(f"{review.kind.label} {review.record_id} was disposed of. The erasure is logged.", "success")
    return redirect(url_for("retention.review_list"))


# Legal holds --------------------------------------------------------------------------------------------


def _hold_page(case: Case, hold_form=None, lift_form=None, status=200):
    hold_form = hold_form or HoldForm(prefix="hold")
    lift_form = lift_form or LiftForm(prefix="lift")
    return render_template(
        "retention/legal_hold.html",
        case=case,
        hold=disposal.active_hold(case.id),
        hold_form=hold_form,
        lift_form=lift_form,
        form=hold_form if hold_form.errors else lift_form,
        reviews=_open_review_of(case),
    ), status


def _open_review_of(case: Case) -> list[RetentionReview]:
    return [r for r in services.open_reviews() if r.kind is RecordKind.CASE and r.record_id == case.id]


@bp.route("/cases/<int:case_id>/legal-hold", methods=["GET", "POST"])
@requires(Permission.REVIEW_RETENTION)
def legal_hold(case_id: int):
    case = get_visible_or_404(Case, case_id)
    form = HoldForm(prefix="hold")
    if request.method == "GET" or not form.validate_on_submit():
        return _hold_page(case, hold_form=form)
    if _refused(form.reason, services.place_hold, case, g.user, form.reason.data):
        return _hold_page(case, hold_form=form, status=409)
    flash(
        f"Case {case.reference} is under a legal hold: it cannot be disposed of until the hold is lifted.",
        "success",
    )
    return redirect(url_for("retention.legal_hold", case_id=case.id))


@bp.route("/cases/<int:case_id>/legal-hold/lift", methods=["POST"])
@requires(Permission.REVIEW_RETENTION)
def legal_hold_lift(case_id: int):
    case = get_visible_or_404(Case, case_id)
    form = LiftForm(prefix="lift")
    if not form.validate_on_submit():
        return _hold_page(case, lift_form=form)
    if _refused(form.reason, services.lift_hold, case, g.user, form.reason.data):
        return _hold_page(case, lift_form=form, status=409)
    flash(f"The legal hold on case {case.reference} is lifted.", "success")
    return redirect(url_for("retention.legal_hold", case_id=case.id))
