"""One answer to "who is a chair and are they current": the Board's dashboard counts the chairs' register,
trained chairs without an account included, not the chair accounts."""

from __future__ import annotations

from collections import Counter

from tracker.core.db import db
from tracker.core.timeutil import today_london
from tracker.reports import quality, rules
from tracker.training import queries


def test_the_board_dashboard_and_the_chairs_register_give_the_same_counts(demo, client_as):
    today = today_london()
    dashboard = quality.build(rules.reporting_year_of(today), today)
    rows = db.session.execute(queries.chairs_register_statement(today=today)).all()
    by_rule = Counter(status.label for status in queries.register_statuses(rows, today).values())
    assert dashboard.chairs_now == {label: by_rule.get(label, 0) for label in quality.CHAIR_STATES}
    assert sum(dashboard.chairs_now.values()) == len(rows) > 3  # the register, not the 3 chair accounts
    assert dashboard.chairs_now["Awaiting training"] > 0
    page = client_as("SMB").get("/reports/").data.decode()
    assert f"{dashboard.chairs_now['Awaiting training']} chairs" in page


def test_register_counts_agree_with_each_filter_of_the_register(demo):
    counts = queries.register_counts()
    for state, _label in queries.REGISTER_FILTERS:
        assert counts[state] == len(db.session.execute(queries.chairs_register_statement(state)).all())
    assert counts["ALL"] == len(db.session.execute(queries.chairs_register_statement()).all())
