"""The counts the app keeps as the data changes (tracker.core.tallies) checked against a full recount: each
kept count, and every case's stored review due date, equal what working them out afresh gives.

`counts_stay_kept` does so at the end of every test of an area that imports it into its conftest, so that
every path those tests take (the pages, the services, the caseload transfer, the retention disposal)
proves the counts kept."""

from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from tracker.core import tallies
from tracker.meetings import tallies as case_tallies
from tracker.meetings.models import Case


def assert_counts_kept(connection: sa.Connection) -> None:
    for tally in tallies.TALLIES:
        fresh = Counter({key: n for key, n in Counter(tally.contributions(connection, None)).items() if n})
        assert tallies.counted(tally, connection) == fresh, tally.table.name
    setting = case_tallies.settings_reader(connection)
    table = Case.__table__
    for row in connection.execute(sa.select(table)):
        due = case_tallies.due_on(
            row.level, row.status, row.referred_on, row.last_reviewed_on, row.next_review_on, setting
        )
        assert row.review_due_on == due, row.reference


@pytest.fixture(autouse=True)
def counts_stay_kept(request):
    """After each test that used the database, the kept counts equal a full recount (unless the test left
    its transaction failed, as a test of a refused write may)."""
    if "connection" not in request.fixturenames:
        yield
        return
    connection = request.getfixturevalue("connection")  # set up first, so torn down after this check
    yield
    transaction = connection.get_transaction()
    if transaction is not None and transaction.is_active:
        assert_counts_kept(connection)
