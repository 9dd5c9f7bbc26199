"""The TRSG's evaluation forms: the list, a new form, a form's versions, its preview and its details."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from tracker.core.forms import ConfirmForm, require_confirmation
from tracker.core.locking import Conflict
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, requires
from tracker.evaluations import listings, loaders, rules, services
from tracker.evaluations.forms import FormDetailsForm, answer_form
from tracker.evaluations.views import bp
from tracker.evaluations.views.common import editing_page, latest_or_redirect, saved


@bp.route("/forms")
@requires(Permission.MANAGE_EVALUATIONS)
def form_list():
    page = paginate(listings.latest_forms_statement())
    return render_template(
        "evaluations/form_list.html", page=page, sent=listings.family_uses([f.family_id for f in page.items])
    )


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
    evaluation_form = loaders.form_to_manage(form_id)
    versions = listings.versions(evaluation_form)
    sent = listings.times_sent([v.id for v in versions])
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
    evaluation_form = loaders.form_to_manage(form_id)
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
    evaluation_form = loaders.form_to_manage(form_id)
    if elsewhere := latest_or_redirect(evaluation_form):
        return elsewhere
    form = FormDetailsForm(obj=evaluation_form, editing=evaluation_form)
    if form.validate_on_submit():
        try:
            copy = services.save_form_details(
                evaluation_form, form.version.data, g.user, form.name.data, form.description.data or ""
            )
        except Conflict:
            form.show_conflict()
        else:
            return saved(copy, evaluation_form, "Form details saved.")
    return editing_page("evaluations/form_details.html", form, evaluation_form)


@bp.route("/forms/<int:form_id>/copy", methods=["POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def form_copy(form_id: int):
    """A new form from this version, its questions keeping their measures (so results compare)."""
    evaluation_form = loaders.form_to_manage(form_id)
    require_confirmation()
    taken = {name for _family_id, name in listings.current_names()}
    name = rules.unused_name(f"Copy of {evaluation_form.name}", taken, limit=200)
    copy = services.copy_form(evaluation_form, name, g.user)
    flash(
        f"Form '{copy.form.name}' made from {evaluation_form.label}. Its questions keep their measures, "
        "so events evaluated with either form can be compared. Change its name and questions as needed.",
        "success",
    )
    return redirect(url_for("evaluations.form_view", form_id=copy.form.id))
