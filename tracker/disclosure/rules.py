"""The rules of a disclosure pack as plain functions: where a passage is in a paragraph, how marked spans
combine, what a redacted paragraph becomes, and whether a pack may be issued.

A paragraph with redactions becomes a list of segments: text to print, and boxes standing where redacted
text was. A box carries only the codes of its reasons; the redacted characters are never part of any
segment, so whatever prints the segments cannot print them.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from tracker.core.timeutil import format_date
from tracker.disclosure.models import PackPurpose, RedactionReason

# The code printed in each box, and explained in the redaction key on the cover sheet.
CODES = {
    RedactionReason.THIRD_PARTY: "R1",
    RedactionReason.AGENCY_NOT_AGREED: "R2",
    RedactionReason.OTHER: "R3",
}
CODE_ORDER = list(CODES.values())


@dataclass(frozen=True)
class Span:
    """Characters `start` (included) to `end` (not included) of a paragraph, redacted with this code."""

    start: int
    end: int
    code: str


@dataclass(frozen=True)
class Box:
    """Where redacted text stood, with the codes of every reason it was redacted for."""

    codes: tuple[str, ...]

    @property
    def label(self) -> str:
        return " ".join(self.codes)


Segment = str | Box


def span_problem(text: str, start: int, end: int) -> str | None:
    """Why a span cannot be redacted from this paragraph (None if it can)."""
    if start < 0 or end > len(text) or start >= end:
        return "The passage is not in the paragraph"
    if not text[start:end].strip():
        return "The passage to redact must contain more than spaces"
    return None


def occurrences(text: str, passage: str, *, any_case: bool = False) -> list[tuple[int, int]]:
    """Every place the passage appears in the text (overlapping places included): exactly as typed, or
    `any_case` in capitals or not ("victim" finds "Victim" at the start of a sentence too)."""
    if not passage:
        return []
    pattern = re.compile(f"(?=({re.escape(passage)}))", re.IGNORECASE if any_case else 0)
    return [(found.start(), found.start() + len(found.group(1))) for found in pattern.finditer(text)]


def merge(spans: Iterable[Span]) -> list[tuple[int, int, tuple[str, ...]]]:
    """Spans that overlap or touch become one: a reader could not tell where one ended and the next
    began, so one box stands for them, carrying every code (in the key's order). Sorted by start."""
    merged: list[tuple[int, int, set[str]]] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if merged and span.start <= merged[-1][1]:
            start, end, codes = merged[-1]
            merged[-1] = (start, max(end, span.end), codes | {span.code})
        else:
            merged.append((span.start, span.end, {span.code}))
    return [(start, end, tuple(sorted(codes, key=_code_rank))) for start, end, codes in merged]


def _code_rank(code: str) -> tuple[int, str]:
    return (CODE_ORDER.index(code), code) if code in CODE_ORDER else (len(CODE_ORDER), code)


def segments(text: str, spans: Iterable[Span]) -> list[Segment]:
    """The paragraph as it is disclosed: the text between redactions, and a box for each redaction."""
    result: list[Segment] = []
    at = 0
    for start, end, codes in merge(spans):
        start, end = max(start, 0), min(end, len(text))
        if start >= end:
            continue
        if start > at:
            result.append(text[at:start])
        result.append(Box(codes))
        at = end
    if at < len(text):
        result.append(text[at:])
    return result


def disclosed_text(text: str, spans: Iterable[Span]) -> str:
    """The paragraph as plain text, each box written as [codes] (for pages and tests)."""
    return "".join(part if isinstance(part, str) else f"[{part.label}]" for part in segments(text, spans))


def purpose_problem(purpose: PackPurpose, detail: str) -> str | None:
    if purpose is PackPurpose.OTHER and not detail.strip():
        return "Enter what the disclosure is for"
    return None


def received_date_problem(
    on: date, referred_on: date, today: date, first_answer: date | None = None, *, told_on: date | None = None
) -> str | None:
    """When a request for disclosure was received: not in the future, not before the case was referred to
    MAPPA (nothing of it to ask for before), not after an agency's answer to it already recorded and, for a
    subject access request whose time to reply was extended (`told_on`: the day the requester was told),
    neither after that day nor more than one calendar month before it."""
    if on > today:
        return "The date the request was received must be today or in the past"
    if on < referred_on:
        return (
            f"The date the request was received must be on or after {format_date(referred_on)}, when the "
            "case was referred to MAPPA"
        )
    if first_answer is not None and on > first_answer:
        return (
            f"The date the request was received must be on or before {format_date(first_answer)}, the date "
            "of an agency's answer to it"
        )
    if told_on is not None and on > told_on:
        return (
            f"The date the request was received must be on or before {format_date(told_on)}, when the "
            "requester was told the time to reply was extended"
        )
    if told_on is not None and reply_due(on) < told_on:
        return (
            "The date the request was received must be no more than one calendar month before "
            f"{format_date(told_on)}, when the requester was told the time to reply was extended"
        )
    return None


def agreement_date_problem(on: date, received_on: date, today: date) -> str | None:
    """An agency answers a request for its agreement to disclose the case's MAPPA records: often asked
    when the request arrives, before the pack is started, so any day from the day the request was
    received, and not in the future."""
    if on > today:
        return "The date of the answer must be today or in the past"
    if on < received_on:
        return (
            f"The date of the answer must be on or after {format_date(received_on)}, when the request was "
            "received"
        )
    return None


def months_after(day: date, months: int) -> date:
    """The same day `months` calendar months later, or that month's last day when it has no such day."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def reply_due(received_on: date) -> date:
    """The day a subject access request must be answered by: one calendar month after the day it was
    received (UK GDPR Article 12(3); for law enforcement processing, Data Protection Act 2018 section
    45(3) and (4)). That is the same day of the next month, or the next month's last day when it has no
    such day (received 31 January: due 28 February, or 29 in a leap year)."""
    return months_after(received_on, 1)


# The months the reply is due after receipt once its time is extended: the first and two further months.
EXTENDED_MONTHS = 3


def extended_reply_due(received_on: date) -> date:
    """The day the reply is due once its time is extended (Article 12(3) allows two further months where a
    request is complex or numerous): three calendar months after the day the request was received, by the
    same month-end rule (received 31 January: due 30 April; received 30 November: due the last day of
    February)."""
    return months_after(received_on, EXTENDED_MONTHS)


EXTENDED_ONCE = "The time to reply to this request has already been extended: it can be extended only once"
NOT_SUBJECT_ACCESS = "Only the time to reply to a subject access request can be extended"
ISSUED = "This pack has been issued: an issued pack cannot be changed"


def extension_refused(purpose: PackPurpose, issued: bool, extended: bool) -> str | None:
    """Why the time to reply to a pack's request cannot be extended (None: it can). Only a subject access
    request's has a time set in law, and the law allows one extension."""
    if issued:
        return ISSUED
    if purpose is not PackPurpose.SUBJECT_ACCESS:
        return NOT_SUBJECT_ACCESS
    if extended:
        return EXTENDED_ONCE
    return None


def extension_told_problem(told_on: date, received_on: date, today: date) -> str | None:
    """The day the requester was told the time to reply was extended: not in the future, not before the
    request was received, and no later than the day the reply was first due (the law requires them to be
    told within one month of receipt)."""
    if told_on > today:
        return "The date the requester was told must be today or in the past"
    if told_on < received_on:
        return (
            f"The date the requester was told must be on or after {format_date(received_on)}, when the "
            "request was received"
        )
    first_due = reply_due(received_on)
    if told_on > first_due:
        return (
            f"The date the requester was told must be on or before {format_date(first_due)}, the day the "
            "reply was first due: the requester must be told within one month of receiving the request"
        )
    return None


def reply_standing(due: date, today: date) -> str:
    """Where the reply to a request not yet answered stands against the day it is due, in words."""
    if today == due:
        return "Due today"
    days = abs((due - today).days)
    count = f"{days} day{'' if days == 1 else 's'}"
    if today > due:
        return f"This date has passed: the reply is {count} late"
    return f"Not passed yet: {count} to go"


@dataclass(frozen=True)
class Reply:
    """When the reply to a subject access request is due and, while its pack is not issued, where it
    stands (`late`: the day has passed). Once its time is `extended`, `due` is the extended day and
    `first_due` the day it was due before."""

    due: date
    standing: str = ""
    late: bool = False
    extended: bool = False
    first_due: date | None = None


def reply(
    purpose: PackPurpose, received_on: date, today: date, issued: bool, extended: bool = False
) -> Reply | None:
    """The reply a pack answers, for a subject access request (None for any other purpose: no limit on
    it is set here), counted from the extended day once its time is extended."""
    if purpose is not PackPurpose.SUBJECT_ACCESS:
        return None
    due = extended_reply_due(received_on) if extended else reply_due(received_on)
    first_due = reply_due(received_on) if extended else None
    if issued:
        return Reply(due, extended=extended, first_due=first_due)
    return Reply(due, reply_standing(due, today), today > due, extended, first_due)


@dataclass(frozen=True)
class AgencyStanding:
    """A contributing agency and where its agreement stands: None if not recorded."""

    name: str
    agreed: bool | None
    overridden: bool = False

    @property
    def settled(self) -> bool:
        return bool(self.agreed) or self.overridden


def issue_problems(documents: int, agencies: list[AgencyStanding]) -> list[str]:
    """What stops a pack being issued (nothing: it may be issued)."""
    problems = []
    if documents == 0:
        problems.append("Choose at least one document for the pack")
    for agency in agencies:
        if agency.agreed is None:
            problems.append(f"Record whether {agency.name} agreed to the disclosure")
        elif not agency.settled:
            problems.append(
                f"{agency.name} has not agreed: record its agreement, or give a reason to go ahead without it"
            )
    return problems
