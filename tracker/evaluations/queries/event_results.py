"""One event's evaluation results: the figures of each question, response rates and free-text answers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.core import settings
from tracker.core.db import db
from tracker.evaluations import rules
from tracker.evaluations.models import (
    Answer,
    EvaluationForm,
    EvaluationInvitation,
    EventEvaluation,
    FormSection,
    Question,
    QuestionKind,
    Response,
)
from tracker.evaluations.queries.openings import Anonymity, Held, anonymity, still_open
from tracker.training.models import CourseEvent, Trainee

# Free-text answers shown on a results page; the rest are a link away (and all are in the CSV).
TEXTS_SHOWN = 10


@dataclass
class Figures:
    """What was answered to one question in one evaluation."""

    answered: int = 0
    numbers: dict[int, int] = field(default_factory=dict)
    choices: dict[str, int] = field(default_factory=dict)
    # Answers given anonymously and left out of these figures (`rules.anonymous_shown`), given since that
    # day (the evaluation reopened), or since it was first sent.
    held_back: int = 0
    held_since: date | None = None

    def add(self, other: Figures) -> None:
        """Count another group's answers to the same question in these figures."""
        self.answered += other.answered
        for number, count in other.numbers.items():
            self.numbers[number] = self.numbers.get(number, 0) + count
        for text, count in other.choices.items():
            self.choices[text] = self.choices.get(text, 0) + count


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    share: float  # of the people who answered the question
    # The length drawn, out of the whole track: the share itself, so a bar that fills its track means
    # everyone, as it does in the comparison of events.
    scale: float


@dataclass(frozen=True)
class TextAnswer:
    text: str
    name: str | None


@dataclass
class QuestionResult:
    question: Question
    answered: int
    bars: list[Bar]
    mean: float | None = None
    median: float | None = None
    texts: list[TextAnswer] = field(default_factory=list)
    # On an anonymous evaluation, a question too few people answered shows no figures and no answers.
    withheld: bool = False
    # Where each person chooses whether to give their name: answers given anonymously and left out of the
    # figures and the texts, too few to show beside the named ones (`answered` counts only those shown),
    # given since that day (the evaluation reopened), or since it was first sent.
    held_back: int = 0
    held_since: date | None = None

    @property
    def yes_share(self) -> float | None:
        if self.question.kind is not QuestionKind.YES_NO or not self.answered or not self.bars:
            return None
        return self.bars[0].share


@dataclass
class Rate:
    invited: int
    responses: int
    # Of the responses, those given without a name.
    anonymous: int = 0

    @property
    def rate(self) -> float | None:
        return rules.response_rate(self.responses, self.invited)


@dataclass
class Results:
    evaluation: EventEvaluation
    rate: Rate
    questions: dict[int, QuestionResult]
    # Responses still needed before an anonymous evaluation's results show (none: they show).
    needed: int = 0
    # Where each person chooses whether to give their name: the responses given anonymously that are held
    # back from the results, the PDF and the CSV until `minimum` people have answered anonymously (since
    # it reopened, where it did after they showed), and the evaluation has closed.
    held_back: Held = field(default_factory=Held)
    minimum: int = 0

    @property
    def still_open(self) -> bool:
        return still_open(self.evaluation)

    @property
    def form(self) -> EvaluationForm:
        return self.evaluation.form


def question_result(question: Question, figures: Figures | None) -> QuestionResult:
    """A question's bars (one per possible answer, in the question's order), mean and median."""
    figures = figures or Figures()
    if question.kind is QuestionKind.RATING:
        scale = zip(rules.SCALE, question.options, strict=True)
        labels = [(f"{n} – {label}", figures.numbers.get(n, 0)) for n, label in scale]
    elif question.kind is QuestionKind.YES_NO:
        labels = [("Yes", figures.numbers.get(1, 0)), ("No", figures.numbers.get(0, 0))]
    elif question.kind.has_options:
        labels = [(option, figures.choices.get(option, 0)) for option in question.options]
        # Answers to an option since renamed still count, shown after the current ones.
        labels += [(text, count) for text, count in figures.choices.items() if text not in question.options]
    else:
        labels = []
    bars = [
        Bar(label, count, share, share)
        for label, count in labels
        for share in [rules.share(count, figures.answered)]
    ]
    result = QuestionResult(question, figures.answered, bars, held_back=figures.held_back)
    result.held_since = figures.held_since
    if question.kind is QuestionKind.RATING:
        result.mean, result.median = rules.mean(figures.numbers), rules.median(figures.numbers)
    return result


def figures_for_questions(
    evaluations: list[EventEvaluation], kept: dict[int, Anonymity] | None = None
) -> dict[int, dict[int, Figures]]:
    """Per evaluation, per question: how many answered, and the counts of each answer (three queries, and
    two for `anonymity` unless `kept` gives it).

    Where each person chooses whether to give their name, the answers given anonymously to a question
    count only once at least the minimum number of people gave them, and those given after a reopening
    once the minimum gave them since (`rules.anonymous_shown`): otherwise figures over everyone, less the
    named answers (or less the figures as they were before), would give away the anonymous ones.
    """
    found: dict[int, dict[int, Figures]] = defaultdict(lambda: defaultdict(Figures))
    if not evaluations:
        return found
    kept = kept or anonymity(evaluations)
    # Per evaluation and question: the figures of the named answers, then of the anonymous ones, each day.
    parts: dict[tuple[int, int], dict[tuple[bool, date], Figures]] = defaultdict(lambda: defaultdict(Figures))
    unnamed = col(Response.trainee_id).is_(None)
    in_these = col(Response.evaluation_id).in_([e.id for e in evaluations])
    joined = select().select_from(Answer).join(Response, col(Response.id) == Answer.response_id)
    group = (Response.evaluation_id, Answer.question_id, unnamed, Response.submitted_on)
    answered = joined.add_columns(*group, sa.func.count(sa.distinct(Answer.response_id))).where(in_these)
    for evaluation_id, question_id, anonymous, day, count in db.session.execute(answered.group_by(*group)):
        parts[evaluation_id, question_id][bool(anonymous), day].answered = count
    numbers = joined.add_columns(*group, Answer.number, sa.func.count()).where(
        in_these, col(Answer.number).is_not(None)
    )
    for evaluation_id, question_id, anonymous, day, number, count in db.session.execute(
        numbers.group_by(*group, Answer.number)
    ):
        parts[evaluation_id, question_id][bool(anonymous), day].numbers[number] = count
    choice_kinds = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)
    choices = (
        joined.join(Question, col(Question.id) == Answer.question_id)
        .add_columns(*group, Answer.text, sa.func.count())
        .where(in_these, col(Question.kind).in_(choice_kinds))
    )
    for evaluation_id, question_id, anonymous, day, text, count in db.session.execute(
        choices.group_by(*group, Answer.text)
    ):
        parts[evaluation_id, question_id][bool(anonymous), day].choices[text] = count
    for (evaluation_id, question_id), groups in parts.items():
        _count_shown(found[evaluation_id][question_id], groups, kept[evaluation_id])
    return found


def _count_shown(figures: Figures, groups: Mapping[tuple[bool, date], Figures], kept: Anonymity) -> None:
    """Adds to one question's `figures` its named answers and the anonymous ones that show, and counts
    those held back, from its answers grouped by whether they were anonymous and by day."""
    anonymous_by_day = {day: part.answered for (anonymous, day), part in groups.items() if anonymous}
    shown = kept.question_shown(anonymous_by_day)
    figures.held_since = kept.since(shown)
    for (anonymous, day), part in groups.items():
        if anonymous and kept.opening_of(day) >= shown:
            figures.held_back += part.answered
        else:
            figures.add(part)


def rates(evaluation_ids: list[int]) -> dict[int, Rate]:
    """People sent a link and responses, per evaluation (two queries)."""
    if not evaluation_ids:
        return {}
    invited = _count_per(col(EvaluationInvitation.evaluation_id), evaluation_ids)
    responses = {
        evaluation_id: (count, count - named)
        for evaluation_id, count, named in db.session.execute(
            select(Response.evaluation_id, sa.func.count(), sa.func.count(Response.trainee_id))
            .where(col(Response.evaluation_id).in_(evaluation_ids))
            .group_by(Response.evaluation_id)
        )
    }
    return {e: Rate(invited.get(e, 0), *responses.get(e, (0, 0))) for e in evaluation_ids}


def _count_per(evaluation_id: sa.ColumnElement, evaluation_ids: list[int]) -> dict[int, int]:
    """How many rows of a table name each of the evaluations, by its `evaluation_id` column."""
    rows = db.session.execute(
        select(evaluation_id, sa.func.count())
        .where(evaluation_id.in_(evaluation_ids))
        .group_by(evaluation_id)
    )
    return dict(rows.all())


def _latest_texts(
    evaluation: EventEvaluation,
    question_ids: list[int],
    per_question: int,
    held_back: Mapping[int, date | None],
) -> dict[int, list[TextAnswer]]:
    """The first free-text answers to each question, in `answer_order` (a window function: one query),
    leaving out the anonymous answers `held_back` (`not_held_back`)."""
    if not question_ids:
        return {}
    ranked = (
        select(
            Answer.question_id,
            Answer.text,
            col(Trainee.name).label("name"),
            sa.func.row_number()
            .over(
                partition_by=Answer.question_id,
                order_by=answer_order(evaluation.id, evaluation.always_anonymous),
            )
            .label("rank"),
        )
        .join(Response, col(Response.id) == Answer.response_id)
        .outerjoin(Trainee, col(Trainee.id) == Response.trainee_id)
        .where(
            Response.evaluation_id == evaluation.id,
            col(Answer.question_id).in_(question_ids),
            not_held_back(held_back),
        )
        .subquery()
    )
    rows = db.session.execute(
        select(ranked.c.question_id, ranked.c.text, ranked.c.name)
        .where(ranked.c.rank <= per_question)
        .order_by(ranked.c.question_id, ranked.c.rank)
    )
    found: dict[int, list[TextAnswer]] = defaultdict(list)
    for question_id, text, name in rows:
        found[question_id].append(TextAnswer(text, name))
    return found


def not_held_back(held: Mapping[int, date | None]) -> sa.ColumnElement[bool]:
    """Answers other than the anonymous ones held back: to each question of `held`, those given from the
    day it names on (the day the evaluation reopened; None: all of them)."""
    if not held:
        return sa.true()
    since = [
        sa.and_(Answer.question_id == question_id, *([col(Response.submitted_on) >= day] if day else []))
        for question_id, day in held.items()
    ]
    return sa.or_(col(Response.trainee_id).is_not(None), sa.not_(sa.or_(*since)))


def form_contents() -> tuple:
    """Loader options for a form version's sections with their questions, and all its questions (two more
    queries, whatever their number): for a query of forms, or under a relationship to one."""
    return (
        selectinload(EvaluationForm.sections).selectinload(FormSection.questions),
        selectinload(EvaluationForm.questions),
    )


def load_evaluation(evaluation_id: int) -> EventEvaluation | None:
    """An evaluation with its event and its form's sections and questions."""
    return db.session.exec(
        select(EventEvaluation)
        .where(EventEvaluation.id == evaluation_id)
        .options(
            selectinload(EventEvaluation.event).selectinload(CourseEvent.course),
            selectinload(EventEvaluation.form).options(*form_contents()),
        )
    ).first()


def responses_needed(evaluation: EventEvaluation, responses: int) -> int:
    """How many more responses before this evaluation's results may be shown (0: they may)."""
    minimum = settings.get(rules.MIN_ANONYMOUS_RESPONSES.key)
    return rules.responses_needed(evaluation.always_anonymous, responses, minimum)


def results(evaluation: EventEvaluation, texts_shown: int = TEXTS_SHOWN) -> Results:
    """Everything a results page shows for one evaluation: for an anonymous one with too few responses,
    only how many more are needed. An anonymous evaluation's free-text answers come in a random order."""
    rate = rates([evaluation.id])[evaluation.id]
    minimum = settings.get(rules.MIN_ANONYMOUS_RESPONSES.key)
    needed = responses_needed(evaluation, rate.responses)
    if needed:
        return Results(evaluation, rate, {}, needed, minimum=minimum)
    kept = anonymity([evaluation])
    figures = figures_for_questions([evaluation], kept)[evaluation.id]
    free_text = [q.id for q in evaluation.form.questions if q.kind is QuestionKind.FREE_TEXT]
    held_back = {question: figure.held_since for question, figure in figures.items() if figure.held_back}
    texts = _latest_texts(evaluation, free_text, texts_shown, held_back) if texts_shown else {}
    questions = {}
    for question in evaluation.form.questions:
        result = question_result(question, figures.get(question.id))
        result.texts = texts.get(question.id, [])
        if evaluation.always_anonymous:
            result.texts = rules.shuffled(result.texts)
        if rules.withheld_for_anonymity(evaluation.always_anonymous, result.answered, minimum):
            result = QuestionResult(question, result.answered, [], withheld=True)
        questions[question.id] = result
    return Results(evaluation, rate, questions, held_back=kept[evaluation.id].held, minimum=minimum)


def answer_order(evaluation_id: int, always_anonymous: bool) -> list[sa.ColumnElement]:
    """The order free-text answers are listed in. An answer given without a name is never listed by when
    it came (beside who has answered, the order would point to who gave it): an anonymous evaluation's
    answers come scrambled, the same on every page; otherwise the named ones come first, newest first,
    then those without a name, scrambled."""
    scrambled = (sa.cast(col(Answer.id), sa.BigInteger) * 40503 + evaluation_id) % 65521
    if always_anonymous:
        return [scrambled, col(Answer.id)]
    unnamed = col(Response.trainee_id).is_(None)
    return [unnamed, sa.case((unnamed, scrambled), else_=0), sa.case((unnamed, 0), else_=-col(Answer.id))]
