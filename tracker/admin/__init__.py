"""Administration: accounts and roles, agencies, area settings and the audit trail."""

from flask import Flask


def register(app: Flask) -> None:
    """The admin pages."""
    from tracker.admin.views import bp

    app.register_blueprint(bp)
