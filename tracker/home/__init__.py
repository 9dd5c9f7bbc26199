"""The signed-in home page, made of panels that each area of the tracker contributes."""

from flask import Flask


def register(app: Flask) -> None:
    """The home page (the panels on it are added by each area's `register`)."""
    from tracker.home.views import bp

    app.register_blueprint(bp)
