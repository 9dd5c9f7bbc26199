"""The home page: what needs this person's attention, by role."""

from flask import Blueprint, g, redirect, render_template, url_for

from tracker.core.navigation import DASHBOARD_PANELS, ROLE_DESCRIPTIONS
from tracker.core.permissions import Permission, current_user, public, requires

bp = Blueprint("home", __name__)


@bp.route("/")
@public
def index():
    if current_user() is None:
        return redirect(url_for("auth.sign_in"))
    return redirect(url_for("home.dashboard"))


@bp.route("/home")
@requires()
def dashboard():
    user = g.user
    panels = [panel for fn in DASHBOARD_PANELS if (panel := fn(user)) is not None]
    duties = [ROLE_DESCRIPTIONS[role] for role in sorted(user.roles, key=lambda r: r.name)]
    # The panels of people who work on cases carry case references: mark the page accordingly.
    return render_template(
        "home/dashboard.html",
        panels=panels,
        duties=duties,
        protective_marking=user.can(Permission.VIEW_CASE_DATA),
    )
