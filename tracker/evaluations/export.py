"""An evaluation's responses as CSV: one row per response, one column per question, for spreadsheets."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from sqlmodel import col, select

from tracker.core import settings
from tracker.core.csvfile import csv_text
from tracker.core.db import db
from tracker.core.timeutil import london
from tracker.evaluations import rules
from tracker.evaluations.models import Answer, EventEvaluation, QuestionKind, Response
from tracker.evaluations.queries import Anonymity, anonymity, held_until
from tracker.training.models import Trainee

ANONYMOUS = "Anonymous"
HELD_BACK = "Held back"
TOO_FEW = (
    "Too few answers to show: this evaluation is anonymous, and so few answers could identify who gave them"
)


def file_stem(evaluation: EventEvaluation) -> str:
    """A clear, safe file name: the event's title and the first day it ran."""
    title = re.sub(r"[^a-z0-9]+", "-", evaluation.event.title.lower()).strip("-")[:60] or "event"
    day = evaluation.event.starts_at
    return f"evaluation-{title}" + (f"-{london(day):%Y-%m-%d}" if day else "")


def _cell(kind: QuestionKind, number: int | None, text: str | None) -> str:
    if kind is QuestionKind.YES_NO:
        return "Yes" if number == 1 else "No"
    if number is not None:
        return str(number)
    return text or ""


def responses_csv(evaluation: EventEvaluation) -> str:
    """Every response to the evaluation (two queries), with the name only where the person gave it.

    Ratings are the number 1 to 5; a multiple choice answer lists the options chosen, separated by
    semicolons. Cells that a spreadsheet would run as a formula are made plain text. An anonymous
    evaluation's rows come in a random order with neither the day nor a name: either would let a reader
    match an answer to the person who gave it (the first to answer, the one who answered on Monday).
    Otherwise the responses given without a name come after the named ones, shuffled and undated, and
    only once the evaluation has closed and enough people have answered anonymously
    (`rules.anonymous_held_back`): a few of them, beside
    the named rows, could be traced to their authors by elimination. Once they have shown, those given
    after the evaluation reopened wait for enough of their own (`rules.anonymous_shown`), beside a copy
    made before. A last row says when they are held back, how many, and until when. For the same reason a
    question answered anonymously by fewer than that minimum is left blank in every anonymous row, as the
    results page holds its anonymous answers back (the one anonymous comment would otherwise be listed);
    on an anonymous evaluation, a last row says which questions were left out and why.
    """
    questions = evaluation.form.questions
    ordered = evaluation.form.ordered_questions
    kinds = {q.id: q.kind for q in questions}
    responses = db.session.execute(
        select(Response.id, Response.submitted_on, col(Trainee.name))
        .outerjoin(Trainee, col(Trainee.id) == Response.trainee_id)
        .where(Response.evaluation_id == evaluation.id)
        .order_by(Response.id)
    ).all()
    answers: dict[int, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = db.session.execute(
        select(Answer.response_id, Answer.question_id, Answer.number, Answer.text)
        .join(Response, col(Response.id) == Answer.response_id)
        .where(Response.evaluation_id == evaluation.id)
        .order_by(Answer.response_id, Answer.id)
    )
    for response_id, question_id, number, text in rows:
        answers[response_id][question_id].append(_cell(kinds[question_id], number, text))

    anonymous = evaluation.always_anonymous
    minimum = settings.get(rules.MIN_ANONYMOUS_RESPONSES.key)
    note = []
    if anonymous:  # every row anonymous: a question too few answered is left out, as on the results page
        if withheld := _withhold_few(answers, ordered, minimum):
            note = [_withheld_row(ordered, withheld)]
        responses = rules.shuffled(responses)
    else:  # those who gave their name, in order; then the others that show, shuffled and undated
        kept = anonymity([evaluation])[evaluation.id]
        if held := kept.held:
            note = [_held_back_row(held.count, held_until(evaluation, minimum, held))]
        unnamed = [r for r in responses if not r.name and kept.opening_of(r.submitted_on) < kept.shown]
        _hold_back_questions(answers, [(r.id, r.submitted_on) for r in unnamed], kept)
        responses = [r for r in responses if r.name] + rules.shuffled(unnamed)
    header = ["Response"] if anonymous else ["Response", "Submitted on", "Name"]
    header += [f"{number}. {q.text}" for number, q in enumerate(ordered, start=1)]
    rows = []
    for number, (response_id, submitted_on, name) in enumerate(responses, start=1):
        given = answers[response_id]
        cells = ["; ".join(given.get(q.id, [])) for q in ordered]
        who = [] if anonymous else [submitted_on.isoformat() if name else "", name or ANONYMOUS]
        rows.append([number, *who, *cells])
    return csv_text(header, rows + note)


def _held_back_row(held: int, until: str) -> list[str]:
    """The last row of a CSV whose anonymous responses are held back: it says so, and until when (as the
    comparison's CSV does), under the names and in the first answer's column."""
    responses = "response" if held == 1 else "responses"
    return ["", "", HELD_BACK, f"{held} {responses} given anonymously, not included: {until}"]


def _withhold_few(answers: dict[int, dict[int, list[str]]], ordered: list, minimum: int) -> set[int]:
    """Blanks, on an anonymous evaluation, every answer to each question answered by fewer than `minimum`
    people (`rules.withheld_for_anonymity`), and returns those questions' ids."""
    answered: dict[int, int] = defaultdict(int)
    for given in answers.values():
        for question_id in given:
            answered[question_id] += 1
    withheld = {q.id for q in ordered if rules.withheld_for_anonymity(True, answered[q.id], minimum)}
    for given in answers.values():
        for question_id in withheld:
            given.pop(question_id, None)
    return withheld


def _withheld_row(ordered: list, withheld: set[int]) -> list[str]:
    """The last row of an anonymous evaluation's CSV with questions too few answered: it says so, in the
    column of each of them."""
    return [HELD_BACK] + [TOO_FEW if q.id in withheld else "" for q in ordered]


def _hold_back_questions(
    answers: dict[int, dict[int, list[str]]], unnamed: list[tuple[int, date]], kept: Anonymity
) -> None:
    """Blanks, in the anonymous responses shown (each an id and its day), the answers to each question
    held back: all of them when fewer than the minimum answered it, or those given since a reopening."""
    answered: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for response_id, day in unnamed:
        for question_id in answers[response_id]:
            answered[question_id][day] += 1
    shown = {question_id: kept.question_shown(by_day) for question_id, by_day in answered.items()}
    for response_id, day in unnamed:
        for question_id, openings in shown.items():
            if kept.opening_of(day) >= openings:
                answers[response_id].pop(question_id, None)


# Comparing events ----------------------------------------------------------------------------------

COMPARISON_HEADER = [
    "Section",
    "Question",
    "Measure",
    "Kind of answer",
    "Event",
    "Event date",
    "Form",
    "Question as asked",
    "Figure",
    "Answer",
    "Value",
    "Not shown because",
]


def _event_cells(evaluation: EventEvaluation, asked_as: str | None = None) -> list:
    """The event's columns, and the question as its form asked it (for a figure about a question)."""
    day = evaluation.event.starts_at
    date_cell = london(day).date().isoformat() if day else None
    return [evaluation.event.title, date_cell, evaluation.form.label, asked_as]


def _question_rows(title: str, compared, index: int, evaluation: EventEvaluation, minimum: int) -> list:
    """One measure's figures for one event: the measure's label in Question, and the event's own
    wording beside its form (forms may word a measure differently)."""
    question = compared.question
    event = _event_cells(evaluation, compared.wordings[index])
    lead = [title, question.text, question.lineage, question.kind.label, *event]
    result = compared.by_event[index]
    if result is None:
        return [[*lead, "Answered by", None, None, "Not asked"]]
    if compared.withheld[index]:
        why = f"Fewer than {minimum} answers on an anonymous form"
        return [[*lead, "Answered by", None, None, why]]
    rows = [[*lead, "Answered by", None, result.answered, None]]
    if question.kind is QuestionKind.RATING:
        rows.append(
            [*lead, "Mean (1 to 5)", None, _rounded(result.mean), None if result.answered else "No answers"]
        )
        rows.append(
            [*lead, "Median", None, _rounded(result.median), None if result.answered else "No answers"]
        )
    for bar in result.bars:
        rows.append([*lead, "Number", bar.label, bar.count, None])
        rows.append([*lead, "Share (%)", bar.label, _rounded(bar.share * 100), None])
    return rows


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def comparison_csv(comparison) -> str:
    """A comparison of events (`queries.Comparison`) as one figure a row, for spreadsheets: numbers only
    in the Value column; a figure that cannot be shown (not asked, or too few answers on an anonymous
    form) is an empty Value with the reason in its own column. Events left out for anonymity are listed
    with no figures at all."""
    rows = []
    for evaluation, rate in zip(comparison.evaluations, comparison.rates, strict=True):
        lead = ["Response rates", None, None, None, *_event_cells(evaluation)]
        rows.append([*lead, "People sent a link", None, rate.invited, None])
        rows.append([*lead, "Responses", None, rate.responses, None])
        share = None if rate.rate is None else _rounded(rate.rate * 100)
        rows.append(
            [*lead, "Response rate (%)", None, share, None if rate.invited else "No one was sent a link"]
        )
    for evaluation, held, why in comparison.held_back_notes:
        lead = ["Response rates", None, None, None, *_event_cells(evaluation)]
        rows.append([*lead, "Answers given anonymously, not counted", None, held, why.capitalize()])
    for evaluation, _needed in comparison.withheld:
        why = f"Anonymous form with fewer than {comparison.minimum} responses"
        rows.append(
            ["Response rates", None, None, None, *_event_cells(evaluation), "Responses", None, None, why]
        )
    for title, questions in comparison.sections:
        for compared in questions:
            for index, evaluation in enumerate(comparison.evaluations):
                rows += _question_rows(title, compared, index, evaluation, comparison.minimum)
    return csv_text(COMPARISON_HEADER, rows)
