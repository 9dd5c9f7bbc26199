"""The log review: the co-ordinator and system admin search the audit trail, see unusual patterns and
export what they found as CSV (for a data protection request). Consulting the log is itself logged."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for

from tracker.admin import log_search
from tracker.admin.forms import AuditSearchForm
from tracker.admin.views import bp
from tracker.core import audit, settings
from tracker.core.csvfile import csv_download, csv_text
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import format_date, format_datetime, today_london

CSV_HEADER = [
    "When (UK time)",
    "Who",
    "Operation",
    "Object",
    "Object id",
    "Case",
    "Meeting id",
    "Justified by",
    "Reason",
    "Recipient",
    "Details",
    "From (IP address)",
    "Names of a disposed case removed on",
]


@bp.route("/audit")
@requires(Permission.VIEW_AUDIT)
def audit_trail():
    form = AuditSearchForm(request.args)
    page = paginate(log_search.search(g.user, form), size=50)
    log_search.log_the_review(
        f"searched the audit trail: {log_search.criteria(form)}", log_search.searched_case_id(form)
    )
    return render_template(
        "admin/audit.html",
        form=form,
        page=page,
        operations=audit.OPERATIONS,
        listed=log_search.listed_on_page(g.user, form, page.items),
    )


@bp.route("/audit.csv")
@requires(Permission.VIEW_AUDIT)
def audit_csv():
    form = AuditSearchForm(request.args)
    if not form.validate():
        # A search the page could not read (a date with no day) exports nothing: back to it, to be told why.
        searched = {key: values for key, values in request.args.lists() if not key.startswith("disclosure-")}
        return redirect(url_for("admin.audit_trail", **searched))
    rows = log_search.csv_rows(g.user, form)
    audit.record(
        "export",
        object_type="AuditTrail",
        summary=f"CSV of {len(rows):,} audit entries: {log_search.criteria(form)}",
        case_id=log_search.searched_case_id(form),
    )
    lines = (
        [
            format_datetime(row.at),
            row.actor,
            row.action,
            row.object_type,
            row.object_id,
            row.reference,
            row.meeting_id,
            row.justified_by,
            row.reason,
            row.recipient,
            row.summary,
            row.ip_address,
            format_date(row.redacted_at),
        ]
        for row in rows
    )
    return csv_download(csv_text(CSV_HEADER, lines), f"audit-trail-{today_london():%Y-%m-%d}.csv")


@bp.route("/audit/patterns")
@requires(Permission.VIEW_AUDIT)
def audit_patterns():
    many, bulk, since = log_search.unusual_patterns(g.user)
    log_search.log_the_review("reviewed unusual patterns in the audit trail")
    return render_template(
        "admin/audit_patterns.html", many=many, bulk=bulk, since=since, setting=settings.get
    )
