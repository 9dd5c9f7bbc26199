"""The demo's training around today: recent CPD events, a chair course next month with a waiting list,
and a forum to come."""

from __future__ import annotations

from datetime import time, timedelta

from tracker.core.pillars import Pillar
from tracker.demo.agencies import CHAIR_AGENCIES
from tracker.demo.training.builder import STAFF_AGENCIES, TREATMENT_SPEAKERS, Builder, weekday
from tracker.training import rules
from tracker.training.models import Audience, Course, EventKind, Mark, Trainee, TraineeRole


def around_today(
    build: Builder,
    graduates: list[Trainee],
    chair_course: Course,
    forum: Course,
    development: Course,
    briefing: Course,
) -> None:
    """The last year's CPD keeps all but three of the 2024/25 chairs current (the register shows those
    three as lapsed), and a course and a forum are coming."""
    today = build.context.today
    chair, chair_police = build.account("chair"), build.account("chair_police")
    chairs = list(graduates)
    build.random.shuffle(chairs)

    recent = weekday(today - timedelta(days=63), 2)
    presenters = "Head of Public Protection, Probation Service (London)"
    theme, pillar = "supervision and licence conditions", Pillar.SUPERVISION
    event = build.forum(forum, recent, theme, 60, pillar, presenters)
    build.held(event, [chair] + chairs[:20] + build.people(7, CHAIR_AGENCIES), TraineeRole.CHAIR)

    spring = weekday(rules.months_before(today, 6), 2)
    theme, pillar = "interventions and treatment", Pillar.INTERVENTIONS_AND_TREATMENT
    event = build.forum(forum, spring, theme, 60, pillar, TREATMENT_SPEAKERS, lived_experience=True)
    attending = chairs[15 : len(chairs) - 3] + build.people(8, CHAIR_AGENCIES)
    build.held(event, attending, TraineeRole.CHAIR, last=[[Mark.ABSENT]])

    # Imran Hussain's last CPD, eleven months ago: his CPD lapses within the two-month warning.
    eleven_months = weekday(rules.months_before(today, 11), 1)
    event = build.event(
        development,
        f"Chairs' development day, {eleven_months:%B %Y}",
        EventKind.DEVELOPMENT_DAY,
        [eleven_months],
        40,
        audience=[Audience.CHAIRS],
        presenters="MAPPA Co-ordinator\nVictim Liaison Unit manager",
    )
    build.held(event, [chair_police] + chairs[40:48] + build.people(13, CHAIR_AGENCIES), TraineeRole.CHAIR)

    past_briefing = weekday(today - timedelta(days=100), 3)
    event = build.event(
        briefing,
        f"MAPPA briefing for agency staff, {past_briefing:%B %Y}",
        EventKind.BRIEFING,
        [past_briefing],
        40,
        audience=[Audience.AGENCY_STAFF],
        presenters="MAPPA Co-ordinator",
        hours=(time(10, 0), time(12, 0)),
        venue="",
    )
    event.sessions[0].online_link = "https://meet.demo.mappa.example/briefing"
    staff = [build.account("practitioner"), build.account("social_worker")] + build.people(16, STAFF_AGENCIES)
    build.held(event, staff, TraineeRole.STAFF, last=[[Mark.LEFT_EARLY], [Mark.ABSENT]])

    next_month = weekday(today + timedelta(days=30))
    event = build.cohort(chair_course, f"Cohort {next_month:%B %Y}", next_month, 16, lived_experience=True)
    build.enrol(event, [build.account("chair_new")] + build.people(15, CHAIR_AGENCIES), TraineeRole.CHAIR)
    build.wait(event, build.people(3, CHAIR_AGENCIES), TraineeRole.CHAIR)

    coming = weekday(today + timedelta(days=45), 2)
    presenters = "Victim Liaison Unit manager\nIndependent domestic violence adviser"
    theme, pillar = "victim safety planning", Pillar.VICTIM_SAFETY_PLANNING
    event = build.forum(forum, coming, theme, 60, pillar, presenters, lived_experience=True)
    build.enrol(event, [chair, chair_police] + build.people(18, CHAIR_AGENCIES), TraineeRole.CHAIR)
