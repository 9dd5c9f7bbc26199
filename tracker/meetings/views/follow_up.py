"""Your account: which of the optional emails a person's roles are sent they receive."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm

from tracker.core.fields import CheckboxesField, SubmitField
from tracker.core.permissions import requires
from tracker.meetings import follow_up, services
from tracker.meetings.services.preferences import NOT_SENT
from tracker.meetings.views.common import bp


class EmailPreferencesForm(FlaskForm):
    """The emails offered (`offered`: those the person's roles are sent); any other posted is refused."""

    kinds = CheckboxesField(
        "Emails you receive", description="Untick any you do not want.", invalid_choice_message=NOT_SENT
    )
    submit = SubmitField("Save")

    def __init__(self, offered: dict[str, str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds.choices = list(offered.items())


@bp.route("/account/emails", methods=["GET", "POST"])
@requires()
def email_preferences():
    offered = follow_up.kinds_for(g.user)
    form = EmailPreferencesForm(offered)
    if request.method == "GET":
        form.kinds.data = [kind for kind in offered if kind not in follow_up.turned_off(g.user.id)]
    if form.validate_on_submit():
        try:
            services.set_email_preferences(g.user, set(form.kinds.data or []))
        except services.Refused as refused:
            form.kinds.errors = [str(refused)]
        else:
            flash("Your email choices are saved.", "success")
            return redirect(url_for("auth.account"))
    return render_template("meetings/email_preferences.html", form=form, offered=offered)
