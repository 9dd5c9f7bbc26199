"""Migration 0045 works out again what the rules now count differently for records brought in before it: a
case brought in with its next review date is due then (not at the initial meeting deadline of its
referral), and a discussion at an imported meeting leaves the Four Pillars figures."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from tests.migrating import database_at, discussed_at, insert, old_case
from tracker.core import migrate


def test_imported_records_already_there_are_counted_as_the_rules_now_say(database_url, tmp_path_factory):
    with database_at(database_url, tmp_path_factory, "0044") as (url, engine, t):
        with engine.begin() as db:
            chair, case = old_case(db, t)
            review = date(2026, 3, 20)
            # As an import left it: the review date given, the due date that of an initial meeting.
            db.execute(
                t["mappa_case"]
                .update()
                .where(t["mappa_case"].c.id == case)
                .values(
                    status="ACTIVE", referred_on=date(2025, 6, 2), next_review_on=review, review_due_on=date(2025, 6, 30)
                )
            )
            insert(db, t["case_review_tally"], due_on=date(2025, 6, 30), category_4=False, cases=1)
            meeting, _item = discussed_at(db, t, case, chair, 1, datetime(2026, 1, 20, 10))
            db.execute(t["meeting"].update().where(t["meeting"].c.id == meeting).values(imported=True))
            insert(db, t["discussion_tally"], held_on=date(2026, 1, 20), all_pillars=False, discussions=1)

        migrate.upgrade(url, "0045")

        with engine.begin() as db:
            due = db.execute(sa.text("SELECT review_due_on FROM mappa_case WHERE id = :c"), {"c": case}).scalar()
            assert due in (review, review.isoformat())
            tally = db.execute(sa.text("SELECT due_on, cases FROM case_review_tally")).all()
            assert [(str(on), cases) for on, cases in tally] == [(review.isoformat(), 1)]
            assert db.execute(sa.text("SELECT count(*) FROM discussion_tally")).scalar() == 0
