"""Bringing an area's records in and taking all of them out: the whole-area export and its import."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from tracker.transfer.views import bp

    app.register_blueprint(bp)
