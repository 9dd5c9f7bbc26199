"""Disclosure packs: a case's records assembled for a requester (subject access, a court, the Parole Board,
another MAPPA area), with passages redacted, the contributing agencies' agreement recorded, and the exact
PDF sent kept for the record."""

from flask import Flask


def register(app: Flask) -> None:
    """The disclosure pack pages; no pack is made for a case whose personal data was disposed of."""
    from tracker.disclosure.models import DisclosurePack
    from tracker.disclosure.views import bp
    from tracker.meetings import disposed

    app.register_blueprint(bp)
    disposed.guard(DisclosurePack)
