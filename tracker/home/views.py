"""The home page: what needs this person's attention, by role."""

from flask import Blueprint, g, redirect, render_template, url_for

from tracker.core.navigation import DASHBOARD_PANELS, ROLE_DESCRIPTIONS
from tracker.core.permissions import current_user, public, requires

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
    return render_template("home/dashboard.html", panels=panels, duties=duties)
