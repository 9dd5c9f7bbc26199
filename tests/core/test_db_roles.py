"""On PostgreSQL the app connects as a role that cannot erase or bypass the audit trail."""

import pytest
import sqlalchemy as sa

from tests.conftest import owner_url
from tracker.core import roles


@pytest.fixture
def postgresql(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("database roles are PostgreSQL's")
    return database_url


def refused(engine: sa.Engine, statement: str) -> str:
    """Run a statement as that engine's role and return the database's refusal."""
    with engine.connect() as connection, pytest.raises(sa.exc.DatabaseError) as caught:
        connection.exec_driver_sql(statement)
    return str(caught.value.orig)


def test_the_apps_role_may_add_to_and_read_the_trail_but_not_change_empty_or_bypass_it(app, postgresql):
    engine = app.extensions["db_engine"]
    with engine.begin() as connection:
        assert not connection.exec_driver_sql("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").scalar()
        connection.exec_driver_sql(
            "INSERT INTO audit_event (at, actor, action, summary) VALUES (now(), 'role test', 'test', '')"
        )
        assert connection.exec_driver_sql("SELECT count(*) FROM audit_event WHERE actor = 'role test'").scalar()
        connection.exec_driver_sql("UPDATE setting SET value = value")  # ordinary tables: ordinary writes
    assert "permission denied for table audit_event" in refused(engine, "UPDATE audit_event SET actor = 'x'")
    assert "permission denied for table audit_event" in refused(engine, "DELETE FROM audit_event")
    assert "permission denied for table audit_event" in refused(engine, "TRUNCATE audit_event")
    assert "must be owner of table audit_event" in refused(
        engine, "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only"
    )
    assert "must be owner of table audit_event" in refused(engine, "DROP TABLE audit_event")
    assert "permission denied" in refused(engine, "SET session_replication_role = replica")
    assert "permission denied for schema public" in refused(engine, "CREATE TABLE shadow (id int)")


def test_the_apps_role_may_add_the_cases_a_list_showed_but_not_change_or_delete_them(app, postgresql):
    engine = app.extensions["db_engine"]
    with engine.begin() as connection:
        entry = connection.exec_driver_sql(
            "INSERT INTO audit_event (at, actor, action, summary) VALUES (now(), 'role test', 'view', '') "
            "RETURNING id"
        ).scalar()
        # No case has this id: the row is committed, and other tests' searches by case must not find it.
        connection.exec_driver_sql(f"INSERT INTO audit_event_case (audit_event_id, case_id) VALUES ({entry}, -1)")
        assert connection.exec_driver_sql("SELECT count(*) FROM audit_event_case").scalar()
    for statement in (
        "UPDATE audit_event_case SET case_id = 2",
        "DELETE FROM audit_event_case",
        "TRUNCATE audit_event_case",
    ):
        assert "permission denied for table audit_event_case" in refused(engine, statement)
    assert "must be owner of table audit_event_case" in refused(
        engine, "ALTER TABLE audit_event_case DISABLE TRIGGER audit_event_case_append_only"
    )


def test_the_grant_command_refuses_a_superuser_or_the_owner(app, postgresql):
    engine = sa.create_engine(owner_url(postgresql))
    with engine.begin() as connection:
        with pytest.raises(roles.RoleProblem, match="is a superuser"):
            roles.grant_app_role(connection, "postgres")
        owner = connection.exec_driver_sql("SELECT current_user").scalar()
        with pytest.raises(roles.RoleProblem, match="owns the schema"):
            roles.grant_app_role(connection, owner)
        with pytest.raises(roles.RoleProblem, match='There is no role "nobody_here"'):
            roles.grant_app_role(connection, "nobody_here")
    engine.dispose()


def test_db_upgrade_runs_as_the_owner_and_grants_the_apps_role_again(app, postgresql):
    from tracker import create_app

    cli_app = create_app(
        {"DATABASE_URL": postgresql, "MIGRATION_DATABASE_URL": owner_url(postgresql), "SECRET_KEY": "x" * 32}
    )
    result = cli_app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    app_role = sa.make_url(postgresql).username
    assert f'"{app_role}" may now use the tables; on the audit trail only INSERT and SELECT.' in result.output
    cli_app.extensions["db_engine"].dispose()
