"""A case booked for two meetings and lowered at the first: the second meeting's agenda (its page and its
PDF) shows the case at the level it stands at for that meeting, as the item's own page does."""

from __future__ import annotations

import io
from datetime import timedelta

from bs4 import BeautifulSoup
from pypdf import PdfReader

from tests.justify import disclosed
from tests.posted import decision_form
from tracker.core.timeutil import today_london
from tracker.meetings.models import Level, MeetingStatus


def test_the_agenda_shows_the_level_the_case_stands_at_for_the_meeting(client_as, factory):
    today = today_london()
    chair = factory.user("CHAIR", name="Daniel Price")
    case = factory.case(Level.LEVEL_3, reference="LDN-2026-0207", referred_on=today - timedelta(days=60))
    held = factory.meeting(chair=chair, day=today - timedelta(days=5), status=MeetingStatus.HELD)
    at_held = factory.agenda_item(held, case)
    upcoming = factory.meeting(chair=chair, day=today + timedelta(days=7))
    factory.agenda_item(upcoming, case)  # added at Level 3
    client = client_as(chair)
    response = client.post(
        f"/meetings/{held.id}/agenda/{at_held.id}/decision",
        data=decision_form(at_held.version, "LOWER", "Risk has reduced", today + timedelta(weeks=4)),
    )
    assert response.status_code == 302

    agenda = BeautifulSoup(client.get(f"/meetings/{upcoming.id}").data, "html.parser")
    row = agenda.find("table").find("a", string="LDN-2026-0207").find_parent("td")
    assert "Category 2, Level 2" in row.get_text(" ", strip=True)

    pdf = client.get(disclosed(f"/meetings/{upcoming.id}/agenda/pdf"))
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Category 2, Level 2" in text
    assert "Level 3" not in text
