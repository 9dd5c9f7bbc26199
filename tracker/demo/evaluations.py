"""Demo evaluations: the default form sent to the seed year's June and December Chairs' Forums, with
invented answers (so results and the comparison have something to show), and to the recent briefing
for agency staff, still open with links outstanding (the demo practitioner has one to answer).

The recent Chairs' Forum is left without an evaluation, for the TRSG to send one. Answers are drawn with
a fixed seed, so the demo is the same every time.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlmodel import col, select

from tracker.core.timeutil import london
from tracker.evaluations.models import Answer, EvaluationForm, EvaluationInvitation, EventEvaluation, Response
from tracker.training.models import CourseEvent, Enrolment, EventKind, Trainee
from tracker.training.rules import reporting_year_of

# The share who answer, the share who would recommend the event, and for each rating question the
# weights of 1 to 5: at June's forum, December's and the briefing. December's forum went down better than
# June's, and both raised confidence.
PROFILED = ("June", "December", "briefing")
ANSWER = (0.72, 0.65, 0.4)
RECOMMEND = (0.86, 0.94, 0.8)
RATINGS = {
    "default-overall": ([0, 2, 10, 50, 38], [0, 0, 6, 44, 50], [0, 4, 20, 52, 24]),
    "default-relevance": ([0, 4, 16, 48, 32], [0, 2, 10, 44, 44], [0, 6, 24, 46, 24]),
    "default-confidence-before": ([6, 26, 44, 20, 4], [4, 22, 46, 24, 4], [10, 34, 40, 14, 2]),
    "default-confidence-after": ([0, 6, 30, 48, 16], [0, 2, 20, 52, 26], [0, 10, 36, 42, 12]),
}
PROFILES = {
    name: {"answer": ANSWER[n], "recommend": RECOMMEND[n]} | {q: weights[n] for q, weights in RATINGS.items()}
    for n, name in enumerate(PROFILED)
}

MOST_USEFUL = [
    "Hearing from someone with lived experience of the justice system.",
    "The case study and the discussion in small groups.",
    "Practical examples of licence conditions that worked.",
    "Time to talk to chairs from other agencies.",
    "The psychologist's explanation of how treatment programmes are assessed.",
    "Clear guidance on recording defensible decisions.",
    "Learning how other areas review the risk management plan.",
    "The update on polygraph testing and what it can and cannot tell us.",
    "Going through the Four Pillars with a real (anonymised) plan.",
]
SHOULD_CHANGE = [
    "More time for questions at the end.",
    "The room was too warm and crowded.",
    "Send the slides beforehand.",
    "A shorter first session; it ran over.",
    "Nothing: keep the mix of speakers.",
    "Include a session on victim contact.",
    "Hold it online as well for those outside central London.",
    "More on working with housing providers.",
]


def _weighted(rng: random.Random, weights: list[int]) -> int:
    return rng.choices(range(1, 6), weights=weights)[0]


def _answer(lineage: str, profile: dict, rng: random.Random) -> Answer | None:
    """An invented answer to one of the default form's questions (free text only now and then)."""
    if lineage in profile:
        return Answer(number=_weighted(rng, profile[lineage]))
    if lineage == "default-recommend":
        return Answer(number=int(rng.random() < profile["recommend"]))
    if lineage == "default-most-useful" and rng.random() < 0.6:
        return Answer(text=rng.choice(MOST_USEFUL))
    if lineage == "default-change" and rng.random() < 0.45:
        return Answer(text=rng.choice(SHOULD_CHANGE))
    return None


def _evaluate(
    context, event: CourseEvent, form: EvaluationForm, profile: dict, closes_on, rng, waiting=frozenset()
) -> None:
    """Send the form to everyone who attended, and have some of them (never those `waiting`) answer it."""
    session = context.session
    evaluation = EventEvaluation(
        event_id=event.id, form_id=form.id, closes_on=closes_on, created_by_id=context.people["trsg"].id
    )
    session.add(evaluation)
    session.flush()
    attended = session.exec(
        select(Enrolment).where(Enrolment.event_id == event.id, Enrolment.sessions_attended > 0)
    ).all()
    questions = {q.lineage: q for q in form.questions}
    day = london(event.starts_at).date()
    for enrolment in attended:
        answers = rng.random() < profile["answer"] and enrolment.trainee_id not in waiting
        session.add(
            EvaluationInvitation(
                evaluation_id=evaluation.id,
                enrolment_id=enrolment.id,
                answered=answers,
                reminders=0 if answers else 1,
            )
        )
        if not answers:
            continue
        response = Response(
            evaluation_id=evaluation.id,
            form_id=form.id,
            trainee_id=enrolment.trainee_id if rng.random() < 0.35 else None,
            submitted_on=min(day + timedelta(days=rng.randint(0, 10)), closes_on),
        )
        for lineage, question in questions.items():
            answer = _answer(lineage, profile, rng)
            if answer is not None:
                answer.question_id = question.id
                response.answers.append(answer)
        session.add(response)
    session.flush()


def seed(context) -> None:
    session = context.session
    rng = random.Random(2025)
    form = session.exec(
        select(EvaluationForm).where(col(EvaluationForm.is_default).is_(True)).order_by(EvaluationForm.id)
    ).first()
    if form is None:  # a database made before migration 0006 added the default form
        return
    forums = session.exec(
        select(CourseEvent)
        .where(CourseEvent.kind == EventKind.CHAIRS_FORUM, col(CourseEvent.starts_at).is_not(None))
        .order_by(CourseEvent.starts_at)
    ).all()
    seed_year = [e for e in forums if reporting_year_of(london(e.starts_at).date()).start_year == 2024]
    for event in seed_year:
        month = london(event.starts_at).strftime("%B")
        profile = PROFILES.get(month, PROFILES["June"])
        _evaluate(context, event, form, profile, london(event.starts_at).date() + timedelta(days=14), rng)

    practitioner = context.people["practitioner"]
    briefing = session.exec(
        select(CourseEvent)
        .join(Enrolment, col(Enrolment.event_id) == CourseEvent.id)
        .join(Trainee, col(Trainee.id) == Enrolment.trainee_id)
        .where(CourseEvent.kind == EventKind.BRIEFING, Trainee.user_id == practitioner.id)
        .order_by(col(CourseEvent.starts_at).desc())
    ).first()
    if briefing is not None:
        # The demo practitioner has not answered yet: their link waits on their home page.
        waiting = set(session.exec(select(Trainee.id).where(Trainee.user_id == practitioner.id)).all())
        closes_on = context.today + timedelta(days=10)
        _evaluate(context, briefing, form, PROFILES["briefing"], closes_on, rng, waiting=waiting)
