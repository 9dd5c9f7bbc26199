"""SQLite backup and restore as the README gives them: `tracker backup` (never onto the database itself,
readable by the app's account only) and `tracker restore FILE` (refused while a process has the database
open; the database it replaces is moved aside with its -wal and -shm files; the copy checked, migrated)."""

import os
import signal
import sqlite3
import stat
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from tests.conftest import make_database
from tracker import create_app


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    """A database holding the demo area, made once: each test restores its own copy of it."""
    for url in make_database("sqlite", tmp_path_factory):
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "backup-tests", "TESTING": True})
        assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
        app.extensions["db_engine"].dispose()
        return Path(url.removeprefix("sqlite:///"))


@pytest.fixture
def sqlite_app(seeded, tmp_path_factory):
    live = tmp_path_factory.mktemp("live") / "tracker.db"
    with closing(sqlite3.connect(seeded)) as source, closing(sqlite3.connect(live)) as copy:
        source.backup(copy)
    app = create_app({"DATABASE_URL": f"sqlite:///{live}", "SECRET_KEY": "backup-tests", "TESTING": True})
    yield app, live
    app.extensions["db_engine"].dispose()


def _users(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as connection:
        return {row[0] for row in connection.execute("SELECT email FROM user")}


def test_backup_refuses_to_write_over_the_database_it_copies(sqlite_app):
    app, live = sqlite_app
    before = _users(live)
    runner = app.test_cli_runner()
    for target in (live, Path(f"{live}-wal"), live.parent / ".." / live.parent.name / live.name):
        result = runner.invoke(args=["backup", "--to", str(target)])
        assert result.exit_code != 0 and "is the database itself: back it up to another file" in result.output
        assert "Backed up" not in result.output
    assert _users(live) == before


def test_a_backup_is_readable_by_the_apps_account_only_and_a_missing_folder_is_made(sqlite_app, tmp_path):
    app, _live = sqlite_app
    old_mask = os.umask(0o022)
    try:
        target = tmp_path / "new" / "folder" / "copy.db"
        result = app.test_cli_runner().invoke(args=["backup", "--to", str(target)])
    finally:
        os.umask(old_mask)
    assert result.exit_code == 0, result.output
    assert f"Made the folder {target.parent}." in result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert _users(target)


def _hold_open(live: Path) -> subprocess.Popen:
    """Another process (a web worker, say) with the database open, having written to it."""
    script = (
        "import sqlite3, sys, time\n"
        f"c = sqlite3.connect({str(live)!r}, isolation_level=None)\n"
        "c.execute('UPDATE user SET name = name')\n"
        "print('open', flush=True)\n"
        "time.sleep(120)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "open"
    return holder


def test_restore_puts_a_backup_in_place_and_moves_the_old_database_aside_with_its_wal_and_shm(
    sqlite_app, tmp_path
):
    app, live = sqlite_app
    runner = app.test_cli_runner()
    backup = tmp_path / "nightly.db"
    assert runner.invoke(args=["backup", "--to", str(backup)]).exit_code == 0
    with closing(sqlite3.connect(live, isolation_level=None)) as connection:
        connection.execute("UPDATE user SET email = 'added.after@example.org' WHERE id = 1")
    after_backup = _users(live)

    holder = _hold_open(live)
    try:
        refused = runner.invoke(args=["restore", str(backup)])
        assert refused.exit_code != 0
        assert "The database is open in another process" in refused.output
        assert "Nothing was changed" in refused.output and _users(live) == after_backup
    finally:
        os.kill(holder.pid, signal.SIGKILL)  # a crashed worker leaves the -wal and -shm behind
        holder.wait()
    assert Path(f"{live}-wal").exists() and Path(f"{live}-shm").exists()

    result = runner.invoke(args=["restore", str(backup)])
    assert result.exit_code == 0, result.output
    assert f"Restored {backup} to {live} (integrity checked)." in result.output
    assert "Database is at 00" in result.output
    # The check that nothing has it open recovers what the -wal held into the database file first.
    [moved] = [path for path in live.parent.iterdir() if path.name.startswith("tracker.db.replaced-")
               and not path.name.endswith(("-wal", "-shm"))]
    assert f"aside to {moved}" in result.output and Path(f"{moved}-shm").exists()
    assert "added.after@example.org" in _users(moved)
    assert not Path(f"{live}-wal").exists() and not Path(f"{live}-shm").exists()
    assert "added.after@example.org" not in _users(live) and _users(live) == _users(backup)
    assert backup.exists()  # the backup itself is left as it was
    restored = create_app({"DATABASE_URL": f"sqlite:///{live}", "SECRET_KEY": "restored", "TESTING": True})
    ready = restored.test_client().get("/readyz")
    assert ready.status_code == 200, ready.get_json()
    restored.extensions["db_engine"].dispose()


def test_restore_refuses_a_file_that_is_not_a_sound_tracker_database_and_changes_nothing(sqlite_app, tmp_path):
    app, live = sqlite_app
    before = _users(live)
    runner = app.test_cli_runner()
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_bytes(b"this is not a database" * 100)
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other, isolation_level=None)) as connection:
        connection.execute("CREATE TABLE t (x)")
    for path, said in ((not_a_database, "it is not an SQLite database"), (other, "not a MAPPA Tracker database")):
        result = runner.invoke(args=["restore", str(path)])
        assert result.exit_code != 0 and said in result.output and "Nothing was changed" in result.output
    same = runner.invoke(args=["restore", str(live)])
    assert same.exit_code != 0 and "is the database in use" in same.output
    assert _users(live) == before
    assert not [path for path in live.parent.iterdir() if ".replaced-" in path.name or ".restoring" in path.name]


def test_backup_and_restore_point_postgresql_to_pg_dump():
    app = create_app({"DATABASE_URL": "postgresql+psycopg://tracker@127.0.0.1:9/tracker", "SECRET_KEY": "x",
                      "TESTING": True})
    runner = app.test_cli_runner()
    for args in (["backup"], ["restore", __file__]):
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and "for PostgreSQL use pg_dump and pg_restore" in result.output
