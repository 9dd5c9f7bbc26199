"""Summaries of events' evaluations for other areas' pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.core.db import db
from tracker.core.timeutil import format_date
from tracker.evaluations.models import EvaluationForm, EventEvaluation, FormSection, QuestionKind
from tracker.evaluations.queries.event_results import (
    figures_for_questions,
    question_result,
    rates,
    responses_needed,
)
from tracker.evaluations.queries.openings import anonymity

# For other areas ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSummary:
    lineage: str
    text: str
    kind: QuestionKind
    answered: int
    mean: float | None  # ratings
    yes_share: float | None  # yes/no questions


@dataclass(frozen=True)
class EventSummary:
    event_id: int
    evaluation_id: int
    form_name: str
    invited: int
    responses: int
    response_rate: float | None
    questions: list[QuestionSummary]
    # Responses still needed before an anonymous evaluation's figures show (none: they show).
    needed: int = 0
    # Answers given anonymously, where each person chooses, left out of the figures (too few to show), given
    # since that day (the evaluation reopened after earlier anonymous answers showed), or since it was sent.
    held_back: int = 0
    held_since: date | None = None

    @property
    def held_back_text(self) -> str:
        """What a report says of the anonymous answers left out of the averages where each person chose
        whether to give their name ("" when none is): too few answered anonymously (since the evaluation
        reopened, the averages counting those shown before) to count them without tracing their authors."""
        if not self.held_back:
            return ""
        answers = f"{self.held_back} anonymous answer{'s' if self.held_back != 1 else ''}"
        averaged = any(question.mean is not None for question in self.questions)
        counted = "the averages are of the named answers" if averaged else "no named answer to average"
        if self.held_since:
            answers += f" given since the evaluation reopened on {format_date(self.held_since)}"
            counted = "the averages leave them out"
        return f"{answers} held back until enough people answer anonymously: {counted}"


def evaluation_summary(event_ids: list[int]) -> dict[int, EventSummary]:
    """Per event that was evaluated: response rate and, per rating or yes/no question, its mean or
    share of yes. The annual report quotes these as its evaluation highlights. Events without an
    evaluation are left out; an anonymous one with too few responses has no question figures. A fixed
    number of queries for any number of events."""
    evaluations = list(
        db.session.exec(
            select(EventEvaluation)
            .where(col(EventEvaluation.event_id).in_(event_ids))
            .options(
                selectinload(EventEvaluation.form)
                .selectinload(EvaluationForm.sections)
                .selectinload(FormSection.questions)
            )
        )
    )
    ids = [e.id for e in evaluations]
    kept, rate = anonymity(evaluations), rates(ids)
    figures = figures_for_questions(evaluations, kept)
    summaries = {}
    for evaluation in evaluations:
        questions = []
        # An anonymous evaluation with too few responses gives its response rate and no figures.
        withheld = responses_needed(evaluation, rate[evaluation.id].responses)
        for question in evaluation.form.ordered_questions:
            if withheld or not question.kind.is_numeric:
                continue
            result = question_result(question, figures[evaluation.id].get(question.id))
            questions.append(
                QuestionSummary(
                    question.lineage,
                    question.text,
                    question.kind,
                    result.answered,
                    result.mean,
                    result.yes_share,
                )
            )
        counted = rate[evaluation.id]
        summaries[evaluation.event_id] = EventSummary(
            evaluation.event_id,
            evaluation.id,
            evaluation.form.name,
            counted.invited,
            counted.responses,
            counted.rate,
            questions,
            withheld,
            kept[evaluation.id].held.count,
            kept[evaluation.id].held.since,
        )
    return summaries
