"""The world the access cases point at (`tests/access_cases`), for the tests that ask every route: an app
on a database of its own holding the world, built once per backend (and test worker), each test's
objects in its own rolled-back transaction. A fixture plugin (tests/conftest.py loads it); a module that
asks for `world` makes its `app` this one:

    @pytest.fixture(scope="module")
    def app(access_app):
        return access_app
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlmodel import Session

import tests.access_cases as access_cases
from tests.access_cases import ROLES, World
from tests.conftest import OutboxFlushingClient, make_app, make_database
from tests.factories import Factory

# Each area's module of cases (its CASES and the `build` of the objects they point at).
MODULES = [
    importlib.import_module(f"tests.access_cases.{info.name}")
    for info in pkgutil.iter_modules(access_cases.__path__)
]


@pytest.fixture(scope="session")
def access_app(database_url, tmp_path_factory) -> Iterator[Flask]:
    """The app on a database of its own (of the same kind as the other tests'), which holds the world the
    cases point at: built once, as it takes longer than most cases, and every case asked in a transaction
    that is rolled back, as everywhere else."""
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    for url in make_database(kind, tmp_path_factory):
        application = make_app(url, tmp_path_factory.mktemp("access-instance") / "mail")
        application.test_client_class = OutboxFlushingClient
        yield application
        application.extensions["db_engine"].dispose()


@pytest.fixture(scope="session")
def built_world(access_app) -> World:
    """The world, built as a test builds its objects (on one connection that the app's own session shares),
    then committed."""
    world = World()
    app = access_app
    with app.extensions["db_engine"].connect() as connection, connection.begin():
        app.extensions["db_test_connection"] = connection
        try:
            with Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False) as s:
                factory = Factory(s, app)
                for role in ROLES:
                    world.users[role] = factory.user(role, name=f"Access {role.title()}")
                for module in MODULES:
                    module.build(world, factory)
        finally:
            app.extensions.pop("db_test_connection")
    return world


@pytest.fixture
def world(built_world, session) -> World:
    """The world, its objects in this test's session, so that what a case reads of them loads in its
    transaction."""
    for obj in [*built_world.users.values(), *built_world.objects.values()]:
        if sa.inspect(obj, raiseerr=False) is not None:
            session.add(obj)
    return built_world
