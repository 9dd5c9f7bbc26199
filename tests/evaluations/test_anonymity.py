"""Anonymity that holds: on an anonymous form nobody sees who answered, results wait for enough answers, and
the exports give away neither the order nor the day of the answers."""

import csv
import io
import random
from datetime import date, timedelta

import pypdf

from tests.justify import disclosed
from tests.pages import banners, page_text, soup, table_rows
from tracker.core import settings
from tracker.core.db import db
from tracker.core.timeutil import today_london
from tracker.evaluations import rules
from tracker.evaluations.queries import evaluation_summary
from tracker.training.models import CourseKind


def _anonymous(factory, answered: int, waiting: int = 2, title="Chairs' Forum, May", closes_on=None):
    """An anonymous evaluation: `answered` people answered (ratings 1, 2, 3, ... in that order, each with
    a comment naming its place in the order) and `waiting` have not. It closed two weeks after the event
    unless it `closes_on` another day."""
    event = factory.event(factory.course(CourseKind.CPD), title=title, days=[date(2024, 5, 15)])
    evaluation = factory.evaluation(event, always_anonymous=True, closes_on=closes_on)
    prison = factory.agency("Prison Service North")
    people = []
    for number in range(answered + waiting):
        trainee = factory.trainee(name=f"Invented Person {number}", agency_id=prison.id)
        enrolment = factory.attendee(event, trainee)
        factory.evaluation_invitation(evaluation, enrolment, answered=number < answered)
        people.append(trainee)
    rating, single, multiple, yes_no, text = evaluation.form.ordered_questions
    for number in range(answered):
        factory.response(
            evaluation,
            {
                rating.id: [(number % 5 + 1, None)],
                single.id: [(None, "Morning")],
                multiple.id: [(None, "Risk")],
                yes_no.id: [(1, None)],
                text.id: [(None, f"Comment {number}")],
            },
        )
    return evaluation, people


def test_links_and_reminders_shows_counts_not_who_answered(client_as, factory):
    evaluation, people = _anonymous(factory, answered=3, waiting=2)
    response = client_as("TRSG").get(f"/evaluations/{evaluation.id}")
    text = page_text(response)
    assert "Answered 3" in text and "Not answered yet 2" in text
    assert all(person.name not in text for person in people)
    assert "Prison Service North" not in text
    assert "Answered" in text and not soup(response).select(".govuk-tag")


def test_a_named_form_still_lists_who_answered(client_as, factory):
    event = factory.event(factory.course(CourseKind.CPD), title="Chairs' Forum, April")
    evaluation = factory.evaluation(event)
    invitation, _ = factory.evaluation_invitation(evaluation, answered=True)
    text = page_text(client_as("TRSG").get(f"/evaluations/{evaluation.id}"))
    assert invitation.enrolment.trainee.name in text and "Answered" in text


def test_reminders_still_go_to_those_who_have_not_answered(client_as, factory, outbox):
    evaluation, people = _anonymous(factory, answered=3, waiting=2, closes_on=today_london())
    response = client_as("TRSG").post(f"/evaluations/{evaluation.id}/remind", follow_redirects=True)
    assert banners(response) == ["Reminder sent to 2 people."]
    assert sorted(m["To"] for m in outbox) == sorted(p.email for p in people[3:])


def test_three_responses_show_no_results_and_no_downloads(client_as, factory):
    evaluation, people = _anonymous(factory, answered=3)
    client = client_as("TRSG")
    response = client.get(f"/evaluations/{evaluation.id}/results")
    text = page_text(response)
    assert "Its results show once 2 more people answer" in text
    assert "Comment" not in text and "Mean" not in text and not soup(response).select("table")
    assert "Summary (PDF)" not in text and "Every response (CSV)" not in text
    assert all(person.name not in text for person in people)
    refused = "its answers cannot be seen or downloaded until 2 more people answer"
    for address in ("results.csv", "results.pdf"):
        response = client.get(f"/evaluations/{evaluation.id}/{address}", follow_redirects=True)
        assert response.mimetype == "text/html"
        assert refused in banners(response)[0]
    question = evaluation.form.ordered_questions[-1]
    response = client.get(f"/evaluations/{evaluation.id}/questions/{question.id}/answers", follow_redirects=True)
    assert refused in banners(response)[0] and "Comment 0" not in page_text(response)


def test_the_minimum_is_an_area_setting(client_as, factory, app):
    evaluation, _ = _anonymous(factory, answered=3)
    with app.app_context():
        assert settings.REGISTRY[rules.MIN_ANONYMOUS_RESPONSES.key].group == "Training"
        settings.set_value(rules.MIN_ANONYMOUS_RESPONSES.key, 3, None)
        db.session.commit()
    text = page_text(client_as("TRSG").get(f"/evaluations/{evaluation.id}/results"))
    assert "Mean" in text and "more people answer" not in text


def test_five_responses_show_results_with_texts_in_random_order(client_as, factory):
    evaluation, _ = _anonymous(factory, answered=5, waiting=0)
    random.seed(4)
    response = client_as("TRSG").get(f"/evaluations/{evaluation.id}/results")
    text = page_text(response)
    assert "Response rate 100% (5 of 5 people sent a link)" in text and "more people answer" not in text
    assert table_rows(response, "Answers to: How would you rate the day?")[0][:2] == ["1 – Very poor", "1"]
    shown = [li.get_text(" ", strip=True) for li in soup(response).select(".app-text-answers li")]
    assert sorted(shown) == [f"“Comment {n}” – anonymous" for n in range(5)]
    assert shown != [f"“Comment {n}” – anonymous" for n in (4, 3, 2, 1, 0)]
    assert client_as("SMB").get(disclosed(f"/evaluations/{evaluation.id}/results.pdf")).mimetype == "application/pdf"


def test_the_csv_of_an_anonymous_form_has_no_times_and_not_the_order_answers_came(client_as, factory):
    evaluation, _ = _anonymous(factory, answered=6, waiting=0)
    random.seed(1)
    response = client_as("TRSG").get(disclosed(f"/evaluations/{evaluation.id}/results.csv"))
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][0] == "Response" and "Submitted on" not in rows[0] and "Name" not in rows[0]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4", "5", "6"]
    comments = [row[-1] for row in rows[1:]]
    assert sorted(comments) == [f"Comment {n}" for n in range(6)]
    assert comments != [f"Comment {n}" for n in range(6)]
    assert str(date.today().year) not in response.data.decode("utf-8-sig")


def test_a_comparison_leaves_out_an_anonymous_event_with_too_few_answers(client_as, factory):
    may, _ = _anonymous(factory, answered=5, waiting=0)
    june, _ = _anonymous(factory, answered=2, waiting=0, title="Chairs' Forum, June")
    june.form_id = may.form_id
    factory.save(june)
    response = client_as("SMB").get(f"/evaluations/compare?evaluation={may.id}&evaluation={june.id}")
    text = page_text(response)
    assert "Chairs' Forum, June (3 more responses needed)" in text
    assert table_rows(response, "How would you rate the day?, by event")[0] == ["Answered by", "5"]


def test_the_annual_report_summary_gives_no_figures_below_the_minimum(factory, app_context):
    few, _ = _anonymous(factory, answered=3, waiting=0)
    enough, _ = _anonymous(factory, answered=5, waiting=0, title="Chairs' Forum, June")
    summary = evaluation_summary([few.event_id, enough.event_id])
    assert (summary[few.event_id].responses, summary[few.event_id].questions) == (3, [])
    assert [q.answered for q in summary[enough.event_id].questions] == [5, 5]


def test_every_free_text_answer_of_an_anonymous_form_comes_in_an_order_unrelated_to_time(client_as, factory):
    evaluation, _ = _anonymous(factory, answered=12, waiting=0)
    question = evaluation.form.ordered_questions[-1]
    response = client_as("TRSG").get(f"/evaluations/{evaluation.id}/questions/{question.id}/answers")
    shown = [li.get_text(" ", strip=True) for li in soup(response).select(".app-text-answers li")]
    given = [f"“Comment {n}” – anonymous" for n in range(12)]
    assert sorted(shown) == sorted(given)
    assert shown not in (given, given[::-1])


def test_a_question_few_people_answered_shows_nothing_even_when_the_form_has_enough_responses(
    client_as, factory
):
    event = factory.event(factory.course(CourseKind.CPD), title="Chairs' Forum, June", days=[date(2024, 6, 5)])
    evaluation = factory.evaluation(event, always_anonymous=True)
    rating, _single, _multiple, _yes_no, text = evaluation.form.ordered_questions
    for number in range(5):
        answers = {rating.id: [(4, None)]}
        if number < 2:  # only two of the five wrote a comment
            answers[text.id] = [(None, f"Only person {number} would say this")]
        factory.response(evaluation, answers)
    client = client_as("TRSG")
    page = page_text(client.get(f"/evaluations/{evaluation.id}/results"))
    assert "Only person 0 would say this" not in page and "Too few answers to show" in page
    assert "Answered by 5 of 5" in page  # the rating, answered by all five, is shown
    answers = client.get(f"/evaluations/{evaluation.id}/questions/{text.id}/answers", follow_redirects=True)
    assert "Only person" not in page_text(answers)
    assert "Too few people answered this question" in page_text(answers)


# Where each person chooses whether to give their name ------------------------------------------------


def _chosen(
    factory,
    anonymous_ratings,
    title="Chairs' Forum, July",
    waiting=1,
    anonymous_comments=None,
    form=None,
    closes_on=None,
):
    """An evaluation where each person chooses: Claire Donovan answered with her name (rating 5, "Claire's
    own comment", yes), then one person per rating in `anonymous_ratings` answered anonymously (a comment
    each, "Secret comment 0", "Secret comment 1", ..., or only the first `anonymous_comments`, and no);
    `waiting` more have not answered."""
    event = factory.event(factory.course(CourseKind.CPD), title=title, days=[date(2024, 7, 10)])
    evaluation = factory.evaluation(event, form, closes_on=closes_on)
    people = []
    for number in range(1 + len(anonymous_ratings) + waiting):
        name = "Claire Donovan" if number == 0 else f"Invented Person {number}"
        trainee = factory.trainee(name=name)
        enrolment = factory.attendee(event, trainee)
        factory.evaluation_invitation(evaluation, enrolment, answered=number <= len(anonymous_ratings))
        people.append(trainee)
    rating, single, _multiple, yes_no, text = evaluation.form.ordered_questions
    factory.response(
        evaluation,
        {
            rating.id: [(5, None)],
            single.id: [(None, "Morning")],
            yes_no.id: [(1, None)],
            text.id: [(None, "Claire's own comment")],
        },
        trainee_id=people[0].id,
    )
    commenting = len(anonymous_ratings) if anonymous_comments is None else anonymous_comments
    for number, value in enumerate(anonymous_ratings):
        answers = {rating.id: [(value, None)], single.id: [(None, "Afternoon")], yes_no.id: [(0, None)]}
        if number < commenting:
            answers[text.id] = [(None, f"Secret comment {number}")]
        factory.response(evaluation, answers)
    return evaluation, people


def test_one_anonymous_answer_beside_a_named_one_is_held_back_from_the_results(client_as, factory):
    # Three sent a link, two answered, one gave her name: the other answer would be traced by elimination.
    evaluation, people = _chosen(factory, [1])
    client = client_as("TRSG")
    response = client.get(f"/evaluations/{evaluation.id}/results")
    text = page_text(response)
    assert "Claire's own comment" in text and "Secret comment" not in text and "– anonymous" not in text
    notice = soup(response).select_one(".app-anonymous-held-back").get_text(" ", strip=True)
    assert notice.startswith("1 person answered anonymously. Their answer is held back")
    assert "until at least 5 people have answered anonymously" in notice
    # Figures count only Claire's answers, so nothing can be subtracted from them to find the other's.
    assert "Answered by 1 of 2. Mean 5.0 , median 5.0 , on a scale of 1 to 5." in text
    assert table_rows(response, "Answers to: How would you rate the day?")[0] == [
        "1 – Very poor",
        "0",
        "0%",
        "",
    ]
    assert table_rows(response, "Answers to: Which session was best?") == [
        ["Morning", "1", "100%", ""],
        ["Afternoon", "0", "0%", ""],
    ]
    assert "100% said yes" in text
    assert "1 anonymous answer to this question held back" in text
    # The links page, which lists who answered, says the same.
    links = client.get(f"/evaluations/{evaluation.id}")
    assert people[1].name in page_text(links)
    assert "Their answer is held back" in soup(links).select_one(".app-anonymous-held-back").get_text()
    # And so does the Board's view of the results.
    board = page_text(client_as("SMB").get(f"/evaluations/{evaluation.id}/results"))
    assert "Secret comment" not in board and "1 person answered anonymously" in board


def test_held_back_anonymous_answers_are_left_out_of_the_csv_and_the_pdf(client_as, factory):
    evaluation, _people = _chosen(factory, [1, 2])
    client = client_as("TRSG")
    response = client.get(disclosed(f"/evaluations/{evaluation.id}/results.csv"))
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [row[2] for row in rows[1:]] == ["Claire Donovan", "Held back"]
    assert rows[-1][:4] == [
        "", "", "Held back",
        "2 responses given anonymously, not included: held back until at least 5 people have answered anonymously",
    ]  # fmt: skip
    assert "Secret comment" not in response.data.decode("utf-8-sig")
    pdf = client_as("SMB").get(disclosed(f"/evaluations/{evaluation.id}/results.pdf"))
    text = " ".join(
        " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages).split()
    )
    assert "Secret comment" not in text and "Claire's own comment" in text
    assert "2 people answered anonymously: held back from this summary until at least 5" in text
    assert "mean 5.0" in text and "2 anonymous answers held back" in text


def test_the_text_answers_page_holds_back_a_few_anonymous_answers(client_as, factory):
    evaluation, _people = _chosen(factory, [1])
    question = evaluation.form.ordered_questions[-1]
    response = client_as("TRSG").get(f"/evaluations/{evaluation.id}/questions/{question.id}/answers")
    shown = [li.get_text(" ", strip=True) for li in soup(response).select(".app-text-answers li")]
    assert shown == ["“Claire's own comment” – Claire Donovan"]
    assert "1 anonymous answer to this question held back" in page_text(response)


def test_anonymous_answers_show_once_the_minimum_have_answered_anonymously(client_as, factory):
    evaluation, _people = _chosen(factory, [1, 2, 3, 4, 5], waiting=0)
    client = client_as("TRSG")
    response = client.get(f"/evaluations/{evaluation.id}/results")
    text = page_text(response)
    assert not soup(response).select(".app-anonymous-held-back") and "held back" not in text
    assert "Answered by 6 of 6. Mean 3.3 , median 3.5" in text
    assert "Secret comment 0" in text and "– anonymous" in text
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(disclosed(f"/evaluations/{evaluation.id}/results.csv")).data.decode("utf-8-sig")
            )
        )
    )
    assert [row[2] for row in rows[1:]] == ["Claire Donovan"] + ["Anonymous"] * 5


def test_anonymous_answers_are_held_back_while_the_evaluation_is_open(client_as, factory, session, app):
    """Each new anonymous answer would otherwise show as what changed between two downloads, beside the
    name added meanwhile to the list of who has answered: so none shows until the evaluation closes."""
    today = today_london()
    evaluation, _people = _chosen(factory, [1, 2, 3, 4, 5], waiting=1, closes_on=today)
    client = client_as("TRSG")
    response = client.get(f"/evaluations/{evaluation.id}/results")
    text = page_text(response)
    notice = soup(response).select_one(".app-anonymous-held-back").get_text(" ", strip=True)
    assert notice.startswith("5 people answered anonymously. Their answers are held back")
    assert f"until the evaluation closes on {today:%-d %B %Y}: while it is open" in notice
    assert "Secret comment" not in text and "Answered by 1 of 6. Mean 5.0" in text
    # Nor how many answered each question anonymously: the count would tell whether the newest did.
    assert "Anonymous answers to this question held back until the evaluation closes" in text
    assert "5 anonymous answers to this question" not in text
    csv_text = client.get(disclosed(f"/evaluations/{evaluation.id}/results.csv")).data.decode("utf-8-sig")
    assert [row[2] for row in list(csv.reader(io.StringIO(csv_text)))[1:]] == ["Claire Donovan", "Held back"]
    pdf = client.get(disclosed(f"/evaluations/{evaluation.id}/results.pdf"))
    pdf_text = " ".join(
        " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages).split()
    )
    assert f"held back from this summary until the evaluation closes on {today:%-d %B %Y}" in pdf_text
    question = evaluation.form.ordered_questions[-1]
    answers = client.get(f"/evaluations/{evaluation.id}/questions/{question.id}/answers")
    assert "Anonymous answers to this question are not listed until the evaluation closes on" in page_text(answers)
    assert "5 anonymous answers" not in page_text(answers)
    with app.test_request_context():
        rating = evaluation_summary([evaluation.event_id])[evaluation.event_id].questions[0]
    assert (rating.answered, rating.mean) == (1, 5.0)
    # Closed, the five anonymous answers count and show.
    evaluation.closes_on = today - timedelta(days=1)
    session.add(evaluation)
    session.commit()
    text = page_text(client.get(f"/evaluations/{evaluation.id}/results"))
    assert "Answered by 6 of 6. Mean 3.3" in text and "Secret comment 0" in text


def test_the_csv_of_an_open_evaluation_says_its_anonymous_answers_are_held_back_until_it_closes(
    client_as, factory, session
):
    """As the results page and the comparison's CSV say it: the file's last row tells how many answered
    anonymously and that their answers wait for the evaluation to close; once it has, they are rows."""
    today = today_london()
    evaluation, _people = _chosen(factory, [1, 2, 3, 4, 5], waiting=1, closes_on=today)
    client = client_as("TRSG")
    csv_text = client.get(disclosed(f"/evaluations/{evaluation.id}/results.csv")).data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert [row[:3] for row in rows[1:]] == [["1", rows[1][1], "Claire Donovan"], ["", "", "Held back"]]
    assert rows[-1][3] == (
        f"5 responses given anonymously, not included: held back until the evaluation closes on {today:%-d %B %Y}"
    )
    evaluation.closes_on = today - timedelta(days=1)
    session.add(evaluation)
    session.commit()
    csv_text = client.get(disclosed(f"/evaluations/{evaluation.id}/results.csv")).data.decode("utf-8-sig")
    assert "held back" not in csv_text.lower()
    assert [row[2] for row in list(csv.reader(io.StringIO(csv_text)))[1:]] == ["Claire Donovan"] + ["Anonymous"] * 5


def test_a_question_few_answered_anonymously_is_held_back_even_when_enough_answered_anonymously(
    client_as, factory
):
    # Six answered anonymously, but only one of them wrote a comment.
    evaluation, _people = _chosen(factory, [4] * 6, waiting=0, anonymous_comments=1)
    client = client_as("TRSG")
    response = client.get(f"/evaluations/{evaluation.id}/results")
    text = page_text(response)
    assert not soup(response).select(".app-anonymous-held-back")
    assert "Answered by 7 of 7. Mean 4.1" in text  # the rating, answered anonymously by six, counts them
    assert "Secret comment" not in text and "Claire's own comment" in text
    assert "1 anonymous answer to this question held back: not listed" in text
    # The CSV lists the six anonymous responses, with their ratings but without the one comment.
    csv_text = client.get(disclosed(f"/evaluations/{evaluation.id}/results.csv")).data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert [row[2] for row in rows[1:]] == ["Claire Donovan"] + ["Anonymous"] * 6
    assert [row[3] for row in rows[2:]] == ["4"] * 6 and "Secret comment" not in csv_text
    assert rows[1][-1] == "Claire's own comment"


def test_a_comparison_and_the_annual_summary_do_not_count_held_back_anonymous_answers(
    client_as, factory, app_context
):
    july, _ = _chosen(factory, [1, 1])
    august, _ = _chosen(factory, [2, 2, 2, 2, 2], title="Chairs' Forum, August", waiting=0, form=july.form)
    summary = evaluation_summary([july.event_id, august.event_id])
    rating, yes_no = summary[july.event_id].questions
    assert (summary[july.event_id].responses, rating.answered, rating.mean, yes_no.yes_share) == (
        3,
        1,
        5.0,
        1.0,
    )
    assert summary[august.event_id].questions[0].mean == 2.5
    response = client_as("SMB").get(f"/evaluations/compare?evaluation={july.id}&evaluation={august.id}")
    rows = table_rows(response, "How would you rate the day?, by event")
    assert rows[:2] == [["Answered by", "1", "6"], ["Mean (1 to 5)", "5.0", "2.5"]]
    # The page, its CSV and its PDF say what is not counted, and why.
    note = soup(response).select_one(".app-comparison-held-back").get_text(" ", strip=True)
    assert note == (
        "Chairs' Forum, July: 2 answers given anonymously not counted in these figures, held back until at "
        "least 5 people have answered anonymously."
    )
    query = f"evaluation={july.id}&evaluation={august.id}"
    csv_text = client_as("SMB").get(disclosed(f"/evaluations/compare.csv?{query}")).data.decode("utf-8-sig")
    assert "Answers given anonymously, not counted" in csv_text and "Held back until at least 5" in csv_text
    pdf = client_as("SMB").get(disclosed(f"/evaluations/compare.pdf?{query}"))
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages).split())
    assert "Chairs' Forum, July: 2 answers given anonymously not counted in these figures" in text


def test_the_csv_of_an_open_evaluation_with_too_few_anonymous_answers_says_closing_alone_will_not_show_them(
    client_as, factory
):
    """Two answered anonymously: the answers wait for the close and for enough people, as the results page
    says, not for the close alone."""
    today = today_london()
    evaluation, _people = _chosen(factory, [4, 5], waiting=1, closes_on=today)
    csv_text = client_as("TRSG").get(disclosed(f"/evaluations/{evaluation.id}/results.csv")).data.decode("utf-8-sig")
    last = list(csv.reader(io.StringIO(csv_text)))[-1]
    assert last[3] == (
        f"2 responses given anonymously, not included: held back until the evaluation closes on {today:%-d %B %Y} "
        "and at least 5 people have answered anonymously"
    )
