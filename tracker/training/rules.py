"""Training rules as plain functions: reporting years, completion, CPD, waiting lists, chair status, uploads.

Views and queries call these; the tests call them directly with plain values.
"""

from __future__ import annotations

import calendar
import codecs
import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email

from tracker.core import settings, workdays
from tracker.core.pillars import Pillar
from tracker.core.types import LabelledEnum
from tracker.training.models import EnrolmentStatus, Mark, TraineeRole

CPD_LAPSE_MONTHS = settings.define(
    "cpd_lapse_months",
    12,
    "Months without CPD before a chair's CPD lapses",
    hint="A trained chair with no CPD (a Chairs' Forum, development day or briefing) for this long is "
    "shown as 'CPD lapsed' on the chairs' register and in meetings.",
    group="Training",
    minimum=1,
    maximum=60,
)
CPD_WARNING_MONTHS = settings.define(
    "cpd_warning_months",
    2,
    "Months' warning before a chair's CPD lapses",
    hint="Chairs whose CPD lapses within this many months are listed as reminders.",
    group="Training",
    minimum=0,
    maximum=24,
)

# Present, late and left early all mean the person was there (attendance rates; "everyone who
# attended"); only absent does not. Completion is the course's own rule (`CompletionRule`).
ATTENDED = frozenset({Mark.PRESENT, Mark.LATE, Mark.LEFT_EARLY})

MAX_UPLOAD_ROWS = 500


# Reporting years ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportingYear:
    """The year the SMB reports on: 1 April to 31 March, named by its first year ("2024/25")."""

    start_year: int

    @property
    def first_day(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def __contains__(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day


def reporting_year_of(day: date) -> ReportingYear:
    """The reporting year a day falls in: 31 March belongs to the year before, 1 April starts a new one."""
    return ReportingYear(day.year if day.month >= 4 else day.year - 1)


# Months and the CPD lapse ------------------------------------------------------------------------


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier; the last day of that month when it is shorter (31 May → 30 April)."""
    return months_after(day, -months)


def months_after(day: date, months: int) -> date:
    """The same day `months` later; the last day of that month when it is shorter (31 Jan → 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def lapses_on(reference: date, months: int) -> date:
    """The first day on which CPD dated `reference` is more than `months` old.

    The same day `months` later; when that month has no such day (31 January + 1 month), the first day
    of the month after. This is exactly the first day `d` with `months_before(d, months) >= reference`,
    which is how the chairs' register filters in SQL.
    """
    index = reference.year * 12 + reference.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if reference.day <= calendar.monthrange(year, month)[1]:
        return date(year, month, reference.day)
    return date(year + month // 12, month % 12 + 1, 1)


@dataclass(frozen=True)
class CpdThresholds:
    """The chair rule as two dates for queries: CPD (or training) on or before `lapsed_if_on_or_before`
    has lapsed today; on or before `due_soon_if_on_or_before`, it lapses within the warning window."""

    lapsed_if_on_or_before: date
    due_soon_if_on_or_before: date


def cpd_thresholds(today: date, lapse_months: int, warning_months: int) -> CpdThresholds:
    """Thresholds equivalent to `chair_status` (since `lapses_on(r, n) <= d` exactly when
    `r <= months_before(d, n)`)."""
    return CpdThresholds(
        lapsed_if_on_or_before=months_before(today, lapse_months),
        due_soon_if_on_or_before=months_before(months_after(today, warning_months), lapse_months),
    )


class ChairState(LabelledEnum):
    TRAINED = "Trained"
    AWAITING_TRAINING = "Awaiting training"
    CPD_LAPSED = "CPD lapsed"


@dataclass(frozen=True)
class ChairStatus:
    """Where a chair stands: trained and current, awaiting training, or trained with CPD lapsed."""

    state: ChairState
    completed_on: date | None = None
    last_cpd_on: date | None = None
    last_cpd_pillar: Pillar | None = None
    # The day CPD lapses (or lapsed); None while awaiting training.
    cpd_due_by: date | None = None
    # Trained and current, but CPD lapses within the warning window: a reminder is due.
    cpd_due_soon: bool = False

    @property
    def may_chair(self) -> bool:
        return self.state is ChairState.TRAINED

    @property
    def label(self) -> str:
        return "Trained, CPD due soon" if self.cpd_due_soon else self.state.label


def chair_status(
    completed_on: date | None,
    last_cpd_on: date | None,
    today: date,
    lapse_months: int,
    warning_months: int = 0,
    *,
    trained_without_record: bool = False,
    last_cpd_pillar: Pillar | None = None,
) -> ChairStatus:
    """A chair's status from the day they completed chair training and the day of their last CPD.

    Completing the course starts the CPD clock: CPD lapses `lapse_months` after the later of the two.
    `trained_without_record` is an account marked trained before the tracker held the training (the
    date is unknown, so only recorded CPD keeps them current).
    """
    if completed_on is None and not trained_without_record:
        return ChairStatus(
            ChairState.AWAITING_TRAINING, last_cpd_on=last_cpd_on, last_cpd_pillar=last_cpd_pillar
        )
    known = [day for day in (completed_on, last_cpd_on) if day is not None]
    if not known:
        return ChairStatus(ChairState.CPD_LAPSED)
    due_by = lapses_on(max(known), lapse_months)
    common = {
        "completed_on": completed_on,
        "last_cpd_on": last_cpd_on,
        "last_cpd_pillar": last_cpd_pillar,
        "cpd_due_by": due_by,
    }
    if today >= due_by:
        return ChairStatus(ChairState.CPD_LAPSED, **common)
    # Due soon: it will have lapsed `warning_months` from today. Said this way, the register can ask
    # the same question in SQL (see `cpd_thresholds`).
    due_soon = warning_months > 0 and due_by <= months_after(today, warning_months)
    return ChairStatus(ChairState.TRAINED, cpd_due_soon=due_soon, **common)


# Completion and CPD --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompletionRule:
    """A course's completion rule: the marks that count as attending a session (present and late by
    default; left early only if the course says so), and how many sessions must be attended (None:
    every scheduled session)."""

    counted: frozenset[Mark] = frozenset({Mark.PRESENT, Mark.LATE})
    sessions_required: int | None = None

    def required_of(self, total: int) -> int:
        """Sessions needed out of `total` scheduled: never more than there are."""
        if self.sessions_required is None:
            return total
        return min(max(self.sessions_required, 1), total)

    def describe(self, total: int | None = None) -> str:
        """The rule in words, for the register and the course's page."""
        marks = [mark.label.lower() for mark in Mark if mark in self.counted]
        counted = " and ".join([", ".join(marks[:-1]), marks[-1]] if len(marks) > 1 else marks)
        if self.sessions_required is None:
            sessions = "every session"
        else:
            needed = self.required_of(total) if total else self.sessions_required
            sessions = f"{needed} session{'s' if needed != 1 else ''}"
            if total:
                sessions += f" of {total}"
        return (
            f"{counted.capitalize()} count as attending. A person completes the event by attending "
            f"{sessions}."
        )


DEFAULT_RULE = CompletionRule()


@dataclass(frozen=True)
class Outcome:
    """What someone achieved on an event, from their marks on its scheduled sessions."""

    sessions_attended: int
    cpd_minutes: int
    completed_on: date | None
    last_attended_on: date | None

    @property
    def complete(self) -> bool:
        return self.completed_on is not None


def outcome(
    marks: Sequence[tuple[date, Mark | None]], event_cpd_minutes: int, rule: CompletionRule = DEFAULT_RULE
) -> Outcome:
    """Completion and CPD from (session date, mark) for every scheduled session of an event.

    A session counts as attended when its mark is one the course's `rule` counts (present or late by
    default). Complete when the rule's number of sessions are attended (every one by default), on the
    day the last of them was reached. CPD minutes are earned session by session: the event's minutes
    shared equally between its sessions, so someone at one day of a two-day development day earns half.
    """
    attended_days = sorted(day for day, mark in marks if mark in rule.counted)
    total = len(marks)
    needed = rule.required_of(total)
    complete = total > 0 and len(attended_days) >= needed
    minutes = event_cpd_minutes * len(attended_days) // total if total else 0
    return Outcome(
        sessions_attended=len(attended_days),
        cpd_minutes=minutes,
        completed_on=attended_days[needed - 1] if complete else None,
        last_attended_on=max(attended_days, default=None),
    )


def register_open(session_day: date, today: date) -> bool:
    """A register can be marked from the day of its session (never ahead of it), and afterwards."""
    return today >= session_day


def from_paper(session_day: date, today: date) -> bool:
    """Marks entered after the day of the session are taken from the paper sign-in sheet."""
    return today > session_day


def event_ended(ends_at: datetime | None, now: datetime) -> bool:
    """An event has ended once its last scheduled session has (an event with none never ends)."""
    return ends_at is not None and ends_at <= now


def attendance_rate(marks: Iterable[Mark]) -> float | None:
    """The share of marks that are attendances, or None when no register has been marked."""
    marks = list(marks)
    if not marks:
        return None
    return sum(1 for mark in marks if mark in ATTENDED) / len(marks)


def format_hours(minutes: int) -> str:
    """CPD minutes as hours for people to read: 90 → "1.5", 360 → "6"."""
    hours = round(minutes / 60, 1)
    return f"{hours:g}"


def hours_to_minutes(hours: float) -> int:
    return round(hours * 60)


# The waiting list ---------------------------------------------------------------------------------


def placement(places_taken: int, capacity: int) -> EnrolmentStatus:
    """Where a new enrolment goes: a place while the event has room, otherwise the waiting list."""
    return EnrolmentStatus.ENROLLED if places_taken < capacity else EnrolmentStatus.WAITING


def move_up(
    waiting: Sequence[int], free_places: int, skip: frozenset[int] | set[int] = frozenset()
) -> tuple[list[int], list[int]]:
    """Fill free places from the waiting list, first come first served.

    `waiting` is in waiting-list order; those in `skip` (who hold a place elsewhere on the course, or
    completed it) are passed over and the next person moves up. Returns (moved up, still waiting in
    their new order).
    """
    free = max(0, free_places)
    moved = [item for item in waiting if item not in skip][:free]
    return moved, [item for item in waiting if item not in moved]


# Enrolment rules ---------------------------------------------------------------------------------


def enrolment_conflict(
    name: str,
    course_title: str,
    places_elsewhere: Sequence[str],
    chair_course: bool = False,
    completed_chair_course: str | None = None,
) -> str | None:
    """Why a person should not be given a place on an event, or None when nothing stands in the way.

    One place per person per course: `places_elsewhere` names the course's other events on which they
    hold a place (or completed it). On a chair course, someone who has completed a chair course
    (`completed_chair_course` names it) is not offered another. The TRSG may override either, with a
    reason.
    """
    if chair_course and completed_chair_course:
        return (
            f"{name} has already completed a chair course ({completed_chair_course}): completed chairs "
            "are not offered places on another chair course"
        )
    if places_elsewhere:
        return (
            f"{name} already has a place on {course_title} ({', '.join(places_elsewhere)}): "
            "one place per person per course"
        )
    return None


def session_day_warning(title: str, day: date) -> str | None:
    """A warning when a session falls on a weekend or an England and Wales bank holiday (not a block)."""
    when = f"{title}, {day.strftime('%A')} {day.day} {day.strftime('%B %Y')},"
    holiday = workdays.bank_holiday_name(day)
    if holiday:
        return f"{when} is a bank holiday ({holiday})"
    if day.weekday() >= 5:
        return f"{when} is at the weekend"
    return None


def session_day_warnings(sessions: Iterable[tuple[str, date]]) -> list[str]:
    return [w for title, day in sessions if (w := session_day_warning(title, day)) is not None]


# Uploads -------------------------------------------------------------------------------------------


class UploadProblem(ValueError):
    """The file as a whole cannot be read (not a CSV, empty, too long, wrong columns)."""


_ROLE_WORDS = {
    "chair": TraineeRole.CHAIR,
    "administrator": TraineeRole.ADMINISTRATOR,
    "mappa administrator": TraineeRole.ADMINISTRATOR,
    "staff": TraineeRole.STAFF,
    "agency staff": TraineeRole.STAFF,
}


def read_upload(data: bytes) -> list[dict]:
    """Rows of a CSV of name, email, agency (and optionally role), with their line numbers.

    A first row that names the columns is skipped. Blank lines are ignored.
    """
    text = _decode(data)
    try:
        # newline="" lets the reader take any line ending: \r\n, \n, or \r alone (old Mac Excel).
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise UploadProblem("Each cell of the selected file must be 200 characters or fewer") from None
        raise UploadProblem("The selected file must be a CSV") from None
    numbered = [
        (number, row) for number, row in enumerate(rows, start=1) if any(cell.strip() for cell in row)
    ]
    if numbered and [cell.strip().lower() for cell in numbered[0][1][:3]] == ["name", "email", "agency"]:
        numbered = numbered[1:]
    if not numbered:
        raise UploadProblem("The selected file is empty")
    if len(numbered) > MAX_UPLOAD_ROWS:
        raise UploadProblem(f"The selected file must have {MAX_UPLOAD_ROWS} people or fewer")
    result = []
    for number, row in numbered:
        cells = [cell.strip() for cell in row] + ["", "", "", ""]
        if len([c for c in row if c.strip()]) > 4:
            raise UploadProblem(
                f"Line {number} has more than 4 columns: the file must have the columns name, email, agency"
            )
        result.append(
            {
                "line": number,
                "name": cells[0],
                "email": cells[1].lower(),
                "agency": cells[2],
                "role": cells[3],
            }
        )
    return result


_BYTE_ORDER_MARKS = [
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16's, which it starts with
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def _decode(data: bytes) -> str:
    """The file's text: UTF-16 or UTF-32 where a byte-order mark says so (Excel's "Unicode text"), else
    UTF-8, else Windows-1252. A file that still holds null characters is not text (UTF-16 without a
    mark, a spreadsheet's binary format): it is refused rather than stored as garbage."""
    encodings = [encoding for mark, encoding in _BYTE_ORDER_MARKS if data.startswith(mark)][:1]
    for encoding in encodings or ["utf-8-sig", "cp1252"]:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise UploadProblem("The selected file must be a CSV saved as text (CSV UTF-8 in Excel)")


@dataclass
class CheckedRow:
    line: int
    name: str
    email: str
    agency: str
    agency_id: int | None = None
    role: TraineeRole | None = None
    errors: list[str] = field(default_factory=list)
    # An enrolment rule the row breaks (`enrolment_conflict`): an error unless the TRSG overrides it.
    conflict: str | None = None


def check_rows(
    rows: Iterable[dict], agencies: dict[str, int], already_enrolled: set[str]
) -> list[CheckedRow]:
    """Check each row: name given, a real email address, a known agency, not twice, not already enrolled.

    `agencies` maps lower-case agency names to ids; `already_enrolled` holds lower-case emails of people
    with a place or a waiting-list place on the event.
    """
    checked = []
    seen: dict[str, int] = {}
    for row in rows:
        item = CheckedRow(row["line"], row["name"], row["email"], row["agency"])
        if not item.name:
            item.errors.append("Enter the person's name")
        elif len(item.name) > 200:
            item.errors.append("Name must be 200 characters or fewer")
        if not item.email:
            item.errors.append("Enter the person's email address")
        else:
            try:
                validate_email(item.email, check_deliverability=False)
            except EmailNotValidError:
                item.errors.append("Enter an email address in the correct format, like name@example.com")
        if not item.agency:
            item.errors.append("Enter the person's agency")
        else:
            item.agency_id = agencies.get(" ".join(item.agency.lower().split()))
            if item.agency_id is None:
                item.errors.append(f"'{item.agency}' is not an agency in the tracker")
        role = row.get("role", "")
        if role:
            item.role = _ROLE_WORDS.get(role.lower())
            if item.role is None:
                item.errors.append("Role must be chair, administrator or staff, or left blank")
        if item.email:
            if item.email in seen:
                item.errors.append(f"The same email address is on line {seen[item.email]}")
            else:
                seen[item.email] = item.line
            if item.email in already_enrolled:
                item.errors.append("This person is already enrolled on this event")
        checked.append(item)
    return checked


# Certificates --------------------------------------------------------------------------------------


def certificate_kind(is_chair_course: bool, completed: bool) -> str | None:
    """ "completion" for completing the chair course; "attendance" for completing a CPD event; None
    for anyone else: certificates are only for those whose outcome is Completed."""
    if not completed:
        return None
    return "completion" if is_chair_course else "attendance"


def describe_days(days: Sequence[date]) -> str:
    """Dates as people write them: "12 June 2024", "3 and 4 June 2024", "30 June and 1 July 2024"."""
    days = sorted(set(days))
    if not days:
        return ""
    same_month = len({(d.year, d.month) for d in days}) == 1
    if same_month:
        parts = [str(d.day) for d in days]
        tail = days[0].strftime(" %B %Y")
    else:
        same_year = len({d.year for d in days}) == 1
        parts = [f"{d.day} {d.strftime('%B')}" + ("" if same_year else f" {d.year}") for d in days]
        tail = f" {days[0].year}" if same_year else ""
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return joined + tail
