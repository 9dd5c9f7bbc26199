"""Reading a spreadsheet (CSV, comma- or semicolon-separated, or XLSX through openpyxl) into rows of text by
column name, and reading the cells that hold dates: what the caseload and its history's imports share. A
problem with a cell is said against its row and column (`CellError`); a file that cannot be read at all
raises `UploadProblem`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tracker.core.csvfile import unsafe_text

MAX_ROWS = 10_000
MAX_CELL = 1_000


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    required: bool = False


class UploadProblem(Exception):
    """The file as a whole cannot be read; the message says why."""


# Reading -----------------------------------------------------------------------------------------------


def read(filename: str, data: bytes, columns: list[Column], noun: str) -> list[dict]:
    """The rows of a CSV or XLSX file as {column: text}, with "line" (the spreadsheet's row number).

    The first row names the columns (any order, any case); blank rows are skipped. `columns` are those
    the file may have; `noun` says what a row is, for the messages."""
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


# Cells ---------------------------------------------------------------------------------------------------


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
