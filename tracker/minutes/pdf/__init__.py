"""Minutes, agendas and executive summaries as OFFICIAL-SENSITIVE PDFs, built with reportlab's platypus.

Every page is A4 and says OFFICIAL-SENSITIVE at its top and bottom, with the meeting reference, the
version and status, and "Page N of M"; a draft says DRAFT across every page. Text is set in DejaVu Sans,
embedded (subset) in each file, so it prints the same everywhere, covers the accented letters of people's
names, and can be searched and copied. A heading never ends a page. Tables repeat their header row on each
page and move a row that does not fit to the next page whole; only a row taller than a page is split.

`layout` holds the styles and the building blocks (headings, tables, facts), `sections` the parts of the
minutes, and `documents` the three documents.
"""

from tracker.minutes.pdf.documents import agenda_pdf, minutes_pdf, summary_pdf
from tracker.minutes.pdf.layout import (
    LIGHT,
    MARKING,
    NO_DISSENT,
    Heading,
    RowTable,
    bind_headings,
    facts,
    heading,
    render_marked,
    styles,
    table,
    text,
)
from tracker.minutes.pdf.sections import VersionInfo

__all__ = [
    "Heading",
    "LIGHT",
    "MARKING",
    "NO_DISSENT",
    "RowTable",
    "VersionInfo",
    "agenda_pdf",
    "bind_headings",
    "facts",
    "heading",
    "minutes_pdf",
    "render_marked",
    "styles",
    "summary_pdf",
    "table",
    "text",
]
