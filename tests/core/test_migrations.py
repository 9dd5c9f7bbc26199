"""The migrations build exactly the schema the models describe, on each backend."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import tracker.models  # noqa: F401


def test_the_migrated_database_matches_the_models(app):
    engine = app.extensions["db_engine"]
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_the_audit_trail_cannot_be_changed_even_in_the_database(app, session, factory):
    import pytest
    import sqlalchemy as sa

    from tracker.core.models import AuditEvent

    session.add(AuditEvent(actor="someone", action="test"))
    session.commit()
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), session.begin_nested():
        session.execute(sa.update(AuditEvent).values(actor="someone else"))
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), session.begin_nested():
        session.execute(sa.delete(AuditEvent))
