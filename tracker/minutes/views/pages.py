"""The list of minutes to work on, and a meeting's minutes: where they stand, what blocks approval and
the steps this person may take."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for
from sqlmodel import select

from tracker.core import audit
from tracker.core.db import db
from tracker.core.forms import ConfirmForm
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, requires
from tracker.core.reasons import ConsultationReasonForm
from tracker.core.redirects import safe_next
from tracker.core.types import utcnow
from tracker.meetings import justification
from tracker.meetings.models import Meeting, MeetingStatus
from tracker.minutes import checks, handover, holders, queries
from tracker.minutes import record as records
from tracker.minutes.access import may_approve, may_distribute, may_draft
from tracker.minutes.forms import StepForm
from tracker.minutes.models import Minutes, MinutesDisclosure, MinutesVersion
from tracker.minutes.queries import Show
from tracker.minutes.views.common import bp, meeting_to_view, record_to_show, section_labels

# The list --------------------------------------------------------------------------------------------


@bp.route("/minutes")
@requires(Permission.EDIT_MINUTES)
def minutes_list():
    show = next((s for s in Show if s.value == request.args.get("show")), Show.TO_WRITE)
    page = paginate(queries.minutes_statement(g.user, show), scalars=False)
    rows = [
        (meeting, minutes, *queries.deadline(meeting, first_distributed))
        for meeting, minutes, first_distributed in page.items
    ]
    counts = queries.counts(g.user)
    return render_template("minutes/list.html", page=page, rows=rows, show=Show, current=show, counts=counts)


# A meeting's minutes ---------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/minutes")
@requires(Permission.VIEW_CASE_DATA)
def minutes_view(meeting_id: int):
    meeting = meeting_to_view(meeting_id)
    audit.record("view", meeting, summary=f"minutes of {meeting.reference}")
    return minutes_page(meeting, records.load_minutes(meeting))


@bp.route("/meetings/<int:meeting_id>/minutes/reason", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA, Permission.GIVE_REASONS)
def minutes_reason(meeting_id: int):
    """Why someone who sees the meeting only by oversight of every meeting reads its minutes (asked once
    per meeting per session, as a case asks someone with no part in it)."""
    meeting = meeting_to_view(meeting_id)
    back = safe_next(url_for("minutes.minutes_view", meeting_id=meeting.id))
    if justification.role_on_meeting(g.user, meeting.id, meeting) != justification.OVERSIGHT:
        return redirect(back)  # their part in the meeting is reason enough
    form = ConsultationReasonForm(opens="the minutes")
    if form.validate_on_submit():
        justification.give_reason(g.user, meeting, form.given())
        return redirect(back)
    form.next.data = back
    return render_template("core/consultation_reason.html", form=form, meeting=meeting)


def minutes_page(meeting: Meeting, minutes: Minutes | None, refused: list[str] | None = None):
    """The minutes page: where they stand, what blocks approval, the buttons this person may use, and
    the current version (or, for those who do not draft them, the latest approved one)."""
    drafter = may_draft(g.user, meeting)
    version = None
    if minutes is not None:
        version = minutes.current if drafter else minutes.latest_approved
    record, hidden = record_to_show(meeting, version)
    first, sent = queries.distribution(minutes)
    due_on, timeliness = queries.deadline(meeting, first)
    blockers, fix_at, unsaid = _blockers_shown(meeting, minutes, drafter, bool(refused))
    refused = _unsaid(refused or [], unsaid)
    return render_template(
        "minutes/view.html",
        meeting=meeting,
        minutes=minutes,
        version=version,
        record=record,
        hidden=hidden,
        sections=version.sections if version else {},
        due_on=due_on,
        timeliness=timeliness,
        sent=sent,
        blockers=blockers if drafter and not refused else [],
        refused=refused or [],
        fix_at=fix_at,
        drafter=drafter,
        approver=may_approve(g.user, meeting),
        departed=handover.departed_approver(meeting, minutes),
        distributor=may_distribute(g.user, meeting),
        step_form=StepForm(formdata=None, version=minutes.version if minutes else 0),
        **_distributed(minutes, version),
        now=utcnow(),
        confirm=ConfirmForm(),
        imported=queries.version_imported_note(version, meeting) if version else "",
        **section_labels(),
    )


def _distributed(minutes: Minutes | None, version: MinutesVersion | None) -> dict:
    """To whom the version shown was sent and when, and, for the version that stands, who had an earlier
    one but has not been sent it (and the agencies among them it can no longer be sent to); with the
    links sent to agencies' secure mailboxes."""
    standing = minutes.latest_approved if minutes is not None else None
    missing, out_of_reach = holders.not_sent(minutes, version if version == standing else None)
    return {
        "sent_to": holders.sent_to(version),
        "not_sent": missing,
        "out_of_reach": out_of_reach,
        **_links(version),
    }


def _links(version: MinutesVersion | None) -> dict:
    """The links this version's agencies without a named person were sent (none looked up otherwise), and
    the last one to each agency (which may be sent again once it no longer works)."""
    if version is None or all(r.user_id is not None for r in version.recipients):
        return {"disclosures": [], "last_links": set()}
    links = list(
        db.session.exec(
            select(MinutesDisclosure)
            .where(MinutesDisclosure.version_id == version.id)
            .order_by(MinutesDisclosure.id)
        )
    )
    return {"disclosures": links, "last_links": set({link.agency_id: link.id for link in links}.values())}


# What blocks approval names each case; a Category 4 case is named only to those cleared to see it.


def _blockers_shown(meeting: Meeting, minutes: Minutes | None, drafter: bool, refused: bool):
    """`_blockers` while the minutes may still change, to those who draft them or someone refused; none
    for a cancelled meeting (it has no minutes to write: nothing is due, and nothing blocks approval)."""
    editable = minutes is None or minutes.status.is_editable
    if meeting.status is MeetingStatus.CANCELLED or not editable or not (drafter or refused):
        return [], {}, set()
    return _blockers(meeting)


def _blockers(meeting: Meeting) -> tuple[list[str], dict[str, str], set[str]]:
    """What blocks approval as this person may read it, where each is put right (the case's agenda
    page), and the problems left unsaid because they name a case this person may not see."""
    blockers, fix_at, hidden = [], {}, set()
    for problem, page in (
        (checks.meeting_problem(meeting), "meetings.meeting_view"),
        (checks.attendance_problem(meeting), "meetings.attendance"),
    ):
        if problem:
            blockers.append(problem)
            fix_at[problem] = url_for(page, meeting_id=meeting.id)
    for item, problem in checks.approval_problems_by_item(meeting):
        if item.case.is_category_4 and not g.user.terrorism_cleared:
            hidden.add(problem)
            continue
        blockers.append(problem)
        fix_at[problem] = url_for("meetings.agenda_item_view", meeting_id=meeting.id, item_id=item.id)
    return blockers, fix_at, hidden


def _unsaid(problems: list[str], hidden: set[str]) -> list[str]:
    """The problems without those naming a case this person may not see (said once, unnamed)."""
    return [problem for problem in problems if problem not in hidden]
