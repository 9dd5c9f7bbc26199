"""The TRSG's evaluation forms: the list, a new form, a form's versions, its preview and its details."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, g, redirect, render_template, request, url_for
from sqlmodel import col, select

from tracker.core.db import db
from tracker.core.forms import ConfirmForm
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, requires
from tracker.evaluations import rules, services
from tracker.evaluations.forms import (
    FormDetailsForm,
    answer_form,
)
from tracker.evaluations.models import (
    EvaluationForm,
    EventEvaluation,
)
from tracker.evaluations.views import bp
from tracker.evaluations.views.common import (
    form_or_404,
    latest_or_redirect,
    saved,
)


@bp.route("/forms")
@requires(Permission.MANAGE_EVALUATIONS)
def form_list():
    latest = (
        select(EvaluationForm.family_id, sa.func.max(EvaluationForm.version_number).label("number"))
        .group_by(EvaluationForm.family_id)
        .subquery()
    )
    statement = (
        select(EvaluationForm)
        .join(
            latest,
            sa.and_(
                latest.c.family_id == EvaluationForm.family_id,
                latest.c.number == EvaluationForm.version_number,
            ),
        )
        .order_by(col(EvaluationForm.is_default).desc(), col(EvaluationForm.name), col(EvaluationForm.id))
    )
    page = paginate(statement)
    return render_template(
        "evaluations/form_list.html", page=page, sent=_family_uses([f.family_id for f in page.items])
    )


def _family_uses(family_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(EvaluationForm.family_id, sa.func.count(EventEvaluation.id))
        .join(EventEvaluation, col(EventEvaluation.form_id) == EvaluationForm.id)
        .where(col(EvaluationForm.family_id).in_(family_ids))
        .group_by(EvaluationForm.family_id)
    )
    return dict(rows.all())


@bp.route("/forms/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def form_new():
    form = FormDetailsForm(data={"version": "0"} if request.method == "GET" else None)
    if form.validate_on_submit():
        created = services.create_form(form.name.data, form.description.data or "", g.user)
        flash(f"Form '{created.name}' created. Add its questions.", "success")
        return redirect(url_for("evaluations.form_view", form_id=created.id))
    return render_template("evaluations/form_details.html", form=form, evaluation_form=None)


@bp.route("/forms/<int:form_id>")
@requires(Permission.MANAGE_EVALUATIONS)
def form_view(form_id: int):
    evaluation_form = form_or_404(form_id)
    versions = db.session.exec(
        select(EvaluationForm)
        .where(EvaluationForm.family_id == evaluation_form.family_id)
        .order_by(col(EvaluationForm.version_number).desc())
    ).all()
    sent = services.times_sent([v.id for v in versions])
    return render_template(
        "evaluations/form_view.html",
        evaluation_form=evaluation_form,
        versions=versions,
        sent=sent,
        is_latest=versions[0].id == evaluation_form.id,
        locked=rules.is_locked(sent.get(evaluation_form.id, 0)),
        confirm=ConfirmForm(),
    )


@bp.route("/forms/<int:form_id>/preview")
@requires(Permission.MANAGE_EVALUATIONS)
def form_preview(form_id: int):
    evaluation_form = form_or_404(form_id)
    return render_template(
        "evaluations/answer.html",
        form=answer_form(evaluation_form, ask_name=True),
        evaluation_form=evaluation_form,
        event=None,
        preview=True,
    )


@bp.route("/forms/<int:form_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def form_edit(form_id: int):
    evaluation_form = form_or_404(form_id)
    if elsewhere := latest_or_redirect(evaluation_form):
        return elsewhere
    form = FormDetailsForm(obj=evaluation_form)
    if form.validate_on_submit() and form.check_version(evaluation_form.version):
        copy = services.writable(evaluation_form, g.user)
        copy.form.name, copy.form.description = form.name.data, form.description.data or ""
        copy.form.version += 1
        return saved(copy, evaluation_form, "Form details saved.")
    return render_template(
        "evaluations/form_details.html",
        form=form,
        evaluation_form=evaluation_form,
        locked=services.is_locked(evaluation_form),
    )
