"""Migration 0020 on a database that already holds training: each certificate already earned gets its
own verification code; every other place gets none, and courses keep the default completion rule."""

import json

import sqlalchemy as sa

from tests.migrating import database_at, insert
from tracker.core import migrate
from tracker.training import codes


def test_certificates_already_earned_get_a_code_each(database_url, tmp_path_factory):
    with database_at(database_url, tmp_path_factory, "0019") as (url, engine, tables):
        with engine.begin() as connection:
            agency = insert(connection, tables["agency"], name="Test Police", sector="POLICE")
            course = insert(connection, tables["course"], title="Chair course", kind="CHAIR_COURSE")
            event = insert(
                connection,
                tables["course_event"],
                course_id=course,
                title="Cohort",
                kind="COHORT",
                capacity=20,
            )
            statuses = ["COMPLETED", "COMPLETED", "ENROLLED", "WAITING"]
            for number, status in enumerate(statuses):
                trainee = insert(
                    connection,
                    tables["trainee"],
                    name=f"P{number}",
                    email=f"p{number}@example.org",
                    agency_id=agency,
                )
                insert(
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
    given = [code for status, code in rows if status == "COMPLETED"]
    assert len(given) == 2 and len(set(given)) == 2
    assert all(codes.normalise(code) == code for code in given)
    assert [code for status, code in rows if status != "COMPLETED"] == [None, None]
    stored = marks[0] if isinstance(marks[0], list) else json.loads(marks[0])
    assert (stored, marks[1]) == (["PRESENT", "LATE"], None)
