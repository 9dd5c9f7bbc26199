"""Minutes, agendas and executive summaries as OFFICIAL-SENSITIVE PDFs, built with reportlab's platypus.

Every page is A4 and says OFFICIAL-SENSITIVE at its top and bottom, with the meeting reference, the
version and status, and "Page N of M"; a draft says DRAFT across every page. Text is set in DejaVu Sans,
embedded (subset) in each file, so it prints the same everywhere, covers the accented letters of people's
names, and can be searched and copied. A heading never ends a page. Tables repeat their header row on each
page and move a row that does not fit to the next page whole; only a row taller than a page is split.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from tracker.core.pdf import (
    FONT,
    FONT_BOLD,
    GREY,
    OFFICIAL_SENSITIVE,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    PageFurniture,
    register_fonts,
    render,
)
from tracker.meetings import standard_items
from tracker.minutes.document import ActionRecord, CaseRecord, MeetingDetails, MinutesRecord
from tracker.minutes.sections import ITEM_SECTIONS, MEETING_SECTIONS, STATEMENT_READ

MARKING = OFFICIAL_SENSITIVE
NO_DISSENT = "No differing views were recorded."
LIGHT = colors.HexColor("#f3f2f1")


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=4)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10.5, spaceAfter=0),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=FONT_BOLD, fontSize=8.5, leading=11),
        "title": ParagraphStyle(
            "title", parent=body, fontName=FONT_BOLD, fontSize=17, leading=22, spaceAfter=6
        ),
        "h2": ParagraphStyle(
            "h2", parent=body, fontName=FONT_BOLD, fontSize=13, leading=17, spaceBefore=10, spaceAfter=5
        ),
        "h3": ParagraphStyle(
            "h3", parent=body, fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=7, spaceAfter=3
        ),
        "h4": ParagraphStyle(
            "h4", parent=body, fontName=FONT_BOLD, fontSize=9.5, leading=13, spaceBefore=4, spaceAfter=2
        ),
        "statement": ParagraphStyle(
            "statement",
            parent=body,
            fontSize=8.5,
            leading=11.5,
            borderPadding=6,
            backColor=LIGHT,
            spaceBefore=6,
            spaceAfter=12,
        ),
    }


def text(value: str | None, style: str = "body", empty: str = "None recorded.") -> Paragraph:
    """A paragraph of what someone typed: escaped (it is not markup) with its line breaks kept."""
    value = (value or "").strip()
    if not value:
        return Paragraph(f'<font color="#505a5f">{escape(empty)}</font>', styles()[style])
    return Paragraph(escape(value).replace("\n", "<br/>"), styles()[style])


class Heading(Paragraph):
    """A heading that never ends a page: unless what follows it (`following`, set by `bind_headings`)
    can start on the same page, the heading moves to the next page with it."""

    following: Flowable | None = None

    def wrap(self, availWidth, availHeight):  # noqa: N803 (reportlab's names)
        width, height = super().wrap(availWidth, availHeight)
        room = availHeight - height - self.getSpaceAfter()
        at_top = availHeight >= TEXT_HEIGHT
        if not at_top and self.following is not None and not _starts_within(self.following, availWidth, room):
            # Say it is too tall for what is left: the frame asks to split it, `split` declines, and
            # the heading goes to the next page.
            return width, availHeight + 1
        return width, height

    def split(self, availWidth, availHeight):  # noqa: N803
        return []


def _starts_within(flowable: Flowable, width: float, room: float) -> bool:
    """Whether some of the flowable (all of it, or the first part of a split) fits in `room`."""
    if room <= 0:
        return False
    if flowable.wrap(width, room)[1] <= room:
        return True
    return bool(flowable.split(width, room))


def bind_headings(story: list[Flowable]) -> list[Flowable]:
    """Tell each heading what follows it, so that it stays with the start of it."""
    for flowable, following in zip(story, story[1:], strict=False):
        if isinstance(flowable, Heading):
            flowable.following = following
    return story


class RowTable(Table):
    """A table that breaks between rows, repeating its header row, and splits a row only when the row
    cannot fit on a page of its own.

    reportlab's own fallback (`splitInRow`) splits whichever row meets the foot of the page, so the rest
    of a table that had just broken between rows could start again under the part already placed: a
    second header row and the top lines of one row at the foot of the page.
    """

    def split(self, availWidth, availHeight):  # noqa: N803
        self._calc(availWidth, availHeight)
        # The first row that does not fit: split inside it only if it would not fit on a page either.
        row = self._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans=1)
        header = sum(self._rowHeights[: self.repeatRows])
        too_tall = row < len(self._rowHeights) and header + self._rowHeights[row] > TEXT_HEIGHT
        return self._splitRows(availHeight, doInRowSplit=1 if too_tall else 0)


def heading(value: str, style: str, outline_level: int | None = None) -> Paragraph:
    paragraph = Heading(escape(value), styles()[style])
    paragraph.outline_level = outline_level  # type: ignore[attr-defined]
    paragraph.outline_title = value  # type: ignore[attr-defined]
    return paragraph


def table(header: list[str], rows: Iterable[list[str]], widths: list[float]) -> Table:
    """A table that repeats its header on every page it runs onto."""
    cell = styles()["cell"]
    data = [[Paragraph(escape(label), styles()["cell_head"]) for label in header]]
    data += [[Paragraph(escape(value or "").replace("\n", "<br/>"), cell) for value in row] for row in rows]
    result = RowTable(data, colWidths=[w * TEXT_WIDTH for w in widths], repeatRows=1)
    result.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#b1b4b6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return result


def facts(rows: list[tuple[str, str]]) -> Table:
    """A two-column list of labels and values (like a GOV.UK summary list)."""
    data = [
        [
            Paragraph(escape(label), styles()["cell_head"]),
            Paragraph(escape(value or "").replace("\n", "<br/>"), styles()["cell"]),
        ]
        for label, value in rows
    ]
    result = RowTable(data, colWidths=[0.3 * TEXT_WIDTH, 0.7 * TEXT_WIDTH])
    result.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#b1b4b6")),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return result


# Documents -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionInfo:
    """The version of the minutes being printed, as people read it."""

    number: int
    status: str
    draft: bool
    approved: str = ""  # "Daniel Price on 3 March 2026 at 14:05"
    distributed: str = ""
    correction_reason: str = ""


def _meeting_facts(meeting: MeetingDetails, version: VersionInfo | None) -> list[tuple[str, str]]:
    rows = [
        ("Meeting reference", meeting.reference),
        ("Meeting", f"{meeting.level_label} {meeting.type_label.lower()} meeting"),
        ("Date and time", f"{meeting.date}, {meeting.time}"),
        ("Place", meeting.place or "Not given"),
        ("Chair", meeting.chair),
        ("Minutes taken by", meeting.administrator or "Not recorded"),
    ]
    if version is not None:
        rows.append(("Version", f"{version.number} ({version.status})"))
        if version.approved:
            rows.append(("Approved by", version.approved))
        if version.distributed:
            rows.append(("Distributed", version.distributed))
        if version.correction_reason:
            rows.append(("Reason for this correction", version.correction_reason))
    return rows


def _statement(statement: str) -> list[Flowable]:
    return [
        heading("Confidentiality and diversity statement", "h3"),
        text(statement, "statement"),
    ]


def _attendance(record: MinutesRecord) -> list[Flowable]:
    story: list[Flowable] = [heading("Attendance, apologies and absent agencies", "h2", 0)]
    rows = [[row.agency, row.name, row.status_label, row.deputy] for row in record.attendance]
    if rows:
        story.append(table(["Agency", "Name", "Attendance", "Deputy"], rows, [0.34, 0.24, 0.18, 0.24]))
    else:
        story.append(text("", empty="No agencies were invited."))
    if record.absent_agencies:
        story.append(Spacer(0, 4))
        story.append(text("Agencies not represented: " + ", ".join(record.absent_agencies) + "."))
    if record.ra_not_represented:
        story.append(
            text(
                "Responsible Authority agencies not represented: "
                + ", ".join(record.ra_not_represented_labels)
                + "."
            )
        )
    return story


def _actions_table(actions: list[ActionRecord], with_status: bool) -> Flowable:
    if not actions:
        return text("", empty="None.")
    if with_status:
        rows = [[a.description, _owner(a), a.due, _status(a)] for a in actions]
        return table(["Action", "Owner", "Due", "Status"], rows, [0.5, 0.24, 0.13, 0.13])
    rows = [[a.description, a.pillar_label, _owner(a), a.due] for a in actions]
    return table(["Action", "Pillar", "Owner", "Due"], rows, [0.46, 0.17, 0.24, 0.13])


def _status(action: ActionRecord) -> str:
    """The action's status, with its progress since the meeting when there is any."""
    return f"{action.status_label}. {action.progress}" if action.progress else action.status_label


def _owner(action: ActionRecord) -> str:
    return f"{action.owner}, {action.agency}" if action.owner else action.agency


def _case(number: int, item: CaseRecord, texts: dict) -> list[Flowable]:
    title = f"Case {number}: {item.reference}, {item.name}"
    story: list[Flowable] = [
        KeepTogether(
            [
                heading(title, "h2", 0),
                facts(
                    [
                        (
                            "Reason for the meeting",
                            f"{item.purpose_label} meeting: {item.category_label}, {item.level_label}",
                        ),
                        ("Presenting officer", item.presenting_officer or "Not recorded"),
                        (
                            "Confidentiality statement",
                            "Read at the start of this case"
                            if texts.get(STATEMENT_READ)
                            else "Not recorded as read",
                        ),
                    ]
                ),
            ]
        )
    ]
    sections = {section.key: section for section in ITEM_SECTIONS}

    def written(key: str) -> list[Flowable]:
        return [heading(sections[key].label, "h3"), text(texts.get(key))]

    story += [heading("Review of previous actions", "h3"), _actions_table(item.previous_actions, True)]
    story += [text(texts.get("actions_review"), empty="No further discussion recorded.")]
    story += written("new_information")
    story.append(heading("Risk assessment", "h3"))
    story.append(
        facts(
            [(f"Risk of serious harm to {row.to_label.lower()}", row.level_label) for row in item.risks]
            + [("Imminence", item.imminence_label)]
            + ([("Assessment tool and date", item.assessment)] if item.assessment else [])
        )
    )
    if item.risk_notes:
        story.append(text(item.risk_notes))
    story.append(text(texts.get("risk_discussion"), empty="No summary of risk factors recorded."))
    story.append(heading("Risk management plan under the Four Pillars", "h3"))
    if item.plan:
        story.append(heading("What this meeting did with the plan", "h4", 1))
        story.append(facts([(part.part_label, part.outcome_label) for part in item.plan]))
        for part in item.plan:
            if part.previous:
                story.append(text(f"{part.part_label}, previous wording: {part.previous}"))
    for pillar in item.pillars:
        story.append(heading(pillar.pillar_label, "h4", 1))
        if pillar.addressed:
            story.append(text(pillar.text, empty="Addressed."))
        else:
            story.append(text(f"{pillar.status_label}. {pillar.text}".strip()))
    story.append(heading("Contingency plan", "h4"))
    story.append(text(item.contingency_plan))
    story.append(heading("Licence or order conditions", "h4"))
    story.append(text(item.licence_conditions))
    story += written("victim_safety")
    story += written("disclosure")
    story.append(heading("Level decision", "h3"))
    story.append(
        facts([("Decision", item.decision_text), ("Rationale", item.level_decision_reason or "Not recorded")])
    )
    # Said either way: a reader can tell "none" from "not written down".
    story += [heading(sections["dissent"].label, "h3"), text(texts.get("dissent"), empty=NO_DISSENT)]
    story.append(heading("Actions", "h3"))
    story.append(_actions_table(item.actions, False))
    story.append(heading("Next review", "h3"))
    story.append(text(item.next_review, empty="Not set."))
    return story


def minutes_pdf(record: MinutesRecord, sections: dict, version: VersionInfo) -> bytes:
    """The minutes of a meeting in the national template's order."""
    meeting = record.meeting
    status = "DRAFT" if version.draft else version.status
    running = f"MAPPA minutes {meeting.reference} · version {version.number} · {status}"
    story: list[Flowable] = [
        heading(f"Minutes of MAPPA meeting {meeting.reference}", "title"),
        facts(_meeting_facts(meeting, version)),
        Spacer(0, 6),
        *_attendance(record),
    ]
    # The standard items' order: introductions and apologies, the statement, the last meeting's minutes
    # and actions, the cases, any other business, the date of the next meeting.
    meeting_texts = sections.get("meeting", {})
    before = [section for section in MEETING_SECTIONS if section.before_cases]
    after = [section for section in MEETING_SECTIONS if not section.before_cases]
    story += [heading(before[0].label, "h2", 0), text(meeting_texts.get(before[0].key))]
    story += _statement(record.statement)
    for section in before[1:]:
        story += [heading(section.label, "h2", 0), text(meeting_texts.get(section.key))]
    item_texts = sections.get("items", {})
    for number, item in enumerate(record.items, start=1):
        story += _case(number, item, item_texts.get(item.id, {}))
    for section in after:
        story += [heading(section.label, "h2", 0), text(meeting_texts.get(section.key))]
    return render(
        bind_headings(story),
        title=f"Minutes of MAPPA meeting {meeting.reference} (version {version.number}, {status.lower()})",
        author=f"{record.area} MAPPA: {meeting.chair} (chair)",
        subject=f"{MARKING}: minutes of a {meeting.level_label} MAPPA meeting",
        furniture=PageFurniture(MARKING, running, version.draft),
    )


def summary_pdf(record: MinutesRecord, item: CaseRecord, texts: dict, version: VersionInfo) -> bytes:
    """The executive summary of one case's part of approved minutes, for a reply to a request."""
    meeting = record.meeting
    agencies = record.agencies_represented()
    reason = f"{item.purpose_label} meeting: {item.category_label}, {item.level_label}"
    story: list[Flowable] = [
        heading(f"Executive summary of MAPPA meeting {meeting.reference}", "title"),
        facts(
            [
                ("Meeting", f"{meeting.level_label} {meeting.type_label.lower()} meeting"),
                ("Date", meeting.date),
                ("Chair", meeting.chair),
                ("Minutes", f"Version {version.number}, {version.status.lower()}"),
                ("Case", f"{item.reference}, {item.name}"),
                ("Reason for the meeting", reason),
                ("Agencies present", ", ".join(agencies) or "None recorded"),
                ("Level decision", item.level_decision_label),
                ("Rationale", item.level_decision_reason or "Not recorded"),
                ("Next review", item.next_review or "Not set"),
            ]
        ),
        heading("Summary", "h2"),
        text(texts.get("executive_summary"), empty="No executive summary was written."),
        *_statement(record.statement),
    ]
    running = f"Executive summary {meeting.reference} · {item.reference} · version {version.number}"
    return render(
        bind_headings(story),
        title=f"Executive summary of MAPPA meeting {meeting.reference}, case {item.reference}",
        author=f"{record.area} MAPPA",
        subject=f"{MARKING}: executive summary of MAPPA minutes",
        furniture=PageFurniture(MARKING, running, version.draft),
    )


def agenda_pdf(agenda: dict) -> bytes:
    """The agenda for circulation before the meeting."""
    meeting: MeetingDetails = agenda["meeting"]
    story: list[Flowable] = [
        heading(f"Agenda for MAPPA meeting {meeting.reference}", "title"),
        facts(_meeting_facts(meeting, None) + [("Online link", agenda["online_link"] or "None")]),
        Spacer(0, 6),
    ]
    before, first_case, after = standard_items.numbered(len(agenda["items"]))
    for number, title in before:
        story.append(heading(f"{number}. {title}", "h2", 0))
        if title == standard_items.BEFORE_CASES[1]:
            story += _statement(agenda["statement"])[1:]
    story.append(heading("Cases", "h2", 0))
    rows = [
        [
            str(number),
            item["time"],
            f"{item['reference']}\n{item['name']}",
            f"{item['purpose']}\n{item['category']}, {item['level']}",
            item["presenting_officer"],
        ]
        for number, item in enumerate(agenda["items"], start=first_case)
    ]
    if rows:
        story.append(
            table(["", "Time", "Case", "Purpose", "Presenting officer"], rows, [0.05, 0.15, 0.3, 0.28, 0.22])
        )
    else:
        story.append(text("", empty="No cases are on the agenda yet."))
    for number, title in after:
        story.append(heading(f"{number}. {title}", "h2", 0))
    story.append(heading("Agencies invited", "h2", 0))
    invited = [[row["agency"], row["name"], row["reply"]] for row in agenda["invited"]]
    if invited:
        story.append(table(["Agency", "Name", "Reply"], invited, [0.45, 0.3, 0.25]))
    else:
        story.append(text("", empty="No agencies have been invited yet."))
    story.append(Spacer(0, 8))
    story.append(
        Paragraph(
            "Bring the previous minutes and your agency's update for each case.",
            ParagraphStyle("end", parent=styles()["body"], alignment=TA_CENTER, textColor=GREY),
        )
    )
    return render(
        bind_headings(story),
        title=f"Agenda for MAPPA meeting {meeting.reference}",
        author=f"{agenda['area']} MAPPA: {meeting.administrator or meeting.chair}",
        subject=f"{MARKING}: agenda of a {meeting.level_label} MAPPA meeting",
        furniture=PageFurniture(MARKING, f"MAPPA agenda {meeting.reference} · {meeting.date}"),
    )
