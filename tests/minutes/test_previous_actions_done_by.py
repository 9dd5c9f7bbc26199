"""The minutes' review of previous actions says who marked each done, and when, as the case and action
pages do ("Done by"), so the next review reads who did it without leaving the minutes."""

from __future__ import annotations

from datetime import date, timedelta

from tests.minutes.conftest import text_of
from tracker.core.timeutil import format_date, today_london


def test_the_review_of_previous_actions_names_who_marked_each_done(client_as, factory, people):
    case = factory.case(reference="DONE-BY-1")
    officer = factory.user("PRACTITIONER", name="Rachel Ogunleye")
    earlier = factory.meeting(chair=people["chair"], day=today_london() - timedelta(days=40))
    earlier_item = factory.agenda_item(earlier, case)
    done_on = today_london() - timedelta(days=20)
    factory.action(
        earlier_item, owner=officer, description="Check the curfew address",
        status="DONE", completed_on=done_on, completed_by_id=officer.id,
    )
    factory.action(earlier_item, description="Refer to housing")
    meeting = factory.held_meeting(chair=people["chair"], administrator=people["administrator"], cases=0)
    factory.agenda_item(meeting, case)

    minutes = text_of(client_as(people["chair"]).get(f"/meetings/{meeting.id}/minutes"))
    reviewed = minutes.split("Review of previous actions")[1].split("Risk assessment")[0]
    assert "Check the curfew address Rachel Ogunleye" in reviewed
    assert f"Done. By Rachel Ogunleye on {format_date(done_on)}" in reviewed
    assert "Refer to housing" in reviewed and "Open" in reviewed


def test_an_action_done_before_who_marked_it_was_kept_says_when(client_as, factory, people):
    case = factory.case(reference="DONE-BY-2")
    earlier = factory.meeting(chair=people["chair"], day=today_london() - timedelta(days=40))
    factory.action(
        factory.agenda_item(earlier, case), description="Home visit", status="DONE",
        completed_on=date(2026, 3, 2),
    )
    meeting = factory.held_meeting(chair=people["chair"], administrator=people["administrator"], cases=0)
    factory.agenda_item(meeting, case)

    minutes = text_of(client_as(people["chair"]).get(f"/meetings/{meeting.id}/minutes"))
    assert "Done. On 2 March 2026" in minutes
