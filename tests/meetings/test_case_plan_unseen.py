"""An action's owner who was not at the meeting that agreed the action reads the case through it, but not
the meetings: the case page says the plan is agreed at meetings they cannot see, not that none is agreed."""

from __future__ import annotations

from tests.pages import page_text
from tracker.minutes.models import MinutesStatus


def test_an_action_owner_who_sees_none_of_the_meetings_is_told_the_plan_is_not_theirs_to_see(client_as, factory):
    chair = factory.user("CHAIR")
    meeting = factory.held_meeting(chair=chair)
    item = meeting.agenda_items[0]
    owner = factory.user("PRACTITIONER", name="Rachel Owens")
    factory.action(item, owner=owner, description="Check the address")
    item.case.last_reviewed_on = meeting.starts_at.date()  # as the meeting, held, set it
    factory.save(item.case)
    factory.minutes(meeting, MinutesStatus.APPROVED)

    shown = page_text(client_as(owner).get(f"/cases/{item.case_id}"))
    assert "Check the address" in shown  # the owner reads the case through the action
    assert "No plan agreed yet" not in shown
    assert "The plan is agreed at the case's meetings, and you cannot see the ones that agreed it" in shown
    assert "Plan for supervision" not in shown
