"""The level decision form says what each choice does (lowering a Level 2 case to Level 1 keeps it a MAPPA
case; exiting ends it), and a case's status reads as its label wherever the case is summed up."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup

from tests.justify import open_page
from tracker.core.timeutil import today_london
from tracker.meetings.models import CaseStatus, Level, MeetingStatus


def _hints(response) -> dict[str, str]:
    """Each radio's label and its hint, as the form shows them."""
    soup = BeautifulSoup(response.data, "html.parser")
    return {
        item.label.get_text(strip=True): item.select_one(".govuk-radios__hint").get_text(" ", strip=True)
        for item in soup.select(".govuk-radios__item")
    }


def test_each_level_decision_says_what_it_does_to_the_case(client_as, factory):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair, day=today_london() - timedelta(days=2), status=MeetingStatus.HELD)
    item = factory.agenda_item(meeting, factory.case(Level.LEVEL_2))

    response = client_as(chair).get(f"/meetings/{meeting.id}/agenda/{item.id}/decision")

    assert _hints(response) == {
        "Retain at the current level": "Stays at Level 2: managed through multi-agency MAPPA meetings",
        "Raise the level": "Level 3: managed through MAPPA meetings with senior-level attendance and "
        "commitment of resources",
        "Lower the level": "Level 1: managed by the lead agency, no MAPPA meetings (still a MAPPA case)",
        "Exit MAPPA meeting management": "No longer a MAPPA case (for example the licence has ended): the "
        "case is closed as exited MAPPA",
    }
    assert "Not needed when the case is lowered to Level 1 or exits MAPPA." in response.get_data(as_text=True)


def test_a_level_3_case_is_told_it_cannot_be_raised(client_as, factory):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair, level=Level.LEVEL_3)
    item = factory.agenda_item(meeting, factory.case(Level.LEVEL_3))
    hints = _hints(client_as(chair).get(f"/meetings/{meeting.id}/agenda/{item.id}/decision"))
    assert hints["Raise the level"] == "A Level 3 case cannot be raised: choose to retain it at Level 3"
    assert hints["Lower the level"] == "Level 2: managed through multi-agency MAPPA meetings"


def test_an_exited_case_reads_exited_mappa_not_in_lower_case(client_as, factory):
    coordinator = factory.user("COORDINATOR")
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    case = factory.case(status=CaseStatus.EXITED)
    item = factory.agenda_item(meeting, case)
    client = client_as(chair)
    summary = BeautifulSoup(client.get(f"/meetings/{meeting.id}/agenda/{item.id}").data, "html.parser")
    assert "Category 2, Level 2, Exited MAPPA." in summary.get_text(" ", strip=True)
    form = open_page(client_as(coordinator), f"/cases/{case.id}/events/new")
    caption = BeautifulSoup(form.data, "html.parser").select_one(".govuk-caption-l").get_text(strip=True)
    assert caption == f"{case.reference}: Level 2, Exited MAPPA"
