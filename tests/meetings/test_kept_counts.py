"""The co-ordinator's counts come from counts kept as the data changes (tracker.core.tallies): they say what
a count over every case and meeting says, through changes of every kind, and a change to an interval
setting works every case's due date out again. (Every test of the meetings, minutes, transfer and
retention areas also ends by checking the kept counts against a full recount: tests/kept_counts.py.)"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.kept_counts import assert_counts_kept
from tests.pages import page_text
from tracker.core import settings
from tracker.core.db import db
from tracker.core.timeutil import today_london
from tracker.meetings import rules
from tracker.meetings.models import Case, CaseStatus, Category, Level, MeetingStatus
from tracker.minutes.models import MinutesStatus


def test_the_co_ordinator_s_counts_follow_cases_and_meetings_as_they_change(
    client_as, factory, session, connection
):
    today = today_london()
    coordinator = client_as("COORDINATOR")

    def case(**fields):
        fields.setdefault("referred_on", today - timedelta(days=300))
        return factory.case(**fields)

    overdue = case(last_reviewed_on=today - timedelta(weeks=17))
    case(last_reviewed_on=today - timedelta(weeks=10), next_review_on=today + timedelta(days=5))  # due soon
    fine = case(last_reviewed_on=today - timedelta(weeks=1), next_review_on=today + timedelta(weeks=10))
    case(level=Level.LEVEL_1, last_reviewed_on=today - timedelta(weeks=30))  # no meetings at Level 1
    case(category=Category.CATEGORY_4, last_reviewed_on=today - timedelta(weeks=30))  # not for this person
    upcoming = factory.meeting(day=today + timedelta(days=7))
    factory.agenda_item(upcoming, fine)
    held = factory.meeting(day=today - timedelta(days=40), status=MeetingStatus.HELD)
    factory.meeting(day=today - timedelta(days=40), status=MeetingStatus.CANCELLED)
    assert_counts_kept(connection)
    page = page_text(coordinator.get("/home"))
    assert "See 1 case overdue for a meeting" in page and "See 1 case due soon" in page
    assert "2 cases not on any scheduled meeting" in page
    assert "1 to write or finish" in page and "1 overdue" in page

    overdue.status = CaseStatus.EXITED  # leaves every count
    held.status = MeetingStatus.CANCELLED
    factory.save(overdue, held)
    later = factory.meeting(day=today - timedelta(days=30), status=MeetingStatus.HELD)
    factory.minutes(later, status=MinutesStatus.SUBMITTED)
    fine.next_review_on = today - timedelta(days=1)  # now overdue, though on a meeting next week
    factory.save(fine)
    assert_counts_kept(connection)
    page = page_text(coordinator.get("/home"))
    assert "See 1 case overdue for a meeting" in page and "1 case not on any scheduled meeting" in page
    assert (
        "0 to write or finish" in page and "1 awaiting the chair's approval" in page and "1 overdue" in page
    )

    session.delete(factory.agenda_item(upcoming, factory.case()))
    session.commit()
    assert_counts_kept(connection)


def test_an_interval_setting_changed_works_every_case_s_due_date_out_again(app_context, factory, connection):
    today = today_london()
    case = factory.case(referred_on=today - timedelta(days=300), last_reviewed_on=today - timedelta(weeks=10))
    assert case.review_due_on == today - timedelta(weeks=10) + timedelta(weeks=16)

    settings.set_value(rules.REVIEW_WEEKS[Level.LEVEL_2].key, 8, None)
    db.session.flush()
    assert_counts_kept(connection)
    stored = connection.execute(sa.select(Case.review_due_on).where(Case.id == case.id)).scalar_one()
    assert stored == today - timedelta(weeks=2)

    settings.set_value(rules.REVIEW_WEEKS[Level.LEVEL_2].key, 16, None)  # back to the default: the row goes
    db.session.flush()
    assert_counts_kept(connection)
