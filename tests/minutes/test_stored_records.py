"""Migration 0010 turns the labels kept in approved minutes into codes: every stored version reads the same
before and after. The "before" texts were rendered by the code as it was before 0010, from the same stored
record (tests/minutes/data, made with tests/minutes/stored_render.py)."""

import importlib.util
import json
from pathlib import Path

from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlmodel import select

from tests.minutes.stored_render import rendered
from tracker.minutes.document import MinutesRecord
from tracker.minutes.models import MinutesStatus, MinutesVersion

DATA = Path(__file__).parent / "data"
MIGRATION = Path(__file__).parents[2] / "tracker/migrations/versions/0010_minutes_records_store_codes.py"


def _migration():
    spec = importlib.util.spec_from_file_location("migration_0010", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(connection, step) -> None:
    with Operations.context(MigrationContext.configure(connection)):
        step()


def test_every_stored_version_reads_the_same_on_the_page_and_in_the_pdfs_after_0010(
    app, connection, session, factory
):
    before = json.loads((DATA / "approved_before_0010.json").read_text())
    expected = json.loads((DATA / "rendered_before_0010.json").read_text())
    meeting = factory.held_meeting()
    minutes = factory.minutes(meeting, MinutesStatus.APPROVED, sections=before["sections"])
    version = minutes.versions[0]
    version.record = before["record"]
    factory.save(version)
    migration = _migration()

    _run(connection, migration.upgrade)

    stored = session.exec(select(MinutesVersion).where(MinutesVersion.record.is_not(None))).all()
    assert stored
    for version in stored:
        session.refresh(version)
        record = version.record
        assert record["items"][0]["pillars"][0]["status"] == "ADDRESSED"  # codes now, not labels
        assert record["meeting"]["level"] == "LEVEL_3"
        typed = MinutesRecord.from_json(record)
        with app.test_request_context():
            after = rendered(typed, typed.items[0], before["sections"])
        if version.id == minutes.versions[0].id:
            # The page has opened with the meeting's details since (as the PDF always did), read from the
            # same record as the PDF's: what 0010 must not change is what follows them.
            details, attendance, rest = after["page"].partition("Attendance, apologies and absent agencies")
            assert details.startswith("Meeting details Meeting reference ")
            assert "Chair " + typed.meeting.chair in details and typed.meeting.chair in after["minutes_pdf"]
            assert {**after, "page": attendance + rest} == expected
        # Converting a second time changes nothing.
        assert migration.convert_record(record) == record

    _run(connection, migration.downgrade)
    session.refresh(minutes.versions[0])
    assert minutes.versions[0].record == before["record"]


def test_the_conversion_keeps_what_said_nothing_as_nothing():
    migration = _migration()
    before = json.loads((DATA / "approved_before_0010.json").read_text())["record"]
    after = migration.convert_record(before)
    assert after["attendance"][0]["status"] == ""  # "Not recorded"
    assert after["items"][1]["risks"][0]["level"] == ""  # "Not assessed"
    assert after["items"][1]["imminence"] == ""
    assert after["items"][2]["level_decision"] == "" and after["items"][2]["level_after"] == ""
    assert after["items"][1]["level_after"] == "EXIT"
    assert after["ra_not_represented"] == ["PRISONS", "CHILDRENS_SOCIAL_CARE"]
    assert migration.convert_record(after, to_codes=False) == before
