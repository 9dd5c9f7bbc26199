"""Comparing events across different forms: questions carry a measure (lineage) kept across versions and
copies, the TRSG marks a question of one form as the same measure as another form's, and the comparison
lines them up, hides what anonymity needs hidden (per event and per question), and exports as CSV and PDF."""

from __future__ import annotations

import csv
import io
from datetime import date

import pypdf
import pytest
from sqlmodel import select

from tests.pages import error_summary, page_text, soup, table_rows
from tracker.core.models import AuditEvent
from tracker.evaluations import rules
from tracker.evaluations.models import EvaluationForm, Question, QuestionKind
from tracker.training.models import CourseKind

QUALITY = ["Very poor", "Poor", "Fair", "Good", "Excellent"]
LAST_YEAR = [
    (QuestionKind.RATING, "How would you rate the forum?", True, QUALITY),
    (QuestionKind.YES_NO, "Would you recommend it?", True, []),
    (QuestionKind.FREE_TEXT, "Anything else?", False, []),
]
THIS_YEAR = [
    (QuestionKind.RATING, "Overall, how would you rate the event?", True, QUALITY),
    (QuestionKind.SINGLE_CHOICE, "Which part helped most?", False, ["Talk", "Case study"]),
]


# Rules -----------------------------------------------------------------------------------------------


def test_a_question_is_the_same_measure_only_with_the_same_kind_and_once_per_form():
    rating, yes_no = QuestionKind.RATING, QuestionKind.YES_NO
    assert rules.measure_problem(rating, rating, used_in_form=False) is None
    assert "same kind of answer (rating scale, 1 to 5)" in rules.measure_problem(rating, yes_no, False)
    assert "already that measure" in rules.measure_problem(rating, rating, used_in_form=True)
    assert rules.measure_problem(rating, None, False) == "Select a question from the list"


def test_events_compare_when_each_shares_a_measure_with_another():
    assert rules.share_a_measure([{"a", "b"}, {"b"}])
    assert rules.share_a_measure([{"a"}, {"a", "c"}, {"c"}])
    assert not rules.share_a_measure([{"a"}, {"b"}])
    assert not rules.share_a_measure([{"a"}, {"a"}, {"z"}])
    assert not rules.share_a_measure([{"a"}])


def test_a_breakdown_of_too_few_answers_is_withheld_only_on_an_anonymous_form():
    assert rules.withheld_for_anonymity(True, 3, 5)
    assert not rules.withheld_for_anonymity(True, 5, 5)
    assert not rules.withheld_for_anonymity(True, 0, 5)
    assert not rules.withheld_for_anonymity(False, 1, 5)


# Keys kept by copies, set in the editor ---------------------------------------------------------------


def test_a_copied_form_keeps_each_questions_measure(client_as, factory, session):
    original = factory.evaluation_form(LAST_YEAR, name="Forum evaluation 2024")
    client = client_as("TRSG")
    response = client.post(f"/evaluations/forms/{original.id}/copy", data={})
    assert response.status_code == 302
    copy = session.exec(
        select(EvaluationForm).where(EvaluationForm.name == "Copy of Forum evaluation 2024")
    ).one()
    assert copy.family_id == copy.id != original.family_id and copy.version_number == 1
    assert [(q.text, q.lineage) for q in copy.ordered_questions] == [
        (q.text, q.lineage) for q in original.ordered_questions
    ]
    assert "keep their measures" in page_text(client.get(response.headers["Location"]))


def test_a_new_question_gets_a_measure_of_its_own(client_as, factory, session):
    form = factory.evaluation_form(LAST_YEAR)
    before = {q.lineage for q in form.questions}
    data = {"text": "Was the venue right?", "kind": "YES_NO", "required": "y", "measure": "", "version": "1"}
    client_as("TRSG").post(f"/evaluations/sections/{form.sections[0].id}/questions/new", data=data)
    added = session.exec(select(Question).where(Question.text == "Was the venue right?")).one()
    assert len(added.lineage) == 32 and added.lineage not in before


def _edit(question, **changes) -> dict:
    data = {
        "text": question.text,
        "kind": question.kind.name,
        "options": "\n".join(question.options),
        "required": "y",
        "version": "1",
    }
    return {**data, **changes}


def test_the_editor_marks_a_question_as_the_same_measure_as_another_forms(client_as, factory, session):
    last_year = factory.evaluation_form(LAST_YEAR, name="Forum 2024")
    this_year = factory.evaluation_form(THIS_YEAR, name="Forum 2025")
    rating = this_year.ordered_questions[0]
    client = client_as("TRSG")
    page = client.get(f"/evaluations/questions/{rating.id}/edit")
    offered = [o.get_text(strip=True) for o in soup(page).select("#measure option")]
    assert "How would you rate the forum? (Forum 2024)" in offered
    assert not any("(Forum 2025)" in label for label in offered)

    target = last_year.ordered_questions[0].lineage
    wrong_kind = last_year.ordered_questions[1].lineage
    response = client.post(f"/evaluations/questions/{rating.id}/edit", data=_edit(rating, measure=wrong_kind))
    assert error_summary(response) == [
        "Select a question with the same kind of answer (rating scale, 1 to 5) or change the kind of answer"
    ]
    response = client.post(f"/evaluations/questions/{rating.id}/edit", data=_edit(rating, measure=target))
    assert response.status_code == 302
    session.refresh(rating)
    assert rating.lineage == target
    page = client.get(f"/evaluations/questions/{rating.id}/edit")
    assert soup(page).select_one("#measure option[selected]")["value"] == target

    # Back to a measure of its own: a new key, no longer shared.
    client.post(f"/evaluations/questions/{rating.id}/edit", data=_edit(rating, measure="", version="2"))
    session.refresh(rating)
    assert rating.lineage not in {q.lineage for q in last_year.questions}


# The comparison ---------------------------------------------------------------------------------------


def _evaluated(factory, form, title: str, day: date, ratings, *, anonymous=False, choices=(), named=False):
    """An evaluation answered with these ratings: by people who gave their names if `named`."""
    event = factory.event(factory.course(CourseKind.CPD), title=title, days=[day])
    evaluation = factory.evaluation(event, form, always_anonymous=anonymous)
    invitations = [factory.evaluation_invitation(evaluation, answered=True)[0] for _ in ratings]
    rating = form.ordered_questions[0]
    second = form.ordered_questions[1]
    for number, value in enumerate(ratings):
        answers = {rating.id: [(value, None)]}
        if second.kind is QuestionKind.YES_NO:
            answers[second.id] = [(1, None)]
        elif number < len(choices):
            answers[second.id] = [(None, choices[number])]
        trainee_id = invitations[number].enrolment.trainee_id if named else None
        factory.response(evaluation, answers, trainee_id=trainee_id)
    return evaluation


def _marked_forms(factory):
    last_year = factory.evaluation_form(LAST_YEAR, name="Forum 2024")
    this_year = factory.evaluation_form(THIS_YEAR, name="Forum 2025")
    this_year.ordered_questions[0].lineage = last_year.ordered_questions[0].lineage
    factory.save(*this_year.questions)
    return last_year, this_year


@pytest.mark.usefixtures("two_anonymous_answers_show")
def test_events_with_different_forms_compare_by_measure(client_as, factory):
    last_year, this_year = _marked_forms(factory)
    before = _evaluated(factory, last_year, "Chairs' Forum, June 2024", date(2024, 6, 12), [2, 4])
    after = _evaluated(factory, this_year, "Chairs' Forum, June 2025", date(2025, 6, 11), [5, 5, 4])
    client = client_as("SMB")
    response = client.get(f"/evaluations/compare?evaluation={before.id}&evaluation={after.id}")
    rows = table_rows(response, "Overall, how would you rate the event?, by event")
    assert rows[:3] == [["Answered by", "2", "3"], ["Mean (1 to 5)", "3.0", "4.7"], ["Median", "3.0", "5.0"]]
    assert table_rows(response, "Which part helped most?, by event")[0] == ["Answered by", "Not asked", "0"]
    text = page_text(response)
    assert "Asked at only some of these events" in text
    assert table_rows(response, "Would you recommend it?, by event")[0] == ["Answered by", "2", "Not asked"]


def test_on_an_anonymous_form_a_question_too_few_answered_is_withheld(client_as, factory):
    last_year, this_year = _marked_forms(factory)
    before = _evaluated(
        factory, this_year, "Forum A", date(2024, 6, 12), [4] * 6, anonymous=True, choices=["Talk"] * 2
    )
    after = _evaluated(
        factory, this_year, "Forum B", date(2025, 6, 11), [3] * 5, anonymous=True, choices=["Talk"] * 5
    )
    response = client_as("SMB").get(f"/evaluations/compare?evaluation={before.id}&evaluation={after.id}")
    rows = table_rows(response, "Which part helped most?, by event")
    assert rows[0] == ["Answered by", "Too few answers to show", "5"]
    assert rows[1] == ["Talk", "–", "5 (100%)"]
    assert table_rows(response, "Overall, how would you rate the event?, by event")[0] == [
        "Answered by",
        "6",
        "5",
    ]


def test_the_comparison_exports_as_csv_with_numbers_only_in_the_value_column(client_as, factory, session):
    last_year, this_year = _marked_forms(factory)
    before = _evaluated(
        factory, this_year, "Forum A", date(2024, 6, 12), [4] * 6, anonymous=True, choices=["Talk"] * 2
    )
    after = _evaluated(factory, last_year, "Forum B – é", date(2025, 6, 11), [3, 5], named=True)
    few = _evaluated(factory, this_year, "Forum C", date(2025, 7, 1), [4, 4], anonymous=True)
    query = f"evaluation={before.id}&evaluation={after.id}&evaluation={few.id}"
    page = client_as("SMB").get(f"/evaluations/compare?{query}")
    assert soup(page).find("a", string="This comparison (CSV)")["href"] == f"/evaluations/compare.csv?{query}"
    response = client_as("SMB").get(f"/evaluations/compare.csv?{query}")
    assert response.mimetype == "text/csv"
    raw = response.data.decode("utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(raw.removeprefix("\ufeff"))))
    for row in rows:
        assert row["Value"] == "" or float(row["Value"]) >= 0
        assert (row["Value"] == "") == bool(row["Not shown because"]) or row["Figure"] == "Response rate (%)"
    mean = [r for r in rows if r["Figure"] == "Mean (1 to 5)"]
    assert [(r["Event"], r["Value"]) for r in mean] == [("Forum A", "4.0"), ("Forum B – é", "4.0")]
    helped = [r for r in rows if r["Question"] == "Which part helped most?" and r["Figure"] == "Answered by"]
    assert [(r["Event"], r["Value"], r["Not shown because"]) for r in helped] == [
        ("Forum A", "", "Fewer than 5 answers on an anonymous form"),
        ("Forum B – é", "", "Not asked"),
    ]
    left_out = [r for r in rows if r["Event"] == "Forum C"]
    assert [(r["Figure"], r["Value"], r["Not shown because"]) for r in left_out] == [
        ("Responses", "", "Anonymous form with fewer than 5 responses")
    ]
    assert (
        session.exec(select(AuditEvent).where(AuditEvent.action == "export")).one().summary.startswith("CSV")
    )


@pytest.mark.usefixtures("two_anonymous_answers_show")
def test_the_comparison_exports_as_an_official_pdf(client_as, factory, session, tmp_path):
    last_year, this_year = _marked_forms(factory)
    before = _evaluated(factory, last_year, "Chairs' Forum, June 2024", date(2024, 6, 12), [2, 4])
    after = _evaluated(factory, this_year, "Chairs' Forum, June 2025", date(2025, 6, 11), [5, 5, 4])
    response = client_as("SMB").get(f"/evaluations/compare.pdf?evaluation={before.id}&evaluation={after.id}")
    assert response.mimetype == "application/pdf"
    path = tmp_path / "comparison.pdf"
    path.write_bytes(response.data)
    reader = pypdf.PdfReader(path)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "OFFICIAL" in text and "Comparison of evaluations" in text
    assert "Overall, how would you rate the event?" in text and "Not asked" in text
    assert "4.7" in text and "2 of 2 responded" in text
    assert reader.metadata.title == "Comparison of evaluations"
    assert (
        session.exec(select(AuditEvent).where(AuditEvent.action == "export")).one().summary.startswith("PDF")
    )


def test_an_export_of_an_invalid_choice_goes_back_to_the_choice(client_as, factory):
    response = client_as("SMB").get("/evaluations/compare.csv?evaluation=1")
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/evaluations/compare?evaluation=1"
    )


@pytest.mark.usefixtures("two_anonymous_answers_show")
def test_a_measure_the_forms_word_differently_shows_each_events_own_wording(client_as, factory):
    last_year, this_year = _marked_forms(factory)
    before = _evaluated(factory, last_year, "Chairs' Forum, June 2024", date(2024, 6, 12), [2, 4])
    after = _evaluated(factory, this_year, "Chairs' Forum, June 2025", date(2025, 6, 11), [5, 5, 4])
    query = f"evaluation={before.id}&evaluation={after.id}"
    client = client_as("SMB")
    response = client.get(f"/evaluations/compare?{query}")
    [wordings] = soup(response).select(".app-comparison-wordings")
    assert wordings.find_previous("h3").get_text(strip=True) == "Overall, how would you rate the event?"
    assert [li.get_text(" ", strip=True) for li in wordings.select("li")] == [
        "Chairs' Forum, June 2024: “How would you rate the forum?”",
        "Chairs' Forum, June 2025: “Overall, how would you rate the event?”",
    ]  # the questions each form asked alone, or in the same words, need no such list
    rows = list(csv.DictReader(io.StringIO(client.get(f"/evaluations/compare.csv?{query}").data.decode("utf-8-sig"))))
    mean = [r for r in rows if r["Figure"] == "Mean (1 to 5)"]
    assert [(r["Question"], r["Event"], r["Question as asked"], r["Value"]) for r in mean] == [
        ("Overall, how would you rate the event?", "Chairs' Forum, June 2024", "How would you rate the forum?", "3.0"),
        ("Overall, how would you rate the event?", "Chairs' Forum, June 2025", "Overall, how would you rate the event?", "4.7"),
    ]  # fmt: skip
    helped = [r for r in rows if r["Question"] == "Which part helped most?" and r["Figure"] == "Answered by"]
    assert [(r["Event"], r["Question as asked"]) for r in helped] == [
        ("Chairs' Forum, June 2024", ""),
        ("Chairs' Forum, June 2025", "Which part helped most?"),
    ]
    pdf = client.get(f"/evaluations/compare.pdf?{query}")
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages).split())
    assert (
        "Overall, how would you rate the event? The forms word this question differently. Each event asked: "
        "Chairs' Forum, June 2024: “How would you rate the forum?”; Chairs' Forum, June 2025: “Overall, how "
        "would you rate the event?”."
    ) in text
    assert text.count("word this question differently") == 1
