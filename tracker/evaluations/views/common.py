"""Pieces several evaluation views share: sending a change to the version that may take it, and saying
where a change to a form went."""

from __future__ import annotations

from collections.abc import Callable

from flask import flash, redirect, render_template, request, url_for

from tracker.core.locking import Conflict
from tracker.evaluations import listings, services
from tracker.evaluations.models import EvaluationForm


def latest_or_redirect(evaluation_form: EvaluationForm):
    """None if this version may be changed; otherwise a redirect to the version that may."""
    latest_id = listings.latest_version_id(evaluation_form.family_id)
    if latest_id == evaluation_form.id:
        return None
    flash(
        f"Version {evaluation_form.version_number} has been replaced by a newer version: "
        "make changes to this one instead."
    )
    return redirect(url_for("evaluations.form_view", form_id=latest_id))


def read_version(posted: str | None, evaluation_form: EvaluationForm) -> str:
    """The version of the form the person's page was built from. A page without one (built before
    sections and questions carried it) is taken to be of the version just read: the claim still lets
    only one of two changes made at once through."""
    return posted or str(evaluation_form.version)


def saved(copy: services.Copy, original: EvaluationForm, message: str):
    """Flash what happened (saying so when the change made a new version) and show the version."""
    if copy.form.id != original.id:
        message += (
            f" The form had been sent to events, so the change made version {copy.form.version_number};"
            f" those events keep version {original.version_number}."
        )
    flash(message, "success")
    return redirect(url_for("evaluations.form_view", form_id=copy.form.id))


def save_from_form(
    form,
    evaluation_form: EvaluationForm,
    change: Callable[[str], services.Copy],
    message: str,
    valid: Callable[[], bool] | None = None,
):
    """When the form is valid (by `valid`, or the form's own checks), make the change (given the version
    the page was built from) and show the version it went to; None, for the form to be shown again, when
    it is not valid or someone else changed the form at the same moment (the form then says so)."""
    if not (valid() if valid is not None else form.validate_on_submit()):
        return None
    try:
        copy = change(read_version(form.version.data, evaluation_form))
    except Conflict:
        form.show_conflict()
        return None
    return saved(copy, evaluation_form, message)


def save_from_button(evaluation_form: EvaluationForm, change: Callable[[str], services.Copy], message: str):
    """A change from a button (remove, move): made at the version the page was built from, then the
    version it went to is shown, or, if someone else changed the form at the same moment, theirs."""
    try:
        copy = change(read_version(request.form.get("version"), evaluation_form))
    except Conflict:
        return conflicted(evaluation_form)
    return saved(copy, evaluation_form, message)


def conflicted(evaluation_form: EvaluationForm):
    """Someone else changed the form at the same moment: nothing was saved; show them theirs."""
    flash(
        "Someone else changed this form at the same moment, so your change was not saved. "
        "Check it and try again."
    )
    return redirect(url_for("evaluations.form_view", form_id=evaluation_form.id))


def editing_page(template: str, form, evaluation_form: EvaluationForm, **shown):
    """A page that edits part of an evaluation form, saying whether answers to it lock its questions."""
    locked = listings.is_locked(evaluation_form)
    return render_template(template, form=form, evaluation_form=evaluation_form, locked=locked, **shown)
