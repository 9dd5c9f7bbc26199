"""Tests over the demo area's data. The demo is seeded once per backend (per test worker) into a database
of its own, and every test here runs on it in a transaction that is rolled back, as everywhere else: seeding
the whole demo takes longer than most test files, so it is not done again for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.conftest import OutboxFlushingClient, make_app, make_database
from tracker.demo import seed


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory) -> Iterator[Flask]:
    """The app on a database of the same kind as the other tests', holding the demo area."""
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    for url in make_database(kind, tmp_path_factory):
        application = make_app(url, tmp_path_factory.mktemp("demo-instance") / "mail")
        application.test_client_class = OutboxFlushingClient
        with application.app_context():
            assert seed(), "the demo is seeded into an empty database"
        yield application
        application.extensions["db_engine"].dispose()


@pytest.fixture
def demo(connection, app_context) -> None:
    """The demo's data, read and changed in this test's own transaction and request context."""
