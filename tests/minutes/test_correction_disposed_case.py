"""A meeting that discussed a case since disposed of under the retention rules: a correction of its minutes
begins, is saved, approved and abandoned without touching the disposed case's rows (they stay as disposal
left them); changing the disposed case's part is refused with the disposal's message. Also run on
PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from tests.meetings.conftest import approve_correction, start_correction
from tests.pages import page_text
from tests.posted import decision_form
from tracker.core.db import db
from tracker.core.timeutil import today_london
from tracker.core.types import utcnow
from tracker.meetings.models import Action, AgendaItem, Case, CaseStatus, PillarEntry
from tracker.minutes.models import Minutes, MinutesStatus
from tracker.retention import disposal
from tracker.retention.models import RecordKind, RetentionReview, ReviewOutcome

REVIEW_ON = today_london() + timedelta(days=21)


def _dispose(app, session, case_id: int, coordinator) -> None:
    """Dispose of the case as the retention service does (the case exited, a decision recorded)."""
    session.get(Case, case_id).status = CaseStatus.EXITED  # through the session: the kept counts follow
    review = RetentionReview(
        kind=RecordKind.CASE, record_id=case_id, rule="case", due_on=today_london(),
        outcome=ReviewOutcome.DISPOSED, decided_at=utcnow(), decided_by_id=coordinator.id,
    )  # fmt: skip
    session.add(review)
    session.commit()
    with app.test_request_context():
        disposal.dispose_of_case(db.session.get(Case, case_id), db.session.get(RetentionReview, review.id), "case")
        db.session.commit()
    session.expire_all()


def _meeting(factory, session):
    chair = factory.user("CHAIR", name="Daniel Price")
    meeting = factory.held_meeting(chair=chair, cases=2, days_ago=2)
    factory.minutes(meeting, MinutesStatus.APPROVED)
    gone, kept = meeting.agenda_items
    return chair, meeting, gone, kept


def _disposed_rows(session, item_id: int):
    session.expire_all()
    item = session.get(AgendaItem, item_id)
    pillars = session.exec(select(PillarEntry).where(PillarEntry.agenda_item_id == item_id)).all()
    actions = session.exec(select(Action).where(Action.agenda_item_id == item_id)).all()
    return (
        (item.risk_notes, item.level_decision_reason, item.assessment_tool, item.version),
        sorted((entry.id, entry.summary, entry.version) for entry in pillars),
        sorted((action.id, action.description, action.version) for action in actions),
    )


def _correct_the_other_case(client, session, meeting, kept):
    url = f"/meetings/{meeting.id}/agenda/{kept.id}/decision"
    version = session.get(AgendaItem, kept.id).version
    return client.post(url, data=decision_form(version, "RAISE", "Raised, corrected", REVIEW_ON))


def test_a_correction_disposed_of_before_it_began_is_approved_leaving_the_disposed_case_as_it_was(
    app, client_as, factory, session
):
    chair, meeting, gone, kept = _meeting(factory, session)
    _dispose(app, session, gone.case_id, factory.user("COORDINATOR"))
    left = _disposed_rows(session, gone.id)
    assert left[0][0] == "" and all(summary == "" for _id, summary, _v in left[1])
    client = client_as(chair)
    assert start_correction(client, session, meeting, "The decision was minuted wrongly").status_code == 302
    response = _correct_the_other_case(client, session, meeting, kept)
    assert response.status_code == 302, page_text(response)
    assert client.get(f"/meetings/{meeting.id}/agenda/{kept.id}").status_code == 200
    response = approve_correction(client, session, meeting)
    assert response.status_code == 302, page_text(response)
    assert session.exec(select(Minutes.status).where(Minutes.meeting_id == meeting.id)).one() is MinutesStatus.APPROVED
    assert _disposed_rows(session, gone.id) == left
    session.expire_all()
    assert session.get(AgendaItem, kept.id).level_decision_reason == "Raised, corrected"


def test_a_correction_under_way_when_the_case_is_disposed_of_is_approved(app, client_as, factory, session):
    chair, meeting, gone, kept = _meeting(factory, session)
    client = client_as(chair)
    assert start_correction(client, session, meeting, "The decision was minuted wrongly").status_code == 302
    response = _correct_the_other_case(client, session, meeting, kept)
    assert response.status_code == 302, page_text(response)
    _dispose(app, session, gone.case_id, factory.user("COORDINATOR"))
    left = _disposed_rows(session, gone.id)
    assert client.get(f"/meetings/{meeting.id}/agenda/{kept.id}").status_code == 200
    response = approve_correction(client, session, meeting)
    assert response.status_code == 302, page_text(response)
    assert _disposed_rows(session, gone.id) == left
    session.expire_all()
    assert session.get(AgendaItem, kept.id).level_decision_reason == "Raised, corrected"


def test_a_correction_is_abandoned_leaving_the_disposed_case_as_it_was(app, client_as, factory, session):
    chair, meeting, gone, kept = _meeting(factory, session)
    client = client_as(chair)
    assert start_correction(client, session, meeting, "The decision was minuted wrongly").status_code == 302
    assert _correct_the_other_case(client, session, meeting, kept).status_code == 302
    _dispose(app, session, gone.case_id, factory.user("COORDINATOR"))
    left = _disposed_rows(session, gone.id)
    version = session.exec(select(Minutes.version).where(Minutes.meeting_id == meeting.id)).one()
    response = client.post(f"/meetings/{meeting.id}/minutes/abandon-correction", data={"version": str(version)})
    assert response.status_code == 302, page_text(response)
    assert _disposed_rows(session, gone.id) == left
    session.expire_all()
    assert session.get(AgendaItem, kept.id).level_decision_reason == "Risk is stable; the plan is working."


def test_changing_the_disposed_case_s_part_of_the_correction_is_refused(app, client_as, factory, session):
    chair, meeting, gone, kept = _meeting(factory, session)
    _dispose(app, session, gone.case_id, factory.user("COORDINATOR"))
    client = client_as(chair)
    assert start_correction(client, session, meeting, "The decision was minuted wrongly").status_code == 302
    url = f"/meetings/{meeting.id}/agenda/{gone.id}/decision"
    version = session.get(AgendaItem, gone.id).version
    response = client.post(url, data=decision_form(version, "RAISE", "Named again", REVIEW_ON), follow_redirects=True)
    assert "was disposed of under the retention rules" in page_text(response)
    session.expire_all()
    assert session.get(AgendaItem, gone.id).level_decision_reason == ""


def test_a_correction_that_changed_a_case_disposed_of_since_is_not_approved_but_can_be_abandoned(
    app, client_as, factory, session
):
    """The draft raised the case's level before its personal data was disposed of: approving would change
    the disposed case's record, so it is refused with the disposal's message; abandoning works."""
    chair, meeting, gone, kept = _meeting(factory, session)
    client = client_as(chair)
    assert start_correction(client, session, meeting, "The decision was minuted wrongly").status_code == 302
    url = f"/meetings/{meeting.id}/agenda/{gone.id}/decision"
    version = session.get(AgendaItem, gone.id).version
    assert client.post(url, data=decision_form(version, "RAISE", "Raised", REVIEW_ON)).status_code == 302
    _dispose(app, session, gone.case_id, factory.user("COORDINATOR"))
    left = _disposed_rows(session, gone.id)
    response = approve_correction(client, session, meeting)
    shown = page_text(response)
    assert f"The personal data of DISPOSED-{gone.case_id} was disposed of under the retention rules" in shown
    assert "abandon this correction and begin a new one" in shown
    assert _disposed_rows(session, gone.id) == left
    version = session.exec(select(Minutes.version).where(Minutes.meeting_id == meeting.id)).one()
    response = client.post(f"/meetings/{meeting.id}/minutes/abandon-correction", data={"version": str(version)})
    assert response.status_code == 302, page_text(response)
    assert session.exec(select(Minutes.status).where(Minutes.meeting_id == meeting.id)).one() is MinutesStatus.APPROVED
    assert _disposed_rows(session, gone.id) == left
