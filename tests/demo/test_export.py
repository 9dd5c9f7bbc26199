"""The whole-area export of the demo: every table with a schema and a manifest, logged as a disclosure; a
round trip (export, import into a new installation, export again) that gives the same records; and no
import into an installation that already has accounts."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sqlmodel import select

from tests.transfer.archive import export_through_the_page, new_installation, tables_of
from tracker.auth.models import User
from tracker.core.db import db
from tracker.core.models import AuditEvent
from tracker.training import invitations
from tracker.transfer import export


@pytest.fixture
def cleared_admin(client_as, factory):
    """A system admin cleared for terrorism cases: the export holds Category 4 cases too."""
    return client_as(factory.user("SYSTEM_ADMIN", terrorism_cleared=True))


def test_the_export_has_every_table_a_schema_and_a_manifest_and_is_logged(demo, cleared_admin, session):
    data = export_through_the_page(cleared_admin)
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == export.FORMAT and manifest["format_version"] == export.FORMAT_VERSION
    tables = tables_of(data)
    assert set(tables) == {table.name for table in export.tables()}
    assert {"mappa_case", "meeting", "minutes_version", "enrolment", "audit_event"} <= set(tables)
    assert manifest["tables"] == {name: len(rows) - 1 for name, rows in tables.items()}
    assert manifest["tables"]["mappa_case"] > 800  # the demo's seed year and today's caseload
    schema = json.loads(archive.read("schema.json"))
    case = schema["$defs"]["mappa_case"]
    assert case["properties"]["category"]["enum"][:3] == ["CATEGORY_1", "CATEGORY_2", "CATEGORY_3"]
    assert case["x-references"]["lead_agency_id"] == "agency.id"
    assert tables["mappa_case"][0] == list(case["properties"])
    assert "password_hash" not in tables["user"][0] and "totp_secret" not in tables["user"][0]
    assert "user_session" not in tables
    logged = session.exec(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert [(e.object_type, e.object_id) for e in logged] == [("Area", "all")]
    assert "to The new supplier: Moving to a new case system" in logged[0].summary


def test_export_import_export_gives_the_same_records(
    demo, cleared_admin, database_url, tmp_path_factory, factory
):
    invited = factory.account_invitation(factory.trainee())
    first = export_through_the_page(cleared_admin)
    with new_installation(database_url, tmp_path_factory):
        loaded = export.load(first)
        db.session.commit()
        assert loaded["mappa_case"] > 800
        # The invitation is there, but the link sent before opens nothing on the new installation.
        assert loaded["account_invitation"] == 1
        assert invitations.invitation_for(invited) is None
        second = export.build("London").data
    before, after = tables_of(first), tables_of(second)
    assert set(before) == set(after)
    for name in before:  # the audit trail included, entry by entry
        assert before[name] == after[name], f"{name} differs after the round trip"


def test_an_import_into_an_installation_with_accounts_is_refused(demo, cleared_admin):
    data = export_through_the_page(cleared_admin)
    with pytest.raises(export.ImportRefused, match="already has accounts"):
        export.load(data)
    with pytest.raises(export.ImportRefused, match="not a MAPPA Tracker area export"):
        export.load(b"not a zip")


def test_the_commands_export_an_area_and_import_it_into_a_new_installation(
    connection, app, database_url, tmp_path, tmp_path_factory
):
    """The commands run outside any request: who the file is for and why are given as options."""
    path = tmp_path / "area.zip"
    result = app.test_cli_runner().invoke(
        args=["export-area", str(path), "--recipient", "A new installation", "--reason", "A test"]
    )
    assert result.exit_code == 0, result.output
    assert "Exported" in result.output
    with new_installation(database_url, tmp_path_factory, in_a_request=False) as new:
        result = new.test_cli_runner().invoke(args=["import-area", str(path)])
        assert result.exit_code == 0, result.output
        assert "Everyone needs a new password" in result.output
        again = new.test_cli_runner().invoke(args=["import-area", str(path)])
        assert again.exit_code != 0 and "already has accounts" in again.output
        users = db.session.exec(select(User)).all()
        assert users and all(user.password_hash is None for user in users)
        trail = db.session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (trail.action, trail.actor) == ("import", "system (command line)")
