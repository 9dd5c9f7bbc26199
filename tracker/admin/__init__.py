"""Administration: accounts and roles, agencies, area settings and the audit trail."""

from flask import Flask


def register(app: Flask) -> None:
    """The admin pages, the log review, and the home page panels of access waiting for a second admin,
    of chairs' accounts the TRSG asked for, and of emails that need an admin."""
    from tracker.admin import (
        approvals,  # (its routes are on the admin blueprint)
        grants,
        log_review,  # noqa: F401  (its routes are on the admin blueprint)
        outbox_panel,
    )
    from tracker.admin.views import bp
    from tracker.core.navigation import add_panels

    app.register_blueprint(bp)
    add_panels(grants.panel, approvals.panel, outbox_panel.panel)
