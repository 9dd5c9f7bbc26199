"""The parts of the minutes as PDF: the meeting's facts, the statement, attendance, actions and each case."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable, KeepTogether, Spacer

from tracker.minutes.document import ActionRecord, CaseRecord, MeetingDetails, MinutesRecord
from tracker.minutes.pdf.layout import NO_DISSENT, facts, heading, table, text
from tracker.minutes.sections import ITEM_SECTIONS, STATEMENT_READ

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
    # "Imported from the area's records on 3 December 2026 by Sam Price": minutes brought in with their
    # meeting, not approved by a chair in the tracker.
    imported: str = ""


def meeting_facts(meeting: MeetingDetails, version: VersionInfo | None) -> list[tuple[str, str]]:
    rows = meeting.rows
    if version is not None:
        rows.append(("Version", f"{version.number} ({version.status})"))
        if version.imported:
            rows.append(("Brought in", version.imported))
        if version.approved:
            rows.append(("Approved by", version.approved))
        if version.distributed:
            rows.append(("Distributed", version.distributed))
        if version.correction_reason:
            rows.append(("Reason for this correction", version.correction_reason))
    return rows


def statement_section(statement: str) -> list[Flowable]:
    return [
        heading("Confidentiality and diversity statement", "h3"),
        text(statement, "statement"),
    ]


def attendance_section(record: MinutesRecord) -> list[Flowable]:
    story: list[Flowable] = [heading("Attendance, apologies and absent agencies", "h2", 0)]
    rows = [[row.agency, row.name, row.status_label, row.deputy] for row in record.attendance]
    if rows:
        story.append(table(["Agency", "Name", "Attendance", "Deputy"], rows, [0.34, 0.24, 0.18, 0.24]))
    else:
        story.append(text("", empty=record.attendance_empty))
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


def case_section(number: int, item: CaseRecord, texts: dict) -> list[Flowable]:
    title = f"Case {number}: {item.reference}, {item.name}"
    reason = f"{item.purpose_label} meeting: {item.category_label}, {item.level_label}"
    rows = [
        ("Reason for the meeting", reason),
        ("Presenting officer", item.presenting_officer or "Not recorded"),
    ]
    if item.not_discussed:  # a case the meeting did not reach records nothing but that, and why
        return [KeepTogether([heading(title, "h2", 0), facts(rows), text(item.not_discussed_text)])]
    read = "Read at the start of this case" if texts.get(STATEMENT_READ) else "Not recorded as read"
    rows.append(("Confidentiality statement", read))
    story: list[Flowable] = [KeepTogether([heading(title, "h2", 0), facts(rows)])]
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
