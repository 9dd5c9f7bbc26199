"""What the case and action lists open on when no order or owner is chosen: the order the list is for, and
the actions the person needs to see."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup

from tests.meetings.test_dashboard import _due_in_order_world
from tests.pages import page_text
from tracker.core.timeutil import today_london


def _references(response, prefix: str) -> list[str]:
    return [word for word in page_text(response).split() if word.startswith(prefix)]


def test_the_overdue_list_opens_most_overdue_first_and_ties_by_reference(client_as, factory):
    """It was sorted by reference, as the whole list is."""
    today = today_london()
    _due_in_order_world(factory, today)
    # Both due on ORD-LATER's day (its initial meeting): made in the other order from their references.
    for reference in ("ORD-TIE-B", "ORD-TIE-A"):
        factory.case(reference=reference, referred_on=today - timedelta(weeks=9))
    response = client_as("COORDINATOR").get("/cases?review=overdue&q=ORD-")
    assert _references(response, "ORD-") == [
        "ORD-INTERVAL",
        "ORD-INITIAL",
        "ORD-LATER",
        "ORD-TIE-A",
        "ORD-TIE-B",
        "ORD-SET",
    ]
    sorted_by = BeautifulSoup(response.data, "html.parser").find("th", attrs={"aria-sort": "ascending"})
    assert sorted_by.get_text(strip=True) == "Next meeting due"
    # Another order chosen still applies; the whole list opens by reference.
    by_reference = client_as("COORDINATOR").get("/cases?review=overdue&q=ORD-&sort=reference")
    assert _references(by_reference, "ORD-")[:2] == ["ORD-INITIAL", "ORD-INTERVAL"]
    assert _references(client_as("COORDINATOR").get("/cases?q=ORD-"), "ORD-")[:2] == [
        "ORD-INITIAL",
        "ORD-INTERVAL",
    ]


def test_the_due_soon_list_opens_soonest_first(client_as, factory):
    today = today_london()
    for reference, days in (("SOON-A", 9), ("SOON-B", 2), ("SOON-C", 5)):
        factory.case(
            reference=reference,
            referred_on=today - timedelta(days=60),
            last_reviewed_on=today - timedelta(weeks=2),
            next_review_on=today + timedelta(days=days),
        )
    response = client_as("COORDINATOR").get("/cases?review=due-soon&q=SOON-")
    assert _references(response, "SOON-") == ["SOON-B", "SOON-C", "SOON-A"]


def _whose(response) -> str:
    select = BeautifulSoup(response.data, "html.parser").find("select", attrs={"name": "owner"})
    return select.find("option", selected=True).get_text(strip=True)


def test_the_actions_list_opens_on_the_area_s_actions_for_the_co_ordinator_and_on_one_s_own_for_others(
    client_as, factory
):
    """The co-ordinator, who oversees the area and owns few actions, opened on "Mine": an empty list."""
    practitioner = factory.user("PRACTITIONER")
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    item = factory.agenda_item(meeting)
    factory.action(item, owner=practitioner, description="Visit the new address")
    factory.action(item, owner=chair, description="Write to the housing officer")
    coordinator = client_as("COORDINATOR")
    opened = coordinator.get("/actions")
    assert _whose(opened) == "All I can see"
    assert "Visit the new address" in page_text(opened) and "Write to the housing officer" in page_text(
        opened
    )
    assert "No actions match." in page_text(coordinator.get("/actions?owner=me"))
    theirs = client_as(practitioner).get("/actions")
    assert _whose(theirs) == "Mine"
    assert "Visit the new address" in page_text(theirs)
    assert "Write to the housing officer" not in page_text(theirs)
    chairs = client_as(chair).get("/actions")
    assert _whose(chairs) == "Mine" and "Visit the new address" not in page_text(chairs)
