"""Benchmark: evaluation results with thousands of responses.

Builds a throwaway database (SQLite by default; BENCH_DATABASE_URL for PostgreSQL) with two forums of
N attendees each, evaluated with the default form, most of whom answered, then times the results pages,
the CSV and PDF exports and the comparison, and counts the SQL statements each runs.
Run: `.venv/bin/python bench/evaluations.py [--responses 2000]`.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta
from datetime import time as time_

import sqlalchemy as sa
from common import filled_app, insert_agency, insert_course, insert_user, print_pages, signed_in_client

from tracker.auth.models import AgencySector
from tracker.core.permissions import Role
from tracker.core.timeutil import london_to_utc
from tracker.evaluations.models import (
    Answer,
    EvaluationForm,
    EvaluationInvitation,
    EventEvaluation,
    Question,
    QuestionKind,
    Response,
)
from tracker.training.models import CourseEvent, CourseKind, Enrolment, EventKind, Trainee

COMMENTS = ["More time for questions.", "The case study.", "Shorter talks.", "Hearing lived experience."]


def _event(conn, course_id: int, title: str, day: date) -> int:
    return conn.execute(
        sa.insert(CourseEvent).values(
            course_id=course_id,
            title=title,
            kind=EventKind.CHAIRS_FORUM.name,
            capacity=10_000,
            presenters="",
            lived_experience=False,
            audience=[],
            cpd_minutes=180,
            starts_at=london_to_utc(day, time_(13)),
            ends_at=london_to_utc(day, time_(16)),
            created_at=london_to_utc(day, time_(8)),
            version=1,
        )
    ).inserted_primary_key[0]


def _answer(kind: QuestionKind, rng: random.Random) -> tuple[int | None, str | None]:
    if kind is QuestionKind.RATING:
        return rng.randint(1, 5), None
    if kind is QuestionKind.YES_NO:
        return int(rng.random() < 0.9), None
    return (None, rng.choice(COMMENTS)) if rng.random() < 0.5 else (None, None)


def fill(engine, responses: int, rng: random.Random) -> dict:
    """Two forums, each with a fifth more attendees than responses, evaluated with the default form."""
    started = time.perf_counter()
    attendees = responses * 6 // 5
    with engine.begin() as conn:
        agency_id = insert_agency(conn, "Bench Police", AgencySector.POLICE)
        trsg = insert_user(conn, "Bench TRSG", "trsg@bench.example", agency_id, Role.TRSG)
        conn.execute(
            sa.insert(Trainee),
            [
                {"name": f"Person {n:05d}", "email": f"person{n}@bench.example", "agency_id": agency_id}
                for n in range(attendees)
            ],
        )
        trainees = conn.execute(sa.select(Trainee.id).order_by(Trainee.id)).scalars().all()
        course = insert_course(conn, "Forum", CourseKind.CPD, days=1, cpd_minutes=180)
        form_id = conn.execute(sa.select(EvaluationForm.id).where(EvaluationForm.is_default)).scalar_one()
        questions = conn.execute(
            sa.select(Question.id, Question.kind).where(Question.form_id == form_id)
        ).all()
        evaluations = []
        for title, day in (("June forum", date(2024, 6, 12)), ("December forum", date(2024, 12, 4))):
            event_id = _event(conn, course, title, day)
            conn.execute(
                sa.insert(Enrolment),
                [
                    {
                        "event_id": event_id,
                        "trainee_id": trainee_id,
                        "role": "CHAIR",
                        "status": "COMPLETED",
                        "enrolled_at": london_to_utc(day, time_(8)),
                        "sessions_attended": 1,
                        "cpd_minutes": 180,
                        "completed_on": day,
                        "last_attended_on": day,
                        "version": 1,
                    }
                    for trainee_id in trainees
                ],
            )
            evaluation_id = conn.execute(
                sa.insert(EventEvaluation).values(
                    event_id=event_id,
                    form_id=form_id,
                    closes_on=day + timedelta(days=14),
                    always_anonymous=False,
                    created_at=london_to_utc(day, time_(17)),
                    version=1,
                )
            ).inserted_primary_key[0]
            evaluations.append(evaluation_id)
            enrolments = (
                conn.execute(sa.select(Enrolment.id).where(Enrolment.event_id == event_id)).scalars().all()
            )
            conn.execute(
                sa.insert(EvaluationInvitation),
                [
                    {
                        "evaluation_id": evaluation_id,
                        "enrolment_id": enrolment_id,
                        "sent_at": london_to_utc(day, time_(17)),
                        "reminders": 0,
                        "answered": n < responses,
                    }
                    for n, enrolment_id in enumerate(enrolments)
                ],
            )
            conn.execute(
                sa.insert(Response),
                [
                    {
                        "evaluation_id": evaluation_id,
                        "form_id": form_id,
                        "trainee_id": trainees[n] if n % 3 == 0 else None,
                        "submitted_on": day + timedelta(days=n % 14),
                    }
                    for n in range(responses)
                ],
            )
            response_ids = (
                conn.execute(sa.select(Response.id).where(Response.evaluation_id == evaluation_id))
                .scalars()
                .all()
            )
            answers = [
                {"response_id": response_id, "question_id": question_id, "number": number, "text": text}
                for response_id in response_ids
                for question_id, kind in questions
                for number, text in [_answer(kind, rng)]
                if number is not None or text is not None
            ]
            conn.execute(sa.insert(Answer), answers)
    return {
        "trsg": trsg,
        "text_question": next(q for q, kind in questions if kind is QuestionKind.FREE_TEXT),
        "evaluations": evaluations,
        "attendees": attendees,
        "answers": len(answers) * 2,
        "seconds": time.perf_counter() - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=2000)
    args = parser.parse_args()
    with filled_app(
        lambda engine: fill(engine, args.responses, random.Random(7)),
        lambda built: f"two forums of {built['attendees']:,} attendees, {args.responses:,} responses each, "
        f"{built['answers']:,} answers",
    ) as (app, built):
        june, december = built["evaluations"]
        client = signed_in_client(app, built["trsg"])
        text_question = built["text_question"]
        pages = [
            (f"Results ({args.responses:,} responses)", f"/evaluations/{june}/results"),
            ("Results PDF", f"/evaluations/{june}/results.pdf"),
            ("Responses CSV", f"/evaluations/{june}/results.csv"),
            ("Free-text answers, page 20", f"/evaluations/{june}/questions/{text_question}/answers?page=20"),
            ("Compare June and December", f"/evaluations/compare?evaluation={june}&evaluation={december}"),
            ("Links and reminders, page 1", f"/evaluations/{june}"),
            ("Events and results", "/evaluations/events"),
        ]
        print_pages(app, client, pages)


if __name__ == "__main__":
    main()
