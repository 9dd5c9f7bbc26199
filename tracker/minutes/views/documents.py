"""Versions of the minutes, executive summaries for a case, and the PDFs of minutes, summaries and
agendas."""

from __future__ import annotations

from flask import abort, g, render_template

from tracker.core import audit
from tracker.core.downloads import download
from tracker.core.permissions import Permission, requires
from tracker.minutes import agenda as agendas
from tracker.minutes import holders, pdf, rules
from tracker.minutes import record as records
from tracker.minutes.views.common import (
    bp,
    meeting_to_view,
    readable_version,
    record_to_show,
    section_labels,
    version_info,
)

# Versions, summaries and PDFs --------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/minutes/versions/<int:number>")
@requires(Permission.VIEW_CASE_DATA)
def version_view(meeting_id: int, number: int):
    meeting = meeting_to_view(meeting_id)
    minutes = records.load_minutes(meeting)
    version = readable_version(minutes, meeting, number)
    record, hidden = record_to_show(meeting, version)
    audit.record("view", version, summary=f"minutes of {meeting.reference}, version {number}")
    return render_template(
        "minutes/version.html",
        meeting=meeting,
        minutes=minutes,
        version=version,
        info=version_info(version),
        sent_to=holders.sent_to(version),
        record=record,
        hidden=hidden,
        sections=version.sections,
        **section_labels(),
    )


@bp.route("/meetings/<int:meeting_id>/minutes/versions/<int:number>/pdf")
@requires(Permission.VIEW_CASE_DATA)
def version_pdf(meeting_id: int, number: int):
    meeting = meeting_to_view(meeting_id)
    version = readable_version(records.load_minutes(meeting), meeting, number)
    record, _hidden = record_to_show(meeting, version)
    info = version_info(version)
    data = pdf.minutes_pdf(record, version.sections, info)
    status = "draft" if info.draft else info.status.lower()
    audit.record(
        "export", version, summary=f"PDF minutes of {meeting.reference}, version {number} ({status})"
    )
    return download(data, "application/pdf", rules.file_name(meeting.reference, "minutes", number, status))


def _summary(meeting_id: int, case_id: int):
    meeting = meeting_to_view(meeting_id)
    minutes = records.load_minutes(meeting)
    version = readable_version(minutes, meeting, None)
    if not version.is_approved:
        version = minutes.latest_approved or abort(404)
    record, _hidden = record_to_show(meeting, version)
    item = next((i for i in record.items if i.case_id == case_id), None) or abort(404)
    return meeting, version, record, item, version.sections.get("items", {}).get(item.id, {})


@bp.route("/meetings/<int:meeting_id>/minutes/cases/<int:case_id>/summary")
@requires(Permission.VIEW_CASE_DATA)
def summary_view(meeting_id: int, case_id: int):
    meeting, version, record, item, texts = _summary(meeting_id, case_id)
    audit.record(
        "view",
        version,
        summary=f"executive summary of {meeting.reference} for {item.reference}",
        case_id=item.case_id,
    )
    return render_template(
        "minutes/summary.html",
        meeting=meeting,
        version=version,
        info=version_info(version),
        record=record,
        item=item,
        texts=texts,
        agencies_present=record.agencies_represented(),
    )


@bp.route("/meetings/<int:meeting_id>/minutes/cases/<int:case_id>/summary/pdf")
@requires(Permission.VIEW_CASE_DATA)
def summary_pdf(meeting_id: int, case_id: int):
    meeting, version, record, item, texts = _summary(meeting_id, case_id)
    data = pdf.summary_pdf(record, item, texts, version_info(version))
    audit.record(
        "export",
        version,
        summary=f"PDF executive summary of {meeting.reference} for {item.reference}",
        case_id=item.case_id,
    )
    name = f"{meeting.reference}-{item.reference}-executive-summary-v{version.number}.pdf"
    return download(data, "application/pdf", name)


@bp.route("/meetings/<int:meeting_id>/agenda/pdf")
@requires(Permission.VIEW_CASE_DATA)
def agenda_pdf(meeting_id: int):
    meeting = meeting_to_view(meeting_id)
    agenda = agendas.agenda_for_viewer(agendas.build_agenda(meeting), g.user.terrorism_cleared)
    data = pdf.agenda_pdf(agenda)
    audit.record("export", meeting, summary=f"PDF agenda of {meeting.reference}")
    return download(data, "application/pdf", rules.file_name(meeting.reference, "agenda"))
