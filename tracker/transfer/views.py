"""The system admin's page for exporting the whole area."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.core import audit, settings
from tracker.core.downloads import download
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import today_london
from tracker.transfer import export
from tracker.transfer.forms import ExportForm

bp = Blueprint("transfer", __name__, url_prefix="/admin/export")


@bp.route("", methods=["GET", "POST"])
@requires(Permission.EXPORT_AREA)
def export_area():
    form = ExportForm()
    if form.validate_on_submit():
        made = export.build(settings.get("area_name"))
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
