"""The migrations build exactly the schema the models describe, on each backend."""

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import tracker.models  # noqa: F401
from tests.conftest import BACKENDS, make_database, owner_url
from tracker.core import migrate
from tracker.core.db import normalise_url


def test_the_migrated_database_matches_the_models(app):
    engine = app.extensions["db_engine"]
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_the_audit_trail_cannot_be_changed_even_in_the_database(app, session, factory):
    from tests.conftest import assert_trail_refuses
    from tracker.core.models import AuditEvent

    session.add(AuditEvent(actor="someone", action="test"))
    session.commit()
    assert_trail_refuses(session, actor="someone else")


def test_existing_audit_entries_get_their_case_and_meeting_and_the_trail_stays_append_only(
    database_url, tmp_path_factory
):
    import pytest
    import sqlalchemy as sa

    from tests.conftest import make_database, owner_url
    from tracker.core import migrate

    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    from alembic.script import ScriptDirectory

    before = ScriptDirectory.from_config(migrate.alembic_config(database_url)).get_revision("0012").down_revision
    databases = make_database(kind, tmp_path_factory, revision=before)
    url = owner_url(next(databases))  # the schema's owner: the migration, and the trigger alone, tested
    try:
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            for object_type, object_id in [("Case", "5"), ("Meeting", "7"), ("AgendaItem", "3"), ("Report", "x")]:
                connection.execute(
                    sa.text(
                        "INSERT INTO audit_event (at, actor, action, object_type, object_id, summary) "
                        "VALUES (CURRENT_TIMESTAMP, 'someone', 'view', :type, :id, '')"
                    ),
                    {"type": object_type, "id": object_id},
                )
        migrate.upgrade(url)
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT object_type, case_id, meeting_id FROM audit_event ORDER BY id")
            ).all()
            assert [tuple(row) for row in rows] == [
                ("Case", 5, None),
                ("Meeting", None, 7),
                ("AgendaItem", None, None),  # gone: nothing to find it through
                ("Report", None, None),
            ]
            with pytest.raises(sa.exc.DatabaseError, match="append-only"):
                connection.execute(sa.text("UPDATE audit_event SET actor = 'someone else'"))
            connection.rollback()
            with pytest.raises(sa.exc.DatabaseError, match="append-only"):
                connection.execute(sa.text("DELETE FROM audit_event"))
        engine.dispose()
    finally:
        databases.close()


@pytest.mark.skipif("postgresql" not in BACKENDS, reason="needs TEST_DATABASE_URL")
def test_every_migration_downgrades_to_nothing_and_upgrades_again_on_postgresql(tmp_path_factory):
    """Each downgrade undoes its upgrade: from the head down to an empty schema, then up to the head again,
    which still matches the models. (On SQLite a table rebuilt in batch mode trips the audit trail's
    triggers on the way down, so downgrades are PostgreSQL's alone.)"""
    for url in make_database("postgresql", tmp_path_factory):
        owner = owner_url(url)
        command.downgrade(migrate.alembic_config(owner), "base")
        engine = sa.create_engine(normalise_url(owner))
        with engine.connect() as connection:
            assert sa.inspect(connection).get_table_names() == ["alembic_version"]
        engine.dispose()
        migrate.upgrade(owner)
        engine = sa.create_engine(normalise_url(owner))
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, SQLModel.metadata) == []
        engine.dispose()
