"""The system admin's page for exporting the whole area, and the co-ordinator's for bringing a caseload in
from a spreadsheet (upload, check every row, then import all or nothing)."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for

from tracker.core import audit, settings
from tracker.core.csvfile import csv_download
from tracker.core.db import db
from tracker.core.downloads import disclose_to, download, to_themselves
from tracker.core.forms import ConfirmForm, require_confirmation
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import today_london
from tracker.transfer import caseload, export, history, services, sheets
from tracker.transfer.forms import CaseloadUploadForm, ExportForm
from tracker.transfer.models import CaseloadUpload

bp = Blueprint("transfer", __name__)


@bp.route("/admin/export", methods=["GET", "POST"])
@requires(Permission.EXPORT_AREA)
def export_area():
    # An admin who may not make the file is told so on the page, with no form to fill in for nothing.
    refusal = export.refusal(g.user)
    form = ExportForm() if refusal is None else None
    if form is not None and form.validate_on_submit():
        return _export_download(form.recipient.data.strip(), form.reason.data.strip())
    return render_template(
        "transfer/export.html",
        form=form,
        tables=export.tables(),
        left_out=sorted(export.LEFT_OUT),
        refusal=refusal,
    )


def _export_download(recipient: str, reason: str):
    made = export.build(settings.get("area_name"))
    disclose_to(recipient, reason)
    audit.record(
        "export",
        object_type="Area",
        object_id="all",
        summary=f"Whole-area export ({sum(made.counts.values()):,} rows in {len(made.counts)} tables) "
        f"to {recipient}: {reason}",
    )
    return download(made.data, "application/zip", f"mappa-tracker-export-{today_london():%Y-%m-%d}.zip")


# Bringing a caseload in ------------------------------------------------------------------------------


@bp.route("/cases/import", methods=["GET", "POST"], endpoint="caseload_upload")
@requires(Permission.IMPORT_CASELOAD)
def caseload_upload():
    form = CaseloadUploadForm()
    if form.validate_on_submit():
        filename = form.file.data.filename or ""
        try:
            rows = caseload.read(filename, form.file.data.read())
        except sheets.UploadProblem as problem:
            form.file.errors.append(str(problem))
        else:
            upload = services.hold_upload(g.user, filename, rows)
            return redirect(url_for("transfer.caseload_preview", upload_id=upload.id))
    return render_template("transfer/caseload_upload.html", form=form, columns=caseload.CASE_COLUMNS)


@bp.route("/cases/import/template.csv", endpoint="caseload_template")
@requires(Permission.IMPORT_CASELOAD)
def caseload_template():
    # A blank template holds no personal data: nobody is asked, and it is logged all the same.
    to_themselves("Blank caseload template (no personal data)")
    return csv_download(caseload.template_csv(), "mappa-caseload-template.csv")


class PreviewGone(Exception):
    """The preview asked for is not there to check or import: `kind` is what it held, when known."""

    def __init__(self, kind: str | None):
        super().__init__(kind)
        self.kind = kind


def _own_upload(upload_id: int) -> CaseloadUpload:
    """This person's upload still waiting to be imported; PreviewGone otherwise: imported already,
    dropped (by a later upload, or left for a day) or never theirs, alike (an upload is personal data:
    nothing says whose it was)."""
    upload = db.session.get(CaseloadUpload, upload_id)
    if upload is None or upload.created_by_id != g.user.id:
        raise PreviewGone(None)
    if upload.imported_at is not None or services.expired(upload):
        raise PreviewGone(upload.kind)
    return upload


@bp.errorhandler(PreviewGone)
def _preview_gone(gone: PreviewGone):
    kinds = [gone.kind] if gone.kind else list(KINDS)
    links = [(KINDS[kind][1], _upload_url(kind)) for kind in kinds]
    return render_template("transfer/preview_gone.html", links=links), 410


# What each kind of upload is called, where its records are seen once imported, and its columns.
KINDS = {
    "cases": ("case", "cases", "meetings.case_list", {}, caseload.CASE_COLUMNS),
    history.MEETINGS: ("past meeting", "past meetings", "meetings.meeting_list", {"when": "past"},
                       history.MEETING_COLUMNS),
    history.ACTIONS: ("open action", "open actions", "meetings.action_list", {"owner": "all"},
                      history.ACTION_COLUMNS),
}  # fmt: skip
HISTORY = "<any(meetings, actions):kind>"


@bp.route(f"/cases/import/{HISTORY}", methods=["GET", "POST"], endpoint="history_upload")
@requires(Permission.IMPORT_CASELOAD)
def history_upload(kind: str):
    """The cases' past meetings (date, level, decision) or open actions, from a spreadsheet."""
    form = CaseloadUploadForm()
    if form.validate_on_submit():
        filename = form.file.data.filename or ""
        try:
            rows = caseload.read(filename, form.file.data.read(), history.COLUMNS[kind], history.NOUNS[kind])
        except sheets.UploadProblem as problem:
            form.file.errors.append(str(problem))
        else:
            upload = services.hold_upload(g.user, filename, rows, kind)
            return redirect(url_for("transfer.caseload_preview", upload_id=upload.id))
    return render_template(
        f"transfer/{kind}_upload.html", form=form, columns=history.COLUMNS[kind], kind=kind
    )


@bp.route(f"/cases/import/{HISTORY}/template.csv", endpoint="history_template")
@requires(Permission.IMPORT_CASELOAD)
def history_template(kind: str):
    name = "past-meetings" if kind == history.MEETINGS else "open-actions"
    to_themselves(f"Blank {name.replace('-', ' ')} template (no personal data)")
    return csv_download(history.template_csv(kind), f"mappa-{name}-template.csv")


@bp.route("/cases/import/<int:upload_id>", endpoint="caseload_preview")
@requires(Permission.IMPORT_CASELOAD)
def caseload_preview(upload_id: int):
    upload = _own_upload(upload_id)
    checked = services.check_upload(g.user, upload)
    one, many, _list, _args, columns = KINDS[upload.kind]
    audit.record("view", upload, summary=f"preview of {len(checked)} {many} from {upload.filename}")
    return render_template(
        "transfer/caseload_preview.html",
        upload=upload,
        rows=checked,
        bad=[row for row in checked if row.errors],
        form=CaseloadUploadForm(),
        confirm=ConfirmForm(),
        columns=columns,
        one=one,
        many=many,
        upload_url=_upload_url(upload.kind),
    )


def _upload_url(kind: str) -> str:
    if kind in (history.MEETINGS, history.ACTIONS):
        return url_for("transfer.history_upload", kind=kind)
    return url_for("transfer.caseload_upload")


@bp.route("/cases/import/<int:upload_id>/import", methods=["POST"], endpoint="caseload_import")
@requires(Permission.IMPORT_CASELOAD)
def caseload_import(upload_id: int):
    upload = _own_upload(upload_id)
    require_confirmation()
    result = services.import_upload(g.user, upload)
    if services.has_errors(result):
        flash("The file has errors now (a record may have been added since): nothing was imported.")
        return redirect(url_for("transfer.caseload_preview", upload_id=upload.id))
    one, many, listed, args, _columns = KINDS[upload.kind]
    flash(f"{len(result)} {one if len(result) == 1 else many} imported from {upload.filename or 'the file'}.",
          "success")  # fmt: skip
    return redirect(url_for(listed, **args))
