"""On SQLite, a page that is read does not hold the one write lock while it is worked out: several workers
serve pages at once, and a page takes the lock only for what it writes (its consultation entry).

An app and a database file of its own, with real threads and a second connection that holds the write
lock, as another worker's save would (the other tests share one rolled-back connection).
"""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import make_url
from sqlmodel import Session, func, select

from tests.conftest import make_app, make_database
from tests.factories.core import PASSWORD, CoreFactory
from tracker.core.models import AuditEvent


@pytest.fixture(scope="module")
def sqlite_app(tmp_path_factory):
    databases = make_database("sqlite", tmp_path_factory)
    url = next(databases)
    app = make_app(url, tmp_path_factory.mktemp("mail"))
    yield app
    app.extensions["db_engine"].dispose()
    databases.close()


@pytest.fixture(scope="module")
def chair_browser(sqlite_app):
    with Session(sqlite_app.extensions["db_engine"], expire_on_commit=False) as session:
        chair = CoreFactory(session).user("CHAIR")
    browser = sqlite_app.test_client()
    response = browser.post("/sign-in", data={"email": chair.email, "password": PASSWORD})
    assert response.headers["Location"] == "/home"
    browser.get("/home")  # the session's last-seen time is fresh: the pages below write only what they log
    return browser


def holding_the_write_lock(app) -> sqlite3.Connection:
    """A second connection in the middle of a write, as another worker saving a form would be."""
    other = sqlite3.connect(make_url(app.config["DATABASE_URL"]).database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def in_background(request) -> tuple[threading.Thread, list]:
    answer: list = []
    thread = threading.Thread(target=lambda: answer.append(request()))
    thread.start()
    return thread, answer


def consultations(app) -> int:
    with Session(app.extensions["db_engine"]) as session:
        return session.exec(select(func.count()).where(AuditEvent.action == "view")).one()


def test_a_page_that_writes_nothing_is_served_while_another_worker_holds_the_write_lock(
    sqlite_app, chair_browser
):
    other = holding_the_write_lock(sqlite_app)
    try:
        thread, answer = in_background(lambda: chair_browser.get("/account"))
        thread.join(timeout=10)
        # Before, the page began with BEGIN IMMEDIATE and waited for the lock (up to the 30 s busy timeout).
        assert not thread.is_alive(), "the page waited for the write lock"
        assert answer[0].status_code == 200
    finally:
        other.rollback()
        other.close()


def test_a_page_read_while_the_lock_is_held_waits_only_to_log_itself_and_logs_once(sqlite_app, chair_browser):
    before = consultations(sqlite_app)
    other = holding_the_write_lock(sqlite_app)
    try:
        thread, answer = in_background(lambda: chair_browser.get("/meetings"))
        thread.join(timeout=1)
        assert thread.is_alive(), "the page's consultation entry was written without the lock"
    finally:
        other.rollback()  # the other worker's save ends: the page takes the lock, logs itself and is sent
        other.close()
    thread.join(timeout=30)
    assert answer[0].status_code == 200
    assert consultations(sqlite_app) == before + 1


def test_pages_read_at_once_by_several_workers_are_each_sent_and_logged(sqlite_app, chair_browser):
    before = consultations(sqlite_app)
    barrier = threading.Barrier(8)
    statuses: list[int] = []

    def read() -> None:
        barrier.wait()
        statuses.append(chair_browser.get("/meetings").status_code)

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert statuses == [200] * 8
    assert consultations(sqlite_app) == before + 8
