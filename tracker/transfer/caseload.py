"""Reading an area's current caseload from a spreadsheet (`tracker.transfer.sheets`) and checking every
row before anything is saved: the rules as plain functions over the rows and what the database already
holds, so that the preview and the import agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from tracker.core.csvfile import csv_text
from tracker.core.forms import name_key
from tracker.meetings import rules
from tracker.meetings.models import CaseStatus, Category, Level
from tracker.transfer import sheets
from tracker.transfer.sheets import CellError, Column, date_problem, parse_date, text_problem

CASE_COLUMNS = [
    Column("reference", "The MAPPA reference, like LDN-2024-0001", required=True),
    Column("name", "The person's full name", required=True),
    Column("date_of_birth", "Date of birth, as 1980-05-31 or 31/05/1980 (the year in full)", required=True),
    Column("category", "1, 2, 3 or 4 (4: terrorism, only for someone cleared)", required=True),
    Column("level", "2 or 3", required=True),
    Column(
        "lead_agency",
        "The lead agency's name, as listed in the tracker (capitals and spaces aside)",
        required=True,
    ),
    Column("referred_on", "When the case was referred for Level 2 or 3 management", required=True),
    Column(
        "next_review_due",
        "When the next review is due, within the level's review interval from today (empty: the case counts "
        "as never discussed, and is due its initial meeting from the referral)",
    ),
    Column("status", "Active or In custody (empty: Active)"),
    Column("borough", "The borough or local authority"),
    Column("visor_reference", "ViSOR reference"),
    Column("ndelius_reference", "nDelius CRN"),
    Column("pnc_reference", "PNC ID"),
]
TEMPLATE_EXAMPLE = {
    "reference": "LDN-2024-0001",
    "name": "Alex Example",
    "date_of_birth": "1980-05-31",
    "category": "2",
    "level": "2",
    "lead_agency": "Probation Service (London)",
    "referred_on": "2024-09-02",
    "next_review_due": "2025-01-13",
    "status": "Active",
    "borough": "Camden",
    "visor_reference": "",
    "ndelius_reference": "X123456",
    "pnc_reference": "",
}


def template_csv() -> str:
    return csv_text(
        [column.name for column in CASE_COLUMNS], [[TEMPLATE_EXAMPLE[column.name] for column in CASE_COLUMNS]]
    )


# Reading -----------------------------------------------------------------------------------------------


def read(filename: str, data: bytes, columns: list[Column] | None = None, noun: str = "cases") -> list[dict]:
    """The rows of a caseload file (or, given its `columns` and `noun`, of another kind): `sheets.read`."""
    return sheets.read(filename, data, CASE_COLUMNS if columns is None else columns, noun)



# Checking ----------------------------------------------------------------------------------------------


@dataclass
class CheckedCase:
    line: int
    reference: str
    name: str
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # What the importer should know of a row that is ready (it is brought in all the same).
    warnings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        values = self.values
        if self.errors:
            return ""
        referred = f"referred {values['referred_on']:%-d %B %Y}"
        parts = [values["category"].label, values["level"].label, referred]
        if values["next_review_on"]:
            parts.append(f"next review {values['next_review_on']:%-d %B %Y}")
        return ", ".join(parts)


CATEGORIES = {str(category.number): category for category in Category}
LEVELS = {"2": Level.LEVEL_2, "3": Level.LEVEL_3}


def named_agency(
    name: str,
    agencies: Mapping[str, int | None],
    errors: list[str],
    role: str,
    column: str = "lead_agency",
    missing: str = "Enter the lead agency's name, as listed in the tracker",
) -> int | None:
    """The id of the agency a row names, or None with what is wrong added to `errors`. `agencies` maps every
    agency's name (its `name_key`: case and spacing aside, as everywhere in the tracker) to its id, or to
    None for one that holds no case records (the Board's lay advisers); `role` is what the row would make
    the agency, as in "the lead agency"; `column` is the row's column that names it, and `missing` what
    a row that names none is told."""
    name = " ".join(name.split())
    if not name:
        errors.append(CellError(column, missing))
        return None
    if name_key(name) not in agencies:
        errors.append(CellError(column, f"There is no agency called ‘{name}’: use a name as listed"))
        return None
    if (agency_id := agencies[name_key(name)]) is None:
        errors.append(
            CellError(column, f"‘{name}’ holds no case records, so it cannot be {role}: name another agency")
        )
    return agency_id


def is_template_example(row: Mapping[str, str]) -> bool:
    """Whether a row is the template's example (its person, born on its day), left in the file."""
    example = TEMPLATE_EXAMPLE
    return name_key(row["name"]) == name_key(example["name"]) and parse_date(row["date_of_birth"]) == (
        parse_date(example["date_of_birth"])
    )


# What someone not cleared for terrorism cases reads about a row they may not bring in: a Category 4 row,
# and a row whose reference is that of a Category 4 case they may not see, alike (the message must not
# confirm that the hidden case exists, as "already in the tracker" would).
NOT_CLEARED = (
    "{reference} cannot be brought in by you: ask someone cleared for terrorism cases to check this row"
)
EXAMPLE_ROW = (
    "This is the template's example row ({name}, born {born:%-d %B %Y}): delete it and upload the file again"
)
STATUSES = {
    "": CaseStatus.ACTIVE,
    "active": CaseStatus.ACTIVE,
    "in custody": CaseStatus.IN_CUSTODY,
    "custody": CaseStatus.IN_CUSTODY,
}
# A status that is an event in a case's history, not where a case stands: said so, with what to do.
EVENT_STATUSES = {
    "recalled": "A recall is recorded on the case once it is in the tracker: enter In custody as the status",
    "released": "A release is recorded on the case once it is in the tracker: enter Active as the status",
    "exited": "A case that has left MAPPA is not brought in: delete the row, or enter Active or In custody",
}


def check(
    rows: Iterable[dict],
    *,
    existing_references: set[str],
    agencies: Mapping[str, int | None],
    may_add_category_4: bool,
    today: date,
    hidden_references: set[str] = frozenset(),
    review_weeks: Mapping[Level, int] | None = None,
    initial_days: Mapping[Level, int] | None = None,
) -> list[CheckedCase]:
    """Each row with what it would create, or what is wrong with it (each `CellError` naming its column).
    `existing_references` are the references already held that this person may see, in capitals, and
    `hidden_references` those of the Category 4 cases they may not; `agencies` maps names (`name_key`) to
    ids; `review_weeks` is the longest interval between reviews at each level (the area's settings),
    which a next review date keeps to, and `initial_days` the working days to the initial meeting, from
    which a row with no next review date is due (`overdue_on_arrival`)."""
    seen: dict[str, int] = {}
    checked = []
    for row in rows:
        reference = row["reference"].strip().upper()
        item = CheckedCase(row["line"], reference, " ".join(row["name"].split()))
        errors = item.errors
        checked.append(item)
        if is_template_example(row):
            born = parse_date(row["date_of_birth"])
            errors.append(CellError("", EXAMPLE_ROW.format(name=item.name, born=born)))
            continue
        if problem := text_problem(reference, "Enter the MAPPA reference", "The MAPPA reference", 40):
            errors.append(CellError("reference", problem))
        elif reference in existing_references:
            errors.append(CellError("reference", f"{reference} is already in the tracker"))
        elif reference in hidden_references:
            # Said of the row as a whole, as of a Category 4 row of their own: the two read alike.
            errors.append(CellError("", NOT_CLEARED.format(reference=reference)))
        elif reference in seen:
            errors.append(CellError("reference", f"{reference} is also on row {seen[reference]}"))
        else:
            seen[reference] = row["line"]
        if problem := text_problem(item.name, "Enter the person's name", "The name", 200):
            errors.append(CellError("name", problem))
        born = parse_date(row["date_of_birth"])
        if born is None:
            problem = date_problem(row["date_of_birth"], "the date of birth", "1980-05-31")
            errors.append(CellError("date_of_birth", problem))
        elif born >= today:
            errors.append(CellError("date_of_birth", "The date of birth must be in the past"))
        category = CATEGORIES.get(row["category"].lower().removeprefix("category").strip())
        if category is None:
            errors.append(CellError("category", "The category must be 1, 2, 3 or 4"))
        elif category is Category.CATEGORY_4 and not may_add_category_4:
            message = NOT_CLEARED.format(reference=reference or "This case")
            if message not in errors:
                errors.append(CellError("", message))
        level = LEVELS.get(row["level"].lower().removeprefix("level").strip())
        if level is None:
            errors.append(CellError("level", "The level must be 2 or 3"))
        agency = named_agency(row["lead_agency"], agencies, errors, "the lead agency")
        referred = parse_date(row["referred_on"])
        if referred is None:
            problem = date_problem(row["referred_on"], "the referral date", "2024-09-02")
            errors.append(CellError("referred_on", problem))
        elif referred > today:
            errors.append(CellError("referred_on", "The referral date must not be in the future"))
        elif born is not None and born < today and referred <= born:
            errors.append(CellError("referred_on", "The referral date must be after the date of birth"))
        next_review = parse_date(row["next_review_due"]) if row["next_review_due"].strip() else None
        if row["next_review_due"].strip() and next_review is None:
            problem = date_problem(row["next_review_due"], "the next review date", "2025-01-13")
            errors.append(CellError("next_review_due", f"{problem}, or leave it empty"))
        elif next_review and (
            problem := rules.imported_review_problem(
                next_review, referred, level, (review_weeks or {}).get(level), today
            )
        ):
            errors.append(CellError("next_review_due", problem))
        said = " ".join(row["status"].replace("-", " ").split()).casefold()
        status = STATUSES.get(said)
        if status is None:
            problem = EVENT_STATUSES.get(said, "The status must be Active or In custody")
            errors.append(CellError("status", problem))
        for name in ("visor_reference", "ndelius_reference", "pnc_reference"):
            if len(row[name]) > 40:
                errors.append(CellError(name, f"The {name.replace('_', ' ')} must be 40 characters or fewer"))
        if len(row["borough"]) > 80:
            errors.append(CellError("borough", "The borough must be 80 characters or fewer"))
        item.values = {
            "date_of_birth": born,
            "category": category,
            "level": level,
            "lead_agency_id": agency,
            "referred_on": referred,
            "next_review_on": next_review,
            "status": status,
            "borough": row["borough"],
            "visor_reference": row["visor_reference"],
            "ndelius_reference": row["ndelius_reference"],
            "pnc_reference": row["pnc_reference"],
        }
        if not errors and (days := (initial_days or {}).get(level)) is not None:
            warning = overdue_on_arrival(reference, level, status, referred, next_review, days, today)
            item.warnings += [warning] if warning else []
    return checked


OVERDUE_ON_ARRIVAL = (
    "{reference} will show as overdue for its initial meeting when imported: with no next review date it "
    "counts as never discussed, so its initial meeting was due {days} working days after the referral, on "
    "{due:%-d %B %Y}. If it has been reviewed, add its next review date."
)
REVIEW_PASSED_ON_ARRIVAL = (
    "{reference} will show as overdue for review when imported: its next review date, {due:%-d %B %Y}, has "
    "passed. If it has been reviewed since, give the date of its next review."
)


def overdue_on_arrival(reference: str, level: Level, status: CaseStatus, referred_on: date,
                       next_review_on: date | None, initial_days: int, today: date) -> str | None:
    """What to tell the importer of a case that would be overdue the moment it is brought in, or None: its
    next review date has passed, or with none (and no meeting in the tracker) it is due its initial meeting
    (`rules.review_due_on`), counted from a referral that may be years past."""
    if not rules.needs_meetings(level, status):
        return None
    if next_review_on is not None:
        passed = rules.deadline_state(next_review_on, today, 0) == rules.OVERDUE
        return REVIEW_PASSED_ON_ARRIVAL.format(reference=reference, due=next_review_on) if passed else None
    due = rules.initial_meeting_due(referred_on, initial_days)
    if rules.deadline_state(due, today, 0) != rules.OVERDUE:
        return None
    return OVERDUE_ON_ARRIVAL.format(reference=reference, days=initial_days, due=due)
