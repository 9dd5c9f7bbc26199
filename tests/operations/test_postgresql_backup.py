"""PostgreSQL backup and restore as the README gives it: pg_dump of a database holding the demo area,
pg_restore into a new database, and the tracker works from the restored copy (PostgreSQL only)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from tests.conftest import make_database, sign_in
from tests.justify import open_page
from tracker import create_app
from tracker.auth.models import User
from tracker.core.db import normalise_url
from tracker.demo import DEMO_DOMAIN
from tracker.meetings.models import Case

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"), reason="PostgreSQL backups need TEST_DATABASE_URL"
)


def _libpq(url: str) -> str:
    """The URL as pg_dump and pg_restore take it (no SQLAlchemy driver name)."""
    return sa.make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _row_counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
            return {t: connection.exec_driver_sql(f'SELECT count(*) FROM "{t}"').scalar() for t in tables}
    finally:
        engine.dispose()


def test_pg_dump_and_pg_restore_give_a_working_copy_of_the_area(tmp_path_factory, tmp_path):
    assert shutil.which("pg_dump") and shutil.which("pg_restore"), "install postgresql-client"
    for source_url in make_database("postgresql", tmp_path_factory):
        source = create_app({"DATABASE_URL": source_url, "SECRET_KEY": "backup-tests", "TESTING": True})
        assert "Demo data created" in source.test_cli_runner().invoke(args=["seed-demo"]).output
        source.extensions["db_engine"].dispose()

        dump = tmp_path / "tracker.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", _libpq(source_url)], check=True
        )

        server = sa.make_url(normalise_url(os.environ["TEST_DATABASE_URL"]))
        restored_name = f"tracker_restored_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{restored_name}"')
        restored_url = server.set(database=restored_name).render_as_string(hide_password=False)
        try:
            subprocess.run(
                ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_libpq(restored_url)}", str(dump)],
                check=True,
            )
            source_counts = _row_counts(source_url)
            assert source_counts["mappa_case"] > 0 and source_counts["meeting"] > 0
            assert _row_counts(restored_url) == source_counts

            restored = create_app(
                {"DATABASE_URL": restored_url, "SECRET_KEY": "backup-tests", "TESTING": True, "WTF_CSRF_ENABLED": False}
            )
            try:
                client = restored.test_client()
                assert client.get("/readyz").get_json()["status"] == "ready"
                with Session(restored.extensions["db_engine"]) as session:
                    coordinator = session.exec(
                        select(User).where(User.email == f"coordinator@{DEMO_DOMAIN}")
                    ).one()
                    case_id, reference = session.exec(select(Case.id, Case.reference).order_by(Case.id)).first()
                    sign_in(client, session, coordinator)
                page = open_page(client, f"/cases/{case_id}")  # the co-ordinator gives a reason first
                assert page.status_code == 200 and reference in page.get_data(as_text=True)
                assert client.get("/meetings").status_code == 200
                assert client.get("/home").status_code == 200
            finally:
                restored.extensions["db_engine"].dispose()
        finally:
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
            admin.dispose()
