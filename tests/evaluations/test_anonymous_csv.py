"""The CSV of an anonymous evaluation leaves out what its results page leaves out: the answers to a question
too few people answered."""

import csv
import io
from datetime import date

from tests.justify import disclosed
from tests.pages import page_text
from tracker.training.models import CourseKind


def _anonymous_with_comments(factory, commenting: int):
    """An anonymous evaluation five people answered (a rating each), `commenting` of them with a comment."""
    event = factory.event(factory.course(CourseKind.CPD), title="Chairs' Forum, June", days=[date(2024, 6, 5)])
    evaluation = factory.evaluation(event, always_anonymous=True)
    rating, _single, _multiple, _yes_no, text = evaluation.form.ordered_questions
    for number in range(5):
        answers = {rating.id: [(4, None)]}
        if number < commenting:
            answers[text.id] = [(None, f"Only person {number} would say this")]
        factory.response(evaluation, answers)
    return evaluation


def _csv(client, evaluation) -> tuple[str, list[list[str]]]:
    data = client.get(disclosed(f"/evaluations/{evaluation.id}/results.csv")).data.decode("utf-8-sig")
    return data, list(csv.reader(io.StringIO(data)))


def test_the_csv_of_an_anonymous_evaluation_leaves_out_a_question_too_few_answered(client_as, factory):
    evaluation = _anonymous_with_comments(factory, commenting=3)
    client = client_as("TRSG")
    assert "Too few answers to show" in page_text(client.get(f"/evaluations/{evaluation.id}/results"))
    data, rows = _csv(client, evaluation)
    assert "Only person" not in data
    responses = rows[1:6]
    assert [row[0] for row in responses] == ["1", "2", "3", "4", "5"]
    assert [row[1] for row in responses] == ["4"] * 5  # the rating, answered by all five, is listed
    assert [row[-1] for row in responses] == [""] * 5
    assert rows[-1][0] == "Held back" and rows[-1][1] == ""
    assert rows[-1][-1].startswith("Too few answers to show: this evaluation is anonymous")


def test_the_csv_of_an_anonymous_evaluation_lists_a_question_answered_by_the_minimum(client_as, factory):
    evaluation = _anonymous_with_comments(factory, commenting=5)
    data, rows = _csv(client_as("TRSG"), evaluation)
    assert sorted(row[-1] for row in rows[1:]) == [f"Only person {n} would say this" for n in range(5)]
    assert "Held back" not in data and "Too few" not in data
