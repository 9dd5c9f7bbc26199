"""The co-ordinator brings an area's caseload in: downloads the template, uploads 30 cases of which 3 are
faulty, reads what is wrong with each, fixes them, imports all 30, and finds them with their reviews due
on the home page. Runs on a demo area of its own, so that the 30 cases do not change other journeys' lists."""

import csv
import io
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveServer, axe_check, serve_demo, sign_in_as
from tests.conftest import BACKENDS

pytestmark = pytest.mark.browser

AGENCY = "Probation Service (London)"
FAULTY = {5: ("category", "7"), 12: ("lead_agency", "Ministry of Magic"), 21: ("date_of_birth", "31/02/1990")}


@pytest.fixture(scope="module", params=BACKENDS)
def live_server(request, tmp_path_factory) -> Iterator[LiveServer]:
    """A demo area of its own: the import adds cases the other journeys do not expect."""
    yield from serve_demo(request.param, tmp_path_factory, "caseload-instance")


def _caseload(header: list[str], fixed: bool) -> bytes:
    """30 invented cases, referred in 2020 and each overdue for a review set that spring; unless `fixed`,
    three rows carry a mistake (a category that does not exist, an unknown agency, an impossible date)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    for number in range(1, 31):
        row = {name: "" for name in header}
        row.update(
            reference=f"IMP-2020-{number:04d}",
            name=f"Imported Person {number}",
            date_of_birth=f"1980-01-{number:02d}",
            category=str(1 + number % 3),
            level="2",
            lead_agency=AGENCY,
            referred_on="2020-01-06",
            next_review_due=f"2020-03-{number:02d}",
            borough="Camden",
        )
        line = number + 1
        if not fixed and line in FAULTY:
            column, value = FAULTY[line]
            row[column] = value
        writer.writerow(row)
    return out.getvalue().encode()


def _overdue_count(page) -> int:
    link = page.get_by_role("link", name=re.compile(r"^See \d+ cases? overdue for a meeting$"))
    if link.count() == 0:
        return 0
    return int(re.search(r"\d+", link.inner_text()).group(0))


def test_the_coordinator_brings_in_a_caseload_fixing_three_faulty_rows(page):
    sign_in_as(page, "coordinator")
    overdue_before = _overdue_count(page)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("button", name="Bring in a caseload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bring in a caseload")
    axe_check(page)

    # The template names the columns the file needs.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template (CSV)").click()
    assert download.value.suggested_filename == "mappa-caseload-template.csv"
    with open(download.value.path(), encoding="utf-8-sig") as template:
        header = next(csv.reader(template))
    assert header[:3] == ["reference", "name", "date_of_birth"]

    # 30 rows, 3 of them wrong: each problem is said against its row, and nothing is added.
    page.get_by_label("Upload the caseload").set_input_files(
        {"name": "caseload.csv", "mimeType": "text/csv", "buffer": _caseload(header, fixed=False)}
    )
    page.get_by_role("button", name="Upload and check").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Nothing has been added")
    expect(summary).to_contain_text("Row 5, category: The category must be 1, 2, 3 or 4")
    expect(summary).to_contain_text("Row 12, lead_agency: There is no agency called ‘Ministry of Magic’")
    expect(summary).to_contain_text("Row 21, date_of_birth: Enter the date of birth as a date")
    expect(summary.get_by_role("link")).to_have_count(3)
    expect(page.get_by_text("30 rows of cases in caseload.csv, 3 with errors.")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Add"))).to_have_count(0)
    expect(page).to_have_title(re.compile(r"^Error: "))
    axe_check(page)

    # The corrected file: every row ready, then all 30 are added.
    page.get_by_label("Upload the corrected file").set_input_files(
        {"name": "caseload.csv", "mimeType": "text/csv", "buffer": _caseload(header, fixed=True)}
    )
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("30 rows of cases in caseload.csv: every row is ready.")).to_be_visible()
    expect(page.locator("#row-2")).to_contain_text("Ready")
    axe_check(page)
    page.get_by_role("button", name="Add 30 cases").click()
    expect(page.get_by_text("30 cases imported from caseload.csv.")).to_be_visible()
    expect(page.get_by_role("link", name="IMP-2020-0001")).to_be_visible()
    axe_check(page)

    # The home page counts them among the reviews overdue, earliest first, with the date each was due.
    page.goto("/home")
    assert _overdue_count(page) == overdue_before + 30
    overdue = page.locator("li", has=page.get_by_role("link", name="IMP-2020-0001"))
    expect(overdue).to_contain_text(re.compile(r"Level 2, due \d{1,2} \w+ 2020"))
    axe_check(page)
