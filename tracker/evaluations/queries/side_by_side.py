"""Events' evaluations side by side, question by question."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.core.db import db
from tracker.evaluations.models import EvaluationForm, EventEvaluation, FormSection, Question, Response
from tracker.evaluations.queries.event_results import (
    QuestionResult,
    Rate,
    figures_for_questions,
    question_result,
    rates,
    responses_needed,
)
from tracker.training.models import CourseEvent

# Comparing events --------------------------------------------------------------------------------------


@dataclass
class ComparedQuestion:
    """One question (by lineage) across events; `by_event` is None where that version did not ask it."""

    question: Question
    by_event: list[QuestionResult | None]


@dataclass
class Comparison:
    evaluations: list[EventEvaluation]
    rates: list[Rate]
    sections: list[tuple[str, list[ComparedQuestion]]]
    # Anonymous evaluations left out for having too few responses, with how many more each needs.
    withheld: list[tuple[EventEvaluation, int]] = field(default_factory=list)


def load_evaluations(evaluation_ids: list[int]) -> list[EventEvaluation]:
    """Evaluations with events and forms, oldest event first."""
    return list(
        db.session.exec(
            select(EventEvaluation)
            .join(CourseEvent, col(CourseEvent.id) == EventEvaluation.event_id)
            .where(col(EventEvaluation.id).in_(evaluation_ids))
            .options(
                selectinload(EventEvaluation.event),
                selectinload(EventEvaluation.form)
                .selectinload(EvaluationForm.sections)
                .selectinload(FormSection.questions),
                selectinload(EventEvaluation.form).selectinload(EvaluationForm.questions),
            )
            .order_by(col(CourseEvent.starts_at), col(EventEvaluation.id))
        )
    )


def comparison(evaluation_ids: list[int]) -> Comparison:
    """Events side by side, question by question, in the order of the newest form version among them.

    Questions are matched across versions by lineage, so a question reworded in a later version still
    lines up with its earlier self; one a version did not ask shows as not asked.
    """
    evaluations = load_evaluations(evaluation_ids)
    rate = rates([e.id for e in evaluations])
    needed = {e.id: responses_needed(e, rate[e.id].responses) for e in evaluations}
    withheld = [(e, needed[e.id]) for e in evaluations if needed[e.id]]
    evaluations = [e for e in evaluations if not needed[e.id]]
    if not evaluations:
        return Comparison([], [], [], withheld)
    figures = figures_for_questions([e.id for e in evaluations])
    newest = max((e.form for e in evaluations), key=lambda form: form.version_number)
    by_lineage = [{q.lineage: q for q in e.form.questions} for e in evaluations]
    sections = []
    for section in newest.sections:
        compared = []
        for question in section.questions:
            row = []
            for evaluation, asked in zip(evaluations, by_lineage, strict=True):
                own = asked.get(question.lineage)
                row.append(None if own is None else question_result(own, figures[evaluation.id].get(own.id)))
            compared.append(ComparedQuestion(question, row))
        sections.append((section.title, compared))
    return Comparison(evaluations, [rate[e.id] for e in evaluations], sections, withheld)


def comparable_evaluations(limit: int = 60) -> list[EventEvaluation]:
    """Evaluations that have answers, newest event first, for choosing what to compare."""
    answered = select(Response.evaluation_id).distinct()
    return list(
        db.session.exec(
            select(EventEvaluation)
            .join(CourseEvent, col(CourseEvent.id) == EventEvaluation.event_id)
            .where(col(EventEvaluation.id).in_(answered))
            .options(selectinload(EventEvaluation.event), selectinload(EventEvaluation.form))
            .order_by(col(CourseEvent.starts_at).desc(), col(EventEvaluation.id).desc())
            .limit(limit)
        )
    )
