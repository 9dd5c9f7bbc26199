"""A later meeting's approved record stands while an earlier meeting's minutes are corrected: its plan rows,
as its pages show them and as its minutes hold them, change only by its own correction, approved. The
earlier correction's new wording is looked at again where it belongs: in the later meeting's correction,
when one is under way (otherwise the earlier meeting may not change what the later one started from). Also
run on PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.meetings.conftest import approve_correction, post_confirming_warnings, start_correction
from tests.pages import banners, page_text
from tests.posted import decision_form
from tracker.core.timeutil import today_london
from tracker.meetings.models import AgendaItem, AttendanceStatus, Meeting, MeetingStatus, PlanPartKind
from tracker.minutes.models import MinutesStatus

SUPERVISION = PlanPartKind.SUPERVISION
CORRECTED = "EARLIER-CORRECTED supervision: weekly appointments"


def _url(item: AgendaItem) -> str:
    return f"/meetings/{item.meeting_id}/agenda/{item.id}"


def _row(client, item: AgendaItem, kind: PlanPartKind) -> str:
    soup = BeautifulSoup(client.get(_url(item)).data, "html.parser")
    rows = soup.select("#plan-parts .govuk-summary-list__row")
    return next(r.get_text(" ", strip=True) for r in rows if r.dt.get_text().startswith(kind.label + ":"))


def _plan_rows(session, item: AgendaItem) -> list[tuple]:
    """The later meeting's plan as its rows hold it: each part's outcome, where it was carried from and when
    it was looked at."""
    return [
        tuple(row)
        for row in session.execute(
            sa.text(
                "SELECT part, outcome, carried_from_id, reviewed_at FROM plan_part "
                "WHERE agenda_item_id = :id ORDER BY part"
            ),
            {"id": item.id},
        )
    ]


def _records(session, meeting_id: int) -> list[tuple]:
    """The meeting's minutes versions with the record each holds."""
    return [
        tuple(row)
        for row in session.execute(
            sa.text(
                "SELECT v.number, v.record FROM minutes_version v JOIN minutes m ON m.id = v.minutes_id "
                "WHERE m.meeting_id = :id ORDER BY v.number"
            ),
            {"id": meeting_id},
        )
    ]


@pytest.fixture
def two_meetings(client_as, factory, session):
    """A case discussed at an earlier meeting and at a later one that started from the plan agreed there
    and confirmed each part, both with approved minutes; a practitioner invited to the later meeting."""
    chair = factory.user("CHAIR", name="Daniel Price")
    earlier = factory.held_meeting(chair=chair, days_ago=20)
    source = earlier.agenda_items[0]
    client = client_as(chair)
    later = factory.meeting(chair=chair, day=today_london() - timedelta(days=10), status=MeetingStatus.SCHEDULED)
    added = post_confirming_warnings(
        client, f"/meetings/{later.id}/agenda/new", {"case_reference": source.case.reference, "purpose": "REVIEW"}
    )
    assert added.status_code == 302, page_text(added)
    assert client.post(f"/meetings/{later.id}/held", data={}).status_code == 302
    item = session.exec(select(AgendaItem).where(AgendaItem.meeting_id == later.id)).one()
    assert all(part.carried_from_id == source.id for part in item.plan_parts)
    for kind in PlanPartKind:
        assert client.post(f"{_url(item)}/plan/{kind.slug}/confirm", data={}).status_code == 302
    session.expire_all()
    decided = decision_form(
        session.get(AgendaItem, item.id).version, "RETAIN", "Risk is stable.", today_london() + timedelta(weeks=6)
    )
    assert client.post(f"{_url(item)}/decision", data=decided).status_code == 302
    practitioner = factory.user("PRACTITIONER", name="Priya Shah")
    factory.invitation(session.get(Meeting, later.id), practitioner, attendance=AttendanceStatus.PRESENT)
    session.expire_all()
    factory.minutes(session.get(Meeting, earlier.id), MinutesStatus.APPROVED)
    factory.minutes(session.get(Meeting, later.id), MinutesStatus.APPROVED)
    session.expire_all()
    return chair, client, client_as(practitioner), session.get(AgendaItem, source.id), item


def _change_supervision(client, session, source: AgendaItem):
    entry = session.get(AgendaItem, source.id).entry_for(SUPERVISION.pillar)
    return client.post(
        f"{_url(source)}/pillars/{SUPERVISION.slug}",
        data={"version": str(entry.version), "status": "ADDRESSED", "summary": CORRECTED},
    )


def test_a_correction_to_the_earlier_minutes_cannot_change_what_the_later_approved_meeting_started_from(
    session, two_meetings
):
    """With the later minutes approved, the earlier correction may not change the plan they started from:
    the later meeting's rows, pages and minutes stay as approved."""
    _chair, client, practitioner, source, later = two_meetings
    rows, records = _plan_rows(session, later), _records(session, later.meeting_id)
    assert start_correction(client, session, source.meeting, "Supervision recorded wrongly").status_code == 302

    refused = _change_supervision(client, session, source)
    assert "Correct those minutes first to change it here" in page_text(client.get(refused.location))
    session.expire_all()
    assert session.get(AgendaItem, source.id).entry_for(SUPERVISION.pillar).summary == "Plan for supervision"
    assert _plan_rows(session, later) == rows and _records(session, later.meeting_id) == records
    for reader in (client, practitioner):
        row = _row(reader, later, SUPERVISION)
        assert row.startswith("Supervision: confirmed") and "Plan for supervision" in row
        assert "Look at this part again" not in row


def test_an_earlier_correction_approved_leaves_the_later_record_as_approved_until_its_own_correction(
    session, two_meetings
):
    """Both meetings' minutes being corrected, the earlier correction changes the plan the later meeting
    started from and is approved first. The later meeting's record still stands as approved, for everyone
    and in its rows; its correction is where the new wording is looked at again, and approving that
    correction is what changes the later record."""
    chair, client, practitioner, source, later = two_meetings
    rows, records = _plan_rows(session, later), _records(session, later.meeting_id)
    assert start_correction(client, session, later.meeting, "Licence conditions recorded wrongly").status_code == 302
    assert start_correction(client, session, source.meeting, "Supervision recorded wrongly").status_code == 302
    assert _change_supervision(client, session, source).status_code == 302
    assert _plan_rows(session, later) == rows

    assert approve_correction(client, session, source.meeting).status_code == 302

    # The later meeting's approved record is unchanged, in its rows and as anyone not working on its
    # correction is shown it.
    session.expire_all()
    assert _plan_rows(session, later) == rows
    assert _records(session, later.meeting_id)[: len(records)] == records
    shown = practitioner.get(_url(later))
    assert any("This page shows the record as approved" in banner for banner in banners(shown))
    row = _row(practitioner, later, SUPERVISION)
    assert row.startswith("Supervision: confirmed") and "Plan for supervision" in row
    assert "Look at this part again" not in row and CORRECTED not in row

    # The later meeting's correction looks at the new wording again; the rows still hold the record.
    row = _row(client, later, SUPERVISION)
    assert row.startswith("Supervision: not yet confirmed or changed")
    assert f"The plan was agreed again at {source.meeting.reference}" in row and CORRECTED in row
    session.expire_all()
    assert _plan_rows(session, later) == rows
    assert practitioner.get(_url(later)).status_code == 200
    assert _row(practitioner, later, SUPERVISION).startswith("Supervision: confirmed")

    # Its own correction, approved, changes it.
    assert client.post(f"{_url(later)}/plan/{SUPERVISION.slug}/confirm", data={}).status_code == 302
    assert approve_correction(client, session, later.meeting).status_code == 302
    row = _row(practitioner, later, SUPERVISION)
    assert row.startswith("Supervision: confirmed") and CORRECTED in row
