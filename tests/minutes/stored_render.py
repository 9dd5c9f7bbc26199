"""Renders an approved version's frozen record as the page and the PDFs show it, as text: used to check
that migration 0010 (labels to codes) changes nothing a reader sees. `record` is whatever the running code
renders (a dict of labels before 0010, a MinutesRecord after)."""

import io

from bs4 import BeautifulSoup
from flask import render_template_string
from pypdf import PdfReader

from tracker.minutes import pdf
from tracker.minutes.sections import ITEM_SECTIONS, MEETING_SECTIONS, STATEMENT_READ

DOCUMENT = (
    '{% from "minutes/_document.html" import minutes_document %}'
    "{{ minutes_document(record, sections, 0, meeting_sections, item_sections, statement_read) }}"
)
VERSION = pdf.VersionInfo(1, "Approved", False, "Daniel Price on 5 March 2026 at 14:05")


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def rendered(record, item, sections: dict) -> dict[str, str]:
    """The page's document, the minutes PDF and one case's executive summary PDF, as text.
    Call inside a request context."""
    html = render_template_string(
        DOCUMENT,
        record=record,
        sections=sections,
        meeting_sections=MEETING_SECTIONS,
        item_sections=ITEM_SECTIONS,
        statement_read=STATEMENT_READ,
    )
    texts = sections["items"].get(str(101), {})
    return {
        "page": " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split()),
        "minutes_pdf": _pdf_text(pdf.minutes_pdf(record, sections, VERSION)),
        "summary_pdf": _pdf_text(pdf.summary_pdf(record, item, texts, VERSION)),
    }
