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


def _starts_like_formula(text: str) -> bool:
    """Text that `safe_cell` puts behind an apostrophe: it starts like a formula and is not a plain number,
    or it is such text behind apostrophes already (so that `unsafe_text` can tell the two apart)."""
    return not is_number(text) and text.lstrip("'").startswith(FORMULA_STARTS)


def safe_cell(value: object) -> object:
    """A cell that no spreadsheet will run as a formula: numbers as they are, empty for None, and text
    that starts like a formula (but is not a plain number) behind an apostrophe (OWASP's advice). Text
    that already starts with apostrophes before a formula's first character gains one too, so that
    `unsafe_text` gives back exactly what was written."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if is_number(value):
        return value
    text = str(value)
    if _starts_like_formula(text):
        return "'" + text
    return text


def unsafe_text(text: str) -> str:
    """A cell's text as it was before `safe_cell` (for a file of the tracker's read back in): the one
    apostrophe it added taken off again; any other text as it is."""
    if text.startswith("'") and _starts_like_formula(text[1:]):
        return text[1:]
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
