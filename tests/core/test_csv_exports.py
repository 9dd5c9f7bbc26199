"""Every CSV download goes through one writer: no cell runs as a formula, Excel reads the accents, and a
number column holds numbers only. The export routes are taken from the app's URL map, so a new one is
tested too (or this test fails until it is)."""

from __future__ import annotations

import csv
import inspect
import io
import re
from datetime import date
from pathlib import Path

from tests.justify import disclosed
from tracker.core.csvfile import BYTE_ORDER_MARK, csv_text, is_number, safe_cell, unsafe_text
from tracker.meetings.models import CaseEventKind, Category, Level
from tracker.training.models import CourseKind

FORMULAS = ['=HYPERLINK("http://evil.example","Click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_formulas_become_text_and_numbers_stay_numbers():
    for formula in FORMULAS:
        assert safe_cell(formula) == "'" + formula
    assert safe_cell("-1") == "-1" and safe_cell("+3.5") == "+3.5" and safe_cell("81.4") == "81.4"
    assert safe_cell(-7) == -7 and safe_cell(0) == 0
    assert safe_cell(None) == "" and safe_cell("Fine – café") == "Fine – café"
    assert not is_number("[c]") and not is_number("73%") and is_number("1e3")


def test_unsafe_text_gives_back_exactly_what_safe_cell_was_given():
    """A file of the tracker's read back in (the area export's import) takes off the one apostrophe
    `safe_cell` added, and nothing else: text that itself starts with apostrophes comes back whole."""
    texts = [*FORMULAS, "'=1", "''=1", "'", "''", "'tis", "'-1", "-1", "+3.5", "O'Brien", "", "Fine"]
    for text in texts:
        assert unsafe_text(str(safe_cell(text))) == text, text
    assert safe_cell("'=1") == "''=1" and unsafe_text("'tis") == "'tis"


def test_the_file_starts_with_a_byte_order_mark_so_excel_reads_utf8():
    text = csv_text(["Name"], [["Café – Brixton"]])
    assert text.startswith(BYTE_ORDER_MARK)
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")


def test_no_module_writes_csv_except_the_one_writer():
    root = Path(__file__).parents[2] / "tracker"
    writers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(|text/csv", path.read_text())
    )
    # The whole-area export is a ZIP of the tables for `tracker import-area`, not a spreadsheet: every
    # value must come back exactly as it was, so its cells are written raw.
    assert writers == ["core/csvfile.py", "transfer/export.py"]


def _csv_endpoints(app) -> set[str]:
    """Routes that answer with a CSV: a .csv address, or a view that calls the CSV writer."""
    found = set()
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        try:
            source = inspect.getsource(inspect.unwrap(view))
        except (OSError, TypeError):
            source = ""
        if rule.rule.endswith(".csv") or "csv_download(" in source or "csv_text(" in source:
            found.add(rule.endpoint)
    return found


def _formula_world(factory):
    """Data typed by people, every text a formula, reaching every CSV export; returns each export's URL."""
    evil = FORMULAS[0]
    factory.person(
        Category.CATEGORY_1, (date(2023, 5, 1), CaseEventKind.REFERRED, Level.LEVEL_2)
    )
    factory.annual_figures(2023, level_1_category_1=1, level_1_category_2=2, level_1_category_3=0)
    forum = factory.event(factory.course(CourseKind.CPD, title=evil), title=evil, days=[date(2023, 6, 14)])
    cohort = factory.event(factory.course(title="+cmd"), title="-cmd", days=[date(2024, 6, 3), date(2024, 6, 4)])
    factory.attendee(cohort, factory.trainee(name="@Trainee"))
    evaluation = factory.evaluation(forum)
    factory.evaluation_invitation(evaluation, answered=True)
    rating, single, multiple, yes_no, text = evaluation.form.ordered_questions
    named = factory.trainee(name=evil)
    factory.response(evaluation, {rating.id: [(4, None)], text.id: [(None, "=1+1")]}, trainee_id=named.id)
    # A second event evaluated with the same form, for the comparison (by the questions' measures).
    again = factory.evaluation(cohort, form=evaluation.form)
    factory.response(again, {rating.id: [(5, None)], text.id: [(None, "@SUM(1)")]}, trainee_id=named.id)
    return {
        "training.register_csv": f"/training/sessions/{cohort.sessions[0].id}/register.csv",
        "evaluations.compare_csv": (
            f"/evaluations/compare.csv?evaluation={evaluation.id}&evaluation={again.id}"
        ),
        "transfer.history_template": "/cases/import/meetings/template.csv",  # no data typed by people
        "reports.annual_report_csv": "/reports/annual-report/2023.csv",
        "training.overview_csv": "/training/overview.csv?year=2023",
        "evaluations.results_csv": f"/evaluations/{evaluation.id}/results.csv",
        "transfer.caseload_template": "/cases/import/template.csv",  # no data typed by people
        # The log's entries name what was changed, titles typed by people included.
        "admin.audit_csv": "/admin/audit.csv?object_type=Course",
    }


def test_every_csv_export_neutralises_formulas_and_opens_in_excel(app, client_as, factory):
    urls = _formula_world(factory)
    assert set(urls) == _csv_endpoints(app), "a CSV export is missing from this test"
    client = client_as(factory.user("COORDINATOR", "TRSG"))
    for endpoint, url in urls.items():
        response = client.get(disclosed(url))
        assert response.status_code == 200, endpoint
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8", endpoint
        assert response.headers["Cache-Control"] == "no-store", endpoint
        assert response.data.startswith(b"\xef\xbb\xbf"), endpoint
        rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
        assert len(rows) > 1, endpoint
        cells = [cell for row in rows for cell in row]
        typed = [cell for cell in cells if "cmd" in cell or "HYPERLINK" in cell or "Trainee" in cell]
        templates = ("transfer.caseload_template", "transfer.history_template")
        assert typed or endpoint in templates, f"{endpoint}: no payload reached it"
        for cell in cells:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), (endpoint, cell)
            assert not cell.startswith("-") or is_number(cell), (endpoint, cell)


def test_number_columns_hold_numbers_only(app, client_as, factory):
    urls = _formula_world(factory)
    client = client_as(factory.user("COORDINATOR", "TRSG"))
    for endpoint in ("reports.annual_report_csv", "training.overview_csv"):
        response = client.get(disclosed(urls[endpoint]))
        rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
        values = [row["Value"] for row in rows]
        assert all(value == "" or is_number(value) for value in values), (endpoint, values)
