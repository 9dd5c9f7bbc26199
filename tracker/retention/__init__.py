"""Retention and disposal: the area's retention rules (settings), the daily review of records due under
them, the co-ordinator's decisions, legal holds, and the disposal of a record's personal data."""

from flask import Flask


def register(app: Flask) -> None:
    """The retention pages, and the rules' settings (defined when the rules are imported)."""
    from tracker.retention import rules  # noqa: F401  (defines the retention settings)
    from tracker.retention.views import bp

    app.register_blueprint(bp)
