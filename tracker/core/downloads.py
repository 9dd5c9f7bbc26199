"""Files the tracker hands over: one response for every download (PDF, CSV, calendar file, zip), and the
disclosure each one is.

Every download is logged as a disclosure naming who receives the file and why (section 62 of the Data
Protection Act 2018). A view that knows both (the whole-area export's form, a link sent to an agency's
mailbox) says so with `disclose_to`; otherwise the person downloading is asked first, on a short form at
the download's own address, and the file follows their answer. A download no view logged is logged here,
so no export escapes the log.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g, render_template, request
from werkzeug.exceptions import HTTPException

from tracker.core.reasons import DisclosureForm, themselves

# The disclosure form's fields are named with this prefix; the rest of the query string is the download's
# own (a search whose results are downloaded, a year).
PREFIX = "disclosure-"


class DisclosureNeeded(Exception):
    """The person must say who the file is for and why before it is handed over."""

    def __init__(self, form: DisclosureForm, asked: bool):
        super().__init__("who the file is for and why")
        self.form = form
        self.asked = asked


def disclose_to(recipient: str, reason: str) -> None:
    """Name this request's recipient and reason (a view that knows them: nobody is asked)."""
    g.disclosure = (recipient.strip()[:255], reason.strip()[:500])


def to_themselves(reason: str) -> None:
    """Name the person downloading as the file's recipient (a file with no personal data, such as a blank
    template or aggregate figures, or one for their own calendar): nobody is asked, and the log says so."""
    disclose_to(themselves(g.user), reason)


def disclosure_details() -> tuple[str, str]:
    """The recipient and reason of this request's download: named by the view, or given on the form.

    Raises DisclosureNeeded (answered with the form) when neither has given them yet."""
    if "disclosure" not in g:
        form = DisclosureForm(request.args, prefix=PREFIX)
        asked = any(name.startswith(PREFIX) for name in request.args)
        if not (asked and form.validate()):
            raise DisclosureNeeded(form, asked)
        disclose_to(form.named_recipient(g.user), form.given())
    return g.disclosure


def download(data: bytes | str, mimetype: str, filename: str) -> Response:
    """`data` as a file to save, named `filename`, never kept in a cache (it may hold case data).

    The caller records the export in the audit trail (`audit.record("export", obj, ...)`, which adds the
    recipient and reason); if it did not, the disclosure is logged here by the file's name."""
    if not g.get("audit_disclosed"):
        from tracker.core import audit

        audit.record("export", object_type="File", object_id=filename[:60], summary=f"file {filename}")
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _page_above() -> str:
    """The nearest tracker page above the download's address (a meeting's page for its agenda PDF), to go
    back to once the file is saved: the browser stays on the question, as it does for any download, and
    no referrer is sent (the tracker's addresses name cases). The page's script goes back in the
    browser's history instead, to the very page the download was asked from."""
    adapter = current_app.url_map.bind(request.host)
    parts = request.path.rstrip("/").split("/")
    # A file beside the page it is a copy of (results.pdf beside results): that page first, as those
    # allowed the file may read it, where the page above may be someone else's (an evaluation's own page).
    stem, dot, _extension = parts[-1].rpartition(".")
    if dot and stem:
        parts[-1:] = [stem, ""]
    while len(parts) > 1:
        parts.pop()
        path = "/".join(parts) or "/"
        try:
            adapter.match(path, method="GET")
        except HTTPException:
            continue
        return path
    return "/"


def init_app(app: Flask) -> None:
    @app.errorhandler(DisclosureNeeded)
    def _ask_who_and_why(needed: DisclosureNeeded):
        # Nothing is handed over, so nothing the view did is kept (its export entry included).
        from tracker.core.db import db

        db.session.rollback()
        g.audit_consulted = True  # the question shows nothing to log
        kept = [
            (name, value) for name, value in request.args.items(multi=True) if not name.startswith(PREFIX)
        ]
        html = render_template(
            "core/disclosure.html",
            form=needed.form,
            asked=needed.asked,
            kept=kept,
            action=request.path,
            back=_page_above(),
        )
        # 200, not an error: the page is a question, and the file is at this same address once answered.
        return Response(html, status=200, headers={"Cache-Control": "no-store"})
