"""A disclosure pack as one OFFICIAL-SENSITIVE PDF: a cover sheet naming the requester, the purpose, when
the request was received, the date and the redaction key, then each document.

Redacted text is removed, not covered: each paragraph is printed from `rules.segments`, which hold the
text outside the redactions and, for each redaction, only its codes, drawn as a black box with the code in
white. The redacted characters never reach reportlab, so they are in no content stream, no font subset
beyond the glyphs the printed text uses, and no metadata. Boxes are the same size whatever they replace,
so a box does not give away the length of what it hides.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from tracker.core.pdf import FONT_BOLD
from tracker.disclosure import rules
from tracker.minutes.pdf import facts, heading, render_marked, styles, table

BOX = '<span backColor="#0b0c0c" color="#ffffff" fontName="{font}">&nbsp;&nbsp;{label}&nbsp;&nbsp;</span>'
REDACTION_NOTE = (
    "Passages withheld from this pack have been removed from the file, not hidden: each is shown as a black "
    "box carrying the code of the reason it was withheld. A box is the same size whatever it replaces."
)


@dataclass(frozen=True)
class DocumentToPrint:
    title: str
    kind: str
    paragraphs: list[tuple[str, list[rules.Segment]]]  # (heading, segments)


@dataclass(frozen=True)
class PackToPrint:
    number: int
    case_reference: str
    requester: str
    purpose: str
    received: str  # the day the request was received
    date: str  # the date issued, or "Draft: not issued"
    area: str
    prepared_by: str
    draft: bool
    key: list[tuple[str, str, int]]  # (code, reason, how many)
    documents: list[DocumentToPrint]


def markup(parts: list[rules.Segment]) -> str:
    """A paragraph's reportlab markup: the text escaped, each redaction a box with its codes only."""
    out = []
    for part in parts:
        if isinstance(part, rules.Box):
            out.append(BOX.format(font=FONT_BOLD, label=escape(part.label)))
        else:
            out.append(escape(part).replace("\n", "<br/>"))
    return "".join(out)


def _cover(pack: PackToPrint) -> list[Flowable]:
    story: list[Flowable] = [
        heading(f"Disclosure pack {pack.number}", "title", 0),
        facts(
            [
                ("Requester", pack.requester),
                ("Purpose", pack.purpose),
                ("Request received", pack.received),
                ("Date", pack.date),
                ("Case", pack.case_reference),
                ("Prepared by", f"{pack.prepared_by}, {pack.area} MAPPA"),
            ]
        ),
        heading("Redaction key", "h2"),
        Paragraph(escape(REDACTION_NOTE), styles()["body"]),
        table(
            ["Code", "Reason", "Passages withheld"],
            [[code, reason, str(count)] for code, reason, count in pack.key],
            [0.12, 0.6, 0.28],
        ),
        heading("Documents in this pack", "h2"),
        table(
            ["", "Document", "Kind"],
            [[str(n), doc.title, doc.kind] for n, doc in enumerate(pack.documents, start=1)],
            [0.06, 0.7, 0.24],
        ),
    ]
    return story


def _document(number: int, document: DocumentToPrint) -> list[Flowable]:
    story: list[Flowable] = [PageBreak(), heading(f"{number}. {document.title}", "h2", 0)]
    for title, parts in document.paragraphs:
        story.append(heading(title, "h4"))
        story.append(Paragraph(markup(parts), styles()["body"]))
    return story


def pack_pdf(pack: PackToPrint) -> bytes:
    story = _cover(pack)
    for number, document in enumerate(pack.documents, start=1):
        story += _document(number, document)
    story.append(Spacer(0, 6))
    running = f"Disclosure pack {pack.number} · {pack.case_reference} · for {pack.requester}"
    return render_marked(
        story,
        running=running,
        draft=pack.draft,
        what=f"disclosure pack ({pack.purpose})",
        title=f"Disclosure pack {pack.number}, case {pack.case_reference}",
        author=f"{pack.area} MAPPA",
        keywords=("MAPPA", "disclosure"),
    )
