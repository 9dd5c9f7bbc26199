"""Your account: which of the meetings area's optional emails a person receives."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from tracker.core.fields import CheckboxesField, SubmitField
from tracker.core.permissions import requires
from tracker.meetings import follow_up, services
from tracker.meetings.views.common import bp


class EmailPreferencesForm(FlaskForm):
    kinds = CheckboxesField(
        "Emails you receive",
        description="Untick any you do not want.",
        choices=list(follow_up.KINDS.items()),
    )
    submit = SubmitField("Save")


@bp.route("/account/emails", methods=["GET", "POST"])
@requires()
def email_preferences():
    form = EmailPreferencesForm()
    if request.method == "GET":
        form.kinds.data = [kind for kind in follow_up.KINDS if kind not in follow_up.turned_off(g.user.id)]
    if form.validate_on_submit():
        services.set_email_preferences(g.user, set(form.kinds.data or []))
        flash("Your email choices are saved.", "success")
        return redirect(url_for("auth.account"))
    return render_template("meetings/email_preferences.html", form=form)
