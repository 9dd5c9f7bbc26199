"""Lists count a fixed number of pages ahead, so a page costs the same however long the list grows."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from tracker.core import pagination
from tracker.core.models import AuditEvent
from tracker.core.timeutil import today_london

ENTRIES = 160  # the audit trail shows 50 entries a page: 4 pages, the last one short


@pytest.fixture
def audit_entries(session, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_AHEAD_PAGES", 2)
    session.add_all(
        AuditEvent(actor="someone@example.org", action="view", object_type="Note", object_id=str(number))
        for number in range(ENTRIES)
    )
    session.commit()


def _read(response) -> tuple[str, str, list[str], bool]:
    page = BeautifulSoup(response.data, "html.parser")
    shown = page.select_one("p.govuk-body-s").get_text(" ", strip=True)
    caption = page.select_one("caption").get_text(strip=True)
    links = [item.get_text(strip=True) for item in page.select(".govuk-pagination__item")]
    return shown, caption, links, page.select_one(".govuk-pagination__next") is not None


@pytest.fixture
def audit_page(client_as, factory, audit_entries):
    """Reads the entries' list as the co-ordinator sees it, at the page the query asks for: (what it says
    it shows, the caption, the page links, whether there is a next page)."""
    client = client_as(factory.user("COORDINATOR"))
    return lambda query="": _read(client.get(f"/admin/audit?object_type=Note{query}"))


def test_a_long_list_says_more_than_it_counted(audit_page):
    shown, caption, links, has_next = audit_page()
    # Page 1 counts itself and 2 pages ahead: 150 entries, and sees there are more.
    assert shown == "Showing 1 to 50 of more than 150 entries"
    assert caption == "More than 150 entries"
    assert links == ["1", "2", "3", "⋯"]
    assert has_next


def test_the_count_moves_on_with_the_page_and_finds_the_end(audit_page):
    shown, caption, links, has_next = audit_page("&page=2")
    assert shown == "Showing 51 to 100 of 160 entries"
    assert caption == "160 entries"
    assert links == ["1", "2", "3", "4"]
    assert has_next
    shown, _, links, has_next = audit_page("&page=4")
    assert shown == "Showing 151 to 160 of 160 entries"
    assert links == ["1", "2", "3", "4"]
    assert not has_next


def test_the_next_page_keeps_a_date_searched_for(client_as, factory, audit_entries):
    """A date's day, month and year boxes share one name: page 2 kept the day alone, and said "From must
    include a month and year"."""
    client = client_as(factory.user("COORDINATOR"))
    first = BeautifulSoup(
        client.get("/admin/audit?object_type=Note&date_from=1&date_from=1&date_from=2020").data, "html.parser"
    )
    following = client.get(first.select_one(".govuk-pagination__next a")["href"])
    shown, caption, links, _ = _read(following)
    assert shown == "Showing 51 to 100 of 160 entries"
    assert BeautifulSoup(following.data, "html.parser").select(".govuk-error-message") == []


def test_a_page_past_the_end_shows_the_last_page(audit_page, client_as, factory, count_queries):
    """Page 99 of 160 entries said "Showing 4,901 to 160 of 160 entries" above an empty table."""
    assert audit_page("&page=99") == audit_page("&page=4")
    shown, caption, links, has_next = audit_page("&page=99")
    assert (shown, links, has_next) == ("Showing 151 to 160 of 160 entries", ["1", "2", "3", "4"], False)
    client = client_as(factory.user("COORDINATOR"))
    counted = []
    for page in (4, 99):
        with count_queries() as queries:
            client.get(f"/admin/audit?object_type=Note&page={page}")
        counted.append(queries[0])
    assert counted[0] == counted[1], "no query more to find the last page"


def test_a_short_list_asked_for_a_later_page_shows_its_only_page(client_as, factory):
    """Five overdue cases on page 5 said "Showing 101 to 5 of 5 cases", with no link back."""
    long_ago = today_london() - timedelta(days=400)
    for number in range(5):
        factory.case(reference=f"OUT-{number}", referred_on=long_ago, last_reviewed_on=long_ago)
    page = BeautifulSoup(client_as("COORDINATOR").get("/cases?review=overdue&page=5").data, "html.parser")
    assert page.select_one("p.govuk-body-s").get_text(" ", strip=True) == "Showing 1 to 5 of 5 cases"
    assert [a.get_text() for a in page.select("tbody a")] == [f"OUT-{number}" for number in range(5)]


def test_a_list_in_hand_asked_for_a_page_past_its_end_gives_its_last_page(app):
    with app.test_request_context("/?page=9"):
        page = pagination.paginate_list(list(range(30)), size=25)
    assert (page.number, page.items) == (2, list(range(25, 30)))
    assert (page.first_shown, page.last_shown) == (26, 30)
