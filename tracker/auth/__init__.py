"""Accounts, agencies, signing in and out, two-factor sign-in and password resets."""

from flask import Flask


def register(app: Flask) -> None:
    """Signing in and out, and the account pages."""
    from tracker.auth.views import bp

    app.register_blueprint(bp)
