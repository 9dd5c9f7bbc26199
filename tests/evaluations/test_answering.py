"""Answering through a one-time link: validation, once only, anonymity, closing, and the in-app link."""

from datetime import timedelta

from sqlmodel import col, select

from tests.pages import error_summary, page_text, soup
from tracker.core.models import AuditEvent
from tracker.core.timeutil import today_london
from tracker.evaluations.models import Answer, EvaluationInvitation, Response


def _setup(factory, **fields):
    evaluation = factory.evaluation(**fields)
    invitation, token = factory.evaluation_invitation(evaluation)
    return evaluation, invitation, f"/evaluations/answer/{token}"


def _answers(form, **overrides) -> dict:
    """A complete, valid set of answers to the factory's form with one question of every kind."""
    rating, single, multiple, yes_no, text = form.ordered_questions
    data = {
        f"q{rating.id}": "4",
        f"q{single.id}": "Afternoon",
        f"q{multiple.id}": ["Risk", "Housing"],
        f"q{yes_no.id}": "YES",
        f"q{text.id}": "More time for questions.",
        "named": "YES",
    }
    data.update(overrides)
    return data


def _responses(session, evaluation):
    return session.exec(select(Response).where(Response.evaluation_id == evaluation.id)).all()


def test_the_link_shows_every_question_without_signing_in(client, factory):
    evaluation, invitation, link = _setup(factory)
    response = client.get(link)
    assert response.status_code == 200
    text = page_text(response)
    for question in evaluation.form.questions:
        assert question.text in text
    assert "4 – Good" in text
    assert "Do you want your name kept with your answers?" in text
    assert soup(response).select_one("form[method=post] button").get_text(strip=True) == "Send my answers"


def test_a_required_question_left_unanswered_is_refused_and_nothing_is_kept(client, factory, session):
    evaluation, invitation, link = _setup(factory)
    form = evaluation.form
    rating, single, *_rest, yes_no, _text = form.ordered_questions
    data = _answers(form)
    del data[f"q{rating.id}"], data[f"q{yes_no.id}"], data["named"]
    response = client.post(link, data=data)
    assert response.status_code == 200
    assert error_summary(response) == [
        "Select an answer to ‘How would you rate the day?’",
        "Select an answer to ‘Would you recommend it?’",
        "Select whether to keep your name with your answers",
    ]
    # What was entered stays on the page.
    assert soup(response).find("input", {"name": f"q{single.id}", "value": "Afternoon"}).has_attr("checked")
    assert _responses(session, evaluation) == []
    session.refresh(invitation)
    assert not invitation.answered


def test_a_value_out_of_range_is_refused(client, factory, session):
    evaluation, invitation, link = _setup(factory)
    rating, single, multiple, *_ = evaluation.form.ordered_questions
    data = _answers(
        evaluation.form,
        **{f"q{rating.id}": "7", f"q{single.id}": "Evening", f"q{multiple.id}": ["Risk", "Cats"]},
    )
    response = client.post(link, data=data)
    assert error_summary(response) == [
        "Select a rating between 1 and 5 for ‘How would you rate the day?’",
        "Select one of the answers given for ‘Which session was best?’",
        "Select only answers given for ‘Which topics should come back?’",
    ]
    assert _responses(session, evaluation) == []


def test_two_values_for_a_question_with_one_answer_are_refused_not_the_first_kept(client, factory, session):
    """Only a form altered by hand sends two ratings (or two of any one-answer question): it is refused."""
    evaluation, invitation, link = _setup(factory)
    rating, single, _multiple, yes_no, text = evaluation.form.ordered_questions
    data = _answers(
        evaluation.form,
        **{
            f"q{rating.id}": ["4", "5"],
            f"q{single.id}": ["Afternoon", "Morning"],
            f"q{yes_no.id}": ["YES", "NO"],
            f"q{text.id}": ["One", "Two"],
        },
    )
    response = client.post(link, data=data)
    assert error_summary(response) == [
        "Give one answer to ‘How would you rate the day?’",
        "Give one answer to ‘Which session was best?’",
        "Give one answer to ‘Would you recommend it?’",
        f"Give one answer to ‘{text.text}’",
    ]
    assert _responses(session, evaluation) == []


def test_answers_are_kept_once_and_a_second_use_of_the_link_is_refused(client, factory, session):
    evaluation, invitation, link = _setup(factory)
    response = client.post(link, data=_answers(evaluation.form))
    assert response.headers["Location"].endswith("/evaluations/thank-you")
    assert "Thank you for your feedback" in page_text(client.get("/evaluations/thank-you"))
    [kept] = _responses(session, evaluation)
    assert kept.trainee_id == session.get(EvaluationInvitation, invitation.id).enrolment.trainee_id
    rows = session.exec(
        select(Answer.number, Answer.text).where(Answer.response_id == kept.id).order_by(Answer.id)
    ).all()
    assert sorted(rows, key=str) == sorted(
        [
            (4, None),
            (None, "Afternoon"),
            (None, "Risk"),
            (None, "Housing"),
            (1, None),
            (None, "More time for questions."),
        ],
        key=str,
    )
    session.refresh(invitation)
    assert invitation.answered

    again = client.get(link)
    assert again.status_code == 410
    assert "You have already answered" in page_text(again)
    again = client.post(link, data=_answers(evaluation.form))
    assert again.status_code == 410
    assert len(_responses(session, evaluation)) == 1


def test_an_anonymous_answer_is_not_linked_to_the_person_but_counts_once(client, factory, session):
    evaluation, invitation, link = _setup(factory)
    client.post(link, data=_answers(evaluation.form, named="NO"))
    [kept] = _responses(session, evaluation)
    assert kept.trainee_id is None
    # The invitation says only that the person answered: no time, no pointer to the response.
    session.refresh(invitation)
    assert invitation.answered
    assert not {"response_id", "answered_at"} & set(EvaluationInvitation.model_fields)
    # And nothing in the audit trail ties the answer to who sent it, when, or from where.
    trail = session.exec(
        select(AuditEvent).where(
            col(AuditEvent.object_type).in_(["Response", "Answer", "EvaluationInvitation"])
        )
    ).all()
    assert trail == []
    assert client.post(link, data=_answers(evaluation.form, named="NO")).status_code == 410
    assert len(_responses(session, evaluation)) == 1


def test_an_always_anonymous_evaluation_never_keeps_names(client, factory, session):
    evaluation, invitation, link = _setup(factory, always_anonymous=True)
    page = client.get(link)
    assert "Your answers are anonymous" in page_text(page)
    assert "Do you want your name kept" not in page_text(page)
    client.post(link, data=_answers(evaluation.form, named="YES"))
    assert [r.trainee_id for r in _responses(session, evaluation)] == [None]


def test_a_closed_evaluation_refuses_its_links(client, factory, session):
    evaluation, invitation, link = _setup(factory, closes_on=today_london() - timedelta(days=1))
    response = client.post(link, data=_answers(evaluation.form))
    assert response.status_code == 410
    assert "This evaluation has closed" in page_text(response)
    assert _responses(session, evaluation) == []


def test_an_unknown_link_says_so(client):
    response = client.get("/evaluations/answer/not-a-real-token")
    assert response.status_code == 404
    assert "This link does not work" in page_text(response)


def test_a_signed_in_attendee_finds_the_evaluation_on_their_home_page_and_answers_it(
    client_as, factory, session
):
    user = factory.user("PRACTITIONER")
    evaluation = factory.evaluation()
    invitation, _token = factory.evaluation_invitation(
        evaluation, factory.attendee(evaluation.event, factory.trainee(user))
    )
    client = client_as(user)
    home = client.get("/home")
    link = soup(home).find("a", string=evaluation.event.title)
    assert link["href"] == f"/evaluations/invitations/{invitation.id}"
    response = client.post(link["href"], data=_answers(evaluation.form, named="NO"))
    assert response.headers["Location"].endswith("/evaluations/thank-you")
    assert "Evaluations to answer" not in page_text(client.get("/home"))
    assert client.get(link["href"]).status_code == 410
    assert [r.trainee_id for r in _responses(session, evaluation)] == [None]


def test_someone_else_cannot_open_a_link_shown_in_the_app(client_as, factory):
    evaluation = factory.evaluation()
    invitation, _ = factory.evaluation_invitation(evaluation)
    assert client_as("PRACTITIONER").get(f"/evaluations/invitations/{invitation.id}").status_code == 404
