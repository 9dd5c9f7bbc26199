"""Administration: accounts and roles, agencies, area settings and the audit trail."""

from flask import Flask


def register(app: Flask) -> None:
    """The admin pages, and the log review."""
    from tracker.admin import log_review  # noqa: F401  (its routes are on the admin blueprint)
    from tracker.admin.views import bp

    app.register_blueprint(bp)
