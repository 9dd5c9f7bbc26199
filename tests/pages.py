"""Reading a page as a person would: its text, the error summary, the banners and the tables."""

from bs4 import BeautifulSoup


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def page_text(response) -> str:
    return soup(response).get_text(" ", strip=True)


def error_summary(response) -> list[str]:
    summary = soup(response).select_one(".govuk-error-summary")
    return [a.get_text(" ", strip=True) for a in summary.select("a")] if summary else []


def banners(response) -> list[str]:
    return [b.get_text(" ", strip=True) for b in soup(response).select(".govuk-notification-banner__content")]


def table_rows(response, caption: str) -> list[list[str]]:
    """The body rows of the table with this caption, cell by cell."""
    for table in soup(response).select("table"):
        found = table.select_one("caption")
        if found and found.get_text(strip=True) == caption:
            return [
                [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
                for row in table.select("tbody tr")
            ]
    raise AssertionError(f"no table captioned {caption!r}")
