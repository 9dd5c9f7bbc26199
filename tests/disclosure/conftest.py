"""A case with approved minutes whose text names a third party and holds an agency's information, and a
co-ordinator to build packs for it."""

from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader
from pypdf.generic import StreamObject

from tests.justify import give_reason
from tracker.auth.models import AgencySector
from tracker.meetings.models import Case, Meeting
from tracker.minutes.models import MinutesStatus

# Invented words, found nowhere else in a pack, so that finding one means the redaction leaked.
THIRD_PARTY = "Quenby Xylophonic"
AGENCY_SECRET = "Zarathine Hostel"
SUMMARY = f"Reviewed at a Level 2 meeting. Lives with {THIRD_PARTY}, whose children visit at weekends."
NEW_INFORMATION = f"Housing reported a placement at {AGENCY_SECRET} from March; police had no new intelligence."


@dataclass
class World:
    coordinator: object
    case: Case
    meeting: Meeting
    housing: object


@pytest.fixture
def world(factory) -> World:
    chair = factory.user("CHAIR", name="Daniel Price")
    meeting = factory.held_meeting(chair=chair, cases=1)
    item = meeting.agenda_items[0]
    housing = factory.agency("Camden Housing", AgencySector.HOUSING)
    factory.invitation(meeting, factory.user("PRACTITIONER", agency=housing))
    sections = {
        "meeting": {},
        "items": {str(item.id): {"executive_summary": SUMMARY, "new_information": NEW_INFORMATION}},
    }
    factory.minutes(meeting, MinutesStatus.APPROVED, sections=sections)
    coordinator = factory.user("COORDINATOR", name="Helen Marsh")
    return World(coordinator, item.case, meeting, housing)


@pytest.fixture
def client(client_as, world):
    """The co-ordinator, with no part in the case: they say why they open it, once per session."""
    coordinator = client_as(world.coordinator)
    give_reason(coordinator, world.case.id, "Responding to a request for information")
    return coordinator


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def text_of(response) -> str:
    return " ".join(page(response).get_text(" ").split())


def pdf_text(data: bytes) -> str:
    """Every page's extracted text, words separated by single spaces."""
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def stream_bytes(data: bytes) -> list[bytes]:
    """The decoded bytes of every stream in the file (content streams, fonts, their ToUnicode maps), read
    two ways: through pypdf's objects, and by inflating every `stream ... endstream` in the raw file, so a
    stream pypdf did not reach is read too."""
    reader = PdfReader(io.BytesIO(data))
    found = []
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:  # noqa: BLE001 (a free object number)
            continue
        if isinstance(obj, StreamObject):
            found.append(obj.get_data())
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            found.append(zlib.decompress(raw))
        except zlib.error:
            found.append(raw)
    return found


def forms_of(word: str) -> list[bytes]:
    """The ways a word's characters could sit in a PDF's bytes: as written, and as UTF-16 (big-endian, as
    ToUnicode maps and text strings hold it), in hex too."""
    utf16 = word.encode("utf-16-be")
    return [word.encode(), word.encode("latin-1", "ignore"), utf16, utf16.hex().encode(), utf16.hex().upper().encode()]
