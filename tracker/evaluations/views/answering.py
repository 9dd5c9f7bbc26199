"""Answering an evaluation, through a one-time link or signed in."""

from __future__ import annotations

from flask import redirect, render_template, url_for

from tracker.core.permissions import public, requires
from tracker.core.timeutil import today_london
from tracker.evaluations import listings, loaders, rules, services
from tracker.evaluations.forms import (
    answer_form,
    field_name,
)
from tracker.evaluations.models import (
    EvaluationInvitation,
)
from tracker.evaluations.views import bp


@bp.route("/answer/<token>", methods=["GET", "POST"])
@public
def answer(token: str):
    invitation = listings.invitation_for_token(token)
    if invitation is None:
        return render_template("evaluations/link_refused.html", reason="unknown"), 404
    return _answer(invitation, action=url_for("evaluations.answer", token=token))


@bp.route("/invitations/<int:invitation_id>", methods=["GET", "POST"])
@requires()
def answer_signed_in(invitation_id: int):
    invitation = loaders.invitation_to_answer(invitation_id)
    return _answer(invitation, action=url_for("evaluations.answer_signed_in", invitation_id=invitation.id))


def _answer(invitation: EvaluationInvitation, action: str):
    """The answer page for a link: refused once used or closed; otherwise validated, then kept once."""
    evaluation = loaders.evaluation_answered(invitation)
    today = today_london()
    if invitation.answered:
        return render_template("evaluations/link_refused.html", reason="answered", evaluation=evaluation), 410
    if not rules.is_open(evaluation.closes_on, today):
        return render_template("evaluations/link_refused.html", reason="closed", evaluation=evaluation), 410
    form = answer_form(evaluation.form, ask_name=not evaluation.always_anonymous)
    if form.validate_on_submit():
        values = {q.id: form[field_name(q)].data for q in evaluation.form.questions}
        named = not evaluation.always_anonymous and form.named.data == "YES"
        try:
            services.submit(invitation, evaluation.form, values, named, today)
        except services.AlreadyAnswered:
            return render_template(
                "evaluations/link_refused.html", reason="answered", evaluation=evaluation
            ), 410
        return redirect(url_for("evaluations.thanks"))
    return render_template(
        "evaluations/answer.html",
        form=form,
        evaluation_form=evaluation.form,
        event=evaluation.event,
        evaluation=evaluation,
        person=invitation.enrolment.trainee.name,
        action=action,
        preview=False,
    )


@bp.route("/thank-you")
@public
def thanks():
    return render_template("evaluations/thanks.html")
