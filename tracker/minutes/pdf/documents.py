"""The minutes, an executive summary and an agenda, each as a whole PDF."""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Spacer

from tracker.core.pdf import GREY
from tracker.meetings import standard_items
from tracker.minutes.document import CaseRecord, MeetingDetails, MinutesRecord
from tracker.minutes.pdf.layout import facts, heading, render_marked, styles, table, text
from tracker.minutes.pdf.sections import (
    VersionInfo,
    attendance_section,
    case_section,
    meeting_facts,
    statement_section,
)
from tracker.minutes.sections import MEETING_SECTIONS


def minutes_pdf(record: MinutesRecord, sections: dict, version: VersionInfo) -> bytes:
    """The minutes of a meeting in the national template's order."""
    meeting = record.meeting
    status = "DRAFT" if version.draft else version.status
    running = f"MAPPA minutes {meeting.reference} · version {version.number} · {status}"
    story: list[Flowable] = [
        heading(f"Minutes of MAPPA meeting {meeting.reference}", "title"),
        facts(meeting_facts(meeting, version)),
        Spacer(0, 6),
        *attendance_section(record),
    ]
    # The standard items' order: introductions and apologies, the statement, the last meeting's minutes
    # and actions, the cases, any other business, the date of the next meeting.
    meeting_texts = sections.get("meeting", {})
    before = [section for section in MEETING_SECTIONS if section.before_cases]
    after = [section for section in MEETING_SECTIONS if not section.before_cases]
    story += [heading(before[0].label, "h2", 0), text(meeting_texts.get(before[0].key))]
    story += statement_section(record.statement)
    for section in before[1:]:
        story += [heading(section.label, "h2", 0), text(meeting_texts.get(section.key))]
    item_texts = sections.get("items", {})
    for number, item in enumerate(record.items, start=1):
        story += case_section(number, item, item_texts.get(item.id, {}))
    for section in after:
        story += [heading(section.label, "h2", 0), text(meeting_texts.get(section.key))]
    return render_marked(
        story,
        running=running,
        draft=version.draft,
        what=f"minutes of a {meeting.level_label} MAPPA meeting",
        title=f"Minutes of MAPPA meeting {meeting.reference} (version {version.number}, {status.lower()})",
        author=f"{record.area} MAPPA: {meeting.chair} (chair)",
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
                ("Level decision", item.not_discussed_text or item.level_decision_label),
                ("Rationale", item.level_decision_reason or "Not recorded"),
                ("Next review", item.next_review or "Not set"),
            ]
        ),
        heading("Summary", "h2"),
        text(texts.get("executive_summary"), empty="No executive summary was written."),
        *statement_section(record.statement),
    ]
    running = f"Executive summary {meeting.reference} · {item.reference} · version {version.number}"
    return render_marked(
        story,
        running=running,
        draft=version.draft,
        what="executive summary of MAPPA minutes",
        title=f"Executive summary of MAPPA meeting {meeting.reference}, case {item.reference}",
        author=f"{record.area} MAPPA",
    )


def agenda_pdf(agenda: dict) -> bytes:
    """The agenda for circulation before the meeting."""
    meeting: MeetingDetails = agenda["meeting"]
    story: list[Flowable] = [
        heading(f"Agenda for MAPPA meeting {meeting.reference}", "title"),
        facts(meeting_facts(meeting, None) + [("Online link", agenda["online_link"] or "None")]),
        Spacer(0, 6),
    ]
    before, first_case, after = standard_items.numbered(len(agenda["items"]))
    for number, title in before:
        story.append(heading(f"{number}. {title}", "h2", 0))
        if title == standard_items.BEFORE_CASES[1]:
            story += statement_section(agenda["statement"])[1:]
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
    return render_marked(
        story,
        running=f"MAPPA agenda {meeting.reference} · {meeting.date}",
        what=f"agenda of a {meeting.level_label} MAPPA meeting",
        title=f"Agenda for MAPPA meeting {meeting.reference}",
        author=f"{agenda['area']} MAPPA: {meeting.administrator or meeting.chair}",
    )
