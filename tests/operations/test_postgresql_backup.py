"""PostgreSQL backup and restore exactly as the README gives them, with production's two roles: pg_dump as
the owner, `createdb -O <owner>`, pg_restore as the owner, `tracker db upgrade` (which grants the app's
role again); the app's role then reads and writes the copy and cannot alter its audit trail. Restored as
the superuser instead, `tracker db upgrade` says what is wrong rather than failing with a traceback
(PostgreSQL only)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from tests.conftest import make_database, owner_url, sign_in
from tests.justify import open_page
from tracker import create_app
from tracker.auth.models import User
from tracker.core.db import normalise_url
from tracker.demo import DEMO_DOMAIN
from tracker.meetings.models import Case

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL backups need TEST_DATABASE_URL"
)


def _libpq(url: str | sa.URL) -> str:
    """The URL as pg_dump and pg_restore take it (no SQLAlchemy driver name)."""
    return sa.make_url(str(url) if isinstance(url, str) else url.render_as_string(hide_password=False)).set(
        drivername="postgresql"
    ).render_as_string(hide_password=False)


def _row_counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
            return {t: connection.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar() for t in tables}
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def dumped(tmp_path_factory):
    """The demo area in a database set up as production's (owner and app roles), dumped as the README
    says: pg_dump --format=custom --no-owner, as the owner. Yields (app URL, owner URL, dump file)."""
    assert shutil.which("pg_dump") and shutil.which("pg_restore") and shutil.which("createdb"), (
        "install postgresql-client"
    )
    for source_url in make_database("postgresql", tmp_path_factory):
        source = create_app({"DATABASE_URL": source_url, "SECRET_KEY": "backup-tests", "TESTING": True})
        assert "Demo data created" in source.test_cli_runner().invoke(args=["seed-demo"]).output
        source.extensions["db_engine"].dispose()
        dump = tmp_path_factory.mktemp("dump") / "tracker.dump"
        owner = owner_url(source_url)
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", _libpq(owner)], check=True)
        yield source_url, owner, dump


def _createdb(name: str, owner: str | None) -> None:
    """createdb as the README runs it: as the server's superuser (the tests' server user)."""
    server = sa.make_url(normalise_url(os.environ["TEST_DATABASE_URL"]))
    environment = {**os.environ, "PGPASSWORD": server.password or ""}
    command = ["createdb", "-h", server.host or "127.0.0.1", "-p", str(server.port or 5432), "-U", server.username]
    subprocess.run([*command, *(["-O", owner] if owner else []), name], check=True, env=environment)


def _drop(name: str) -> None:
    admin = sa.create_engine(normalise_url(os.environ["TEST_DATABASE_URL"]), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def _cli(app_url: str, owner: str) -> tuple[int, str]:
    app = create_app({"DATABASE_URL": app_url, "MIGRATION_DATABASE_URL": owner, "SECRET_KEY": "backup-tests"})
    try:
        result = app.test_cli_runner().invoke(args=["db", "upgrade"])
        return result.exit_code, result.output
    finally:
        app.extensions["db_engine"].dispose()


def _refused(connection: sa.Connection, statement: str) -> str:
    with pytest.raises(sa.exc.DatabaseError) as caught, connection.begin_nested():
        connection.exec_driver_sql(statement)
    return str(caught.value.orig)


def test_restoring_as_the_readme_says_gives_a_copy_the_apps_role_uses_and_cannot_alter_the_trail(dumped):
    source_url, source_owner, dump = dumped
    name = f"tracker_restored_{uuid.uuid4().hex[:10]}"
    owner_role = sa.make_url(source_owner).username
    restored_owner = sa.make_url(source_owner).set(database=name).render_as_string(hide_password=False)
    restored_app = sa.make_url(source_url).set(database=name).render_as_string(hide_password=False)
    _createdb(name, owner_role)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(restored_owner)}", str(dump)],
            check=True,
        )
        code, output = _cli(restored_app, restored_owner)
        assert code == 0, output
        assert f'"{sa.make_url(source_url).username}" may now use the tables' in output
        source_counts = _row_counts(source_owner)
        assert source_counts["mappa_case"] > 0 and source_counts["meeting"] > 0
        assert _row_counts(restored_owner) == source_counts

        engine = sa.create_engine(normalise_url(restored_owner))
        with engine.connect() as connection:  # everything belongs to the owner, nothing to a superuser
            owners = connection.exec_driver_sql(
                "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public' UNION "
                "SELECT DISTINCT pg_get_userbyid(proowner) FROM pg_proc WHERE pronamespace = 'public'::regnamespace"
            ).scalars().all()
        engine.dispose()
        assert owners == [owner_role]

        _the_apps_role_works_and_cannot_alter_the_trail(restored_app)
    finally:
        _drop(name)


def _the_apps_role_works_and_cannot_alter_the_trail(app_url: str) -> None:
    restored = create_app(
        {"DATABASE_URL": app_url, "SECRET_KEY": "backup-tests", "TESTING": True, "WTF_CSRF_ENABLED": False}
    )
    engine = restored.extensions["db_engine"]
    try:
        client = restored.test_client()
        assert client.get("/readyz").get_json()["status"] == "ready"
        with Session(engine) as session:
            coordinator = session.exec(select(User).where(User.email == f"coordinator@{DEMO_DOMAIN}")).one()
            case_id, reference = session.exec(select(Case.id, Case.reference).order_by(Case.id)).first()
            sign_in(client, session, coordinator)  # writes a sign-in session as the app's role
        page = open_page(client, f"/cases/{case_id}")  # the co-ordinator gives a reason first
        assert page.status_code == 200 and reference in page.get_data(as_text=True)
        assert client.get("/meetings").status_code == 200
        with engine.connect() as connection:
            assert not connection.exec_driver_sql(
                "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
            ).scalar()
            connection.exec_driver_sql("UPDATE setting SET value = value")
            connection.exec_driver_sql(
                "INSERT INTO audit_event (at, actor, action, summary) VALUES (now(), 'restore test', 'test', '')"
            )
            assert "permission denied" in _refused(connection, "UPDATE audit_event SET actor = 'x'")
            assert "permission denied" in _refused(connection, "DELETE FROM audit_event")
            assert "must be owner" in _refused(
                connection, "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"
            )
            connection.rollback()
    finally:
        engine.dispose()


def test_a_copy_restored_as_the_superuser_is_refused_by_db_upgrade_with_a_message_not_a_traceback(dumped):
    """The tester's wrong turn: createdb without -O and pg_restore as postgres leave the tables the
    superuser's; the migrations' role may not read alembic_version, and is told what to do instead."""
    source_url, source_owner, dump = dumped
    name = f"tracker_as_superuser_{uuid.uuid4().hex[:10]}"
    server = sa.make_url(normalise_url(os.environ["TEST_DATABASE_URL"])).set(database=name)
    _createdb(name, None)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(server)}", str(dump)], check=True
        )
        restored_owner = sa.make_url(source_owner).set(database=name).render_as_string(hide_password=False)
        restored_app = sa.make_url(source_url).set(database=name).render_as_string(hide_password=False)
        code, output = _cli(restored_app, restored_owner)
        assert code != 0 and "Traceback" not in output
        owner_role = sa.make_url(source_owner).username
        assert f'The database refused the migrations\' role "{owner_role}": permission denied for table' in output
        assert "restore it again into a database the owner owns, as the owner" in output
    finally:
        _drop(name)
