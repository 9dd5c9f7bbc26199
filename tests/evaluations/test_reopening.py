"""Reopening an evaluation where each person chooses whether to give their name: the anonymous answers
shown when it closed stay shown, and those given after the reopening are held back until there are enough
of their own, so that the results before and after cannot be compared to pick them out."""

import csv
import io
from datetime import date, timedelta

import pypdf
from sqlmodel import select

from tests.justify import disclosed
from tests.pages import page_text, soup
from tracker.core.timeutil import format_date, today_london
from tracker.evaluations.models import EvaluationReopening
from tracker.evaluations.queries import evaluation_summary
from tracker.training.models import CourseKind

TODAY = today_london()
# The first opening: answered three weeks ago, closed a fortnight ago.
ANSWERED = TODAY - timedelta(days=21)
CLOSED = TODAY - timedelta(days=14)


def _closed_evaluation(factory, anonymous_ratings, waiting, comments=None):
    """An evaluation where each person chooses, closed a fortnight ago: Claire Donovan answered with her
    name (rating 5, "Claire's own comment"), one person per rating in `anonymous_ratings` answered
    anonymously ("Early comment 0", ..., from the first `comments` of them, or all); `waiting` more people
    were sent a link and have not answered (returned, with their invitations)."""
    event = factory.event(factory.course(CourseKind.CPD), title="Chairs' Forum, July", days=[date(2024, 7, 10)])
    evaluation = factory.evaluation(event, closes_on=CLOSED)
    rating, single, _multiple, yes_no, text = evaluation.form.ordered_questions
    waiting_people = []
    for number in range(1 + len(anonymous_ratings) + waiting):
        trainee = factory.trainee(name="Claire Donovan" if number == 0 else f"Invented Person {number}")
        answered = number <= len(anonymous_ratings)
        invitation, _token = factory.evaluation_invitation(evaluation, factory.attendee(event, trainee), answered=answered)
        if number == 0:
            factory.response(
                evaluation,
                {rating.id: [(5, None)], yes_no.id: [(1, None)], text.id: [(None, "Claire's own comment")]},
                trainee_id=trainee.id,
                submitted_on=ANSWERED,
            )
        elif answered:
            comment = f"Early comment {number - 1}" if comments is None or number <= comments else None
            factory.response(evaluation, _anonymous(evaluation, anonymous_ratings[number - 1], comment), submitted_on=ANSWERED)
        else:
            waiting_people.append(invitation)
    return evaluation, waiting_people


def _anonymous(evaluation, rating_value: int, comment: str | None) -> dict:
    rating, single, _multiple, yes_no, text = evaluation.form.ordered_questions
    answers = {rating.id: [(rating_value, None)], single.id: [(None, "Afternoon")], yes_no.id: [(0, None)]}
    return answers | ({text.id: [(None, comment)]} if comment else {})


def _reopen(client, evaluation, session, closes_on) -> None:
    """Reopen the evaluation as the TRSG does, from its closing date page."""
    response = client.post(
        f"/evaluations/{evaluation.id}/closing-date",
        data={"closes_on": [str(closes_on.day), str(closes_on.month), str(closes_on.year)], "version": str(evaluation.version)},
    )
    assert response.status_code == 302
    session.refresh(evaluation)


def _answer_late(factory, session, evaluation, invitations, ratings) -> None:
    """People who had not answered answer anonymously today, after the reopening ("Late comment 0", ...)."""
    for number, (invitation, value) in enumerate(zip(invitations, ratings, strict=False)):
        invitation.answered = True
        factory.save(invitation)
        factory.response(evaluation, _anonymous(evaluation, value, f"Late comment {number}"))


def _close_again(session, evaluation) -> None:
    """The evaluation as a later day finds it, once its new closing date has passed."""
    evaluation.closes_on = TODAY - timedelta(days=1)
    session.add(evaluation)
    session.commit()


def _csv_rows(client, evaluation) -> list[list[str]]:
    data = client.get(disclosed(f"/evaluations/{evaluation.id}/results.csv")).data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(data)))


def _pdf_text(client, evaluation) -> str:
    pdf = client.get(disclosed(f"/evaluations/{evaluation.id}/results.pdf"))
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages).split())


def test_an_anonymous_answer_given_after_a_reopening_is_not_shown_when_the_evaluation_closes_again(
    client_as, factory, session, app
):
    """Five anonymous answers showed when the evaluation closed; it is reopened and one more person answers
    anonymously. Shown with the others at the second close, the one new answer would be what changed
    between the results before and after, beside the one name added to the list of who answered."""
    evaluation, waiting = _closed_evaluation(factory, [1, 2, 3, 4, 5], waiting=1)
    client = client_as("TRSG")
    before = page_text(client.get(f"/evaluations/{evaluation.id}/results"))
    assert "Answered by 6 of 6. Mean 3.3 , median 3.5" in before and "Early comment 0" in before
    assert "held back" not in before

    _reopen(client, evaluation, session, TODAY + timedelta(days=7))
    assert [r.reopened_on for r in session.exec(select(EvaluationReopening))] == [TODAY]
    _answer_late(factory, session, evaluation, waiting, [1])

    # Open again: the five shown stay shown; the new one waits, as a new answer always does while open.
    response = client.get(f"/evaluations/{evaluation.id}/results")
    text = page_text(response)
    assert "Answered by 6 of 7. Mean 3.3 , median 3.5" in text
    assert "Early comment 0" in text and "Late comment" not in text
    notice = soup(response).select_one(".app-anonymous-held-back").get_text(" ", strip=True)
    assert notice == (
        f"1 person answered anonymously since the evaluation reopened on {format_date(TODAY)}. Their answer is "
        "held back from the results, the summary (PDF) and the CSV until the evaluation closes on "
        f"{format_date(TODAY + timedelta(days=7))} and at least 5 people have answered anonymously since it "
        "reopened: while it is open, each new anonymous answer would show as what changed between two "
        "downloads, beside the name added meanwhile to the list of who has answered. The answers given "
        "anonymously before it reopened stay in them."
    )

    # Closed again: still held back, being one, and the figures are those shown at the first close.
    _close_again(session, evaluation)
    response = client.get(f"/evaluations/{evaluation.id}/results")
    text = page_text(response)
    assert "Answered by 6 of 7. Mean 3.3 , median 3.5" in text
    assert "Early comment 4" in text and "Late comment" not in text
    notice = soup(response).select_one(".app-anonymous-held-back").get_text(" ", strip=True)
    assert notice == (
        f"1 person answered anonymously since the evaluation reopened on {format_date(TODAY)}. Their answer is "
        "held back from the results, the summary (PDF) and the CSV until at least 5 people have answered "
        "anonymously since it reopened: with so few, beside the named answers, the results as they were "
        "before it reopened and the list of who has answered, an anonymous answer could be traced to who "
        "gave it. The answers given anonymously before it reopened stay in them."
    )
    assert (
        f"1 anonymous answer to this question given since the evaluation reopened on {format_date(TODAY)} "
        "held back: not counted in these figures."
    ) in text

    # The CSV: Claire, the five shown anonymously, and a last row saying what is held back and why.
    rows = _csv_rows(client, evaluation)
    assert [row[2] for row in rows[1:]] == ["Claire Donovan"] + ["Anonymous"] * 5 + ["Held back"]
    assert rows[-1][3] == (
        "1 response given anonymously, not included: held back until at least 5 people have answered "
        f"anonymously since the evaluation reopened on {format_date(TODAY)}"
    )
    assert sorted(row[-1] for row in rows[2:-1]) == [f"Early comment {n}" for n in range(5)]
    assert "Late comment" not in str(rows)

    # The links page, the summary (PDF), the list of comments and the annual report's figures say and count
    # the same.
    links = soup(client.get(f"/evaluations/{evaluation.id}")).select_one(".app-anonymous-held-back")
    assert links.get_text(" ", strip=True).startswith(
        f"1 person answered anonymously since the evaluation reopened on {format_date(TODAY)}. Their answer is"
    )
    pdf = _pdf_text(client, evaluation)
    assert "Late comment" not in pdf and "Early comment 0" in pdf
    assert f"1 person answered anonymously since the evaluation reopened on {format_date(TODAY)}: held back" in pdf
    comments = evaluation.form.ordered_questions[-1]
    listed = page_text(client.get(f"/evaluations/{evaluation.id}/questions/{comments.id}/answers"))
    assert "Early comment 3" in listed and "Late comment" not in listed
    assert f"1 anonymous answer to this question given since the evaluation reopened on {format_date(TODAY)}" in listed
    with app.test_request_context():
        summary = evaluation_summary([evaluation.event_id])[evaluation.event_id]
    assert (summary.questions[0].answered, round(summary.questions[0].mean, 2), summary.held_back) == (6, 3.33, 1)
    assert summary.held_back_text.startswith(
        f"1 anonymous answer given since the evaluation reopened on {format_date(TODAY)} held back"
    )


def test_answers_given_after_a_reopening_show_once_there_are_enough_of_their_own(client_as, factory, session):
    evaluation, waiting = _closed_evaluation(factory, [1, 2, 3, 4, 5], waiting=5)
    client = client_as("TRSG")
    _reopen(client, evaluation, session, TODAY + timedelta(days=7))
    _answer_late(factory, session, evaluation, waiting, [5, 5, 5, 5, 5])
    _close_again(session, evaluation)
    response = client.get(f"/evaluations/{evaluation.id}/results")
    text = page_text(response)
    assert not soup(response).select(".app-anonymous-held-back") and "held back" not in text
    assert "Answered by 11 of 11. Mean 4.1 , median 5.0" in text and "Late comment 0" in text
    rows = _csv_rows(client, evaluation)
    assert [row[2] for row in rows[1:]] == ["Claire Donovan"] + ["Anonymous"] * 10
    assert "Held back" not in str(rows)


def test_reopening_while_the_anonymous_answers_were_too_few_to_show_counts_them_with_the_new_ones(
    client_as, factory, session
):
    """Nothing anonymous showed at the first close: reopened, the evaluation holds them back while open and
    shows them once enough have answered anonymously, the earlier and the later together, as before."""
    evaluation, waiting = _closed_evaluation(factory, [1, 2], waiting=3)
    client = client_as("TRSG")
    assert "2 people answered anonymously." in page_text(client.get(f"/evaluations/{evaluation.id}/results"))
    _reopen(client, evaluation, session, TODAY + timedelta(days=7))
    _answer_late(factory, session, evaluation, waiting, [4, 4, 4])
    response = client.get(f"/evaluations/{evaluation.id}/results")
    notice = soup(response).select_one(".app-anonymous-held-back").get_text(" ", strip=True)
    assert notice.startswith(
        "5 people answered anonymously. Their answers are held back from the results, the summary (PDF) and "
        f"the CSV until the evaluation closes on {format_date(TODAY + timedelta(days=7))}: while it is open"
    )
    assert "since" not in notice
    assert "Answered by 1 of 6. Mean 5.0" in page_text(response)
    assert [row[2] for row in _csv_rows(client, evaluation)[1:]] == ["Claire Donovan", "Held back"]
    _close_again(session, evaluation)
    response = client.get(f"/evaluations/{evaluation.id}/results")
    text = page_text(response)
    assert not soup(response).select(".app-anonymous-held-back")
    assert "Answered by 6 of 6. Mean 3.3" in text and "Early comment 0" in text and "Late comment 2" in text
    assert [row[2] for row in _csv_rows(client, evaluation)[1:]] == ["Claire Donovan"] + ["Anonymous"] * 5


def test_only_a_closing_date_that_reopens_a_closed_evaluation_is_kept_as_a_reopening(client_as, factory, session):
    open_one = factory.evaluation(closes_on=TODAY)
    closed = factory.evaluation(closes_on=CLOSED)
    client = client_as("TRSG")
    _reopen(client, open_one, session, TODAY + timedelta(days=7))  # still open: moved later
    _reopen(client, closed, session, CLOSED + timedelta(days=1))  # still closed: moved, not reopened
    _reopen(client, closed, session, TODAY)  # takes answers today: reopened
    kept = session.exec(select(EvaluationReopening))
    assert [(r.evaluation_id, r.reopened_on) for r in kept] == [(closed.id, TODAY)]


def test_a_question_too_few_answered_anonymously_before_the_reopening_stays_held_back_with_the_new_answers(
    client_as, factory, session
):
    """Six answered anonymously before the first close but only three of them commented: the ratings
    showed, the three comments did not. Two comments given after the reopening do not make them five: they
    are held back with their responses, and the three stay held back with them."""
    evaluation, waiting = _closed_evaluation(factory, [4] * 6, waiting=2, comments=3)
    client = client_as("TRSG")
    assert "3 anonymous answers to this question held back: not listed" in page_text(
        client.get(f"/evaluations/{evaluation.id}/results")
    )
    _reopen(client, evaluation, session, TODAY + timedelta(days=7))
    _answer_late(factory, session, evaluation, waiting, [1, 1])
    _close_again(session, evaluation)
    response = client.get(f"/evaluations/{evaluation.id}/results")
    text = page_text(response)
    assert "Answered by 7 of 9. Mean 4.1" in text  # the rating: Claire and the six shown at the first close
    assert "Early comment" not in text and "Late comment" not in text
    assert "5 anonymous answers to this question held back: not listed" in text
    notice = soup(response).select_one(".app-anonymous-held-back").get_text(" ", strip=True)
    assert notice.startswith(f"2 people answered anonymously since the evaluation reopened on {format_date(TODAY)}.")
    rows = _csv_rows(client, evaluation)
    assert [row[2] for row in rows[1:]] == ["Claire Donovan"] + ["Anonymous"] * 6 + ["Held back"]
    assert [row[-1] for row in rows[2:-1]] == [""] * 6 and "comment" not in str(rows[2:]).lower()
