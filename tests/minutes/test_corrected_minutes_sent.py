"""The minutes page says the minutes were distributed on time (or late), which is the first version's: once a
correction is approved, it also says which version went when and that the corrected one has not been sent
yet, until it is."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup
from sqlmodel import select

from tests.meetings.conftest import approve_correction, start_correction
from tracker.core.timeutil import format_date, today_london
from tracker.core.types import utcnow
from tracker.minutes import rules
from tracker.minutes.models import MinutesStatus, MinutesVersion


def _distribute_by(response) -> str:
    soup = BeautifulSoup(response.data, "html.parser")
    key = soup.find("dt", string=lambda text: text and text.strip() == "Distribute by")
    return key.find_next_sibling("dd").get_text(" ", strip=True)


def test_the_page_says_which_version_went_and_that_the_corrected_one_has_not(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.held_meeting(chair=chair, days_ago=2)
    factory.minutes(meeting, MinutesStatus.DISTRIBUTED)
    client = client_as(chair)
    today = format_date(today_london())
    shown = _distribute_by(client.get(f"/meetings/{meeting.id}/minutes"))
    assert "Distributed on time" in shown and "Version 1" not in shown

    assert start_correction(client, session, meeting, "The level decision was minuted wrongly").status_code == 302
    assert approve_correction(client, session, meeting).status_code == 302
    shown = _distribute_by(client.get(f"/meetings/{meeting.id}/minutes"))
    assert "Distributed on time" in shown
    assert f"Version 1 was distributed on {today}. Corrected version 2 has not been sent yet." in shown

    corrected = session.exec(select(MinutesVersion).where(MinutesVersion.number == 2)).one()
    corrected.distributed_at = utcnow()
    factory.save(corrected)
    shown = _distribute_by(client.get(f"/meetings/{meeting.id}/minutes"))
    assert f"Version 1 was distributed on {today}, corrected version 2 on {today}." in shown
    assert "not been sent" not in shown


def test_the_note_names_the_versions_only_once_the_minutes_were_corrected():
    first, later = date(2026, 3, 2), date(2026, 3, 9)
    assert rules.distribution_note([], None) == ""
    assert rules.distribution_note([(1, first)], None) == ""
    assert rules.distribution_note([], 2) == ""
    assert rules.distribution_note([(1, first)], 2) == (
        "Version 1 was distributed on 2 March 2026. Corrected version 2 has not been sent yet."
    )
    assert rules.distribution_note([(1, first), (2, later)], 3) == (
        "Version 1 was distributed on 2 March 2026, corrected version 2 on 9 March 2026. "
        "Corrected version 3 has not been sent yet."
    )
