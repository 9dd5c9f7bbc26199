"""An evaluation's responses as CSV: one row per response, one column per question, for spreadsheets."""

from __future__ import annotations

import re
from collections import defaultdict

from sqlmodel import col, select

from tracker.core.csvfile import csv_text
from tracker.core.db import db
from tracker.core.timeutil import london
from tracker.evaluations import rules
from tracker.evaluations.models import Answer, EventEvaluation, QuestionKind, Response
from tracker.training.models import Trainee

ANONYMOUS = "Anonymous"


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
    if anonymous:
        responses = rules.shuffled(responses)
    header = ["Response"] if anonymous else ["Response", "Submitted on", "Name"]
    header += [f"{number}. {q.text}" for number, q in enumerate(ordered, start=1)]
    rows = []
    for number, (response_id, submitted_on, name) in enumerate(responses, start=1):
        given = answers[response_id]
        cells = ["; ".join(given.get(q.id, [])) for q in ordered]
        who = [] if anonymous else [submitted_on.isoformat(), name or ANONYMOUS]
        rows.append([number, *who, *cells])
    return csv_text(header, rows)
