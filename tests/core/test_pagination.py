"""Lists count a fixed number of pages ahead, so a page costs the same however long the list grows."""

import pytest
from bs4 import BeautifulSoup

from tracker.core import pagination
from tracker.core.models import AuditEvent

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
