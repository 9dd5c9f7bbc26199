"""The list of minutes to work on and the home page panel: to write, awaiting approval, overdue."""

from tests.minutes.conftest import page, text_of
from tracker.minutes.models import MinutesStatus


def rows(response) -> list[str]:
    return [" ".join(row.get_text(" ").split()) for row in page(response).select("tbody tr")]


def test_each_list_shows_the_minutes_at_that_stage(client_as, factory, people):
    chair = people["chair"]
    not_started = factory.held_meeting(chair=chair, days_ago=2)
    submitted = factory.held_meeting(chair=chair, days_ago=4)
    factory.minutes(submitted, MinutesStatus.SUBMITTED)
    overdue = factory.held_meeting(chair=chair, days_ago=40)
    factory.minutes(overdue, MinutesStatus.DRAFT)
    distributed = factory.held_meeting(chair=chair, days_ago=60)
    factory.minutes(distributed, MinutesStatus.DISTRIBUTED)
    upcoming = factory.meeting(chair=chair)
    client = client_as(chair)

    to_write = " ".join(rows(client.get("/minutes")))
    assert not_started.reference in to_write and overdue.reference in to_write
    assert submitted.reference not in to_write and upcoming.reference not in to_write
    assert [submitted.reference in row for row in rows(client.get("/minutes?show=awaiting-approval"))] == [
        True
    ]
    overdue_rows = rows(client.get("/minutes?show=overdue"))
    assert len(overdue_rows) == 1 and overdue.reference in overdue_rows[0] and "Overdue" in overdue_rows[0]
    everything = rows(client.get("/minutes?show=all"))
    assert len(everything) == 4
    # Distributed today, sixty days after the meeting.
    assert any(distributed.reference in row and "Distributed late" in row for row in everything)


def test_people_see_only_the_minutes_of_their_own_meetings_and_the_coordinator_sees_all(
    client_as, factory, people
):
    mine = factory.held_meeting(chair=people["chair"], days_ago=30)
    theirs = factory.held_meeting(days_ago=30)
    chair_list = text_of(client_as(people["chair"]).get("/minutes?show=overdue"))
    assert mine.reference in chair_list and theirs.reference not in chair_list
    coordinator_list = text_of(client_as(people["coordinator"]).get("/minutes?show=overdue"))
    assert mine.reference in coordinator_list and theirs.reference in coordinator_list


def test_the_home_page_panel_counts_what_needs_doing(client_as, factory, people):
    factory.held_meeting(chair=people["chair"], days_ago=30)
    submitted = factory.held_meeting(chair=people["chair"], days_ago=3)
    factory.minutes(submitted, MinutesStatus.SUBMITTED)
    panel = text_of(client_as(people["chair"]).get("/home"))
    assert "1 to write or finish" in panel
    assert "1 awaiting your approval" in panel
    assert "1 overdue : not distributed within 10 working days of the meeting" in panel
    assert page(client_as("PRACTITIONER").get("/home")).find("a", href="/minutes?show=to-write") is None


def test_the_counts_in_one_pass_equal_each_list_counted_on_its_own(app, factory, people, session):
    """`queries.counts` (the tabs and the home panel) counts each stage as its own list has rows, for a
    chair (their own meetings, in one query) and for the co-ordinator (the counts kept per day)."""
    from sqlmodel import func, select

    from tracker.minutes import queries

    chair = people["chair"]
    for days_ago, status in [(2, None), (4, "SUBMITTED"), (40, "DRAFT"), (60, "DISTRIBUTED"), (30, None)]:
        meeting = factory.held_meeting(chair=chair, days_ago=days_ago)
        if status:
            factory.minutes(meeting, MinutesStatus[status])
    factory.held_meeting(days_ago=35)  # someone else's
    with app.test_request_context():
        for person in (chair, people["coordinator"]):
            listed = {
                show: session.scalar(
                    select(func.count()).select_from(queries.minutes_statement(person, show).subquery())
                )
                for show in queries.TABS
            }
            assert queries.counts(person) == listed
            assert listed[queries.Show.OVERDUE] > 0 and listed[queries.Show.AWAITING_APPROVAL] == 1


def test_a_meeting_recorded_as_held_before_its_start_time_has_its_minutes_listed_and_counted_at_once(
    app, client_as, factory, people, session
):
    """A meeting may be recorded as held on its day before the time it was set for (it ran early, or the
    time was wrong): its minutes are to write from then, in the lists and the counts alike."""
    from datetime import time

    from tracker.core.timeutil import london_to_utc, today_london
    from tracker.minutes import queries

    held_early = factory.held_meeting(chair=people["chair"], days_ago=0)
    held_early.starts_at = london_to_utc(today_london(), time(23, 59, 59))  # later today
    held_early.ends_at = held_early.starts_at
    factory.save(held_early)
    for person in (people["chair"], people["coordinator"]):
        client = client_as(person)
        assert held_early.reference in " ".join(rows(client.get("/minutes")))
        assert held_early.reference in " ".join(rows(client.get("/minutes?show=all")))
        with app.test_request_context():
            assert queries.counts(person)[queries.Show.TO_WRITE] == 1
    # One still to come is not.
    upcoming = factory.meeting(chair=people["chair"])
    assert upcoming.reference not in " ".join(rows(client_as(people["chair"]).get("/minutes?show=all")))
