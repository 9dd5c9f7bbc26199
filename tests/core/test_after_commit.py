"""Steps that must wait for the request's commit (calendar emails) run after it, and only if it happens."""

import logging

from flask import Response

from tracker.core.db import db


def test_a_step_runs_after_a_successful_request_commits_and_never_after_a_failed_one(app, connection):
    ran = []
    with app.test_request_context():
        db.session.connection()  # the request has a session, as any that changes data does
        db.after_commit(lambda: ran.append(db.session.in_transaction()))
        app.process_response(Response(status=409))
    assert ran == []
    with app.test_request_context():
        db.session.connection()
        db.after_commit(lambda: ran.append(db.session.in_transaction()))
        app.process_response(Response(status=302))
    assert ran == [False]  # the request's transaction was already committed


def test_a_failing_step_is_logged_and_does_not_turn_a_saved_change_into_an_error(app, connection, caplog):
    def broken():
        raise RuntimeError("mail template missing")

    with app.test_request_context(), caplog.at_level(logging.ERROR):
        db.session.connection()
        db.after_commit(broken)
        response = app.process_response(Response(status=302))
    assert response.status_code == 302
    assert "after-commit step" in caplog.text and "mail template missing" in caplog.text
