"""Results: response rate, charts with their numbers, mean and median, free text, CSV, PDF, comparisons."""

import csv
import io
from datetime import date, timedelta

import pypdf
import pytest
import sqlalchemy as sa
from sqlmodel import select

from tests.factories.evaluations import EVERY_KIND
from tests.justify import disclosed
from tests.pages import error_summary, page_text, soup, table_rows
from tracker.core.models import AuditEvent
from tracker.core.timeutil import format_date, today_london
from tracker.evaluations.models import FormSection
from tracker.evaluations.queries import evaluation_summary
from tracker.training.models import CourseKind

# These tests are of how results are counted and shown: with the area's default minimum, the few
# anonymous answers among them would be held back (tests/evaluations/test_anonymity.py).
pytestmark = pytest.mark.usefixtures("two_anonymous_answers_show")


def _answered(factory, evaluation, ratings, names=None, texts=None, yes=None):
    """Responses with the given ratings (and, by position, a name, a free text and yes/no)."""
    rating, single, multiple, yes_no, text = evaluation.form.ordered_questions
    for number, value in enumerate(ratings):
        answers = {rating.id: [(value, None)], single.id: [(None, "Morning" if number % 2 else "Afternoon")]}
        answers[multiple.id] = [(None, "Risk"), (None, "Victims")] if number == 0 else [(None, "Risk")]
        answers[yes_no.id] = [(1 if (yes or [True] * len(ratings))[number] else 0, None)]
        if texts and texts[number]:
            answers[text.id] = [(None, texts[number])]
        trainee_id = (names or {}).get(number)
        factory.response(evaluation, answers, trainee_id=trainee_id)


def _evaluation_with_answers(factory, closes_on=None):
    """Five people sent links, four answered: ratings 1, 2, 4, 5 (mean 3, median 3)."""
    event = factory.event(
        factory.course(CourseKind.CPD), title="Chairs' Forum, June", days=[date(2024, 6, 12)]
    )
    evaluation = factory.evaluation(event, closes_on=closes_on)
    invited = [factory.evaluation_invitation(evaluation, answered=n < 4)[0] for n in range(5)]
    named = invited[0].enrolment.trainee
    _answered(
        factory,
        evaluation,
        [1, 2, 4, 5],
        names={0: named.id},
        texts=["=cmd|' /C calc'!A0", None, "Shorter talks", "More breaks"],
        yes=[True, True, False, True],
    )
    return evaluation, named


def test_results_show_the_response_rate_charts_with_numbers_and_mean_and_median(client_as, factory):
    evaluation, _named = _evaluation_with_answers(factory)
    response = client_as("TRSG").get(f"/evaluations/{evaluation.id}/results")
    text = page_text(response)
    assert "Response rate 80% (4 of 5 people sent a link)" in text
    assert "Answered by 4 of 4. Mean 3.0 , median 3.0 , on a scale of 1 to 5." in text
    assert table_rows(response, "Answers to: How would you rate the day?") == [
        ["1 – Very poor", "1", "25%", ""],
        ["2 – Poor", "1", "25%", ""],
        ["3 – Fair", "0", "0%", ""],
        ["4 – Good", "1", "25%", ""],
        ["5 – Excellent", "1", "25%", ""],
    ]
    assert table_rows(response, "Answers to: Which topics should come back?") == [
        ["Risk", "4", "100%", ""],
        ["Victims", "1", "25%", ""],
        ["Housing", "0", "0%", ""],
    ]
    assert "75% said yes" in text
    # Each bar is its share of the whole track (full means everyone), hidden from screen readers.
    bars = soup(response).select("svg.app-chart__bar")
    assert all(bar["aria-hidden"] == "true" for bar in bars)
    widths = [float(bar.select("rect")[1]["width"]) for bar in bars]
    assert widths[0:5] == [25.0, 25.0, 0.0, 25.0, 25.0]
    assert widths[7:10] == [100.0, 25.0, 0.0]


def test_free_text_answers_show_names_to_the_trsg_only(client_as, factory):
    evaluation, named = _evaluation_with_answers(factory)
    trsg = page_text(client_as("TRSG").get(f"/evaluations/{evaluation.id}/results"))
    assert "“Shorter talks” – anonymous" in trsg
    assert f"– {named.name}" in trsg
    board = page_text(client_as("SMB").get(f"/evaluations/{evaluation.id}/results"))
    assert "“Shorter talks”" in board
    assert named.name not in board and "anonymous" not in board
    assert "Every response (CSV)" not in board


def test_every_free_text_answer_is_a_page_away(client_as, factory, app):
    evaluation, named = _evaluation_with_answers(factory)
    question = evaluation.form.ordered_questions[-1]
    _answered(factory, evaluation, [3] * 12, texts=[f"Comment {n}" for n in range(12)])
    client = client_as("TRSG")
    results = client.get(f"/evaluations/{evaluation.id}/results")
    link = soup(results).select_one(f"a[href$='/questions/{question.id}/answers']")
    assert link.get_text(" ", strip=True) == "See all 15 answers to What should change?"
    page = client.get(link["href"])
    items = [li.get_text(" ", strip=True) for li in soup(page).select(".app-text-answers li")]
    # Named answers first, newest first; then those given without a name, in an order that is not the
    # order they came in (which, beside who has answered, would point to who gave each).
    assert len(items) == 15 and items[0] == f"“=cmd|' /C calc'!A0” – {named.name}"
    newest_first = [f"“Comment {n}” – anonymous" for n in reversed(range(12))] + [
        "“More breaks” – anonymous",
        "“Shorter talks” – anonymous",
    ]
    assert sorted(items[1:]) == sorted(newest_first) and items[1:] != newest_first
    assert items[1:] != list(reversed(newest_first))


def test_downloading_results_offers_a_reason_that_fits_training_work(client_as, factory, session):
    """The question before a download offers a reason for the TRSG's own work, not only a meeting's."""
    evaluation, _named = _evaluation_with_answers(factory)
    asked = client_as("TRSG").get(f"/evaluations/{evaluation.id}/results.csv")
    offered = [label.get_text(strip=True) for label in soup(asked).select("label.govuk-radios__label")]
    assert "For my own use in training, CPD or evaluation work" in offered
    trsg = client_as("TRSG")
    reason = {"disclosure-recipient": "me", "disclosure-reason": "For my own use in training, CPD or evaluation work"}
    assert trsg.get(f"/evaluations/{evaluation.id}/results.csv", query_string=reason).status_code == 200
    logged = session.exec(select(AuditEvent).where(AuditEvent.reason == reason["disclosure-reason"])).all()
    assert len(logged) == 1


def test_the_csv_has_a_row_per_response_and_names_only_those_who_gave_them(client_as, factory, session):
    evaluation, named = _evaluation_with_answers(factory)
    response = client_as("TRSG").get(disclosed(f"/evaluations/{evaluation.id}/results.csv"))
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="evaluation-chairs-forum-june-2024-06-12-responses.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Response", "Submitted on", "Name"]
    assert rows[0][3:] == [f"{n}. {text}" for n, (_k, text, *_r) in enumerate(EVERY_KIND, start=1)]
    assert len(rows) == 5
    first = rows[1]
    assert first[2] == named.name and first[3:] == [
        "1",
        "Afternoon",
        "Risk; Victims",
        "Yes",
        "'=cmd|' /C calc'!A0",
    ]
    assert [row[2] for row in rows[2:]] == ["Anonymous"] * 3
    # Rows without a name carry no date, and come after the named ones in no particular order.
    assert [row[1] for row in rows[2:]] == [""] * 3
    assert ["4", "Afternoon", "Risk", "No", "Shorter talks"] in [row[3:8] for row in rows[2:]]
    assert (
        session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "export", AuditEvent.object_type == "EventEvaluation"
            )
        )
        .one()
        .summary.startswith("CSV of responses")
    )


def test_the_pdf_summary_is_a4_with_the_figures_and_no_names(client_as, factory, session):
    evaluation, named = _evaluation_with_answers(factory)
    response = client_as("LAY_ADVISER").get(disclosed(f"/evaluations/{evaluation.id}/results.pdf"))
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert "evaluation-chairs-forum-june-2024-06-12-results.pdf" in response.headers["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    assert reader.metadata.title == "Evaluation results: Chairs' Forum, June"
    assert round(float(reader.pages[0].mediabox.width)) == 595
    texts = [page.extract_text() for page in reader.pages]
    for number, on_page in enumerate(texts, start=1):
        assert on_page.count("OFFICIAL") == 2, f"page {number} is not marked at top and bottom"
        assert f"Page {number} of {len(texts)}" in on_page
    text = " ".join(texts)
    for expected in [
        "response rate 80%",
        "How would you rate the day?",
        "mean 3.0",
        "median 3.0",
        "Shorter talks",
    ]:
        assert expected in " ".join(text.split()), expected
    assert named.name not in text
    fonts = {font for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert all(
        "/FontFile2" in font.get_object()["/FontDescriptor"]
        for font in fonts
        if "/FontDescriptor" in font.get_object()
    )
    assert (
        session.exec(select(AuditEvent).where(AuditEvent.action == "export")).one().summary.startswith("PDF")
    )


def test_the_pdf_says_an_evaluation_closed_once_it_has_and_closes_while_open(client_as, factory):
    """The closing day is the last day for answers: an evaluation printed after it "closed"."""
    closed, _named = _evaluation_with_answers(factory)
    closed.closes_on = today_london() - timedelta(days=1)
    still_open = factory.evaluation(closes_on=today_london())
    factory.save(closed)
    client = client_as("TRSG")
    for evaluation, expected, not_expected in [(closed, "closed", "closes"), (still_open, "closes", "closed")]:
        response = client.get(disclosed(f"/evaluations/{evaluation.id}/results.pdf"))
        reader = pypdf.PdfReader(io.BytesIO(response.data))
        text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        assert f"{expected} {format_date(evaluation.closes_on)}" in text
        assert not_expected not in text


def test_two_forums_compare_side_by_side_question_by_question_across_versions(client_as, factory, session):
    june, _ = _evaluation_with_answers(factory)
    # December used version 2 of the form: the rating question reworded, keeping its lineage.
    old = june.form
    second = factory.evaluation_form(name=old.name)
    second.family_id, second.version_number = old.family_id, 2
    for new_q, old_q in zip(second.ordered_questions, old.ordered_questions, strict=True):
        new_q.lineage = old_q.lineage
    second.ordered_questions[0].text = "Overall, how was the day?"
    factory.save(second, *second.questions)
    december_event = factory.event(
        factory.course(CourseKind.CPD), title="Chairs' Forum, December", days=[date(2024, 12, 4)]
    )
    december = factory.evaluation(december_event, second)
    for _ in range(2):
        factory.evaluation_invitation(december, answered=True)
    _answered(factory, december, [5, 4])

    client = client_as("SMB")
    chooser = client.get("/evaluations/compare")
    labels = [label.get_text(" ", strip=True) for label in soup(chooser).select(".govuk-checkboxes__label")]
    assert any("Chairs' Forum, June" in label for label in labels)
    response = client.get(f"/evaluations/compare?evaluation={june.id}&evaluation={december.id}")
    rows = table_rows(response, "Overall, how was the day?, by event")
    assert rows[0] == ["Answered by", "4", "2"]
    assert rows[1] == ["Mean (1 to 5)", "3.0", "4.5"]
    assert rows[2] == ["Median", "3.0", "4.5"]
    assert rows[3] == ["1 – Very poor", "1 (25%)", "0 (0%)"]
    assert rows[7] == ["5 – Excellent", "1 (25%)", "1 (50%)"]
    assert table_rows(response, "Response rates")[1][2:] == ["2 of 2", "100%"]


def test_comparing_needs_two_to_four_events_whose_forms_share_a_measure(client_as, factory):
    june, _ = _evaluation_with_answers(factory)
    other = factory.evaluation()
    factory.evaluation_invitation(other, answered=True)
    _answered(factory, other, [3])
    client = client_as("TRSG")
    response = client.get(f"/evaluations/compare?evaluation={june.id}")
    assert error_summary(response) == ["Select at least two events to compare"]
    response = client.get(f"/evaluations/compare?evaluation={june.id}&evaluation={other.id}")
    assert error_summary(response) == [
        "Select events whose forms share a question: each event must ask at least one of the same "
        "measures as another"
    ]


def test_the_summary_for_the_annual_report_gives_rates_and_means(factory, app_context):
    evaluation, _ = _evaluation_with_answers(factory)
    unevaluated = factory.event()
    summary = evaluation_summary([evaluation.event_id, unevaluated.id])
    assert list(summary) == [evaluation.event_id]
    event = summary[evaluation.event_id]
    assert (event.invited, event.responses, event.response_rate) == (5, 4, 0.8)
    rating, yes_no = event.questions
    assert (rating.text, rating.answered, rating.mean) == ("How would you rate the day?", 4, 3.0)
    assert (yes_no.text, yes_no.yes_share) == ("Would you recommend it?", 0.75)


def test_the_results_page_runs_the_same_number_of_queries_for_many_responses(client_as, factory, connection):
    evaluation, _ = _evaluation_with_answers(factory)
    client = client_as("TRSG")

    def count() -> int:
        statements = []
        listener = lambda *args: statements.append(1)  # noqa: E731
        sa.event.listen(connection, "before_cursor_execute", listener)
        try:
            assert client.get(f"/evaluations/{evaluation.id}/results").status_code == 200
        finally:
            sa.event.remove(connection, "before_cursor_execute", listener)
        return len(statements)

    few = count()
    _answered(factory, evaluation, [4] * 40, texts=["Fine"] * 40)
    assert count() == few


def test_a_section_with_no_questions_is_left_out_of_the_form_the_results_and_the_pdf(client_as, factory):
    evaluation, _named = _evaluation_with_answers(factory, closes_on=today_london())
    factory.save(FormSection(form_id=evaluation.form_id, title="Nothing asked here", position=2))
    _invitation, token = factory.evaluation_invitation(evaluation)
    client = client_as("TRSG")
    for address in (f"/evaluations/answer/{token}", f"/evaluations/{evaluation.id}/results"):
        response = client.get(address)
        headings = [h.get_text(strip=True) for h in soup(response).select("h2")]
        assert "Questions" in headings and "Nothing asked here" not in headings, address
    pdf = client.get(disclosed(f"/evaluations/{evaluation.id}/results.pdf"))
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert "How would you rate the day?" in text and "Nothing asked here" not in text
    # The form itself, being built, still shows it, so that questions can be added to it.
    assert "Nothing asked here" in page_text(client.get(f"/evaluations/forms/{evaluation.form_id}"))
