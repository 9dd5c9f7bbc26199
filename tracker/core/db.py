"""The database: one engine per app, one session per request, committed once when the request succeeds."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session


def normalise_url(url: str) -> str:
    """Accept the plain postgres:// URLs hosting platforms give and use psycopg 3 for them."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def ids_never_reused(metadata: sa.MetaData) -> None:
    """Every table whose integer id the database gives out gets it from a counter that never goes back.

    The audit trail names a row by its kind and id. SQLite otherwise gives a new row the highest id plus
    one, so the newest row deleted (a disclosure pack, a case disposed of) hands its id, and with it its
    trail, to the next; AUTOINCREMENT stops that. PostgreSQL's sequences never go back already.
    """
    for table in metadata.tables.values():
        if table.autoincrement_column is not None:
            table.dialect_kwargs["sqlite_autoincrement"] = True


def make_engine(url: str) -> Engine:
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url, connect_args={"timeout": 30, "check_same_thread": False}, hide_parameters=True
        )
        _configure_sqlite(engine)
        return engine
    # hide_parameters: a failed statement's error (so the log) never shows its values, which may be case data.
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, hide_parameters=True)


def _configure_sqlite(engine: Engine) -> None:
    """Foreign keys on, WAL so readers never block the writer, a busy timeout for several workers.

    pysqlite's own transaction handling is switched off so that SQLAlchemy's transactions are begun here.
    A transaction that writes takes the write lock at its start (BEGIN IMMEDIATE), so two workers never
    both read and then fail to upgrade to a write (SQLITE_BUSY), and savepoints behave.

    A page that is read (GET or HEAD) does not: it would hold the one write lock for as long as the page
    takes, and the workers would serve pages one at a time. It reads in a plain BEGIN (one snapshot, which
    never waits for a writer in WAL mode). Before its first statement that writes (a consultation entry, a
    session's last-seen time), or its first flush, that read transaction ends (it changed nothing) and
    BEGIN IMMEDIATE takes the lock; from there to the commit the request writes as any other. A read
    transaction is never upgraded, so it can never fail to be (SQLITE_BUSY_SNAPSHOT).
    """

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection):
        reading = _reading_a_page()
        connection.info[_READING] = reading
        connection.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _lock_before_writing(connection, cursor, statement, _parameters, _context, _executemany):
        if connection.info.get(_READING) and not statement.lstrip()[:6].upper().startswith(_READS):
            _from_reading_to_writing(connection, cursor)


_READING = "tracker_reading"
# Statements a page may run in its read transaction (anything else, a savepoint too, takes the lock first).
_READS = ("SELECT", "BEGIN", "PRAGMA")


def _from_reading_to_writing(connection: sa.Connection, cursor) -> None:
    """End a page's read transaction (it wrote nothing) and begin one that holds the write lock."""
    connection.info[_READING] = False
    cursor.execute("COMMIT")
    cursor.execute("BEGIN IMMEDIATE")


def _take_write_lock(session: OrmSession, _context, _instances) -> None:
    """Before a flush: a page that has only read so far takes SQLite's write lock now, before the flush's
    own reads (the kept counts read the rows they change), so that what they read is what they change."""
    connection = session.connection()
    if connection.info.get(_READING):
        cursor = connection.connection.dbapi_connection.cursor()
        try:
            _from_reading_to_writing(connection, cursor)
        finally:
            cursor.close()


def _forget_before_commit(session: OrmSession, previous_transaction) -> None:
    """A request's changes rolled back: what was to run before committing them has nothing to run on."""
    if previous_transaction.parent is None and has_request_context() and g.get("db_session") is session:
        g.pop("db_before_commit", None)


def take_write_lock() -> None:
    """Hold the database's write lock from now on (SQLite; PostgreSQL locks the rows a statement
    changes), before reading what the request will then change."""
    _take_write_lock(db.session, None, None)


# The requests that read a page (and write no more than what they log).
READ_METHODS = frozenset({"GET", "HEAD"})


def _reading_a_page() -> bool:
    """Whether the transaction being begun is a GET or HEAD request's (which begins without the lock). A
    command run inside a request (`g.command`: the reminders, the digest) is not: it reads what is due and
    records it sent, and two runs at once must take turns from their first read."""
    return has_request_context() and request.method in READ_METHODS and "command" not in g


def listen(target, identifier: str, fn: Callable, *, first: bool = False) -> None:
    """Attach an SQLAlchemy event listener, once however many apps are made: a listener on a class (every
    ORM session, or every row of a model) is process-wide, so `register(app)` of a second app must not add
    it again. Called from the app's wiring, never at import, so importing a module changes nothing."""
    if not sa.event.contains(target, identifier, fn):
        sa.event.listen(target, identifier, fn, insert=first)


class Database:
    """Access to the current app's engine and the request's session."""

    def init_app(self, app: Flask) -> None:
        app.extensions["db_engine"] = make_engine(app.config["DATABASE_URL"])
        # Before every other flush listener (the record guards, the kept counts, the audit trail read first).
        listen(OrmSession, "before_flush", _take_write_lock, first=True)
        listen(OrmSession, "after_soft_rollback", _forget_before_commit)
        app.teardown_appcontext(self._close_session)

    @property
    def engine(self) -> Engine:
        return current_app.extensions["db_engine"]

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            # Tests may bind every request to one connection whose outer transaction they roll back.
            bind = current_app.extensions.get("db_test_connection") or self.engine
            g.db_session = Session(bind, expire_on_commit=False, join_transaction_mode="create_savepoint")
        return g.db_session

    def before_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` just before the request's changes are committed (after the view, and every check
        on what it changed), and never if they are rolled back first: for bookkeeping the commit must
        include, such as taking a correction's draft back out of the live record."""
        g.setdefault("db_before_commit", []).append(callback)

    def run_before_commit(self) -> None:
        for callback in g.pop("db_before_commit", []):
            callback()

    def after_commit(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the request's changes are committed, and never if they are rolled back:
        for what must not happen for a change that was not saved, such as emailing people about it."""
        g.setdefault("db_after_commit", []).append(callback)

    def run_after_commit(self) -> None:
        for callback in g.pop("db_after_commit", []):
            try:
                callback()
            except Exception:  # the change is saved: a failure afterwards must not show an error page
                current_app.logger.exception("after-commit step %r failed", callback)
                self.session.rollback()

    def refresh_statistics(self) -> None:
        """Let the query planner see the data after a bulk load (the demo, an area import), rather than
        planning for empty tables until autovacuum's next visit. Tables this role does not own are
        skipped by PostgreSQL with a warning."""
        with self.engine.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")

    def _close_session(self, _exc) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


db = Database()
