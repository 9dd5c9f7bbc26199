"""From the chairs' register: asking a system admin to make an account for a trained chair who has none."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from tracker.core.forms import ConfirmForm
from tracker.core.permissions import Permission, requires
from tracker.training import invitations, loaders
from tracker.training.views import bp


@bp.route("/chairs/<int:trainee_id>/invite", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def chair_invite(trainee_id: int):
    trainee = loaders.trainee_to_manage(trainee_id)
    problem = invitations.account_problem(trainee)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        if problem is None:
            invitations.ask(trainee, g.user)
            flash(
                f"A system admin has been asked to make {trainee.name}'s account. Once one approves it, "
                f"{trainee.name} is emailed a link to set their password.",
                "success",
            )
            return redirect(url_for("training.chairs_register", q=trainee.name))
    asked = invitations.latest_requests([trainee.id]).get(trainee.id)
    return render_template(
        "training/chair_invite.html", trainee=trainee, problem=problem, confirm=form, asked=asked
    ), (409 if problem and request.method == "POST" else 200)
