"""Chair records: who may chair which level of meeting."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlmodel import col, select

from tracker.auth.models import User, UserRole
from tracker.core.db import db
from tracker.core.permissions import Permission, Role, requires
from tracker.meetings import services
from tracker.meetings.forms import (
    ChairProfileForm,
)
from tracker.meetings.models import (
    ChairProfile,
    Level,
)
from tracker.meetings.views.common import bp

# Chair records -------------------------------------------------------------------------------------


@bp.route("/chairs")
@requires(Permission.VIEW_ALL_CASES, Permission.SCHEDULE_MEETINGS)
def chair_list():
    chairs = db.session.exec(
        select(User)
        .where(col(User.id).in_(select(UserRole.user_id).where(UserRole.role == Role.CHAIR)))
        .order_by(User.name)
    ).all()
    profiles = {p.user_id: p for p in db.session.exec(select(ChairProfile))}
    return render_template("meetings/chair_list.html", chairs=chairs, profiles=profiles)


@bp.route("/chairs/<int:user_id>", methods=["GET", "POST"])
@requires(Permission.VIEW_ALL_CASES, Permission.SCHEDULE_MEETINGS)
def chair_edit(user_id: int):
    chair = db.session.get(User, user_id)
    if chair is None or not chair.has_role(Role.CHAIR):
        abort(404)
    profile = db.session.get(ChairProfile, user_id)
    form = ChairProfileForm(obj=profile)
    if request.method == "GET":
        form.levels.data = [
            level.name for level in (Level.LEVEL_2, Level.LEVEL_3) if profile and profile.may_chair(level)
        ]
    if form.validate_on_submit():
        services.save_chair_profile(chair, form.grade.data, form.levels.data, g.user)
        flash(f"Chair record for {chair.name} saved.", "success")
        return redirect(url_for("meetings.chair_list"))
    return render_template("meetings/chair_form.html", form=form, chair=chair)
