"""Migration 0020 on a database that already holds training: each certificate already earned gets its
own verification code; every other place gets none, and courses keep the default completion rule."""

import json
from datetime import UTC, datetime

import sqlalchemy as sa

from tests.conftest import make_database, owner_url
from tracker.core import migrate
from tracker.training import codes


def _insert(connection, table: sa.Table, **values) -> int:
    """A row with the given values, and a plain value in every other required column."""
    for column in table.columns:
        if (
            column.name in values
            or column.nullable
            or column.primary_key
            or column.server_default is not None
        ):
            continue
        python_type = column.type.python_type if not isinstance(column.type, sa.JSON) else list
        values[column.name] = {
            int: 1,
            bool: False,
            str: f"{table.name} {len(values)}",
            datetime: datetime(2025, 1, 20, tzinfo=UTC),
            list: [],
        }.get(python_type, "x")
    return connection.execute(table.insert().values(**values)).inserted_primary_key[0]


def test_certificates_already_earned_get_a_code_each(database_url, tmp_path_factory):
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    databases = make_database(kind, tmp_path_factory, revision="0019")
    url = owner_url(next(databases))
    try:
        engine = sa.create_engine(url)
        meta = sa.MetaData()
        meta.reflect(engine, only=["agency", "course", "course_event", "trainee", "enrolment"])
        tables = meta.tables
        with engine.begin() as connection:
            agency = _insert(connection, tables["agency"], name="Test Police", sector="POLICE")
            course = _insert(connection, tables["course"], title="Chair course", kind="CHAIR_COURSE")
            event = _insert(
                connection,
                tables["course_event"],
                course_id=course,
                title="Cohort",
                kind="COHORT",
                capacity=20,
            )
            statuses = ["COMPLETED", "COMPLETED", "ENROLLED", "WAITING"]
            for number, status in enumerate(statuses):
                trainee = _insert(
                    connection,
                    tables["trainee"],
                    name=f"P{number}",
                    email=f"p{number}@example.org",
                    agency_id=agency,
                )
                _insert(
                    connection,
                    tables["enrolment"],
                    event_id=event,
                    trainee_id=trainee,
                    status=status,
                    role="CHAIR",
                )
        migrate.upgrade(url)
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT status, certificate_code FROM enrolment ORDER BY id")
            ).all()
            marks = connection.execute(
                sa.text("SELECT completion_marks, sessions_required FROM course")
            ).one()
        engine.dispose()
    finally:
        databases.close()
    given = [code for status, code in rows if status == "COMPLETED"]
    assert len(given) == 2 and len(set(given)) == 2
    assert all(codes.normalise(code) == code for code in given)
    assert [code for status, code in rows if status != "COMPLETED"] == [None, None]
    stored = marks[0] if isinstance(marks[0], list) else json.loads(marks[0])
    assert (stored, marks[1]) == (["PRESENT", "LATE"], None)
