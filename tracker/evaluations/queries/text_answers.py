"""One event's free-text answers to a question, page by page, as the results page links to them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.core import settings
from tracker.core.db import db
from tracker.evaluations import rules
from tracker.evaluations.models import Answer, EventEvaluation, Response
from tracker.evaluations.queries.event_results import answer_order, not_held_back
from tracker.evaluations.queries.openings import Held, anonymity
from tracker.training.models import Trainee


def text_answers_withheld(evaluation: EventEvaluation, question_id: int) -> bool:
    """Whether an anonymous evaluation's answers to this one question are too few to show (however many
    responses the evaluation has: a question few people answered would identify them)."""
    answered = db.session.scalar(
        select(sa.func.count())
        .select_from(Answer)
        .join(Response, col(Response.id) == Answer.response_id)
        .where(Response.evaluation_id == evaluation.id, Answer.question_id == question_id)
    )
    minimum = settings.get(rules.MIN_ANONYMOUS_RESPONSES.key)
    return rules.withheld_for_anonymity(evaluation.always_anonymous, answered or 0, minimum)


def text_answers_held_back(evaluation: EventEvaluation, question_id: int) -> Held:
    """The anonymous answers to this question held back, on a form where each person chooses whether to
    give their name (`rules.anonymous_shown`)."""
    by_day = db.session.execute(
        select(Response.submitted_on, sa.func.count())
        .select_from(Answer)
        .join(Response, col(Response.id) == Answer.response_id)
        .where(
            Response.evaluation_id == evaluation.id,
            Answer.question_id == question_id,
            col(Response.trainee_id).is_(None),
        )
        .group_by(Response.submitted_on)
    )
    return anonymity([evaluation])[evaluation.id].question_held(dict(by_day.all()))


def text_answers_statement(
    evaluation: EventEvaluation, question_id: int, held_back: Held | None = None
) -> sa.Select:
    """Every free-text answer to a question, newest first, with the name when one was given, leaving out
    those given anonymously that are `held_back`.

    An anonymous evaluation's answers come in a scrambled order that has nothing to do with when they
    were given, and the same on every page of the list (a random order would repeat answers across pages).
    """
    statement = (
        select(Answer.text, col(Trainee.name).label("name"), Response.submitted_on)
        .join(Response, col(Response.id) == Answer.response_id)
        .outerjoin(Trainee, col(Trainee.id) == Response.trainee_id)
        .where(
            Response.evaluation_id == evaluation.id,
            Answer.question_id == question_id,
            not_held_back({question_id: held_back.since} if held_back else {}),
        )
    )
    return statement.order_by(*answer_order(evaluation.id, evaluation.always_anonymous))
