"""Benchmark: training pages with thousands of people.

Builds a throwaway database (SQLite by default; BENCH_DATABASE_URL for PostgreSQL) with N chairs and
many trainees, events and registers, then times the pages the TRSG and the Board use and counts the SQL
statements each runs. Run: `.venv/bin/python bench/training.py [--chairs 5000] [--others 5000]`.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta
from datetime import time as dtime

import sqlalchemy as sa
from common import filled_app, insert_agency, insert_course, print_pages, signed_in_client

from tracker.auth.models import AgencySector, User, UserRole
from tracker.core.permissions import Role
from tracker.core.pillars import Pillar
from tracker.core.timeutil import london_to_utc
from tracker.training.models import (
    Attendance,
    CourseEvent,
    CourseKind,
    Enrolment,
    EnrolmentStatus,
    EventKind,
    Mark,
    Trainee,
    TraineeRole,
    TrainingSession,
)


def fill(engine, chairs: int, others: int, rng: random.Random) -> dict:
    """Chairs with accounts, people without, four years of cohorts and forums with marked registers."""
    started = time.perf_counter()
    with engine.begin() as conn:
        agency_id = insert_agency(conn, "Bench Police", AgencySector.POLICE)
        conn.execute(
            sa.insert(User),
            [
                {
                    "name": f"Chair {n:05d}",
                    "email": f"chair{n}@bench.example",
                    "agency_id": agency_id,
                    "job_title": "",
                    "active": True,
                    "terrorism_cleared": False,
                    "chair_trained": False,
                    "version": 1,
                }
                for n in range(chairs + 1)
            ],
        )
        users = conn.execute(sa.select(User.id).order_by(User.id)).scalars().all()
        trsg, chair_ids = users[0], users[1:]
        conn.execute(sa.insert(UserRole), [{"user_id": trsg, "role": Role.TRSG.name}])
        conn.execute(sa.insert(UserRole), [{"user_id": uid, "role": Role.CHAIR.name} for uid in chair_ids])
        conn.execute(
            sa.insert(Trainee),
            [
                {
                    "name": f"Chair {n:05d}",
                    "email": f"chair{n + 1}@bench.example",
                    "agency_id": agency_id,
                    "user_id": uid,
                }
                for n, uid in enumerate(chair_ids)
            ]
            + [
                {
                    "name": f"Person {n:05d}",
                    "email": f"person{n}@bench.example",
                    "agency_id": agency_id,
                    "user_id": None,
                }
                for n in range(others)
            ],
        )
        trainees = conn.execute(sa.select(Trainee.id).order_by(Trainee.id)).scalars().all()
        chair_course = insert_course(conn, "Chair course", CourseKind.CHAIR_COURSE, days=2, cpd_minutes=0)
        forum_course = insert_course(conn, "Forum", CourseKind.CPD, days=1, cpd_minutes=180)

        enrolments, marks = [], []
        first = date(2021, 4, 5)
        events = 0
        for week in range(0, 4 * 52, 2):
            day = first + timedelta(weeks=week)
            is_forum = week % 8 == 0
            days = [day] if is_forum else [day, day + timedelta(days=1)]
            event_id = conn.execute(
                sa.insert(CourseEvent).values(
                    course_id=forum_course if is_forum else chair_course,
                    title=f"Event {week}",
                    kind=(EventKind.CHAIRS_FORUM if is_forum else EventKind.COHORT).name,
                    pillar=rng.choice(list(Pillar)).name if is_forum else None,
                    capacity=300 if is_forum else 30,
                    presenters="",
                    lived_experience=False,
                    audience=[],
                    cpd_minutes=180 if is_forum else 0,
                    starts_at=london_to_utc(day, time_(9)),
                    ends_at=london_to_utc(days[-1], time_(16)),
                    created_at=london_to_utc(day, time_(8)),
                    version=1,
                )
            ).inserted_primary_key[0]
            events += 1
            session_ids = [
                conn.execute(
                    sa.insert(TrainingSession).values(
                        event_id=event_id,
                        title=f"Day {n + 1}",
                        starts_at=london_to_utc(d, time_(9)),
                        ends_at=london_to_utc(d, time_(16)),
                        venue="Room",
                        online_link="",
                        status="SCHEDULED",
                        sequence=0,
                        register_version=1,
                        version=1,
                    )
                ).inserted_primary_key[0]
                for n, d in enumerate(days)
            ]
            people = rng.sample(trainees, 250 if is_forum else 28)
            for trainee_id in people:
                attended = rng.random() > 0.05
                enrolments.append(
                    {
                        "event_id": event_id,
                        "trainee_id": trainee_id,
                        "role": TraineeRole.CHAIR.name,
                        "status": (EnrolmentStatus.COMPLETED if attended else EnrolmentStatus.ENROLLED).name,
                        "enrolled_at": london_to_utc(day, time_(8)),
                        "sessions_attended": len(days) if attended else 0,
                        "cpd_minutes": (180 if is_forum else 0) if attended else 0,
                        "completed_on": days[-1] if attended else None,
                        "last_attended_on": days[-1] if attended else None,
                        "version": 1,
                        "_sessions": session_ids,
                        "_mark": Mark.PRESENT if attended else Mark.ABSENT,
                    }
                )
        for row in enrolments:
            row.pop("_sessions"), row.pop("_mark")
        conn.execute(sa.insert(Enrolment), enrolments)
        # Registers: one mark per person per session.
        rows = conn.execute(sa.select(Enrolment.id, Enrolment.event_id, Enrolment.sessions_attended)).all()
        sessions_by_event: dict[int, list[int]] = {}
        for sid, eid in conn.execute(sa.select(TrainingSession.id, TrainingSession.event_id)):
            sessions_by_event.setdefault(eid, []).append(sid)
        for enrolment_id, event_id, attended in rows:
            for sid in sessions_by_event[event_id]:
                marks.append(
                    {
                        "session_id": sid,
                        "enrolment_id": enrolment_id,
                        "mark": (Mark.PRESENT if attended else Mark.ABSENT).name,
                        "note": "",
                        "marked_at": london_to_utc(date(2021, 4, 5), time_(9)),
                    }
                )
        conn.execute(sa.insert(Attendance), marks)
    return {
        "trsg": trsg,
        "events": events,
        "enrolments": len(enrolments),
        "marks": len(marks),
        "trainees": len(trainees),
        "seconds": time.perf_counter() - started,
    }


def time_(hour: int) -> dtime:
    return dtime(hour, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chairs", type=int, default=5000)
    parser.add_argument("--others", type=int, default=5000)
    args = parser.parse_args()
    with filled_app(
        lambda engine: fill(engine, args.chairs, args.others, random.Random(7)),
        lambda built: f"{args.chairs:,} chairs, {built['trainees']:,} trainees, {built['events']} events, "
        f"{built['enrolments']:,} enrolments, {built['marks']:,} register marks",
    ) as (app, built):
        client = signed_in_client(app, built["trsg"])
        big_event = 1  # the first event built is a forum of 250 people; its session is session 1
        pages = [
            ("Overview 2023/24", "/training/overview?year=2023"),
            ("Overview CSV 2023/24", "/training/overview.csv?year=2023"),
            ("Chairs' register, page 1", "/training/chairs"),
            ("Chairs' register, page 100", "/training/chairs?page=100"),
            ("Chairs' register, CPD lapsed", "/training/chairs?status=CPD_LAPSED"),
            ("Chairs' register, CPD due soon", "/training/chairs?status=DUE_SOON"),
            ("Events, page 1", "/training/events"),
            ("Event page (forum, 250 people)", f"/training/events/{big_event}"),
            ("Register (forum session, 250 people)", "/training/sessions/1/register"),
            ("People, page 50", "/training/people?page=50"),
            ("Training home", "/training/"),
        ]
        print_pages(app, client, pages)


if __name__ == "__main__":
    main()
