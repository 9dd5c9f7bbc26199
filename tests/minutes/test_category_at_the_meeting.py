"""A case's category changed after its meeting: the meeting's page, and a correction of its approved minutes,
say the category the case had at the meeting; a meeting still to come follows the change."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from tests.minutes.conftest import text_of
from tests.posted import case_form
from tracker.core.timeutil import today_london
from tracker.meetings.models import AgendaItem, Category, Level
from tracker.minutes.models import Minutes, MinutesStatus


def _minutes(session, meeting) -> Minutes:
    session.expire_all()
    return session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).one()


def test_a_correction_after_the_case_is_recategorised_keeps_the_category_the_meeting_recorded(
    client_as, session, factory, people
):
    case = factory.case(category=Category.CATEGORY_3, level=Level.LEVEL_2, name="Paul Greystone")
    meeting = factory.held_meeting(chair=people["chair"], administrator=people["administrator"], cases=0)
    factory.agenda_item(meeting, case)
    factory.minutes(meeting, MinutesStatus.APPROVED)
    chair = client_as(people["chair"])

    # The chair changes the case after the minutes were approved: a new category, a corrected name.
    edited = chair.post(
        f"/cases/{case.id}/edit",
        data=case_form(case, category="CATEGORY_2", name="Paul Greystone-Smith"),
    )
    assert edited.status_code == 302
    session.refresh(case)
    assert case.category is Category.CATEGORY_2

    started = chair.post(
        f"/meetings/{meeting.id}/minutes/correct",
        data={"version": _minutes(session, meeting).version, "reason": "The housing update was misattributed"},
    )
    assert started.status_code == 302
    version_2 = text_of(chair.get(f"/meetings/{meeting.id}/minutes/versions/2"))
    assert "Review meeting: Category 3, Level 2" in version_2
    assert "Category 2" not in version_2
    version_1 = text_of(chair.get(f"/meetings/{meeting.id}/minutes/versions/1"))
    assert "Review meeting: Category 3, Level 2" in version_1

    # The meeting's own page, and the case's page at it (where a correction is made), agree with its minutes.
    meeting_page = text_of(chair.get(f"/meetings/{meeting.id}"))
    assert "Category 3, Level 2" in meeting_page
    assert "Category 2" not in meeting_page
    (item,) = meeting.agenda_items
    item_page = text_of(chair.get(f"/meetings/{meeting.id}/agenda/{item.id}"))
    assert "Category 3, Level 2" in item_page
    assert "Category 2" not in item_page


def test_a_meeting_still_to_come_discusses_the_case_in_its_new_category(client_as, session, factory, people):
    case = factory.case(category=Category.CATEGORY_3)
    held = factory.held_meeting(chair=people["chair"], administrator=people["administrator"], cases=0)
    factory.agenda_item(held, case)
    to_come = factory.meeting(chair=people["chair"], day=today_london() + timedelta(days=14))
    factory.agenda_item(to_come, case)

    edited = client_as(people["chair"]).post(
        f"/cases/{case.id}/edit", data=case_form(case, category="CATEGORY_2")
    )
    assert edited.status_code == 302
    session.expire_all()
    category = {
        item.meeting_id: item.category_considered
        for item in session.exec(select(AgendaItem).where(AgendaItem.case_id == case.id))
    }
    assert category == {held.id: Category.CATEGORY_3, to_come.id: Category.CATEGORY_2}
    assert "Category 2, Level 2" in text_of(client_as(people["chair"]).get(f"/meetings/{to_come.id}"))


def test_a_case_category_4_at_its_meeting_stays_hidden_there_from_the_uncleared(client_as, session, factory, people):
    """Moved down from Category 4 since, the case still was Category 4 at the meeting: its place on that
    meeting's agenda is not shown to someone not cleared, as the meeting page already leaves it out."""
    cleared = factory.user("CHAIR", terrorism_cleared=True)
    administrator = factory.user("ADMINISTRATOR")  # runs the meeting, but is not cleared
    case = factory.case(category=Category.CATEGORY_4)
    meeting = factory.held_meeting(chair=cleared, administrator=administrator, cases=0)
    item = factory.agenda_item(meeting, case)
    case.category = Category.CATEGORY_2
    factory.save(case)
    assert client_as(administrator).get(f"/cases/{case.id}").status_code == 200  # the case, now Category 2
    page = client_as(administrator).get(f"/meetings/{meeting.id}/agenda/{item.id}")
    assert page.status_code == 404
    shown = text_of(client_as(cleared).get(f"/meetings/{meeting.id}/agenda/{item.id}"))
    assert "Category 4" in shown
