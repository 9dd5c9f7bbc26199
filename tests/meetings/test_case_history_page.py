"""The history on a case's page: its level and custody entries and the changes of its category, latest
first, each saying who recorded it. Also run on PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup

from tests.justify import open_page
from tests.pages import page_text
from tests.posted import case_form, date_parts
from tracker.core.timeutil import format_date, today_london
from tracker.meetings.models import Category, Level


def _history(client, case_id: int) -> list[list[str]]:
    soup = BeautifulSoup(open_page(client, f"/cases/{case_id}").data, "html.parser")
    rows = soup.find("h2", string="History").find_next("table").select("tbody tr")
    return [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in rows]


def test_a_change_of_category_is_shown_in_the_cases_history(client_as, factory, session):
    case = factory.case(Level.LEVEL_2, Category.CATEGORY_2, referred_on=today_london() - timedelta(days=20))
    coordinator = factory.user("COORDINATOR", name="Helen Marsh")
    client = client_as(coordinator)
    recalled_on = today_london() - timedelta(days=5)
    response = client.post(
        f"/cases/{case.id}/events/new",
        data={"kind": "RECALLED", "occurred_on": date_parts(recalled_on), "reason": "Breached the curfew"},
    )
    assert response.status_code == 302, page_text(response)
    response = client.post(f"/cases/{case.id}/edit", data=case_form(case, category="CATEGORY_1"))
    assert response.status_code == 302, page_text(response)

    assert _history(client, case.id) == [
        [format_date(today_london()), "Category changed: Category 2 to Category 1", "", "", "Helen Marsh"],
        [
            format_date(recalled_on),
            "Returned to custody (breach of licence)",
            "Level 2",
            "Breached the curfew",
            "Helen Marsh",
        ],
        [format_date(case.referred_on), "Referred", "Level 2", "", ""],
    ]


def test_a_change_from_category_4_is_shown_only_to_those_cleared_for_such_cases(client_as, factory, session):
    """The case was Category 4 until today: someone not cleared may see it now, but not that it was one."""
    case = factory.case(Level.LEVEL_2, Category.CATEGORY_4, referred_on=today_london() - timedelta(days=20))
    cleared = factory.user("COORDINATOR", name="Helen Marsh", terrorism_cleared=True)
    response = client_as(cleared).post(f"/cases/{case.id}/edit", data=case_form(case, category="CATEGORY_2"))
    assert response.status_code == 302, page_text(response)

    shown_cleared = [row[1] for row in _history(client_as(cleared), case.id)]
    assert shown_cleared == ["Category changed: Category 4 to Category 2", "Referred"]
    not_cleared = client_as(factory.user("COORDINATOR", name="Sam Other"))
    assert [row[1] for row in _history(not_cleared, case.id)] == ["Referred"]
