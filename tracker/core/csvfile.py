"""The one way the tracker writes a CSV download, so that every export opens safely and correctly in Excel.

Text that a spreadsheet would run as a formula (=, +, -, @, a tab or carriage return at the start) is
made plain text by a leading apostrophe; real numbers are left as numbers. The file is UTF-8 with a
byte-order mark, without which Excel reads "–" and "é" as Windows-1252. A number column holds numbers
only: a value that is hidden or missing is an empty cell, with the reason in a column of its own.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from flask import Response

from tracker.core.downloads import download

BYTE_ORDER_MARK = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def is_number(value: object) -> bool:
    """Whether a cell is a number, or text that is exactly one (as "-3" or "81.4" are)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | Decimal):
        return True
    return isinstance(value, str) and _NUMBER.fullmatch(value) is not None


def safe_cell(value: object) -> object:
    """A cell that no spreadsheet will run as a formula: numbers as they are, empty for None, and text
    that starts like a formula (but is not a plain number) behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if is_number(value):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The whole file as text, byte-order mark first, every cell through `safe_cell`."""
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def csv_download(text: str, filename: str) -> Response:
    """A file from `csv_text` to save (as UTF-8, kept out of caches like every download)."""
    return download(text.encode("utf-8"), "text/csv", filename)
