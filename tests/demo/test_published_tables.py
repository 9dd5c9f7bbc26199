"""The demo's 2024/25 annual report reproduces London's published 2024/25 tables cell by cell (the figures
are in shared/domain.md, "Annual report"), with small numbers shown as they are: suppression is off by
default."""

from __future__ import annotations

import csv
import io

from tests.justify import disclosed
from tracker.core import settings
from tracker.reports import annual, rules

YEAR = rules.ReportingYear(2024)

PUBLISHED_TABLES = {
    "snapshot": [
        ("Level 1", ["7,368", "3,681", "-", "11,049"]),
        ("Level 2", ["24", "63", "67", "154"]),
        ("Level 3", ["8", "3", "6", "17"]),
        ("Total", ["7,400", "3,747", "73", "11,220"]),
    ],
    "over-the-year": [
        ("Level 2", ["153", "301", "298", "752"]),
        ("Level 3", ["21", "27", "31", "79"]),
        ("Total", ["174", "328", "329", "831"]),
    ],
    "returned-to-custody": [
        ("Level 2", ["19", "22", "31", "72"]),
        ("Level 3", ["3", "2", "4", "9"]),
        ("Total", ["22", "24", "35", "81"]),
    ],
}
PUBLISHED_FIGURES = {
    "Category 1 individuals cautioned for breach of notification requirements": "41",
    "Category 1 individuals convicted for breach of notification requirements": "153",
    "Individuals whose lifetime notification requirements were revoked on application": "36",
    "Sexual Harm Prevention Orders imposed by the courts": "559",
    "Sexual Harm Prevention Orders with foreign travel restrictions": "0",
    "Notification orders imposed by the courts": "55",
    "Individuals who became subject to notification requirements after breaching a Sexual Risk Order": "13",
    "Level 2 individuals who breached a Sexual Harm Prevention Order": "0",
    "Level 3 individuals who breached a Sexual Harm Prevention Order": "0",
    "Level 2 and 3 individuals who breached a Sexual Harm Prevention Order, in total": "0",
}
PUBLISHED_RATE = "92"


def test_every_cell_of_the_demo_annual_report_is_londons_published_figure(demo):
    report = annual.build(YEAR)
    assert report.threshold == 1  # suppression is off by default
    assert {table.key: table.labelled_rows() for table in report.tables} == PUBLISHED_TABLES
    assert {label: cell.text for label, cell in report.entered} == PUBLISHED_FIGURES
    assert report.rate_text == PUBLISHED_RATE
    assert "8,043,000" in report.rate_note
    assert not any(table.any_hidden for table in report.tables)


def test_the_page_and_the_csv_show_the_published_figures(demo, client_as):
    from bs4 import BeautifulSoup

    client = client_as("SMB")
    soup = BeautifulSoup(client.get("/reports/annual-report?year=2024").data, "html.parser")
    for key, rows in PUBLISHED_TABLES.items():
        table = soup.find("table", id=f"table-{key}")
        shown = [
            (tr.find("th").get_text(strip=True), [td.get_text(strip=True) for td in tr.find_all("td")])
            for tr in table.find("tbody").find_all("tr")
        ]
        assert shown == rows
    entered = soup.find("table", id="table-entered")
    values = {
        tr.find("th").get_text(strip=True): tr.find("td").get_text(strip=True)
        for tr in entered.find("tbody").find_all("tr")
    }
    assert values[annual.RATE_LABEL] == PUBLISHED_RATE
    assert {label: values[label] for label in PUBLISHED_FIGURES} == PUBLISHED_FIGURES
    assert "[c]" not in soup.get_text()
    data = client.get(disclosed("/reports/annual-report/2024.csv")).data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    snapshot = {(row[3], row[4]): row[5] for row in rows if row[2].startswith("MAPPA-eligible")}
    assert snapshot[("Level 1", "Category 1")] == "7368"
    assert snapshot[("Total", "Total")] == "11220"
    # The rate's row: its figure in Value, where it comes from in Note (not in the Row column).
    (rate_row,) = [row for row in rows if row[2] == annual.RATE_LABEL]
    assert rate_row[3:6] == ["", "Rate", PUBLISHED_RATE] and "8,043,000" in rate_row[6]


def test_with_suppression_turned_on_small_cells_are_hidden_and_the_page_says_so(demo, client_as):
    settings.set_value("suppression_enabled", True, None)
    report = annual.build(YEAR)
    assert report.threshold == 5
    snapshot = {table.key: table for table in report.tables}["snapshot"]
    assert dict(snapshot.labelled_rows())["Level 3"][1] == "[c]"  # the published 3
    page = client_as("SMB").get("/reports/annual-report?year=2024").data.decode()
    assert "counts under 5 show as [c]" in page


def test_an_admin_turns_suppression_on_in_settings(client_as, app_context):
    client = client_as("SYSTEM_ADMIN")
    page = client.get("/admin/settings").data.decode()
    assert "Hide small numbers in the annual report" in page
    data = {key: value for key, value in settings.all_values().items() if not isinstance(value, bool)}
    response = client.post("/admin/settings", data={**data, "suppression_enabled": "y"})
    assert response.status_code == 302
    assert settings.get("suppression_enabled") is True
    assert rules.suppression_threshold() == 5
