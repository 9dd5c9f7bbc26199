"""A version of the minutes can be sent to more people after its first distribution: its PDF and its page
say when it was first distributed and, if it was sent again, when it was last sent (as the table of who it
went to shows), not only the first time. And the warning that someone who had an earlier version has not
been sent the one that stands names only those it can still be sent to: an agency made inactive since
(or that no longer holds case records) is said to be out of reach, with no offer to send it."""

from __future__ import annotations

from datetime import time, timedelta

from tests.justify import disclosed
from tests.meetings.conftest import approve_correction, start_correction
from tests.minutes.conftest import distribute, page
from tests.minutes.test_pdf import pages_text, read, words
from tracker.auth.models import AgencySector
from tracker.core.models import AuditEvent
from tracker.core.timeutil import format_datetime, london_to_utc, today_london
from tracker.meetings.models import AttendanceStatus
from tracker.minutes import rules
from tracker.minutes.models import MinutesRecipient, MinutesStatus


def test_the_rule_gives_the_first_distribution_and_the_last_if_sent_again():
    first = london_to_utc(today_london() - timedelta(days=5), time(10, 0))
    assert rules.distributed_when(first, None) == format_datetime(first)
    # Sent to everyone at once, the last recipient a few seconds later: one distribution.
    assert rules.distributed_when(first, first + timedelta(seconds=20)) == format_datetime(first)
    later = first + timedelta(days=3, hours=5, minutes=30)
    assert rules.distributed_when(first, later) == (
        f"First on {format_datetime(first)}; last sent on {format_datetime(later)}"
    )


def _sent(factory, minutes, agency, at):
    """Version 1 sent to the agency at `at`, as a distribution records it (the recipient and the audit
    trail's entry saying when)."""
    version = minutes.versions[0]
    recipient = factory.save(MinutesRecipient(version_id=version.id, agency_id=agency.id))
    factory.save(
        AuditEvent(
            at=at,
            actor="Aisha Karim",
            action="distribute",
            object_type="MinutesRecipient",
            object_id=str(recipient.id),
        )
    )


def test_the_pdf_and_page_of_a_version_sent_again_say_when_it_was_last_sent(client_as, factory, people):
    meeting = factory.held_meeting(chair=people["chair"], administrator=people["administrator"], days_ago=10)
    minutes = factory.minutes(meeting, MinutesStatus.DISTRIBUTED)
    first = london_to_utc(today_london() - timedelta(days=6), time(10, 5))
    again = london_to_utc(today_london() - timedelta(days=2), time(15, 40))
    minutes.versions[0].distributed_at = first
    factory.save(minutes.versions[0])
    _sent(factory, minutes, factory.agency("Metropolitan Police", AgencySector.POLICE), first)
    _sent(factory, minutes, factory.agency("Housing", AgencySector.HOUSING), again)
    said = f"First on {format_datetime(first)}; last sent on {format_datetime(again)}"
    client = client_as(people["chair"])

    texts = words(" ".join(pages_text(read(client.get(disclosed(f"/meetings/{meeting.id}/minutes/versions/1/pdf"))))))
    assert f"Distributed {said}" in texts
    shown = page(client.get(f"/meetings/{meeting.id}/minutes/versions/1"))
    key = shown.find("dt", string=lambda text: text and text.strip() == "Distributed")
    assert key.find_next_sibling("dd").get_text(" ", strip=True) == said


def test_the_pdf_of_a_version_sent_once_gives_that_time(client_as, factory, people):
    meeting = factory.held_meeting(chair=people["chair"], administrator=people["administrator"], days_ago=10)
    minutes = factory.minutes(meeting, MinutesStatus.DISTRIBUTED)
    first = london_to_utc(today_london() - timedelta(days=6), time(10, 5))
    minutes.versions[0].distributed_at = first
    factory.save(minutes.versions[0])
    _sent(factory, minutes, factory.agency("Metropolitan Police", AgencySector.POLICE), first)
    client = client_as(people["chair"])
    texts = words(" ".join(pages_text(read(client.get(disclosed(f"/meetings/{meeting.id}/minutes/versions/1/pdf"))))))
    assert f"Distributed {format_datetime(first)}" in texts and "last sent" not in texts


def test_an_agency_made_inactive_is_not_in_the_warning_of_those_not_sent_the_corrected_version(
    client_as, factory, session, people
):
    meeting = factory.held_meeting(chair=people["chair"], administrator=people["administrator"])
    fiona = factory.user("PRACTITIONER", name="Fiona Campbell", agency=factory.agency("Met", AgencySector.POLICE))
    factory.invitation(meeting, fiona, attendance=AttendanceStatus.PRESENT)
    housing = factory.agency("Riverside Housing", AgencySector.HOUSING)
    factory.minutes(meeting, MinutesStatus.APPROVED)
    chair = client_as(people["chair"])
    distribute(chair, session, meeting, [f"{fiona.agency_id}:{fiona.id}", f"{housing.id}:"])
    assert start_correction(chair, session, meeting, "The review date was mistyped").status_code == 302
    assert approve_correction(chair, session, meeting).status_code == 302
    housing.active = False
    factory.save(housing)

    shown = page(chair.get(f"/meetings/{meeting.id}/minutes"))
    warning = shown.find(id="not-sent").get_text(" ", strip=True)
    assert "Fiona Campbell, Met (had version 1)" in warning
    assert "Riverside Housing" not in warning
    gone = shown.find(id="not-sent-out-of-reach").get_text(" ", strip=True)
    assert gone == (
        "Version 2 cannot be sent through the tracker to these agencies, which had an earlier version: "
        "Riverside Housing (had version 1; now inactive)"
    )
    assert "Send version 2" not in gone

    # Once everyone it can still go to has it, the warning goes; the agency out of reach is still said.
    distribute(chair, session, meeting, [f"{fiona.agency_id}:{fiona.id}"])
    shown = page(chair.get(f"/meetings/{meeting.id}/minutes"))
    assert shown.find(id="not-sent") is None
    assert "Riverside Housing (had version 1; now inactive)" in shown.find(id="not-sent-out-of-reach").get_text()
