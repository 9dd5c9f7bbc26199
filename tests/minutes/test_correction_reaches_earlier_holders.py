"""Corrected minutes go to everyone who had the version they replace. The distribution page for a corrected
version ticks, with why, everyone sent an earlier version as well as those the meeting's own rule ticks;
the minutes page says who has the version that stands and warns of those who had an earlier one but not
it, with the way to send it to them; each version's page says to whom it went and when."""

from __future__ import annotations

import pytest

from tests.meetings.conftest import approve_correction, start_correction
from tests.minutes.conftest import distribute, page, text_of
from tracker.auth.models import AgencySector
from tracker.core.timeutil import format_date, today_london
from tracker.meetings.models import AttendanceStatus
from tracker.minutes.models import MinutesStatus


@pytest.fixture
def cycle(factory, people):
    """The tester's meeting: five invited by name (Nadia Rahman sent apologies, no deputy), and Probation
    not invited; version 1 approved."""
    meeting = factory.held_meeting(chair=people["chair"], administrator=people["administrator"])
    invited = {}
    for name, agency, sector, attendance in (
        ("Fiona Campbell", "Metropolitan Police", AgencySector.POLICE, AttendanceStatus.PRESENT),
        ("Owen Hughes", "HM Prison Service", AgencySector.PRISONS, AttendanceStatus.PRESENT),
        ("Rachel Ogunleye", "Children's Social Care", AgencySector.CHILDRENS_SOCIAL_CARE, AttendanceStatus.PRESENT),
        ("Nadia Rahman", "Adult Social Care", AgencySector.ADULT_SOCIAL_CARE, AttendanceStatus.APOLOGIES),
        ("Joanna Whitby", "Housing", AgencySector.HOUSING, AttendanceStatus.PRESENT),
    ):
        person = factory.user("PRACTITIONER", name=name, agency=factory.agency(agency, sector))
        factory.invitation(meeting, person, attendance=attendance)
        invited[name] = f"{person.agency_id}:{person.id}"
    probation = factory.agency("Probation Service", AgencySector.PROBATION)
    factory.minutes(meeting, MinutesStatus.APPROVED)
    return meeting, invited, f"{probation.id}:"


def _form(client, meeting):
    """The distribution page's choices: value to (ticked, hint)."""
    shown = page(client.get(f"/meetings/{meeting.id}/minutes/distribute"))
    choices = {}
    for box in shown.select("input[name=recipients]"):
        hint = shown.find(id=box.get("aria-describedby", "").split(" ")[0]) if box.get("aria-describedby") else None
        choices[box["value"]] = (box.has_attr("checked"), hint.get_text(" ", strip=True) if hint else "")
    return choices


def _correct(client, session, meeting):
    assert start_correction(client, session, meeting, "The review date was mistyped").status_code == 302
    assert approve_correction(client, session, meeting).status_code == 302


def test_the_corrected_version_is_ticked_for_everyone_who_had_the_version_before(
    client_as, session, people, cycle
):
    meeting, invited, _probation = cycle
    chair = client_as(people["chair"])
    distribute(chair, session, meeting, list(invited.values()))
    _correct(chair, session, meeting)

    choices = _form(chair, meeting)
    # Nadia Rahman sent apologies, so the meeting's own rule leaves her out; she had version 1.
    assert choices[invited["Nadia Rahman"]] == (True, "Had version 1")
    assert choices[invited["Fiona Campbell"]] == (True, "Attended and had version 1")
    assert all(choices[value][0] for value in invited.values())
    # The meeting's own rule still ticks, with why, someone who attended but was not sent version 1.
    owner = next(i for i in meeting.invitations if i.agency.name == "Test Police")
    assert choices[f"{owner.agency_id}:{owner.user_id}"] == (True, "Attended")
    assert "Version 2 is a correction. Send it to everyone who had an earlier version" in text_of(
        chair.get(f"/meetings/{meeting.id}/minutes/distribute")
    )


def test_the_page_warns_of_those_who_had_version_1_and_were_not_sent_version_2(
    client_as, session, people, cycle
):
    meeting, invited, probation = cycle
    chair = client_as(people["chair"])
    owner = next(i for i in meeting.invitations if i.agency.name == "Test Police")
    had_version_1 = [*invited.values(), f"{owner.agency_id}:{owner.user_id}"]
    distribute(chair, session, meeting, had_version_1)
    _correct(chair, session, meeting)
    distribute(chair, session, meeting, [probation])
    today = format_date(today_london())

    shown = page(chair.get(f"/meetings/{meeting.id}/minutes"))
    warning = shown.find(id="not-sent")
    assert warning is not None
    said = warning.get_text(" ", strip=True)
    assert "Corrected version 2 has not been sent to everyone who had an earlier version" in said
    for name in invited:
        assert f"{name}, " in said
    assert "Nadia Rahman, Adult Social Care (had version 1)" in said
    assert "Probation" not in said
    link = warning.find("a", string="Send version 2 to them")
    assert link["href"] == f"/meetings/{meeting.id}/minutes/distribute"
    # Who has version 2, and when it went to them.
    sent = shown.find(id="sent-to").get_text(" ", strip=True)
    assert "Probation Service" in sent and today in sent and "Fiona Campbell" not in sent

    # The way to send it: exactly those who had version 1 are ticked; Probation already has it.
    choices = _form(chair, meeting)
    assert sorted(value for value, (ticked, _hint) in choices.items() if ticked) == sorted(had_version_1)
    assert choices[probation] == (False, f"Sent version 2 on {today}")

    # Each version's page says to whom it went and when.
    first = page(chair.get(f"/meetings/{meeting.id}/minutes/versions/1")).find(id="sent-to")
    assert first is not None
    rows = [row.get_text(" ", strip=True) for row in first.select("tbody tr")]
    assert len(rows) == 6 and all(today in row for row in rows)
    assert any(row.startswith("Nadia Rahman, Adult Social Care") for row in rows)
    second = page(chair.get(f"/meetings/{meeting.id}/minutes/versions/2")).find(id="sent-to")
    assert [row.get_text(" ", strip=True).split(today)[0].strip() for row in second.select("tbody tr")] == [
        "Probation Service"
    ]

    distribute(chair, session, meeting, had_version_1)
    assert page(chair.get(f"/meetings/{meeting.id}/minutes")).find(id="not-sent") is None


def test_a_leaver_who_had_version_1_is_reached_through_their_agency(client_as, factory, session, people, cycle):
    """Owen Hughes had version 1 and then left: version 2 goes to HM Prison Service, which the warning
    names until it is sent."""
    meeting, invited, _probation = cycle
    chair = client_as(people["chair"])
    distribute(chair, session, meeting, list(invited.values()))
    _correct(chair, session, meeting)
    owen = next(i.user for i in meeting.invitations if i.user and i.user.name == "Owen Hughes")
    owen.active = False
    factory.save(owen)

    warning = page(chair.get(f"/meetings/{meeting.id}/minutes")).find(id="not-sent").get_text(" ", strip=True)
    assert "HM Prison Service (had version 1)" in warning and "Owen Hughes" not in warning
    choices = _form(chair, meeting)
    assert choices[f"{owen.agency_id}:"] == (True, "Attended and had version 1")
    distribute(chair, session, meeting, [value for value, (ticked, _hint) in choices.items() if ticked])
    assert page(chair.get(f"/meetings/{meeting.id}/minutes")).find(id="not-sent") is None
