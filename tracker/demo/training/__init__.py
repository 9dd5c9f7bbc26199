"""Demo training data: the seed year 2024/25 as the annual report tells it, and events around today.

2024/25: three two-day chair courses that trained 57 new chairs, and two Chairs' Forums (June on
interventions and treatment, December on monitoring and control) with 107 participants. Around today:
a recent forum and development day, a briefing, a chair course next month with a waiting list, and a
forum to come. The demo chair is trained with recent CPD, Claire Donovan awaits training and Imran
Hussain's CPD is about to lapse. Every person is invented; names are drawn with a fixed seed so the
demo is the same every time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.core.types import utcnow
from tracker.demo.training.builder import Builder
from tracker.demo.training.today import around_today
from tracker.demo.training.year import seed_year
from tracker.training.models import Course, CourseKind, Enrolment, Trainee, TrainingSession


def seed(context) -> None:
    build = Builder(context)
    session = context.session
    chair_course = Course(
        title="MAPPA Chair Training",
        kind=CourseKind.CHAIR_COURSE,
        days=2,
        description="The two-day course every new MAPPA chair completes: the arrangements, the Four "
        "Pillars, chairing Level 2 and 3 meetings, defensible decisions and minutes.",
    )
    forum = Course(
        title="Chairs' Forum",
        kind=CourseKind.CPD,
        cpd_minutes=180,
        description="Quarterly CPD for chairs, each forum on one of the Four Pillars.",
    )
    development = Course(title="Chairs' development day", kind=CourseKind.CPD, cpd_minutes=360)
    briefing = Course(title="MAPPA briefing for agency staff", kind=CourseKind.CPD, cpd_minutes=120)
    session.add_all([chair_course, forum, development, briefing])
    session.flush()

    graduates = seed_year(build, chair_course, forum)
    around_today(build, graduates, chair_course, forum, development, briefing)
    _dated_as_kept(session)


def _dated_as_kept(session) -> None:
    """Each training record and place made some weeks before the first session it is for (never after
    now), as if the area had kept them as it went: the Board's dashboard counts the chairs' register as
    it stood at the end of each quarter."""
    now = utcnow()
    firsts = (
        select(Enrolment.id, Enrolment.trainee_id, sa.func.min(TrainingSession.starts_at))
        .join(TrainingSession, col(TrainingSession.event_id) == Enrolment.event_id)
        .group_by(Enrolment.id, Enrolment.trainee_id)
    )
    made: dict[int, datetime] = {}
    for enrolment_id, trainee_id, starts in session.exec(firsts).all():
        starts = starts if starts.tzinfo else starts.replace(tzinfo=UTC)
        enrolled = min(starts - timedelta(days=21), now)
        placed = sa.update(Enrolment).where(col(Enrolment.id) == enrolment_id)
        session.exec(placed.values(enrolled_at=enrolled))
        made[trainee_id] = min(made.get(trainee_id, enrolled), enrolled)
    for trainee_id, enrolled in made.items():
        earlier = enrolled - timedelta(days=7)
        session.exec(sa.update(Trainee).where(col(Trainee.id) == trainee_id).values(created_at=earlier))
