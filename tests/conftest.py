"""Fixtures: an app per database backend, a rolled-back transaction per test, clients signed in by role.

The suite runs on SQLite, and again on PostgreSQL when TEST_DATABASE_URL is set: each backend gets a
database of its own, migrated with Alembic exactly as in production.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session

from tests.factories import Factory
from tests.mailbox import Mailbox, free_port
from tracker import create_app
from tracker.auth import rules
from tracker.auth.models import User, UserSession
from tracker.core import migrate
from tracker.core.db import normalise_url

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def make_database(kind: str, tmp_path_factory) -> Iterator[str]:
    """A new, empty, migrated database of this kind; dropped afterwards."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'tracker.db'}"
        migrate.upgrade(url)
        yield url
        return
    server = sa.make_url(normalise_url(os.environ["TEST_DATABASE_URL"]))
    name = f"tracker_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = server.set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory) -> Iterator[str]:
    yield from make_database(request.param, tmp_path_factory)


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory) -> Iterator[Flask]:
    instance = tmp_path_factory.mktemp("instance")
    application = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "tests-only-secret",
            "WTF_CSRF_ENABLED": False,
            "MAIL_FOLDER": str(instance / "mail"),
            "BASE_URL": "http://tracker.test",
        }
    )
    yield application
    application.extensions["db_engine"].dispose()


@pytest.fixture
def connection(app) -> Iterator[sa.Connection]:
    """Every request and every factory in a test share one connection whose transaction is rolled back."""
    engine = app.extensions["db_engine"]
    conn = engine.connect()
    transaction = conn.begin()
    app.extensions["db_test_connection"] = conn
    yield conn
    app.extensions.pop("db_test_connection", None)
    if transaction.is_active:
        transaction.rollback()
    conn.close()


@pytest.fixture
def session(connection) -> Iterator[Session]:
    with Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False) as s:
        yield s


@pytest.fixture
def factory(app, session) -> Factory:
    return Factory(session, app)


@pytest.fixture
def app_context(app, connection):
    with app.test_request_context():
        yield


def sign_in(client: FlaskClient, session: Session, user: User) -> FlaskClient:
    """Give this client a signed-in session for the user, as the sign-in page would."""
    token, token_hash = rules.new_token()
    session.add(UserSession(token_hash=token_hash, user_id=user.id))
    session.commit()
    with client.session_transaction() as browser_session:
        browser_session["sid"] = token
    return client


@pytest.fixture
def client(app, connection) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def client_as(app, connection, session, factory):
    """client_as(user) or client_as("CHAIR"): a test client signed in as that person or a new one with the role."""

    def make(who: User | str) -> FlaskClient:
        user = factory.user(who) if isinstance(who, str) else who
        return sign_in(app.test_client(), session, user)

    return make


@pytest.fixture
def smtp_server(app) -> Iterator[Mailbox]:
    """A real SMTP server on loopback; the app sends to it for this test and keeps what arrives."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    saved = {key: app.config[key] for key in ("SMTP_HOST", "SMTP_PORT")}
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    try:
        yield mailbox
    finally:
        app.config.update(saved)
        controller.stop()


@pytest.fixture
def mail_server_down(app) -> Iterator[None]:
    """The app's mail server cannot be reached: nothing listens on its port."""
    saved = {key: app.config[key] for key in ("SMTP_HOST", "SMTP_PORT")}
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port())
    try:
        yield
    finally:
        app.config.update(saved)
