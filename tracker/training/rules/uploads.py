"""Lists of people uploaded to enrol on an event: reading the CSV file and checking each row."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from tracker.training.models import TraineeRole

MAX_UPLOAD_ROWS = 500


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

    @property
    def messages(self) -> list[str]:
        """What the preview shows against the row: its own errors first, then the rule it breaks."""
        return [*self.errors, *([self.conflict] if self.conflict else [])]


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
