"""Reading an area's current caseload from a spreadsheet (CSV, or XLSX through openpyxl) and checking every
row before anything is saved: the rules as plain functions over the rows and what the database already
holds, so that the preview and the import agree.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from tracker.core.csvfile import csv_text, unsafe_text
from tracker.core.forms import name_key
from tracker.meetings import rules
from tracker.meetings.models import CaseStatus, Category, Level

MAX_ROWS = 10_000
MAX_CELL = 1_000


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    required: bool = False


CASE_COLUMNS = [
    Column("reference", "The MAPPA reference, like LDN-2024-0001", required=True),
    Column("name", "The person's full name", required=True),
    Column("date_of_birth", "Date of birth, as 1980-05-31 or 31/05/1980 (the year in full)", required=True),
    Column("category", "1, 2, 3 or 4 (4: terrorism, only for someone cleared)", required=True),
    Column("level", "2 or 3", required=True),
    Column(
        "lead_agency",
        "The lead agency's name, as listed in the tracker (capitals and spaces aside)",
        required=True,
    ),
    Column("referred_on", "When the case was referred for Level 2 or 3 management", required=True),
    Column(
        "next_review_due",
        "When the next review is due (empty if not set), within the level's review interval from today",
    ),
    Column("status", "Active or In custody (empty: Active)"),
    Column("borough", "The borough or local authority"),
    Column("visor_reference", "ViSOR reference"),
    Column("ndelius_reference", "nDelius CRN"),
    Column("pnc_reference", "PNC ID"),
]
TEMPLATE_EXAMPLE = {
    "reference": "LDN-2024-0001",
    "name": "Alex Example",
    "date_of_birth": "1980-05-31",
    "category": "2",
    "level": "2",
    "lead_agency": "Probation Service (London)",
    "referred_on": "2024-09-02",
    "next_review_due": "2025-01-13",
    "status": "Active",
    "borough": "Camden",
    "visor_reference": "",
    "ndelius_reference": "X123456",
    "pnc_reference": "",
}


class UploadProblem(Exception):
    """The file as a whole cannot be read; the message says why."""


def template_csv() -> str:
    return csv_text(
        [column.name for column in CASE_COLUMNS], [[TEMPLATE_EXAMPLE[column.name] for column in CASE_COLUMNS]]
    )


# Reading -----------------------------------------------------------------------------------------------


def read(filename: str, data: bytes, columns: list[Column] | None = None, noun: str = "cases") -> list[dict]:
    """The rows of a CSV or XLSX file as {column: text}, with "line" (the spreadsheet's row number).

    The first row names the columns (any order, any case); blank rows are skipped. `columns` are those
    the file may have (the caseload's by default); `noun` says what a row is, for the messages."""
    columns = CASE_COLUMNS if columns is None else columns
    grid = _xlsx_rows(data) if filename.lower().endswith(".xlsx") else _csv_rows(data)
    numbered = [(number, row) for number, row in enumerate(grid, start=1) if any(c.strip() for c in row)]
    if not numbered:
        raise UploadProblem("The selected file is empty")
    header = [re.sub(r"[^a-z0-9]+", "_", cell.strip().lower()).strip("_") for cell in numbered[0][1]]
    known = {column.name for column in columns}
    missing = [column.name for column in columns if column.required and column.name not in header]
    if missing:
        raise UploadProblem(
            "The first row must name the columns: "
            f"{', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing. Download the template"
        )
    unknown = [name for name in header if name and name not in known]
    if unknown:
        raise UploadProblem(f"The file has columns the tracker does not know: {', '.join(unknown)}")
    if len(numbered) == 1:
        raise UploadProblem(f"The selected file has no {noun} below its row of column names")
    if len(numbered) - 1 > MAX_ROWS:
        raise UploadProblem(f"The selected file must have {MAX_ROWS:,} {noun} or fewer")
    rows = []
    for number, cells in numbered[1:]:
        if any(len(cell) > MAX_CELL for cell in cells):
            raise UploadProblem(f"Row {number} has a cell longer than {MAX_CELL:,} characters")
        # A cell from one of the tracker's own downloads keeps no apostrophe put before a formula-like text.
        cells = [unsafe_text(cell.strip()) for cell in cells]
        values = {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name}
        rows.append({"line": number, **{column.name: values.get(column.name, "") for column in columns}})
    return rows


def _csv_rows(data: bytes) -> list[list[str]]:
    text = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None or "\x00" in text:
        raise UploadProblem("The selected file must be a CSV or an Excel workbook (.xlsx)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        return list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    except csv.Error as error:
        raise UploadProblem(f"The selected file cannot be read as a CSV: {error}") from error


def _delimiter(text: str) -> str:
    """What separates the file's cells: a comma, or a semicolon (Excel's "CSV" where a comma is the
    decimal mark, as in much of Europe), told by the row of column names (the first that is not blank),
    which holds no commas or semicolons of its own."""
    header = next((line for line in text.split("\n") if line.strip()), "")
    return ";" if header.count(";") > header.count(",") else ","


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise UploadProblem("The selected file must be a CSV or an Excel workbook (.xlsx)") from error
    sheet = workbook.worksheets[0]
    grid = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    _refuse_formulas_without_results(data, grid)
    return grid


def _refuse_formulas_without_results(data: bytes, grid: list[list[str]]) -> None:
    """A formula cell's saved result is what is read; a workbook that a program wrote without working its
    formulas out has none, and the cell would read as empty (a name or date missing for no reason the
    person could see). Such a file is refused, naming the first such cell."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    try:
        for number, (values, formulas) in enumerate(zip(grid, rows, strict=False), start=1):
            for column, formula in enumerate(formulas):
                if isinstance(formula, str) and formula.startswith("=") and not values[column]:
                    raise UploadProblem(
                        f"Cell {get_column_letter(column + 1)}{number} holds a formula with no saved result: "
                        "open the file in Excel, save it and upload it again, or paste the values in"
                    )
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# Checking ----------------------------------------------------------------------------------------------


@dataclass
class CheckedCase:
    line: int
    reference: str
    name: str
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        values = self.values
        if self.errors:
            return ""
        referred = f"referred {values['referred_on']:%-d %B %Y}"
        parts = [values["category"].label, values["level"].label, referred]
        if values["next_review_on"]:
            parts.append(f"next review {values['next_review_on']:%-d %B %Y}")
        return ", ".join(parts)


CATEGORIES = {str(category.number): category for category in Category}
LEVELS = {"2": Level.LEVEL_2, "3": Level.LEVEL_3}


# Excel counts days from 30 December 1899: a date cell formatted as a number (or saved so in a CSV) reads
# as that count. Five digits are the days from 1927 to 2173; a shorter or longer number is not a date.
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIAL = re.compile(r"[1-9][0-9]{4}")
DATE_PATTERNS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d %H:%M:%S")


def parse_date(text: str) -> date | None:
    """The date a cell gives: as 2024-09-02, 02/09/2024 (day first, as in the UK), 2 September 2024, or
    the number Excel keeps a date as (45537). None when it is not a date, or its year is not written in
    full (02/09/24: the century is not guessed)."""
    text = text.strip()
    if EXCEL_SERIAL.fullmatch(text):
        return EXCEL_EPOCH + timedelta(days=int(text))
    for pattern in DATE_PATTERNS:
        try:
            found = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return found if found.year >= 1000 else None
    return None


def date_problem(text: str, what: str, example: str) -> str:
    """What is wrong with a cell that is not a date (`what` it should be, as "the date of birth")."""
    if re.fullmatch(r"[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2}", text.strip()):
        return f"Write the year of {what} in full, like {example}"
    return f"Enter {what} as a date, like {example}"


def text_problem(value: str, missing: str, name: str, most: int) -> str | None:
    """What is wrong with a text a row must give: `missing` when it is empty, or that it is longer than
    `most` characters (`name` saying which text it is)."""
    if not value:
        return missing
    if len(value) > most:
        return f"{name} must be {most:,} characters or fewer"
    return None


class CellError(str):
    """What is wrong with a row, as the preview says it, and the column of the cell that is wrong
    (`column`; empty when it is the row as a whole)."""

    column: str

    def __new__(cls, column: str, message: str) -> CellError:
        made = super().__new__(cls, message)
        made.column = column
        return made


def named_agency(
    name: str,
    agencies: Mapping[str, int | None],
    errors: list[str],
    role: str,
    column: str = "lead_agency",
    missing: str = "Enter the lead agency's name, as listed in the tracker",
) -> int | None:
    """The id of the agency a row names, or None with what is wrong added to `errors`. `agencies` maps every
    agency's name (its `name_key`: case and spacing aside, as everywhere in the tracker) to its id, or to
    None for one that holds no case records (the Board's lay advisers); `role` is what the row would make
    the agency, as in "the lead agency"; `column` is the row's column that names it, and `missing` what
    a row that names none is told."""
    name = " ".join(name.split())
    if not name:
        errors.append(CellError(column, missing))
        return None
    if name_key(name) not in agencies:
        errors.append(CellError(column, f"There is no agency called ‘{name}’: use a name as listed"))
        return None
    if (agency_id := agencies[name_key(name)]) is None:
        errors.append(
            CellError(column, f"‘{name}’ holds no case records, so it cannot be {role}: name another agency")
        )
    return agency_id


def is_template_example(row: Mapping[str, str]) -> bool:
    """Whether a row is the template's example (its person, born on its day), left in the file."""
    example = TEMPLATE_EXAMPLE
    return name_key(row["name"]) == name_key(example["name"]) and parse_date(row["date_of_birth"]) == (
        parse_date(example["date_of_birth"])
    )


# What someone not cleared for terrorism cases reads about a row they may not bring in: a Category 4 row,
# and a row whose reference is that of a Category 4 case they may not see, alike (the message must not
# confirm that the hidden case exists, as "already in the tracker" would).
NOT_CLEARED = (
    "{reference} cannot be brought in by you: ask someone cleared for terrorism cases to check this row"
)
EXAMPLE_ROW = (
    "This is the template's example row ({name}, born {born:%-d %B %Y}): delete it and upload the file again"
)
STATUSES = {
    "": CaseStatus.ACTIVE,
    "active": CaseStatus.ACTIVE,
    "in custody": CaseStatus.IN_CUSTODY,
    "custody": CaseStatus.IN_CUSTODY,
}
# A status that is an event in a case's history, not where a case stands: said so, with what to do.
EVENT_STATUSES = {
    "recalled": "A recall is recorded on the case once it is in the tracker: enter In custody as the status",
    "released": "A release is recorded on the case once it is in the tracker: enter Active as the status",
    "exited": "A case that has left MAPPA is not brought in: delete the row, or enter Active or In custody",
}


def check(
    rows: Iterable[dict],
    *,
    existing_references: set[str],
    agencies: Mapping[str, int | None],
    may_add_category_4: bool,
    today: date,
    hidden_references: set[str] = frozenset(),
    review_weeks: Mapping[Level, int] | None = None,
) -> list[CheckedCase]:
    """Each row with what it would create, or what is wrong with it (each `CellError` naming its column).
    `existing_references` are the references already held that this person may see, in capitals, and
    `hidden_references` those of the Category 4 cases they may not; `agencies` maps names (`name_key`) to
    ids; `review_weeks` is the longest interval between reviews at each level (the area's settings),
    which a next review date keeps to."""
    seen: dict[str, int] = {}
    checked = []
    for row in rows:
        reference = row["reference"].strip().upper()
        item = CheckedCase(row["line"], reference, " ".join(row["name"].split()))
        errors = item.errors
        checked.append(item)
        if is_template_example(row):
            born = parse_date(row["date_of_birth"])
            errors.append(CellError("", EXAMPLE_ROW.format(name=item.name, born=born)))
            continue
        if problem := text_problem(reference, "Enter the MAPPA reference", "The MAPPA reference", 40):
            errors.append(CellError("reference", problem))
        elif reference in existing_references:
            errors.append(CellError("reference", f"{reference} is already in the tracker"))
        elif reference in hidden_references:
            # Said of the row as a whole, as of a Category 4 row of their own: the two read alike.
            errors.append(CellError("", NOT_CLEARED.format(reference=reference)))
        elif reference in seen:
            errors.append(CellError("reference", f"{reference} is also on row {seen[reference]}"))
        else:
            seen[reference] = row["line"]
        if problem := text_problem(item.name, "Enter the person's name", "The name", 200):
            errors.append(CellError("name", problem))
        born = parse_date(row["date_of_birth"])
        if born is None:
            problem = date_problem(row["date_of_birth"], "the date of birth", "1980-05-31")
            errors.append(CellError("date_of_birth", problem))
        elif born >= today:
            errors.append(CellError("date_of_birth", "The date of birth must be in the past"))
        category = CATEGORIES.get(row["category"].lower().removeprefix("category").strip())
        if category is None:
            errors.append(CellError("category", "The category must be 1, 2, 3 or 4"))
        elif category is Category.CATEGORY_4 and not may_add_category_4:
            message = NOT_CLEARED.format(reference=reference or "This case")
            if message not in errors:
                errors.append(CellError("", message))
        level = LEVELS.get(row["level"].lower().removeprefix("level").strip())
        if level is None:
            errors.append(CellError("level", "The level must be 2 or 3"))
        agency = named_agency(row["lead_agency"], agencies, errors, "the lead agency")
        referred = parse_date(row["referred_on"])
        if referred is None:
            problem = date_problem(row["referred_on"], "the referral date", "2024-09-02")
            errors.append(CellError("referred_on", problem))
        elif referred > today:
            errors.append(CellError("referred_on", "The referral date must not be in the future"))
        elif born is not None and born < today and referred <= born:
            errors.append(CellError("referred_on", "The referral date must be after the date of birth"))
        next_review = parse_date(row["next_review_due"]) if row["next_review_due"].strip() else None
        if row["next_review_due"].strip() and next_review is None:
            problem = date_problem(row["next_review_due"], "the next review date", "2025-01-13")
            errors.append(CellError("next_review_due", f"{problem}, or leave it empty"))
        elif next_review and (
            problem := rules.imported_review_problem(
                next_review, referred, level, (review_weeks or {}).get(level), today
            )
        ):
            errors.append(CellError("next_review_due", problem))
        said = " ".join(row["status"].replace("-", " ").split()).casefold()
        status = STATUSES.get(said)
        if status is None:
            problem = EVENT_STATUSES.get(said, "The status must be Active or In custody")
            errors.append(CellError("status", problem))
        for name in ("visor_reference", "ndelius_reference", "pnc_reference"):
            if len(row[name]) > 40:
                errors.append(CellError(name, f"The {name.replace('_', ' ')} must be 40 characters or fewer"))
        if len(row["borough"]) > 80:
            errors.append(CellError("borough", "The borough must be 80 characters or fewer"))
        item.values = {
            "date_of_birth": born,
            "category": category,
            "level": level,
            "lead_agency_id": agency,
            "referred_on": referred,
            "next_review_on": next_review,
            "status": status,
            "borough": row["borough"],
            "visor_reference": row["visor_reference"],
            "ndelius_reference": row["ndelius_reference"],
            "pnc_reference": row["pnc_reference"],
        }
    return checked
