"""Which answers given anonymously show, where each person chooses whether to give their name: an evaluation
that closed can be reopened, and the anonymous answers given after a reopening wait for enough of their own
(`rules.anonymous_shown`). The day of an answer tells which opening it came in (`rules.opening_of`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.core import settings
from tracker.core.db import db
from tracker.core.timeutil import today_london
from tracker.evaluations import rules
from tracker.evaluations.models import EvaluationReopening, EventEvaluation, Response


@dataclass(frozen=True)
class Held:
    """Answers given anonymously and held back: how many, and since when (`since`: the day the
    evaluation reopened after its earlier anonymous answers showed; None: since it was first sent)."""

    count: int = 0
    since: date | None = None

    def __bool__(self) -> bool:
        return self.count > 0


@dataclass
class Anonymity:
    """One evaluation's anonymous responses, opening by opening: its first, then one from each day it was
    `reopened` on (in order), from how many were given each day."""

    always_anonymous: bool
    still_open: bool
    minimum: int
    reopened: list[date]
    anonymous_by_day: Mapping[date, int]
    # Responses given anonymously per opening, and after each close how many openings' responses show.
    anonymous: list[int] = field(init=False)
    progress: list[int] = field(init=False)

    def __post_init__(self) -> None:
        self.anonymous = self.per_opening(self.anonymous_by_day)
        self.progress = rules.anonymous_shown(self.anonymous, self.minimum, self.still_open)

    def opening_of(self, day: date) -> int:
        return rules.opening_of(day, self.reopened)

    def per_opening(self, by_day: Mapping[date, int]) -> list[int]:
        """Counts given per day, added up per opening."""
        counts = [0] * (len(self.reopened) + 1)
        for day, count in by_day.items():
            counts[self.opening_of(day)] += count
        return counts

    @property
    def shown(self) -> int:
        """How many openings' anonymous responses show (the first so many)."""
        if self.always_anonymous:  # an anonymous form has rules of its own (`rules.responses_needed`)
            return len(self.anonymous)
        return self.progress[-1] if self.progress else 0

    @property
    def held(self) -> Held:
        """The anonymous responses held back from the results, the PDF and the CSV."""
        return Held(sum(self.anonymous[self.shown :]), self.since(self.shown))

    def question_shown(self, answered_by_day: Mapping[date, int]) -> int:
        """How many openings' anonymous answers to one question show, given how many people answered it
        anonymously on each day: no more than the responses that gave them, and only in groups of at least
        the minimum, as the responses."""
        if self.always_anonymous:
            return len(self.anonymous)
        shown = rules.anonymous_shown(
            self.per_opening(answered_by_day), self.minimum, self.still_open, self.progress
        )
        return shown[-1] if shown else 0

    def question_held(self, answered_by_day: Mapping[date, int]) -> Held:
        shown = self.question_shown(answered_by_day)
        return Held(sum(self.per_opening(answered_by_day)[shown:]), self.since(shown))

    def since(self, opening: int) -> date | None:
        """The day the `opening` began: the day it reopened (None: the first, when the form was sent, or
        one past the last)."""
        return self.reopened[opening - 1] if 0 < opening <= len(self.reopened) else None


def still_open(evaluation: EventEvaluation) -> bool:
    """Whether the evaluation still takes answers (today in London is up to its closing day)."""
    return rules.is_open(evaluation.closes_on, today_london())


def anonymous_held_back(evaluation: EventEvaluation) -> Held:
    """The responses given anonymously held back from this evaluation's results and files."""
    return anonymity([evaluation])[evaluation.id].held


def anonymity(evaluations: list[EventEvaluation]) -> dict[int, Anonymity]:
    """Per evaluation: its anonymous responses opening by opening, and which of them show (two queries)."""
    ids = [e.id for e in evaluations]
    reopened: dict[int, list[date]] = defaultdict(list)
    anonymous: dict[int, dict[date, int]] = defaultdict(dict)
    if ids:
        for evaluation_id, day in db.session.execute(
            select(EvaluationReopening.evaluation_id, EvaluationReopening.reopened_on)
            .where(col(EvaluationReopening.evaluation_id).in_(ids))
            .order_by(EvaluationReopening.reopened_on, EvaluationReopening.id)
        ):
            reopened[evaluation_id].append(day)
        for evaluation_id, day, count in db.session.execute(
            select(Response.evaluation_id, Response.submitted_on, sa.func.count())
            .where(col(Response.evaluation_id).in_(ids), col(Response.trainee_id).is_(None))
            .group_by(Response.evaluation_id, Response.submitted_on)
        ):
            anonymous[evaluation_id][day] = count
    minimum = settings.get(rules.MIN_ANONYMOUS_RESPONSES.key)
    return {
        e.id: Anonymity(e.always_anonymous, still_open(e), minimum, reopened[e.id], anonymous[e.id])
        for e in evaluations
    }
