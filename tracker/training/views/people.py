"""People known to training: the list, each person's record, one's own record, the chairs' register."""

from __future__ import annotations

from flask import g, render_template, request

from tracker.auth.models import User
from tracker.core import settings
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, Role, requires
from tracker.core.timeutil import today_london
from tracker.core.types import utcnow
from tracker.training import invitations, listings, loaders, queries
from tracker.training.models import (
    Trainee,
)
from tracker.training.views import bp


@bp.route("/people")
@requires(Permission.MANAGE_TRAINING)
def trainee_list():
    query, agency = request.args.get("q", "").strip(), request.args.get("agency", type=int)
    return render_template(
        "training/trainee_list.html",
        page=paginate(listings.trainees_statement(query, agency)),
        query=query,
        agency=agency,
        agencies=listings.agency_choices(),
    )


@bp.route("/people/<int:trainee_id>")
@requires(Permission.MANAGE_TRAINING)
def trainee_view(trainee_id: int):
    trainee = loaders.trainee_to_manage(trainee_id)
    return render_template("training/trainee_view.html", trainee=trainee, **_record(trainee, trainee.user))


@bp.route("/my-record")
@requires(Permission.VIEW_OWN_TRAINING)
def my_record():
    trainee = listings.trainee_for_user(g.user)
    return render_template("training/my_record.html", trainee=trainee, **_record(trainee, g.user))


def _record(trainee: Trainee | None, user: User | None) -> dict:
    """A person's training record: their enrolments (a page of them), CPD hours, and chair status."""
    is_chair = user is not None and user.has_role(Role.CHAIR)
    return {
        "page": paginate(listings.record_statement(trainee, g.user)),
        "cpd_minutes": listings.cpd_minutes(trainee),
        "chair_status": queries.chair_status_for(user) if is_chair else None,
        "today": today_london(),
        "now": utcnow(),
    }


@bp.route("/chairs")
@requires(Permission.MANAGE_TRAINING)
def chairs_register():
    state = request.args.get("status", "")
    query = request.args.get("q", "").strip()
    page = paginate(queries.chairs_register_statement(state, query), scalars=False)
    without_accounts = [row.trainee_id for row in page.items if not row.user_id]
    return render_template(
        "training/chairs_register.html",
        page=page,
        statuses=queries.register_statuses(page.items),
        asked=invitations.latest_requests(without_accounts),
        barred=invitations.barred_from_chairing(without_accounts),
        register_key=queries.register_key,
        state=state,
        query=query,
        filters=queries.REGISTER_FILTERS,
        lapse_months=settings.get("cpd_lapse_months"),
        warning_months=settings.get("cpd_warning_months"),
    )
