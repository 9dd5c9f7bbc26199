"""The Board dashboard's reviews held on time and actions done on time come from counts kept per day as the
data changes (tracker.reports.tallies): they follow changes to meetings, agenda items, actions, cases and
the interval settings, and equal a full recount after each (every test here also ends with that check:
tests/kept_counts.py)."""

from __future__ import annotations

from datetime import timedelta

from tests.kept_counts import assert_counts_kept
from tests.reports.test_pages import _soup, _trend
from tracker.core import settings
from tracker.core.db import db
from tracker.core.timeutil import today_london
from tracker.meetings import rules as meeting_rules
from tracker.meetings.models import ActionStatus, Category, Level, MeetingStatus
from tracker.reports import rules


def _year(client, key: str) -> str:
    """The measure's figure for the year to date, as the dashboard shows it."""
    return _trend(_soup(client.get("/reports/")), key)[-1]


def test_reviews_held_on_time_follow_meetings_items_cases_and_settings(
    app_context, factory, client_as, connection
):
    today = today_london()
    board = client_as("SMB")
    case = factory.case()
    earlier = factory.held_meeting(days_ago=40, cases=0)
    first = factory.agenda_item(earlier, case, next_review_on=today - timedelta(days=10))
    review = factory.held_meeting(days_ago=5, cases=0)
    factory.agenda_item(review, case)
    assert_counts_kept(connection)
    if rules.reporting_year_of(today - timedelta(days=40)) != rules.reporting_year_of(today):
        return  # the earlier meeting is last year's: nothing below is in this year's figures
    assert _year(board, "reviews") == "0% (0 of 1)"

    first.next_review_on = today - timedelta(days=2)  # the earlier meeting set a later date: now on time
    factory.save(first)
    assert_counts_kept(connection)
    assert _year(board, "reviews") == "100% (1 of 1)"

    settings.set_value(meeting_rules.REVIEW_WEEKS[Level.LEVEL_2].key, 4, None)  # 28 days: late again
    db.session.flush()
    assert_counts_kept(connection)
    assert _year(board, "reviews") == "0% (0 of 1)"
    settings.set_value(meeting_rules.REVIEW_WEEKS[Level.LEVEL_2].key, 16, None)
    db.session.flush()

    earlier.status = MeetingStatus.CANCELLED  # no earlier discussion: the review is not counted
    factory.save(earlier)
    assert_counts_kept(connection)
    assert _year(board, "reviews") == "No data"

    earlier.status = MeetingStatus.HELD
    case.category = Category.CATEGORY_4  # Category 4 leaves every figure
    factory.save(earlier, case)
    assert_counts_kept(connection)
    assert _year(board, "reviews") == "No data"


def test_actions_done_on_time_follow_the_actions_and_their_cases(factory, client_as, connection):
    today = today_london()
    board = client_as("SMB")
    meeting = factory.held_meeting(days_ago=3, cases=2, actions_per_case=0)
    first, second = meeting.agenda_items
    done = factory.action(first, due_on=today - timedelta(days=1))
    overdue = factory.action(second, due_on=today - timedelta(days=1))
    factory.action(second, due_on=today + timedelta(days=20))  # open, not yet due: not counted
    assert_counts_kept(connection)
    if rules.reporting_year_of(today - timedelta(days=1)) != rules.reporting_year_of(today):
        return
    assert _year(board, "actions") == "0% (0 of 2)"

    done.status, done.completed_on = ActionStatus.DONE, today - timedelta(days=2)
    factory.save(done)
    assert_counts_kept(connection)
    assert _year(board, "actions") == "50% (1 of 2)"

    overdue.status = ActionStatus.DROPPED
    factory.save(overdue)
    assert_counts_kept(connection)
    assert _year(board, "actions") == "100% (1 of 1)"

    first.case.category = Category.CATEGORY_4
    factory.save(first.case)
    assert_counts_kept(connection)
    assert _year(board, "actions") == "No data"


def test_a_case_the_meeting_did_not_discuss_is_no_review_held_nor_a_plan_recorded(
    app_context, factory, client_as, connection
):
    """Marking a case not discussed (deferred) takes its discussion out of the dashboard's figures: a review
    that was due stays unheld, and its pillars are not counted as a plan that left them out."""
    today = today_london()
    board = client_as("SMB")
    case = factory.case()
    earlier = factory.held_meeting(days_ago=40, cases=0)
    factory.agenda_item(earlier, case, next_review_on=today - timedelta(days=2))
    review = factory.held_meeting(days_ago=5, cases=0)
    deferred = factory.agenda_item(review, case)
    assert_counts_kept(connection)
    if rules.reporting_year_of(today - timedelta(days=40)) != rules.reporting_year_of(today):
        return  # the earlier meeting is last year's: nothing below is in this year's figures
    assert _year(board, "reviews") == "100% (1 of 1)"

    deferred.not_discussed_reason = "Not reached: time ran out"
    factory.save(deferred)

    assert_counts_kept(connection)
    assert _year(board, "reviews") == "No data"


def test_actions_recorded_at_a_meeting_later_cancelled_no_longer_count(factory, client_as, connection):
    """A meeting that did not take place agreed nothing: cancelling it takes its open actions off the
    record and one already done, though it stays on the case, leaves the Board's figures too."""
    today = today_london()
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    item = factory.agenda_item(meeting)
    factory.action(item, due_on=today - timedelta(days=1), status=ActionStatus.DONE, completed_on=today)
    factory.action(item, due_on=today - timedelta(days=1))  # open and overdue
    assert_counts_kept(connection)
    board = client_as("SMB")
    if rules.reporting_year_of(today - timedelta(days=1)) == rules.reporting_year_of(today):
        assert _year(board, "actions") == "0% (0 of 2)"

    cancelled = client_as(chair).post(f"/meetings/{meeting.id}/cancel", data={"version": "1", "reason": "Unwell"})
    assert cancelled.status_code == 302
    assert_counts_kept(connection)
    assert _year(board, "actions") == "No data"
