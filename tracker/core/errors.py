"""Friendly error pages that say what to do and reveal nothing about the system or the data."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

from tracker.core.db import db

PAGES = {
    400: ("There is a problem with your request", "Go back, reload the page and try again."),
    403: (
        "You do not have permission to see this page",
        "If you think you should, ask your MAPPA co-ordinator.",
    ),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted it, check you copied all of it.",
    ),
    405: ("Page not found", "Go back and use the links and buttons on the page."),
    413: ("The file is too large", "Go back and choose a smaller file."),
    500: (
        "Sorry, there is a problem with the service",
        "Try again later. Anything you had not yet saved may have been lost.",
    ),
}


def init_app(app: Flask) -> None:
    def render(status: int, title: str | None = None, advice: str | None = None):
        default_title, default_advice = PAGES[status]
        return (
            render_template(
                "errors/error.html",
                status=status,
                title=title or default_title,
                advice=advice or default_advice,
            ),
            status,
        )

    @app.errorhandler(CSRFError)
    def _csrf(_error):
        return render(
            400,
            "Your form was not sent",
            "The page had expired or was opened in another window. Go back, reload the page and try again.",
        )

    @app.before_request
    def _refuse_null_characters():
        # A null character cannot be stored or searched for on PostgreSQL and is never typed by a
        # person. Form fields report it on the form (core/fields.py); anywhere else (an address's query,
        # a file's name, a field no form declares) the request is refused here, before it reaches SQL.
        values = [*request.args.keys(), *request.args.values(), *request.form.keys()]
        values += [f.filename or "" for f in request.files.values()]
        if any("\x00" in value for value in values):
            return render(
                400, "Your request could not be read", "Remove any unusual characters and try again."
            )
        return None

    for status in (400, 403, 404, 405, 413):
        app.register_error_handler(status, lambda _error, status=status: render(status))

    @app.errorhandler(500)
    def _server_error(_error):
        db.session.rollback()
        return render(500)
