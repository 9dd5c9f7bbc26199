"""Minutes: the list of minutes to work on, a meeting's minutes and their versions, the drafting form (with
autosave), the workflow's steps, corrections, executive summaries, and the PDFs of minutes and agendas."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlmodel import select

from tracker.auth.models import Agency
from tracker.core import audit
from tracker.core.db import db
from tracker.core.downloads import disclose_to, download
from tracker.core.forms import ConfirmForm
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, can_view, public, requires
from tracker.core.timeutil import format_datetime
from tracker.core.types import utcnow
from tracker.meetings.models import Meeting, MeetingStatus
from tracker.minutes import disclosure as disclosures
from tracker.minutes import pdf, queries, rules, services
from tracker.minutes import record as records
from tracker.minutes.access import may_approve, may_distribute, may_draft
from tracker.minutes.document import MinutesRecord
from tracker.minutes.forms import CorrectionForm, DistributeForm, MinutesForm, SharedCodeForm, StepForm
from tracker.minutes.models import Minutes, MinutesDisclosure, MinutesVersion
from tracker.minutes.queries import Show
from tracker.minutes.sections import ITEM_SECTIONS, MEETING_SECTIONS, STATEMENT_LABEL, STATEMENT_READ

bp = Blueprint("minutes", __name__)


# Loading, with the access rules ----------------------------------------------------------------------


def _meeting(meeting_id: int) -> Meeting:
    """The meeting (with what its minutes need), if this person may see it; otherwise 404."""
    meeting = records.load_meeting(meeting_id)
    if meeting is None or not can_view(g.user, meeting):
        abort(404)
    return meeting


def _drafting(meeting_id: int) -> tuple[Meeting, Minutes | None]:
    meeting = _meeting(meeting_id)
    if not may_draft(g.user, meeting) or meeting.status is MeetingStatus.CANCELLED:
        abort(404)
    return meeting, records.load_minutes(meeting)


def _readable_version(minutes: Minutes | None, meeting: Meeting, number: int | None) -> MinutesVersion:
    """A version this person may read: any version for those who draft the minutes, else approved ones
    only. Without a number: the current version, or the latest approved one."""
    if minutes is None:
        abort(404)
    drafter = may_draft(g.user, meeting)
    if number is None:
        version = minutes.current if drafter else minutes.latest_approved
    else:
        version = next((v for v in minutes.versions if v.number == number), None)
    if version is None or not (version.is_approved or drafter):
        abort(404)
    return version


def _document_for(meeting: Meeting, version: MinutesVersion | None) -> MinutesRecord:
    """The record of a version: frozen if approved, live if a draft."""
    if version is not None and version.record:
        return records.stored_record(version.record)
    return records.build_record(meeting)


def _document(meeting: Meeting, version: MinutesVersion | None) -> tuple[MinutesRecord, int]:
    """The record to show (frozen if approved, live if a draft), without the cases this person may not see."""
    return _document_for(meeting, version).for_viewer(g.user.terrorism_cleared)


def _version_info(version: MinutesVersion) -> pdf.VersionInfo:
    approved = distributed = ""
    if version.approved_at:
        approved = f"{version.approved_by.name} on {format_datetime(version.approved_at)}"
    if version.distributed_at:
        distributed = format_datetime(version.distributed_at)
    status = "Approved" if version.is_approved else version.minutes.status.label
    return pdf.VersionInfo(
        number=version.number,
        status=status,
        draft=not version.is_approved,
        approved=approved,
        distributed=distributed,
        correction_reason=version.correction_reason,
    )


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
    counts = {s: queries.count(g.user, s) for s in Show if s is not Show.ALL}
    return render_template("minutes/list.html", page=page, rows=rows, show=Show, current=show, counts=counts)


# A meeting's minutes ---------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/minutes")
@requires(Permission.VIEW_CASE_DATA)
def minutes_view(meeting_id: int):
    meeting = _meeting(meeting_id)
    audit.record("view", meeting, summary=f"minutes of {meeting.reference}")
    return _minutes_page(meeting, records.load_minutes(meeting))


def _minutes_page(meeting: Meeting, minutes: Minutes | None, refused: list[str] | None = None):
    """The minutes page: where they stand, what blocks approval, the buttons this person may use, and
    the current version (or, for those who do not draft them, the latest approved one)."""
    drafter = may_draft(g.user, meeting)
    version = None
    if minutes is not None:
        version = minutes.current if drafter else minutes.latest_approved
    record, hidden = _document(meeting, version)
    first = None
    if minutes is not None:
        first = min((v.distributed_at for v in minutes.versions if v.distributed_at), default=None)
    due_on, timeliness = queries.deadline(meeting, first)
    editable = minutes is None or minutes.status.is_editable
    blockers, fix_at, unsaid = _blockers(meeting) if editable and (drafter or refused) else ([], {}, set())
    refused = _unsaid(refused or [], unsaid)
    page = render_template(
        "minutes/view.html",
        meeting=meeting,
        minutes=minutes,
        version=version,
        record=record,
        hidden=hidden,
        sections=version.sections if version else {},
        due_on=due_on,
        timeliness=timeliness,
        blockers=blockers if drafter and not refused else [],
        refused=refused or [],
        fix_at=fix_at,
        drafter=drafter,
        approver=may_approve(g.user, meeting),
        distributor=may_distribute(g.user, meeting),
        step_form=StepForm(formdata=None, version=minutes.version if minutes else 0),
        disclosures=_disclosures(version),
        now=utcnow(),
        confirm=ConfirmForm(),
        **_labels(),
    )
    return page


def _disclosures(version: MinutesVersion | None) -> list[MinutesDisclosure]:
    """The links this version's agencies without a named person were sent (none looked up otherwise)."""
    if version is None or all(r.user_id is not None for r in version.recipients):
        return []
    return list(
        db.session.exec(
            select(MinutesDisclosure)
            .where(MinutesDisclosure.version_id == version.id)
            .order_by(MinutesDisclosure.id)
        )
    )


# What blocks approval names each case; a Category 4 case is named only to those cleared to see it.


def _blockers(meeting: Meeting) -> tuple[list[str], dict[str, str], set[str]]:
    """What blocks approval as this person may read it, where each is put right (the case's agenda
    page), and the problems left unsaid because they name a case this person may not see."""
    blockers, fix_at, hidden = [], {}, set()
    for item, problem in services.approval_problems_by_item(meeting):
        if item.case.is_category_4 and not g.user.terrorism_cleared:
            hidden.add(problem)
            continue
        blockers.append(problem)
        fix_at[problem] = url_for("meetings.agenda_item_view", meeting_id=meeting.id, item_id=item.id)
    return blockers, fix_at, hidden


def _unsaid(problems: list[str], hidden: set[str]) -> list[str]:
    """The problems without those naming a case this person may not see (said once, unnamed)."""
    return [problem for problem in problems if problem not in hidden]


def _labels() -> dict:
    return {
        "meeting_sections": MEETING_SECTIONS,
        "item_sections": ITEM_SECTIONS,
        "statement_read": STATEMENT_READ,
        "statement_label": STATEMENT_LABEL,
    }


def _draft_form(meeting: Meeting, minutes: Minutes | None, record: MinutesRecord) -> MinutesForm:
    item_ids = [item.id for item in record.items]
    version = minutes.version if minutes else 0
    form = MinutesForm.for_items(
        item_ids, data={"version": str(version)} if request.method == "GET" else None
    )
    if request.method == "GET":
        form.show(minutes.current.sections if minutes is not None else {})
    return form


@bp.route("/meetings/<int:meeting_id>/minutes/edit", methods=["GET", "POST"])
@requires(Permission.EDIT_MINUTES)
def minutes_edit(meeting_id: int):
    meeting, minutes = _drafting(meeting_id)
    if minutes is not None and not minutes.status.is_editable:
        flash("Approved minutes cannot be changed. Make a correction to start a new version.")
        return redirect(url_for("minutes.minutes_view", meeting_id=meeting.id))
    record, hidden = _document(meeting, None)
    form = _draft_form(meeting, minutes, record)
    conflict = None
    if form.validate_on_submit():
        result = _save(meeting, minutes, form)
        if isinstance(result, services.Saved):
            flash(_saved_message(result), "success")
            return redirect(url_for("minutes.minutes_view", meeting_id=meeting.id))
        conflict = result
        # The page is now built on what they saved, with this person's changes on top.
        form.version.data = str(conflict.current_version)
        form.show(conflict.theirs)
        form.load(conflict.combined)
    status = 409 if conflict else 200
    return (
        render_template(
            "minutes/edit.html",
            meeting=meeting,
            minutes=minutes,
            record=record,
            hidden=hidden,
            form=form,
            conflict=conflict,
            **_labels(),
        ),
        status,
    )


def _saved_message(saved: services.Saved) -> str:
    if saved.merged_with:
        return (
            f"The draft minutes have been saved. {saved.merged_with} saved changes to other parts while "
            "you were writing: theirs are kept too."
        )
    return "The draft minutes have been saved."


def _save(meeting: Meeting, minutes: Minutes | None, form: MinutesForm):
    try:
        return services.save_draft(
            meeting, minutes, form.sections(), form.version.data or "", g.user, form.shown_fingerprints()
        )
    except services.StepRefused as refused:
        abort(409, "; ".join(refused.problems))


@bp.route("/meetings/<int:meeting_id>/minutes/autosave", methods=["POST"])
@requires(Permission.EDIT_MINUTES)
def minutes_autosave(meeting_id: int):
    """The draft form saved by the page's script every little while; answers in JSON."""
    meeting, minutes = _drafting(meeting_id)
    if minutes is not None and not minutes.status.is_editable:
        return jsonify(saved=False, message="These minutes have been approved and can no longer change"), 409
    record, _hidden = _document(meeting, None)
    form = _draft_form(meeting, minutes, record)
    if not form.validate_on_submit():
        return jsonify(saved=False, message="; ".join(_messages(form))), 400
    result = _save(meeting, minutes, form)
    if isinstance(result, services.Conflict):
        return jsonify(
            saved=False,
            conflict=True,
            message=f"{result.saved_by} changed the same parts since you opened this page. "
            "Save to see both versions",
        ), 409
    saved = result.minutes
    note = ""
    if result.merged_with:
        note = f"{result.merged_with} saved changes to other parts: reload the page to see them."
    return jsonify(
        saved=True,
        version=saved.version,
        saved_at=format_datetime(saved.updated_at),
        # The page's text is what is saved now: later saves compare with it.
        shown=json.dumps(rules.fingerprints(form.sections())),
        note=note,
    )


def _messages(form) -> list[str]:
    return [message for messages in form.errors.values() for message in messages]


def _step_view(meeting_id: int, allowed, action, success: str):
    """The shape every workflow button shares: check, take the step, say what happened."""
    meeting = _meeting(meeting_id)
    if not allowed(g.user, meeting):
        abort(404)
    minutes = records.load_minutes(meeting) or abort(404)
    form = StepForm()
    try:
        action(meeting, minutes, form.version.data or "")
    except services.StepRefused as refused:
        return _refused(meeting, minutes, refused.problems)
    flash(success, "success")
    return redirect(url_for("minutes.minutes_view", meeting_id=meeting.id))


def _refused(meeting: Meeting, minutes: Minutes, problems: list[str]):
    """The minutes page with why the step was refused. Refusals come before any change; the rollback
    makes sure of it, since the page is sent as a success (a form with errors, in GOV.UK style)."""
    db.session.rollback()
    return _minutes_page(meeting, records.load_minutes(meeting), refused=problems)


@bp.route("/meetings/<int:meeting_id>/minutes/submit", methods=["POST"])
@requires(Permission.EDIT_MINUTES)
def minutes_submit(meeting_id: int):
    return _step_view(
        meeting_id,
        may_draft,
        lambda meeting, minutes, version: services.submit(minutes, version, g.user),
        "The minutes have been submitted to the chair for approval.",
    )


@bp.route("/meetings/<int:meeting_id>/minutes/approve", methods=["POST"])
@requires(Permission.APPROVE_MINUTES)
def minutes_approve(meeting_id: int):
    return _step_view(
        meeting_id,
        may_approve,
        lambda meeting, minutes, version: services.approve(meeting, minutes, version, g.user),
        "You have approved the minutes. They can now be distributed.",
    )


@bp.route("/meetings/<int:meeting_id>/minutes/distribute", methods=["GET", "POST"])
@requires(Permission.EDIT_MINUTES)
def minutes_distribute(meeting_id: int):
    meeting = _meeting(meeting_id)
    if not may_distribute(g.user, meeting):
        abort(404)
    minutes = records.load_minutes(meeting)
    if minutes is None or minutes.latest_approved is None:
        abort(404)
    agencies = db.session.exec(select(Agency).where(Agency.active).order_by(Agency.name)).all()
    form = DistributeForm(data={"version": str(minutes.version)} if request.method == "GET" else None)
    form.recipients.choices = services.recipient_choices(meeting, agencies)
    if request.method == "GET":
        form.recipients.data = [value for value, label in form.recipients.choices if "(present)" in label]
    if form.validate_on_submit():
        try:
            added = services.distribute(
                meeting, minutes, form.version.data or "", form.recipients.data, g.user
            )
        except services.StepRefused as refused:
            return _refused(meeting, minutes, refused.problems)
        flash(
            f"The distribution has been recorded: {added} new recipient{'s' if added != 1 else ''}.",
            "success",
        )
        return redirect(url_for("minutes.minutes_view", meeting_id=meeting.id))
    return render_template("minutes/distribute.html", meeting=meeting, minutes=minutes, form=form)


@bp.route("/meetings/<int:meeting_id>/minutes/correct", methods=["GET", "POST"])
@requires(Permission.EDIT_MINUTES)
def minutes_correct(meeting_id: int):
    meeting, minutes = _drafting(meeting_id)
    if minutes is None or minutes.latest_approved is None:
        abort(404)
    form = CorrectionForm(data={"version": str(minutes.version)} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            draft = services.correct(minutes, form.version.data or "", form.reason.data, g.user)
        except services.StepRefused as refused:
            return _refused(meeting, minutes, refused.problems)
        flash(
            f"Version {draft.number} has been started. Version {draft.number - 1} stays as approved.",
            "success",
        )
        return redirect(url_for("minutes.minutes_edit", meeting_id=meeting.id))
    return render_template("minutes/correct.html", meeting=meeting, minutes=minutes, form=form)


# Versions, summaries and PDFs --------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/minutes/versions/<int:number>")
@requires(Permission.VIEW_CASE_DATA)
def version_view(meeting_id: int, number: int):
    meeting = _meeting(meeting_id)
    minutes = records.load_minutes(meeting)
    version = _readable_version(minutes, meeting, number)
    record, hidden = _document(meeting, version)
    audit.record("view", version, summary=f"minutes of {meeting.reference}, version {number}")
    return render_template(
        "minutes/version.html",
        meeting=meeting,
        minutes=minutes,
        version=version,
        info=_version_info(version),
        record=record,
        hidden=hidden,
        sections=version.sections,
        **_labels(),
    )


@bp.route("/meetings/<int:meeting_id>/minutes/versions/<int:number>/pdf")
@requires(Permission.VIEW_CASE_DATA)
def version_pdf(meeting_id: int, number: int):
    meeting = _meeting(meeting_id)
    version = _readable_version(records.load_minutes(meeting), meeting, number)
    record, _hidden = _document(meeting, version)
    info = _version_info(version)
    data = pdf.minutes_pdf(record, version.sections, info)
    status = "draft" if info.draft else info.status.lower()
    audit.record(
        "export", version, summary=f"PDF minutes of {meeting.reference}, version {number} ({status})"
    )
    return download(data, "application/pdf", rules.file_name(meeting.reference, "minutes", number, status))


def _summary(meeting_id: int, case_id: int):
    meeting = _meeting(meeting_id)
    minutes = records.load_minutes(meeting)
    version = _readable_version(minutes, meeting, None)
    if not version.is_approved:
        version = minutes.latest_approved or abort(404)
    record, _hidden = _document(meeting, version)
    item = next((i for i in record.items if i.case_id == case_id), None) or abort(404)
    return meeting, version, record, item, version.sections.get("items", {}).get(item.id, {})


@bp.route("/meetings/<int:meeting_id>/minutes/cases/<int:case_id>/summary")
@requires(Permission.VIEW_CASE_DATA)
def summary_view(meeting_id: int, case_id: int):
    meeting, version, record, item, texts = _summary(meeting_id, case_id)
    audit.record("view", version, summary=f"executive summary of {meeting.reference} for {item.reference}")
    return render_template(
        "minutes/summary.html",
        meeting=meeting,
        version=version,
        info=_version_info(version),
        record=record,
        item=item,
        texts=texts,
        agencies_present=record.agencies_represented(),
    )


@bp.route("/meetings/<int:meeting_id>/minutes/cases/<int:case_id>/summary/pdf")
@requires(Permission.VIEW_CASE_DATA)
def summary_pdf(meeting_id: int, case_id: int):
    meeting, version, record, item, texts = _summary(meeting_id, case_id)
    data = pdf.summary_pdf(record, item, texts, _version_info(version))
    audit.record(
        "export", version, summary=f"PDF executive summary of {meeting.reference} for {item.reference}"
    )
    name = f"{meeting.reference}-{item.reference}-executive-summary-v{version.number}.pdf"
    return download(data, "application/pdf", name)


@bp.route("/meetings/<int:meeting_id>/agenda/pdf")
@requires(Permission.VIEW_CASE_DATA)
def agenda_pdf(meeting_id: int):
    meeting = _meeting(meeting_id)
    agenda = records.agenda_for_viewer(records.build_agenda(meeting), g.user.terrorism_cleared)
    data = pdf.agenda_pdf(agenda)
    audit.record("export", meeting, summary=f"PDF agenda of {meeting.reference}")
    return download(data, "application/pdf", rules.file_name(meeting.reference, "agenda"))


# Minutes shared with an agency's secure mailbox -------------------------------------------------------


@bp.route("/minutes/shared/<token>", methods=["GET", "POST"])
@public
def shared_minutes(token: str):
    """Open minutes shared with an agency's secure mailbox: ask for a code, then give the PDF once."""
    disclosure = disclosures.for_token(token)
    if disclosure is None:
        return render_template("minutes/shared_gone.html"), 410
    meeting = db.session.get(Meeting, disclosure.version.minutes.meeting_id)
    form = SharedCodeForm()
    if request.method == "POST" and form.validate_on_submit():
        problem = disclosures.check_code(disclosure, form.code.data or "")
        if problem is None:
            disclose_to(f"{disclosure.mailbox} ({disclosure.agency.name})", disclosure.reason)
            disclosures.record_opening(disclosure, meeting)
            version = disclosure.version
            record, _hidden = _document_for(meeting, version).for_viewer(False)
            data = pdf.minutes_pdf(record, version.sections, _version_info(version))
            name = rules.file_name(meeting.reference, "minutes", version.number, "approved")
            return download(data, "application/pdf", name)
        form.code.errors.append(problem)
    return render_template(
        "minutes/shared.html",
        disclosure=disclosure,
        meeting=meeting,
        form=form,
        token=token,
        confirm=ConfirmForm(),
    )


@bp.route("/minutes/shared/<token>/code", methods=["POST"])
@public
def shared_minutes_code(token: str):
    disclosure = disclosures.for_token(token)
    if disclosure is None:
        return render_template("minutes/shared_gone.html"), 410
    if not ConfirmForm().validate_on_submit():
        abort(400)
    disclosures.send_code(disclosure, db.session.get(Meeting, disclosure.version.minutes.meeting_id))
    flash(f"We have emailed a code to {disclosure.mailbox}. It may take a minute to arrive.", "success")
    return redirect(url_for("minutes.shared_minutes", token=token))


@bp.route("/meetings/<int:meeting_id>/minutes/shared/<int:disclosure_id>/revoke", methods=["POST"])
@requires(Permission.EDIT_MINUTES)
def shared_minutes_revoke(meeting_id: int, disclosure_id: int):
    meeting = _meeting(meeting_id)
    if not may_distribute(g.user, meeting):
        abort(404)
    disclosure = db.session.get(MinutesDisclosure, disclosure_id)
    if disclosure is None or disclosure.version.minutes.meeting_id != meeting.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if disclosure.state(utcnow()) == "Waiting":
        disclosures.revoke(disclosure, g.user)
        flash(f"The link to {disclosure.mailbox} no longer works.", "success")
    return redirect(url_for("minutes.minutes_view", meeting_id=meeting.id))

