"""A session's register on paper and as a file: the sign-in sheet to print for the room (PDF), and the
register as it stands (CSV), before or after the day."""

from __future__ import annotations

from flask import abort

from tracker.core import audit, settings
from tracker.core.csvfile import csv_download, csv_text
from tracker.core.downloads import download
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import format_date, london
from tracker.training import listings, loaders, pdf
from tracker.training.models import SessionStatus
from tracker.training.views import bp
from tracker.training.views.common import slug


def _session(session_id: int):
    session = loaders.session_to_manage(session_id)
    if session.status is SessionStatus.CANCELLED:
        abort(404)
    return session


@bp.route("/sessions/<int:session_id>/sign-in-sheet.pdf")
@requires(Permission.MANAGE_TRAINING)
def sign_in_sheet(session_id: int):
    session = _session(session_id)
    event = session.event
    rows = [
        pdf.SheetRow(e.trainee.name, e.trainee.agency.name, e.role.label)
        for e in listings.register_enrolments(event.id)
    ]
    starts, ends = london(session.starts_at), london(session.ends_at)
    data = pdf.sign_in_sheet_pdf(
        rows,
        area=settings.get("area_name"),
        event=event.title,
        course=event.course.title,
        session=session.title,
        when=f"{format_date(starts.date())}, {starts:%H:%M} to {ends:%H:%M}",
        where=session.venue or ("Online" if session.online_link else ""),
    )
    audit.record("export", session, summary=f"PDF sign-in sheet of {len(rows)} people")
    return download(data, "application/pdf", f"sign-in-{slug(event.title)}-{slug(session.title)}.pdf")


@bp.route("/sessions/<int:session_id>/register.csv")
@requires(Permission.MANAGE_TRAINING)
def register_csv(session_id: int):
    session = _session(session_id)
    event = session.event
    marks = listings.session_marks(session.id)
    rows = []
    for enrolment in listings.register_enrolments(event.id):
        row = marks.get(enrolment.id)
        rows.append(
            [
                enrolment.trainee.name,
                enrolment.trainee.email,
                enrolment.trainee.agency.name,
                enrolment.role.label,
                row.mark.label if row else "Not marked",
                row.note if row else "",
                ("Yes" if row.from_paper else "No") if row else "",
                enrolment.status.label,
            ]
        )
    header = ["Name", "Email", "Agency", "Attending as", "Mark", "Note", "From paper sheet", "Outcome"]
    audit.record("export", session, summary=f"CSV register of {len(rows)} people")
    return csv_download(csv_text(header, rows), f"register-{slug(event.title)}-{slug(session.title)}.csv")
