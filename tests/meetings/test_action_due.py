"""An action's due date in force: the new date its owner set since the meeting, where there is one. What is
overdue is judged by it everywhere, and the action shows the date agreed and the date it was moved to."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from bs4 import BeautifulSoup

from tests.kept_counts import assert_counts_kept
from tests.pages import page_text
from tracker.core import tallies
from tracker.core.timeutil import today_london
from tracker.meetings.models import MeetingStatus
from tracker.reports import tallies as report_tallies


def _row(response, text: str) -> str:
    """The text of the table row that mentions `text` ("" if none does)."""
    soup = BeautifulSoup(response.data, "html.parser")
    rows = [row.get_text(" ", strip=True) for row in soup.select("tr") if text in row.get_text()]
    return rows[0] if rows else ""


def _move(client, action, day, note: str):
    return client.post(
        f"/actions/{action.id}/progress",
        data={
            "version": str(action.version),
            "revised_due_on": [str(day.day), str(day.month), str(day.year)],
            "progress_note": note,
        },
    )


def test_an_overdue_action_moved_to_a_later_date_by_its_owner_is_no_longer_overdue_and_shows_both_dates(
    client_as, factory, connection
):
    today = today_london()
    agreed, later = today - timedelta(days=10), today + timedelta(days=30)
    owner = factory.user("PRACTITIONER")
    case = factory.case(reference="MOVED-1")
    held = factory.meeting(day=today - timedelta(days=30), status=MeetingStatus.HELD)
    action = factory.action(
        factory.agenda_item(held, case), owner=owner, description="Check the new address", due_on=agreed
    )
    chair = factory.user("CHAIR")
    review = factory.agenda_item(factory.meeting(chair=chair, day=today + timedelta(days=7)), case)
    client = client_as(owner)
    assert "Check the new address" in page_text(client.get("/home")).split("My overdue actions")[1]
    assert "Check the new address" in page_text(client.get("/actions?overdue=1"))

    response = _move(client, action, later, "The tenancy starts next month")
    assert response.status_code == 302

    home = page_text(client.get("/home")).split("My overdue actions")[1].split("Reviews")[0]
    assert "Check the new address" not in home and "You have no overdue actions" in home
    assert "Check the new address" not in page_text(client.get("/actions?overdue=1"))
    moved = f"Agreed for {agreed:%-d %B %Y}, moved to {later:%-d %B %Y}"
    for page in (
        client.get("/actions"),
        client.get(f"/cases/{case.id}"),
        client_as(chair).get(f"/meetings/{review.meeting_id}/agenda/{review.id}"),
    ):
        row = _row(page, "Check the new address")
        assert moved in row and "Progress: The tenancy starts next month" in row
        assert "Overdue" not in row and "Open" in row
    # The Board's counts of actions by due date count it by the date in force, and equal a recount.
    assert_counts_kept(connection)
    kept = Counter(report_tallies.ACTIONS_DUE.contributions(connection, {case.id}))
    assert kept == Counter({(later, report_tallies.OPEN): 1})
    assert tallies.counted(report_tallies.ACTIONS_DUE, connection)[(agreed, report_tallies.OPEN)] == 0
