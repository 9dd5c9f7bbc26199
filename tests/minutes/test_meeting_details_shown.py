"""The minutes open with the meeting's details on the page as in the PDF: when and where it met, its chair
and who took the minutes (both from `document.MeetingDetails.rows`)."""

from __future__ import annotations

from tests.minutes.conftest import page
from tracker.minutes.models import MinutesStatus


def _details(response) -> dict[str, str]:
    shown = page(response).find(id="meeting-details").find_next(class_="govuk-summary-list")
    return {
        row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
        for row in shown.find_all(class_="govuk-summary-list__row")
    }


def test_the_minutes_page_shows_the_chair_place_time_and_minute_taker(client_as, factory, meeting, people):
    factory.minutes(meeting, MinutesStatus.APPROVED)
    for person in (people["administrator"], people["chair"]):
        details = _details(client_as(person).get(f"/meetings/{meeting.id}/minutes"))
        assert details["Meeting reference"] == meeting.reference
        assert details["Meeting"] == "Level 2 review meeting"
        assert details["Date and time"].endswith(", 10:00 to 12:00")
        assert details["Place"] == "MAPPA Unit"
        assert details["Chair"] == "Daniel Price"
        assert details["Minutes taken by"] == "Aisha Karim"
    version = _details(client_as(people["chair"]).get(f"/meetings/{meeting.id}/minutes/versions/1"))
    assert version["Chair"] == "Daniel Price" and version["Minutes taken by"] == "Aisha Karim"
