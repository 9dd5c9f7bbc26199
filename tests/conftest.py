"""Fixtures: an app per database backend, a rolled-back transaction per test, clients signed in by role.

The suite runs on SQLite, and again on PostgreSQL when TEST_DATABASE_URL is set: each backend gets a
database of its own, migrated with Alembic exactly as in production.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from pathlib import Path

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
from tracker.core import mail, migrate, roles, sending
from tracker.core.db import normalise_url
from tracker.core.models import AuditEvent
from tracker.core.timeutil import london_to_utc

# The world the access cases point at: `access_app`, `built_world` and `world`.
pytest_plugins = ["tests.access_world"]

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


class OutboxFlushingClient(FlaskClient):
    """A test client that runs the email sender after each POST, as `tracker send-mail` would run beside
    the app, so a test sees at once the emails a request queued (a GET changes nothing, queues nothing,
    and its queries stay countable)."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        if any(r.request.method not in ("GET", "HEAD") for r in (*response.history, response)):
            with self.application.app_context():
                sending.send_all_due()
        return response


# The owner's URL of each PostgreSQL database the tests made, by the application role's URL.
OWNER_URLS: dict[str, str] = {}


def make_database(kind: str, tmp_path_factory, revision: str = "head") -> Iterator[str]:
    """A new, empty database of this kind, migrated to the revision; dropped afterwards.

    On PostgreSQL it is set up as production should be: an owner role runs the migrations, and the URL
    given is an application role's that may only INSERT and SELECT on the audit trail. Roles belong to
    the whole server, so each database gets two of its own, dropped with it.
    """
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'tracker.db'}"
        migrate.upgrade(url, revision)
        yield url
        return
    server = sa.make_url(normalise_url(os.environ["TEST_DATABASE_URL"]))
    suffix = uuid.uuid4().hex[:10]
    name, owner, app_role = f"tracker_test_{suffix}", f"tracker_owner_{suffix}", f"tracker_app_{suffix}"
    password = secrets.token_urlsafe(16)
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for role in (owner, app_role):
            connection.exec_driver_sql(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}'")
        connection.exec_driver_sql(f'CREATE DATABASE "{name}" OWNER "{owner}"')
    owner_url = server.set(database=name, username=owner, password=password)
    app_url = server.set(database=name, username=app_role, password=password)
    try:
        migrate.upgrade(owner_url.render_as_string(hide_password=False), revision)
        owner_engine = sa.create_engine(owner_url)
        with owner_engine.begin() as connection:
            roles.grant_app_role(connection, app_role)
        owner_engine.dispose()
        url = app_url.render_as_string(hide_password=False)
        OWNER_URLS[url] = owner_url.render_as_string(hide_password=False)
        yield url
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for role in (app_role, owner):
                connection.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        admin.dispose()


def owner_url(url: str) -> str:
    """The URL of the role that owns the schema (the same URL on SQLite)."""
    return OWNER_URLS.get(url, url)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory) -> Iterator[str]:
    yield from make_database(request.param, tmp_path_factory)


def make_app(database_url: str, mail_folder: Path, **config) -> Flask:
    """The app as the tests run it: on the database given, its mail written into `mail_folder`, its forms
    taking no CSRF token (`config` adds to that)."""
    return create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "tests-only-secret",
            "WTF_CSRF_ENABLED": False,
            "MAIL_FOLDER": str(mail_folder),
            "BASE_URL": "http://tracker.test",
            **config,
        }
    )


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory) -> Iterator[Flask]:
    application = make_app(database_url, tmp_path_factory.mktemp("instance") / "mail")
    application.test_client_class = OutboxFlushingClient
    yield application
    application.extensions["db_engine"].dispose()


@pytest.fixture
def count_queries(app):
    """`with count_queries() as counted: ...` then `counted[0]` is the number of SQL statements run."""
    engine = app.extensions["db_engine"]

    @contextmanager
    def counting():
        counted = [0]

        def before(*_args, **_kwargs):
            counted[0] += 1

        sa.event.listen(engine, "before_cursor_execute", before)
        try:
            yield counted
        finally:
            sa.event.remove(engine, "before_cursor_execute", before)

    return counting


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
def clock(monkeypatch):
    """Sets the tracker's clock (`tracker.core.timeutil.now`, which `today_london` reads too) to a
    wall-clock time in London, for a test about what can be done before or after a moment of the day:
    `clock(day, time(9, 59))`. The moment, in UTC."""

    def set_to(day: date, at: time) -> datetime:
        moment = london_to_utc(day, at)
        monkeypatch.setattr("tracker.core.timeutil.now", lambda: moment)
        return moment

    return set_to


@pytest.fixture
def app_context(app, connection):
    with app.test_request_context():
        yield


def sign_in(client: FlaskClient, session: Session, user: User, *, second_factor: bool = True) -> FlaskClient:
    """Give this client a signed-in session for the user, as the sign-in page would: by default one made
    with a security code as well (so it lasts whatever roles the test gives the person); with
    `second_factor=False`, with the password alone."""
    token, token_hash = rules.new_token()
    session.add(UserSession(token_hash=token_hash, user_id=user.id, second_factor=second_factor))
    session.commit()
    with client.session_transaction() as browser_session:
        browser_session["sid"] = token
    return client


# What the database says when asked to change the audit trail. SQLite: the triggers refuse. PostgreSQL: the
# app's role may not even try (tests/core/test_db_roles.py).
TRAIL_REFUSES = "append-only|permission denied for table audit_event"


def assert_trail_refuses(session: Session, **change) -> None:
    """The audit trail refuses `change` to its entries, and refuses to delete them."""
    with pytest.raises(sa.exc.DatabaseError, match=TRAIL_REFUSES), session.begin_nested():
        session.execute(sa.update(AuditEvent).values(**change))
    with pytest.raises(sa.exc.DatabaseError, match=TRAIL_REFUSES), session.begin_nested():
        session.execute(sa.delete(AuditEvent))


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
def delivered(monkeypatch) -> list[EmailMessage]:
    """Every email the sender hands over for delivery during the test, in order, as its recipients get
    it (the outbox keeps a sent email without its one-time links, so a test reads those here)."""
    handed_over: list[EmailMessage] = []
    deliver = mail.deliver

    def recording(envelopes):
        handed_over.extend(message_from_bytes(e.data, policy=email_policy.default) for e in envelopes)
        return deliver(envelopes)

    monkeypatch.setattr(mail, "deliver", recording)
    return handed_over


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


class DownMailServer:
    """Where the app's mail server should be; `come_back()` starts one there and returns its Mailbox."""

    def __init__(self, port: int):
        self.port = port
        self.controller: Controller | None = None

    def come_back(self) -> Mailbox:
        mailbox = Mailbox()
        self.controller = Controller(mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return mailbox


@pytest.fixture
def mail_server_down(app) -> Iterator[DownMailServer]:
    """The app's mail server cannot be reached: nothing listens on its port (until `come_back()`)."""
    saved = {key: app.config[key] for key in ("SMTP_HOST", "SMTP_PORT")}
    server = DownMailServer(free_port())
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=server.port)
    try:
        yield server
    finally:
        app.config.update(saved)
        if server.controller is not None:
            server.controller.stop()
