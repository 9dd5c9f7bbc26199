"""The agenda page, the agenda PDF and the minutes carry the standard items in MAPPA order around the cases:
introductions and apologies; the confidentiality and diversity statement; minutes and actions of the last
meeting; the cases; any other business; date of next meeting."""

from __future__ import annotations

import io

import pypdf

from tests.justify import disclosed
from tests.pages import page_text
from tracker.minutes.models import MinutesStatus

ORDER = [
    "1. Introductions and apologies",
    "2. Confidentiality and diversity statement",
    "3. Minutes and actions of the last meeting",
    "Cases",
    "6. Any other business",
    "7. Date of next meeting",
]


def _positions(text: str, parts: list[str]) -> list[int]:
    return [text.index(part) for part in parts]


def test_the_agenda_page_numbers_the_standard_items_around_the_cases(client_as, factory):
    administrator = factory.user("ADMINISTRATOR")
    meeting = factory.meeting(administrator=administrator)
    factory.agenda_item(meeting, factory.case(reference="STD-1"))
    factory.agenda_item(meeting, factory.case(reference="STD-2"))
    text = page_text(client_as(administrator).get(f"/meetings/{meeting.id}"))
    text = text[text.index("Agenda") :]
    positions = _positions(text, [*ORDER[:4], "4 Not set STD-1", "5 Not set STD-2", *ORDER[4:]])
    assert positions == sorted(positions)


def test_the_agenda_pdf_carries_the_standard_items_in_order(client_as, factory):
    administrator = factory.user("ADMINISTRATOR")
    meeting = factory.meeting(administrator=administrator)
    factory.agenda_item(meeting, factory.case(reference="STDP-1"))
    factory.agenda_item(meeting, factory.case(reference="STDP-2"))
    response = client_as(administrator).get(disclosed(f"/meetings/{meeting.id}/agenda/pdf"))
    assert response.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    positions = _positions(text, [*ORDER[:4], "STDP-1", "STDP-2", *ORDER[4:]])
    assert positions == sorted(positions)
    assert "public safety" in text.lower() or "confidential" in text.lower()


def test_the_minutes_follow_the_same_order(client_as, factory):
    chair = factory.user("CHAIR")
    administrator = factory.user("ADMINISTRATOR")
    meeting = factory.held_meeting(chair=chair, administrator=administrator, cases=1)
    factory.minutes(meeting, MinutesStatus.DRAFT)
    client = client_as(administrator)
    parts = [
        "Introductions and purpose of the meeting",
        "Confidentiality and diversity statement",
        "Minutes and actions of the last meeting",
        "Case 1:",
        "Any other business",
        "Date of next meeting",
    ]
    edit = page_text(client.get(f"/meetings/{meeting.id}/minutes/edit"))
    positions = _positions(edit, [parts[0], parts[2], parts[3], parts[4], parts[5]])
    assert positions == sorted(positions)
    shown = page_text(client.get(f"/meetings/{meeting.id}/minutes/versions/1"))
    positions = _positions(shown, parts)
    assert positions == sorted(positions)
    pdf = client.get(disclosed(f"/meetings/{meeting.id}/minutes/versions/1/pdf"))
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    positions = _positions(text, parts)
    assert positions == sorted(positions)
