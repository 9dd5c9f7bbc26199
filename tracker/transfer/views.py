"""The system admin's page for exporting the whole area, and the co-ordinator's for bringing a caseload in
from a spreadsheet (upload, check every row, then import all or nothing)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for

from tracker.core import audit, settings
from tracker.core.csvfile import csv_download
from tracker.core.db import db
from tracker.core.downloads import disclose_to, download
from tracker.core.forms import ConfirmForm
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import today_london
from tracker.transfer import caseload, export, services
from tracker.transfer.forms import CaseloadUploadForm, ExportForm
from tracker.transfer.models import CaseloadUpload

bp = Blueprint("transfer", __name__)


@bp.route("/admin/export", methods=["GET", "POST"])
@requires(Permission.EXPORT_AREA)
def export_area():
    form = ExportForm()
    if form.validate_on_submit():
        made = export.build(settings.get("area_name"))
        disclose_to(form.recipient.data, form.reason.data)
        audit.record(
            "export",
            object_type="Area",
            object_id="all",
            summary=f"Whole-area export ({sum(made.counts.values()):,} rows in {len(made.counts)} tables) "
            f"to {form.recipient.data.strip()}: {form.reason.data.strip()}",
        )
        return download(made.data, "application/zip", f"mappa-tracker-export-{today_london():%Y-%m-%d}.zip")
    return render_template(
        "transfer/export.html", form=form, tables=export.tables(), left_out=sorted(export.LEFT_OUT)
    )


# Bringing a caseload in ------------------------------------------------------------------------------


@bp.route("/cases/import", methods=["GET", "POST"], endpoint="caseload_upload")
@requires(Permission.IMPORT_CASELOAD)
def caseload_upload():
    form = CaseloadUploadForm()
    if form.validate_on_submit():
        filename = form.file.data.filename or ""
        try:
            rows = caseload.read(filename, form.file.data.read())
        except caseload.UploadProblem as problem:
            form.file.errors.append(str(problem))
        else:
            upload = services.hold_upload(g.user, filename, rows)
            return redirect(url_for("transfer.caseload_preview", upload_id=upload.id))
    return render_template("transfer/caseload_upload.html", form=form, columns=caseload.CASE_COLUMNS)


@bp.route("/cases/import/template.csv", endpoint="caseload_template")
@requires(Permission.IMPORT_CASELOAD)
def caseload_template():
    # A blank template holds no personal data: nobody is asked, and it is logged all the same.
    disclose_to(f"{g.user.name} <{g.user.email}> (themselves)", "Blank caseload template (no personal data)")
    return csv_download(caseload.template_csv(), "mappa-caseload-template.csv")


def _own_upload_or_404(upload_id: int) -> CaseloadUpload:
    upload = db.session.get(CaseloadUpload, upload_id)
    if upload is None or upload.created_by_id != g.user.id or upload.imported_at is not None:
        abort(404)
    return upload


@bp.route("/cases/import/<int:upload_id>", endpoint="caseload_preview")
@requires(Permission.IMPORT_CASELOAD)
def caseload_preview(upload_id: int):
    upload = _own_upload_or_404(upload_id)
    checked = services.check_upload(g.user, upload)
    audit.record("view", upload, summary=f"preview of {len(checked)} cases from {upload.filename}")
    return render_template(
        "transfer/caseload_preview.html",
        upload=upload,
        rows=checked,
        bad=[row for row in checked if row.errors],
        form=CaseloadUploadForm(),
        confirm=ConfirmForm(),
        columns=caseload.CASE_COLUMNS,
    )


@bp.route("/cases/import/<int:upload_id>/import", methods=["POST"], endpoint="caseload_import")
@requires(Permission.IMPORT_CASELOAD)
def caseload_import(upload_id: int):
    upload = _own_upload_or_404(upload_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    result = services.import_upload(g.user, upload)
    if any(getattr(row, "errors", None) for row in result):
        flash("The file has errors now (a case may have been added since): nothing was imported.")
        return redirect(url_for("transfer.caseload_preview", upload_id=upload.id))
    flash(f"{len(result)} cases imported from {upload.filename or 'the file'}.", "success")
    return redirect(url_for("meetings.case_list"))
