"""The national minutes template (form MAPPA C), as the tracker lays it out.

The tracker fills the structured parts from the meeting's records (attendance, previous actions, the risk
assessment, the Four Pillars, the level decision, actions, the next review date); the person drafting
writes only the parts below, which are what the records cannot know.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    hint: str = ""
    # Shown in the executive summary for requests for information.
    in_summary: bool = False
    # A meeting's own section that comes before the cases (the standard items' MAPPA order).
    before_cases: bool = False


# In the order of the agenda's standard items (`tracker.meetings.standard_items`): introductions and
# apologies, the confidentiality and diversity statement (from the settings), minutes and actions of the
# last meeting, the cases, any other business, the date of the next meeting.
MEETING_SECTIONS = (
    Section(
        "introductions",
        "Introductions and purpose of the meeting",
        "Who introduced themselves, and anything said about the purpose or order of the meeting.",
        before_cases=True,
    ),
    Section(
        "previous_minutes",
        "Minutes and actions of the last meeting",
        "Whether the last meeting's minutes were agreed as accurate, and anything said about them.",
        before_cases=True,
    ),
    Section("other_business", "Any other business"),
    Section("next_meeting", "Date of next meeting", "When and where the next meeting will be."),
)

# Written for each case on the agenda, in the order the template gives.
ITEM_SECTIONS = (
    Section(
        "actions_review",
        "Review of previous actions",
        "What was said about the actions set at the last meeting (their status is added from the tracker).",
    ),
    Section(
        "new_information",
        "New information from each agency",
        "Name each agency and what it reported since the last meeting.",
    ),
    Section(
        "risk_discussion",
        "Risk assessment: the chair's summary of the risk factors",
        "The risk levels and their imminence are added from the tracker.",
    ),
    Section(
        "victim_safety",
        "Victim safety and diversity",
        "Current and potential victims, and how the person's, victims' and potential victims' diversity "
        "needs were considered.",
    ),
    Section(
        "disclosure",
        "Disclosure decisions",
        "Whether information is to be disclosed, to whom, by whom, and the rationale.",
    ),
    Section(
        "dissent",
        "Differing views and how the meeting proceeded",
        "Record any dissent, who raised it and how the meeting proceeded. Leave empty if there was none.",
    ),
    Section(
        "executive_summary",
        "Executive summary",
        "A short summary that can be given in reply to a request for information (for example a subject "
        "access request): the purpose, the outcome and the decisions, without third parties' information.",
        in_summary=True,
    ),
)

# Recorded for each case as a yes or no.
STATEMENT_READ = "statement_read"
STATEMENT_LABEL = "The confidentiality and diversity statement was read at the start of this case"

MEETING_KEYS = tuple(section.key for section in MEETING_SECTIONS)
ITEM_KEYS = tuple(section.key for section in ITEM_SECTIONS)
