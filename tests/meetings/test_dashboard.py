"""The home page panel by role, and pages whose number of queries does not grow with the data."""

from datetime import timedelta

import sqlalchemy as sa

from tests.justify import open_page
from tests.pages import page_text
from tracker.auth.models import AgencySector
from tracker.core.timeutil import today_london
from tracker.meetings.models import CaseStatus, Category, Level


def test_the_dashboard_shows_my_meetings_reviews_due_cases_without_meetings_and_overdue_actions(
    client_as, factory
):
    today = today_london()
    chair = factory.user("CHAIR")
    this_week = factory.meeting(chair=chair, day=today)
    overdue = factory.case(
        reference="DASH-OVERDUE",
        referred_on=today - timedelta(days=300),
        last_reviewed_on=today - timedelta(weeks=17),
    )
    soon = factory.case(
        reference="DASH-SOON",
        referred_on=today - timedelta(days=300),
        last_reviewed_on=today - timedelta(weeks=10),
        next_review_on=today + timedelta(days=5),
    )
    fine = factory.case(
        reference="DASH-FINE",
        referred_on=today - timedelta(days=300),
        last_reviewed_on=today - timedelta(weeks=1),
        next_review_on=today + timedelta(weeks=10),
    )
    past = factory.meeting(chair=chair, day=today - timedelta(weeks=17))
    for case in (overdue, soon, fine):
        factory.agenda_item(past, case)
    item = factory.agenda_item(this_week, fine)
    factory.action(
        item, owner=chair, description="Write to the victim liaison officer", due_on=today - timedelta(days=1)
    )
    page = page_text(client_as(chair).get("/home"))
    assert this_week.reference in page.split("My meetings this week")[1].split("My overdue actions")[0]
    assert "Write to the victim liaison officer" in page
    overdue_part = page.split("Meetings overdue")[1].split("Meetings due in the next 14 days")[0]
    assert "DASH-OVERDUE" in overdue_part and "DASH-SOON" not in overdue_part
    soon_part = page.split("Meetings due in the next 14 days")[1].split("Cases without a next meeting")[0]
    assert "DASH-SOON" in soon_part and "DASH-FINE" not in soon_part
    assert "2 cases not on any scheduled meeting" in page


def test_my_overdue_actions_show_the_five_due_longest_ago_and_count_them_all(client_as, factory):
    today = today_london()
    chair = factory.user("CHAIR")
    item = factory.agenda_item(factory.meeting(chair=chair, day=today), factory.case())
    for days in range(1, 8):
        factory.action(item, owner=chair, description=f"Overdue by {days} days", due_on=today - timedelta(days))
    factory.action(item, owner=chair, description="Due tomorrow", due_on=today + timedelta(days=1))
    factory.action(item, description="Someone else's", due_on=today - timedelta(days=9))
    # Owning an action shows its case, but not a Category 4 case to someone not cleared for them.
    unseen = factory.agenda_item(factory.meeting(), factory.case(category=Category.CATEGORY_4))
    factory.action(unseen, owner=chair, description="On a Category 4 case", due_on=today - timedelta(days=9))
    part = page_text(client_as(chair).get("/home")).split("My overdue actions")[1].split("Meetings overdue")[0]
    assert [f"Overdue by {days} days" in part for days in range(1, 8)] == [False, False] + [True] * 5
    assert part.index("Overdue by 7 days") < part.index("Overdue by 3 days")
    assert "See 7 overdue actions" in part
    assert "Due tomorrow" not in part and "Someone else's" not in part and "Category 4" not in part


def test_my_overdue_actions_are_found_from_the_owners_index_not_every_overdue_action(
    app, client_as, factory, connection
):
    """Asked by owner, status and the date in force (0036), not by the area's overdue actions and then by
    owner: at national scale that was most of a chair's home page (40 ms of SQLite's work at 2,000 cases)."""
    chair = factory.user("CHAIR")
    item = factory.agenda_item(factory.meeting(chair=chair), factory.case())
    factory.action(item, owner=chair, description="Overdue", due_on=today_london() - timedelta(days=3))
    asked = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if "OVER ()" in statement:
            asked.append((statement, parameters))

    engine = app.extensions["db_engine"]
    sa.event.listen(engine, "before_cursor_execute", keep)
    try:
        assert "Overdue" in page_text(client_as(chair).get("/home")).split("My overdue actions")[1]
    finally:
        sa.event.remove(engine, "before_cursor_execute", keep)
    [(statement, parameters)] = asked
    if connection.dialect.name == "sqlite":
        explained = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        plan = " ".join(row[3] for row in explained)
    else:  # a table this small is read whole unless told not to: is there an index that answers it?
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = " ".join(row[0] for row in connection.exec_driver_sql("EXPLAIN " + statement, parameters))
    assert "ix_meeting_action_owner_status_due_in_force" in plan, plan


def test_an_initial_meeting_left_past_its_working_day_deadline_shows_as_overdue(client_as, factory):
    administrator = factory.user("ADMINISTRATOR")
    factory.case(
        reference="INIT-LATE",
        level=Level.LEVEL_3,
        referred_on=today_london() - timedelta(days=14),
        created_by_id=administrator.id,
    )
    factory.case(
        reference="INIT-NEW", level=Level.LEVEL_2, referred_on=today_london(), created_by_id=administrator.id
    )
    page = page_text(client_as(administrator).get("/home"))
    overdue_part = page.split("Meetings overdue")[1].split("Meetings due")[0]
    assert "INIT-LATE" in overdue_part and "INIT-NEW" not in overdue_part
    listing = page_text(client_as(administrator).get("/cases?review=overdue"))
    assert "INIT-LATE" in listing and "Overdue" in listing


def test_a_case_never_discussed_is_overdue_for_its_initial_meeting_not_a_review(client_as, factory):
    today = today_london()
    never = factory.case(reference="KIND-NEVER", referred_on=today - timedelta(weeks=14))
    factory.case(
        reference="KIND-REVIEW",
        referred_on=today - timedelta(days=300),
        last_reviewed_on=today - timedelta(weeks=17),
    )
    client = client_as("COORDINATOR")
    page = page_text(client.get("/home"))
    assert "Reviews overdue" not in page
    overdue_part = page.split("Meetings overdue")[1].split("Meetings due")[0]
    assert "KIND-NEVER : Initial meeting, Level 2, due" in overdue_part
    assert "KIND-REVIEW : Review, Level 2, due" in overdue_part
    assert "See 2 cases overdue for a meeting" in overdue_part
    # The case list and the case's page say the same.
    listing = page_text(client.get("/cases?review=overdue&q=KIND-"))
    assert "Next meeting" in listing
    assert "KIND-NEVER" in listing.split("Initial meeting")[0]
    assert "KIND-REVIEW" in listing.split("Initial meeting")[1].split("Review,")[0]
    case_page = page_text(open_page(client, f"/cases/{never.id}"))
    assert "Last discussed Not yet" in case_page and "Next meeting due Initial meeting," in case_page


def _due_in_order_world(factory, coordinator_day):
    """Four overdue Level 2 cases whose due dates come from each rule, and an exited one."""
    today = coordinator_day
    # Due 20 weeks ago: the longest interval after a meeting 36 weeks ago, despite a later date set.
    factory.case(
        reference="ORD-INTERVAL",
        referred_on=today - timedelta(days=400),
        last_reviewed_on=today - timedelta(weeks=36),
        next_review_on=today - timedelta(days=1),
    )
    # Due 3 days ago: the review date the last meeting set.
    factory.case(
        reference="ORD-SET",
        referred_on=today - timedelta(days=90),
        last_reviewed_on=today - timedelta(weeks=4),
        next_review_on=today - timedelta(days=3),
    )
    # Due about 10 weeks ago: the initial meeting, 20 working days after a referral 14 weeks ago.
    factory.case(reference="ORD-INITIAL", referred_on=today - timedelta(weeks=14))
    # Due about 5 weeks ago: its initial meeting too.
    factory.case(reference="ORD-LATER", referred_on=today - timedelta(weeks=9))
    factory.case(reference="ORD-EXITED", status=CaseStatus.EXITED, referred_on=today - timedelta(weeks=60))


def test_overdue_reviews_are_listed_most_overdue_first(client_as, factory):
    _due_in_order_world(factory, today_london())
    page = page_text(client_as("COORDINATOR").get("/home"))
    overdue_part = page.split("Meetings overdue")[1].split("Meetings due")[0]
    shown = [ref for ref in overdue_part.split() if ref.startswith("ORD-")]
    assert [ref.rstrip(":") for ref in shown] == ["ORD-INTERVAL", "ORD-INITIAL", "ORD-LATER", "ORD-SET"]


def test_the_case_list_sorts_by_the_next_meeting_due_as_shown(client_as, factory):
    _due_in_order_world(factory, today_london())
    client = client_as("COORDINATOR")
    for order, expected in (
        ("asc", ["ORD-INTERVAL", "ORD-INITIAL", "ORD-LATER", "ORD-SET", "ORD-EXITED"]),
        ("desc", ["ORD-SET", "ORD-LATER", "ORD-INITIAL", "ORD-INTERVAL", "ORD-EXITED"]),
    ):
        page = page_text(client.get(f"/cases?q=ORD-&status=all&sort=next-review&order={order}"))
        assert [word for word in page.split() if word.startswith("ORD-")] == expected


def test_smb_members_and_lay_advisers_see_no_case_panel(client_as, factory):
    factory.case(reference="HIDDEN-1", referred_on=today_london() - timedelta(days=100))
    for role in ("SMB", "LAY_ADVISER", "TRSG"):
        page = page_text(client_as(role).get("/home"))
        assert "Meetings overdue" not in page and "HIDDEN-1" not in page


def test_a_practitioner_with_no_cases_is_told_so_not_that_every_case_has_a_meeting(client_as, factory):
    factory.case(reference="NOT-MINE-1", referred_on=today_london() - timedelta(days=100))
    page = page_text(client_as("PRACTITIONER").get("/home"))
    assert (
        "No cases yet: a case shows here once you are invited to or chair a meeting about it, lead it, or own "
        "one of its actions." in page
    )
    assert "Every case has a meeting scheduled" not in page and "NOT-MINE-1" not in page


def test_an_account_with_no_role_is_told_to_ask_for_one(client_as, factory, session):
    user = factory.user()
    page = page_text(client_as(user).get("/home"))
    assert "Your account has no role yet" in page
    assert "signed in as ." not in page and "Here you can ." not in page
    assert "Roles None yet: ask your system administrator" in page_text(client_as(user).get("/account"))


def _world(factory, chair, practitioner, size):
    police = factory.agency("Count Police", AgencySector.POLICE)
    last = None
    for number in range(size):
        meeting = factory.meeting(chair=chair, day=today_london() + timedelta(days=number % 5))
        factory.invitation(meeting, practitioner)
        factory.invitation(meeting, agency=police)
        for _ in range(3):
            item = factory.agenda_item(meeting, factory.case())
            factory.action(item, owner=practitioner, due_on=today_london() - timedelta(days=1))
        last = meeting
    return last, item


def test_queries_per_page_do_not_grow_with_the_data(client_as, factory, count_queries):
    chair = factory.user("CHAIR")
    practitioner = factory.user("PRACTITIONER")

    def measure(size):
        meeting, item = _world(factory, chair, practitioner, size)
        pages = [
            "/home",
            "/meetings",
            "/cases",
            "/actions?owner=all",
            f"/meetings/{meeting.id}",
            f"/meetings/{meeting.id}/agenda/{item.id}",
            f"/cases/{item.case_id}",
        ]
        found = {}
        for who in (chair, practitioner):
            client = client_as(who)
            for url in pages:
                key = (who.id, url.split("/")[1] + str(url.count("/")))
                with count_queries() as counted:
                    assert client.get(url).status_code == 200
                found[key] = counted[0]
        return found

    small = measure(1)
    larger = measure(5)
    assert larger == small
    # The meeting page walks the plan's parts and the agenda's warnings too.
    assert max(small.values()) <= 32, small
