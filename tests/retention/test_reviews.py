"""Retention reviews: the daily command lists what the rules make due (once), the co-ordinator's pages
retain (with a reason and a new date) or dispose of (confirmed), and legal holds stop disposal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tracker.core.db import db
from tracker.core.models import AuditEvent
from tracker.core.timeutil import today_london
from tracker.evaluations.models import Answer, QuestionKind, Response
from tracker.meetings.models import Case, CaseEventKind, Category, Level
from tracker.retention import services
from tracker.retention.models import LegalHold, RecordKind, RetentionReview, ReviewOutcome
from tracker.training.models import Trainee

TODAY = today_london()


def _exited(factory, years_ago: int) -> Case:
    exit_day = TODAY - timedelta(days=365 * years_ago + 10)
    return factory.person(
        Category.CATEGORY_2,
        (exit_day - timedelta(days=400), CaseEventKind.REFERRED, Level.LEVEL_2),
        (exit_day, CaseEventKind.EXITED, Level.LEVEL_2),
    )


def _find(app) -> list[tuple[RecordKind, int, str]]:
    with app.test_request_context():
        added = [(r.kind, r.record_id, r.rule) for r in services.find_due(TODAY)]
        db.session.commit()
    return added


def _reviews(session, kind=RecordKind.CASE) -> list[RetentionReview]:
    session.expire_all()
    return list(session.exec(select(RetentionReview).where(RetentionReview.kind == kind)))


# The daily command -----------------------------------------------------------------------------------------


def test_cases_past_their_rule_are_listed_once(app, factory, session):
    old_exit = _exited(factory, 11)
    recent_exit = _exited(factory, 3)
    centenarian = factory.case(date_of_birth=TODAY.replace(year=TODAY.year - 101))
    young = factory.case()
    added = _find(app)
    assert (RecordKind.CASE, old_exit.id, "case-exit") in added
    assert (RecordKind.CASE, centenarian.id, "case-age") in added
    listed = {record_id for _kind, record_id, _rule in added}
    assert recent_exit.id not in listed and young.id not in listed
    assert _find(app) == []  # idempotent: a second run the same day adds nothing
    assert len([r for r in _reviews(session) if r.record_id == old_exit.id]) == 1


def test_a_changed_setting_changes_what_is_due(app, factory, session):
    recent_exit = _exited(factory, 3)
    with app.test_request_context():
        from tracker.core import settings

        settings.set_value("retention_case_years_after_exit", 2, None)
        db.session.commit()
    assert (RecordKind.CASE, recent_exit.id, "case-exit") in _find(app)


def test_a_retained_case_is_listed_again_only_when_its_new_date_comes(app, factory, session):
    case = _exited(factory, 11)
    coordinator = factory.user("COORDINATOR")
    _find(app)
    review = next(r for r in _reviews(session) if r.record_id == case.id)
    with app.test_request_context():
        services.retain(
            db.session.get(RetentionReview, review.id),
            coordinator,
            "Proceedings pending",
            TODAY + timedelta(days=30),
            review.version,
            TODAY,
        )
        db.session.commit()
    assert case.id not in {record_id for _k, record_id, _r in _find(app)}
    with app.test_request_context():
        later = services.find_due(TODAY + timedelta(days=31))
        assert [r.record_id for r in later if r.kind is RecordKind.CASE] == [case.id]
        db.session.rollback()


def test_training_records_and_evaluation_answers_fall_due_on_their_own_periods(app, factory, session):
    long_ago = TODAY - timedelta(days=365 * 7)
    event = factory.event(days=[long_ago])
    without_account = factory.trainee(name="Petronella Vask")
    factory.attendee(event, without_account)
    with_account = factory.trainee(factory.user("CHAIR"))
    factory.attendee(event, with_account)
    evaluation = factory.evaluation(event, closes_on=long_ago + timedelta(days=14))
    added = _find(app)
    assert (RecordKind.TRAINING_RECORD, without_account.id, "training") in added
    assert (RecordKind.EVALUATION_ANSWERS, evaluation.id, "evaluation") in added
    assert with_account.id not in {i for kind, i, _r in added if kind is RecordKind.TRAINING_RECORD}


def test_disposing_of_evaluation_answers_keeps_the_ratings(app, factory, session):
    long_ago = TODAY - timedelta(days=365 * 7)
    event = factory.event(days=[long_ago])
    trainee = factory.trainee(name="Petronella Vask")
    factory.attendee(event, trainee)
    evaluation = factory.evaluation(event, closes_on=long_ago + timedelta(days=14))
    questions = {q.kind: q for section in evaluation.form.sections for q in section.questions}
    rating, words = questions[QuestionKind.RATING], questions[QuestionKind.FREE_TEXT]
    factory.response(
        evaluation, {rating.id: [(4, None)], words.id: [(None, "The chair was great")]}, trainee.id
    )
    _find(app)
    coordinator = factory.user("COORDINATOR")
    review = _reviews(session, RecordKind.EVALUATION_ANSWERS)[0]
    with app.test_request_context():
        services.dispose(db.session.get(RetentionReview, review.id), coordinator, review.version)
        db.session.commit()
    session.expire_all()
    answers = {a.question_id: a for a in session.exec(select(Answer))}
    assert answers[rating.id].number == 4 and answers[words.id].text is None
    assert session.exec(select(Response)).one().trainee_id is None


def test_disposing_of_a_training_record_removes_who_the_person_was(app, factory, session):
    event = factory.event(days=[TODAY - timedelta(days=365 * 7)])
    trainee = factory.trainee(name="Petronella Vask", email="p.vask@example.org")
    factory.attendee(event, trainee)
    _find(app)
    review = _reviews(session, RecordKind.TRAINING_RECORD)[0]
    coordinator = factory.user("COORDINATOR")
    with app.test_request_context():
        services.dispose(db.session.get(RetentionReview, review.id), coordinator, review.version)
        db.session.commit()
    session.expire_all()
    kept = session.get(Trainee, trainee.id)
    assert "Vask" not in kept.name and "vask" not in kept.email
    entry = session.exec(
        select(AuditEvent).where(AuditEvent.action == "erase", AuditEvent.object_type == "Trainee")
    ).one()
    assert "Vask" not in entry.summary


def test_the_command_lists_what_is_due_by_kind_and_id_only(app, factory, session):
    case = _exited(factory, 11)
    case.name = "Lucinda Ormerod-Vane"
    factory.save(case)
    runner = app.test_cli_runner()
    output = runner.invoke(args=["retention-review"]).output
    assert f"Case {case.id}: due" in output and "(new)" in output
    assert "Ormerod" not in output and case.reference not in output
    again = runner.invoke(args=["retention-review"]).output
    assert "0 newly due" in again


# The pages --------------------------------------------------------------------------------------------------


@pytest.fixture
def due_case(app, factory, session):
    case = _exited(factory, 11)
    _find(app)
    return case, next(r for r in _reviews(session) if r.record_id == case.id)


def test_the_coordinator_sees_what_is_due(client_as, due_case):
    case, _review = due_case
    page = BeautifulSoup(client_as("COORDINATOR").get("/retention/").text, "html.parser")
    assert f"Case {case.reference}" in page.select_one("#due").text
    assert "Years after the case exited MAPPA" in page.select_one("#due").text
    # Each record is a link to its review (not the link's markup shown as text).
    link = page.select_one("#due a.govuk-link")
    assert link.text == f"Case {case.reference}" and link["href"] == f"/retention/reviews/{_review.id}"
    assert "<a" not in page.select_one("#due").text


def test_a_category_4_case_is_listed_only_to_someone_cleared(app, client_as, factory, session):
    held = factory.person(
        Category.CATEGORY_4,
        (TODAY - timedelta(days=5000), CaseEventKind.REFERRED, Level.LEVEL_3),
        (TODAY - timedelta(days=4500), CaseEventKind.EXITED, Level.LEVEL_3),
    )
    _find(app)
    review = next(r for r in _reviews(session) if r.record_id == held.id)
    uncleared = client_as("COORDINATOR")
    assert held.reference not in uncleared.get("/retention/").text
    assert uncleared.get(f"/retention/reviews/{review.id}").status_code == 404
    cleared = client_as(factory.user("COORDINATOR", terrorism_cleared=True))
    assert held.reference in cleared.get("/retention/").text


def test_a_record_is_not_retained_for_longer_than_the_longest_review_cycle(client_as, session, due_case):
    """Keeping a record until 2200 would keep it unreviewed for good: the date is refused on the form."""
    _case, review = due_case
    response = client_as("COORDINATOR").post(
        f"/retention/reviews/{review.id}/retain",
        data={"retain-version": review.version, "retain-reason": "Proceedings", "retain-review_on": ["1", "1", "2200"]},
    )
    summary = BeautifulSoup(response.text, "html.parser").select_one(".govuk-error-summary").text
    assert "The next review must be no later than" in summary
    assert _reviews(session)[0].outcome is ReviewOutcome.DUE


def test_retaining_needs_a_reason_and_a_future_date(client_as, session, due_case):
    _case, review = due_case
    client = client_as("COORDINATOR")
    response = client.post(
        f"/retention/reviews/{review.id}/retain",
        data={"retain-version": review.version, "retain-reason": "", "retain-review_on": ["1", "1", "2020"]},
    )
    page = BeautifulSoup(response.text, "html.parser")
    summary = page.select_one(".govuk-error-summary").text
    assert "Enter why the record is kept" in summary
    assert "The date of the next review must be in the future" in summary
    assert _reviews(session)[0].outcome is ReviewOutcome.DUE
    later = TODAY + timedelta(days=400)
    response = client.post(
        f"/retention/reviews/{review.id}/retain",
        data={
            "retain-version": review.version,
            "retain-reason": "Proceedings pending",
            "retain-review_on": [str(later.day), str(later.month), str(later.year)],
        },
    )
    assert response.status_code == 302
    decided = next(r for r in _reviews(session) if r.id == review.id)
    assert decided.outcome is ReviewOutcome.RETAINED and decided.retain_until == later
    assert decided.reason == "Proceedings pending"


def test_disposal_from_the_page_needs_the_confirmation(client_as, session, due_case):
    case, review = due_case
    client = client_as("COORDINATOR")
    response = client.post(
        f"/retention/reviews/{review.id}/dispose", data={"dispose-version": review.version}
    )
    assert "Confirm that the record is to be disposed of" in response.text
    session.expire_all()
    assert session.get(Case, case.id).disposed_at is None
    response = client.post(
        f"/retention/reviews/{review.id}/dispose",
        data={"dispose-version": review.version, "dispose-confirm": "y"},
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Case, case.id).disposed_at is not None
    assert "was disposed of" in client.get("/retention/").text
    page = client.get(f"/cases/{case.id}").text
    assert "personal data was disposed of" in page and "Legal hold and retention" in page


def test_a_legal_hold_placed_on_the_page_stops_disposal_until_lifted(client_as, session, due_case):
    case, review = due_case
    client = client_as("COORDINATOR")
    refused = client.post(f"/retention/cases/{case.id}/legal-hold", data={"hold-reason": ""})
    assert "Enter why the case is held" in refused.text
    client.post(f"/retention/cases/{case.id}/legal-hold", data={"hold-reason": "Civil claim"})
    assert "under a legal hold" in client.get(f"/retention/reviews/{review.id}").text
    response = client.post(
        f"/retention/reviews/{review.id}/dispose",
        data={"dispose-version": review.version, "dispose-confirm": "y"},
    )
    assert response.status_code == 409
    assert "legal hold" in response.text
    session.expire_all()
    assert session.get(Case, case.id).disposed_at is None
    assert session.get(RetentionReview, review.id).outcome is ReviewOutcome.DUE
    client.post(f"/retention/cases/{case.id}/legal-hold/lift", data={"lift-reason": "Claim withdrawn"})
    session.expire_all()
    hold = session.exec(select(LegalHold).where(LegalHold.case_id == case.id)).one()
    assert hold.lifted_at is not None and hold.lift_reason == "Claim withdrawn"
    response = client.post(
        f"/retention/reviews/{review.id}/dispose",
        data={"dispose-version": review.version, "dispose-confirm": "y"},
    )
    assert response.status_code == 302


def test_the_settings_page_shows_the_retention_defaults(client_as):
    page = client_as("SYSTEM_ADMIN").get("/admin/settings").text
    assert "Retention and disposal" in page
    assert "Default 10 years" in page and "Default 100" in page


def test_a_birth_date_rule_uses_the_date_of_birth(app, factory):
    born = date(TODAY.year - 100, TODAY.month, 1)
    case = factory.case(date_of_birth=born)
    assert (RecordKind.CASE, case.id, "case-age") in _find(app)


def test_a_case_still_managed_under_mappa_is_not_disposed_of(app, client_as, factory, session):
    case = factory.case(date_of_birth=TODAY.replace(year=TODAY.year - 101))
    _find(app)
    review = next(r for r in _reviews(session) if r.record_id == case.id)
    client = client_as("COORDINATOR")
    assert "Record its exit from MAPPA" in client.get(f"/retention/reviews/{review.id}").text
    response = client.post(
        f"/retention/reviews/{review.id}/dispose",
        data={"dispose-version": review.version, "dispose-confirm": "y"},
    )
    assert response.status_code == 409 and "still managed under MAPPA" in response.text
    session.expire_all()
    assert session.get(Case, case.id).disposed_at is None


def _set(app, key: str, value: int) -> None:
    with app.test_request_context():
        from tracker.core import settings

        settings.set_value(key, value, None)
        db.session.commit()


def test_a_review_found_under_a_shorter_setting_cannot_dispose_of_a_case_not_due_now(
    app, client_as, factory, session
):
    """Listed while the area kept cases one year after exit; the setting is back at ten: the case is not
    due until years from now, so the review does not dispose of it, and the daily command withdraws it."""
    case = _exited(factory, 3)
    _set(app, "retention_case_years_after_exit", 1)
    assert (RecordKind.CASE, case.id, "case-exit") in _find(app)
    review = next(r for r in _reviews(session) if r.record_id == case.id)
    _set(app, "retention_case_years_after_exit", 10)

    client = client_as("COORDINATOR")
    page = client.get(f"/retention/reviews/{review.id}").text
    said = BeautifulSoup(page, "html.parser").get_text(" ", strip=True)
    assert "not due for review under the area's retention settings as they are now" in said
    assert "dispose-confirm" not in page  # not offered
    response = client.post(
        f"/retention/reviews/{review.id}/dispose",
        data={"dispose-version": review.version, "dispose-confirm": "y"},
    )
    assert response.status_code == 409
    session.expire_all()
    assert session.get(Case, case.id).disposed_at is None
    assert session.get(RetentionReview, review.id).outcome is ReviewOutcome.DUE

    output = app.test_cli_runner().invoke(args=["retention-review"]).output
    assert f"Case {case.id}: withdrawn, no longer due under the settings" in output
    assert "1 withdrawn" in output
    session.expire_all()
    withdrawn = session.get(RetentionReview, review.id)
    assert withdrawn.outcome is ReviewOutcome.WITHDRAWN
    assert f"Case {case.id}: due" not in output
    # Due again under a shorter setting later: listed afresh.
    _set(app, "retention_case_years_after_exit", 2)
    assert (RecordKind.CASE, case.id, "case-exit") in _find(app)

