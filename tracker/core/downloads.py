"""Files the tracker hands over: one response for every download (PDF, CSV, calendar file)."""

from __future__ import annotations

from flask import Response


def download(data: bytes | str, mimetype: str, filename: str) -> Response:
    """`data` as a file to save, named `filename`, never kept in a cache (it may hold case data).
    The caller records the export in the audit trail."""
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
