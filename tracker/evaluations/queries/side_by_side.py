"""Events' evaluations side by side, measure by measure: across versions and copies of a form, and
between forms where the TRSG marked a question as the same measure as another form's."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.core import settings
from tracker.core.db import db
from tracker.core.timeutil import format_date
from tracker.evaluations import rules
from tracker.evaluations.models import EvaluationForm, EventEvaluation, Question, Response
from tracker.evaluations.queries.event_results import (
    QuestionResult,
    Rate,
    figures_for_questions,
    form_contents,
    question_result,
    rates,
    responses_needed,
)
from tracker.evaluations.queries.openings import Held, anonymity, still_open
from tracker.training.models import CourseEvent

# Comparing events --------------------------------------------------------------------------------------


@dataclass
class ComparedQuestion:
    """One measure (questions sharing a lineage, in any form or version) across events: `question` as
    the newest event asking it words it (the measure's label); `by_event` is None where an event's form
    did not ask it, and `withheld` says where an anonymous form had too few answers to it for them to be
    shown. Each event's form may word it differently (`wordings`)."""

    question: Question
    by_event: list[QuestionResult | None]
    withheld: list[bool] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        """Every answer any event's question offers, in the newest wording's order first."""
        labels: list[str] = []
        for result in reversed(self.by_event):
            for bar in result.bars if result else []:
                if bar.label not in labels:
                    labels.append(bar.label)
        return labels

    @property
    def wordings(self) -> list[str | None]:
        """Per event, the question as its own form asked it (None: not asked)."""
        return [None if result is None else result.question.text for result in self.by_event]

    @property
    def reworded(self) -> bool:
        """Whether the events' forms asked this measure in different words."""
        return len({wording for wording in self.wordings if wording is not None}) > 1

    def shown(self, index: int) -> QuestionResult | None:
        """The result for the event at `index`, if it was asked and may be shown."""
        return None if self.withheld[index] else self.by_event[index]


@dataclass
class Comparison:
    evaluations: list[EventEvaluation]
    rates: list[Rate]
    sections: list[tuple[str, list[ComparedQuestion]]]
    # Anonymous evaluations left out for having too few responses, with how many more each needs.
    withheld: list[tuple[EventEvaluation, int]] = field(default_factory=list)
    minimum: int = 0
    # Per evaluation compared: the answers given anonymously and held back from its figures, and why.
    held_back: list[tuple[int, str]] = field(default_factory=list)

    @property
    def held_back_notes(self) -> list[tuple[EventEvaluation, int, str]]:
        """The evaluations with answers held back: each, how many, and until when."""
        return [(e, n, why) for e, (n, why) in zip(self.evaluations, self.held_back, strict=True) if n]

    @property
    def questions(self) -> list[ComparedQuestion]:
        return [compared for _title, questions in self.sections for compared in questions]


def load_evaluations(evaluation_ids: list[int]) -> list[EventEvaluation]:
    """Evaluations with events and forms, oldest event first."""
    return list(
        db.session.exec(
            select(EventEvaluation)
            .join(CourseEvent, col(CourseEvent.id) == EventEvaluation.event_id)
            .where(col(EventEvaluation.id).in_(evaluation_ids))
            .options(
                selectinload(EventEvaluation.event),
                selectinload(EventEvaluation.form).options(*form_contents()),
            )
            .order_by(col(CourseEvent.starts_at), col(EventEvaluation.id))
        )
    )


OTHER_QUESTIONS = "Asked at only some of these events"


def _measure_layout(forms: list[EvaluationForm]) -> list[tuple[str, list[Question]]]:
    """The sections of the comparison: the newest event's form as it is laid out, then the measures
    only other forms asked (newest first), each as its newest wording."""
    newest = forms[-1]
    sections = [(section.title, list(section.questions)) for section in newest.sections if section.questions]
    seen = {question.lineage for question in newest.questions}
    others = []
    for form in reversed(forms[:-1]):
        for question in form.ordered_questions:
            if question.lineage not in seen:
                seen.add(question.lineage)
                others.append(question)
    return sections + ([(OTHER_QUESTIONS, others)] if others else [])


def comparison(evaluation_ids: list[int]) -> Comparison:
    """Events side by side, measure by measure, laid out as the newest event's form.

    Questions are matched by their measure (lineage), kept across a form's versions and copies and set
    by the TRSG between different forms, so a question reworded in a later version or asked by another
    form still lines up; one an event's form did not ask shows as not asked. On an anonymous form an
    event with fewer than the minimum responses is left out, and so is any one question's figures that
    fewer than the minimum answered (a breakdown small enough to recognise people).
    """
    evaluations = load_evaluations(evaluation_ids)
    rate = rates([e.id for e in evaluations])
    needed = {e.id: responses_needed(e, rate[e.id].responses) for e in evaluations}
    withheld = [(e, needed[e.id]) for e in evaluations if needed[e.id]]
    evaluations = [e for e in evaluations if not needed[e.id]]
    minimum = settings.get(rules.MIN_ANONYMOUS_RESPONSES.key)
    if not evaluations:
        return Comparison([], [], [], withheld, minimum)
    kept = anonymity(evaluations)
    figures = figures_for_questions(evaluations, kept)
    by_lineage = [{q.lineage: q for q in e.form.questions} for e in evaluations]
    sections = []
    for title, questions in _measure_layout([e.form for e in evaluations]):
        compared = []
        for question in questions:
            row, hidden = [], []
            for evaluation, asked in zip(evaluations, by_lineage, strict=True):
                own = asked.get(question.lineage)
                result = None if own is None else question_result(own, figures[evaluation.id].get(own.id))
                row.append(result)
                hidden.append(
                    result is not None
                    and rules.withheld_for_anonymity(evaluation.always_anonymous, result.answered, minimum)
                )
            compared.append(ComparedQuestion(question, row, hidden))
        sections.append((title, compared))
    held_back = [(kept[e.id].held.count, held_until(e, minimum, kept[e.id].held)) for e in evaluations]
    return Comparison(evaluations, [rate[e.id] for e in evaluations], sections, withheld, minimum, held_back)


def held_until(evaluation: EventEvaluation, minimum: int, held: Held | None = None) -> str:
    """Until when an evaluation's anonymous answers are held back (`rules.anonymous_shown`), as the
    comparison and the responses CSV say it: those given since it reopened (`held.since`) wait for the
    minimum of their own, even once it has closed again."""
    since = held.since if held else None
    enough = f"at least {minimum} people have answered anonymously"
    if since:
        enough += f" since the evaluation reopened on {format_date(since)}"
    if still_open(evaluation):
        closes = f"the evaluation closes on {format_date(evaluation.closes_on)}"
        too_few = held is None or held.count < minimum  # closing alone will not show them
        return f"held back until {closes}" + (f" and {enough}" if since or too_few else "")
    return f"held back until {enough}"


def measures_of(form_ids: list[int]) -> dict[int, set[str]]:
    """Per form version: the measures (lineages) its questions ask."""
    found: dict[int, set[str]] = defaultdict(set)
    if form_ids:
        for form_id, lineage in db.session.execute(
            select(Question.form_id, Question.lineage).where(col(Question.form_id).in_(form_ids))
        ):
            found[form_id].add(lineage)
    return found


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
