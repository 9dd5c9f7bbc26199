"""The demo's seed year 2024/25: three chair courses (57 new chairs) and two Chairs' Forums."""

from __future__ import annotations

from datetime import date

from tracker.core.pillars import Pillar
from tracker.demo.agencies import CHAIR_AGENCIES
from tracker.demo.training.builder import TREATMENT_SPEAKERS, Builder
from tracker.training.models import Course, Mark, Trainee, TraineeRole


def seed_year(build: Builder, chair_course: Course, forum: Course) -> list[Trainee]:
    """2024/25: three cohorts (19 new chairs completing each, 57 in all) and two forums (55 + 52).
    Returns the new chairs without accounts, who keep current at the later events."""
    cohort_days = [date(2024, 5, 13), date(2024, 9, 9), date(2025, 1, 20)]
    graduates: list[Trainee] = []
    for number, first in enumerate(cohort_days, start=1):
        title = f"Cohort {number}, {first:%B %Y}"
        event = build.cohort(chair_course, title, first, 24, lived_experience=number != 2)
        chairs = build.people(19 - (2 if number == 1 else 0), CHAIR_AGENCIES)
        if number == 1:
            chairs += [build.account("chair"), build.account("chair_police")]
        # One more chair on each cohort who missed the second day, so did not complete.
        dropped = build.people(1, CHAIR_AGENCIES)
        admins = (
            [build.account("administrator")] if number == 2 else build.people(1, ["MAPPA Co-ordination Unit"])
        )
        enrolled = build.enrol(event, chairs + dropped, TraineeRole.CHAIR)
        enrolled += build.enrol(event, admins, TraineeRole.ADMINISTRATOR)
        build.mark(event, enrolled, {enrolled[len(chairs)].id: [Mark.PRESENT, Mark.ABSENT]})
        graduates += chairs

    experienced = build.people(60, CHAIR_AGENCIES)
    forums = [
        (date(2024, 6, 12), Pillar.INTERVENTIONS_AND_TREATMENT, 55, "Accredited programmes and treatment"),
        (date(2024, 12, 4), Pillar.MONITORING_AND_CONTROL, 52, "Monitoring and control in practice"),
    ]
    for day, pillar, participants, theme in forums:
        event = build.forum(forum, day, theme, 70, pillar, TREATMENT_SPEAKERS, lived_experience=True)
        pool = [
            t for t in graduates + experienced if t is not build.account("chair_police") or day.month == 6
        ]
        chosen = build.random.sample(pool, participants + 3)
        # Three booked but did not come.
        build.held(event, chosen, TraineeRole.CHAIR, last=[[Mark.ABSENT]] * 3)
    return [trainee for trainee in graduates if trainee.user_id is None]
