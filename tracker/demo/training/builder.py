"""The names the demo's trainees are drawn from, and a builder of courses, events, people and marked
registers."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from tracker.core.pillars import Pillar
from tracker.core.timeutil import london, london_to_utc
from tracker.core.types import utcnow
from tracker.demo.agencies import ADULTS, CHILDREN, DWP, HEALTH, HOUSING, YOUTH_JUSTICE
from tracker.training import rules
from tracker.training.models import (
    Attendance,
    Audience,
    Course,
    CourseEvent,
    Enrolment,
    EnrolmentStatus,
    EventKind,
    Mark,
    Trainee,
    TraineeRole,
    TrainingSession,
)

FIRST_NAMES = [
    "Adam",
    "Alice",
    "Amara",
    "Andrew",
    "Anita",
    "Ben",
    "Bethany",
    "Bilal",
    "Caroline",
    "Chloe",
    "Colin",
    "Daniela",
    "David",
    "Deborah",
    "Dev",
    "Eleanor",
    "Emeka",
    "Emma",
    "Farah",
    "Gareth",
    "Gemma",
    "Graham",
    "Hannah",
    "Harjit",
    "Ian",
    "Isla",
    "Jack",
    "Jasmine",
    "Joanne",
    "Jonathan",
    "Kate",
    "Kieran",
    "Laura",
    "Leon",
    "Lucy",
    "Mark",
    "Martha",
    "Mohammed",
    "Naomi",
    "Neil",
    "Olivia",
    "Oliver",
    "Priya",
    "Rachel",
    "Rhys",
    "Ruth",
    "Sadia",
    "Simon",
    "Sophie",
    "Stuart",
    "Tanya",
    "Tariq",
    "Victoria",
    "Wendy",
    "Yusuf",
    "Zara",
]
SURNAMES = [
    "Abbott",
    "Ahmed",
    "Akhtar",
    "Allen",
    "Bailey",
    "Barker",
    "Bello",
    "Brennan",
    "Carter",
    "Chaudhry",
    "Clarke",
    "Collins",
    "Davies",
    "Doyle",
    "Ellis",
    "Evans",
    "Fletcher",
    "Foster",
    "Gill",
    "Grant",
    "Hall",
    "Harper",
    "Hayes",
    "Holt",
    "Iqbal",
    "Jenkins",
    "Kaur",
    "Kelly",
    "Kennedy",
    "Lane",
    "Lewis",
    "Lloyd",
    "Marshall",
    "Mason",
    "McCarthy",
    "Moore",
    "Morgan",
    "Murray",
    "Nash",
    "Nowak",
    "Obi",
    "Osei",
    "Palmer",
    "Patel",
    "Quinn",
    "Rahman",
    "Roberts",
    "Shah",
    "Sharma",
    "Singh",
    "Stone",
    "Sullivan",
    "Thomas",
    "Turner",
    "Walker",
    "Ward",
    "Webb",
    "Wilson",
    "Young",
]

COURSE_PRESENTERS = (
    "Senior Probation Officer, MAPPA Co-ordination Unit\nDetective Inspector, Public Protection"
)
# The forums on treatment: a psychologist, and someone who has been through it.
TREATMENT_SPEAKERS = "Forensic psychologist, HMPPS\nSpeaker with lived experience of the justice system"
STAFF_AGENCIES = [CHILDREN, ADULTS, HEALTH, YOUTH_JUSTICE, HOUSING, DWP]


class Builder:
    """Adds courses, events, people and marked registers to the demo session."""

    def __init__(self, context):
        self.context = context
        self.session = context.session
        self.random = random.Random(2024)
        self.used_names: set[str] = set()
        self.trainees_for_users: dict[str, Trainee] = {}

    def person(self, agencies: list[str]) -> Trainee:
        while True:
            name = f"{self.random.choice(FIRST_NAMES)} {self.random.choice(SURNAMES)}"
            if name not in self.used_names:
                break
        self.used_names.add(name)
        agency = self.context.agencies[self.random.choice(agencies)]
        email = name.lower().replace(" ", ".").replace("'", "") + "@agency.demo.mappa.example"
        trainee = Trainee(name=name, email=email, agency_id=agency.id)
        self.session.add(trainee)
        return trainee

    def people(self, count: int, agencies: list[str]) -> list[Trainee]:
        found = [self.person(agencies) for _ in range(count)]
        self.session.flush()
        return found

    def account(self, key: str) -> Trainee:
        """The training record of a demo account."""
        if key not in self.trainees_for_users:
            user = self.context.people[key]
            trainee = Trainee(name=user.name, email=user.email, agency_id=user.agency_id, user_id=user.id)
            self.session.add(trainee)
            self.session.flush()
            self.trainees_for_users[key] = trainee
        return self.trainees_for_users[key]

    def cohort(self, course: Course, title: str, first: date, capacity: int, lived_experience: bool):
        """A two-day cohort of the chair course, for new chairs and MAPPA administrators."""
        return self.event(
            course,
            title,
            EventKind.COHORT,
            [first, first + timedelta(days=1)],
            capacity,
            audience=[Audience.NEW_CHAIRS, Audience.ADMINISTRATORS],
            presenters=COURSE_PRESENTERS,
            lived_experience=lived_experience,
        )

    def forum(
        self, course: Course, day: date, theme: str, capacity: int, pillar: Pillar, presenters: str, **kwargs
    ) -> CourseEvent:
        """A Chairs' Forum: an afternoon for chairs on one of the Four Pillars."""
        return self.event(
            course,
            f"Chairs' Forum, {day:%B %Y}: {theme}",
            EventKind.CHAIRS_FORUM,
            [day],
            capacity,
            pillar=pillar,
            audience=[Audience.CHAIRS],
            presenters=presenters,
            hours=(time(13, 30), time(16, 30)),
            **kwargs,
        )

    def event(
        self,
        course: Course,
        title: str,
        kind: EventKind,
        days: list[date],
        capacity: int,
        *,
        pillar: Pillar | None = None,
        audience: list[Audience] = (),
        presenters: str = "",
        lived_experience: bool = False,
        hours: tuple[time, time] = (time(9, 30), time(16, 30)),
        venue: str = "MAPPA Co-ordination Unit, training room 2",
    ) -> CourseEvent:
        event = CourseEvent(
            course=course,
            title=title,
            kind=kind,
            pillar=pillar,
            capacity=capacity,
            audience=[a.name for a in audience],
            presenters=presenters,
            lived_experience=lived_experience,
            cpd_minutes=course.cpd_minutes,
        )
        for number, day in enumerate(days, start=1):
            event.sessions.append(
                TrainingSession(
                    title=f"Day {number}" if len(days) > 1 else "Session",
                    starts_at=london_to_utc(day, hours[0]),
                    ends_at=london_to_utc(day, hours[1]),
                    venue=venue,
                )
            )
        event.refresh_dates()
        self.session.add(event)
        self.session.flush()
        return event

    def enrol(self, event: CourseEvent, trainees: list[Trainee], role: TraineeRole) -> list[Enrolment]:
        enrolments = []
        for trainee in trainees:
            enrolment = Enrolment(
                event_id=event.id, trainee_id=trainee.id, role=role, status=EnrolmentStatus.ENROLLED
            )
            self.session.add(enrolment)
            enrolments.append(enrolment)
        self.session.flush()
        return enrolments

    def held(
        self, event: CourseEvent, trainees: list[Trainee], role: TraineeRole, last: list[list[Mark]] = ()
    ) -> list[Enrolment]:
        """Enrol people on an event and mark its registers: present, but for the last few people, who have
        the marks `last` gives (a list for each, in order)."""
        enrolled = self.enrol(event, trainees, role)
        latecomers = enrolled[len(enrolled) - len(last) :]
        self.mark(event, enrolled, {e.id: marks for e, marks in zip(latecomers, last, strict=True)})
        return enrolled

    def wait(self, event: CourseEvent, trainees: list[Trainee], role: TraineeRole) -> None:
        for position, trainee in enumerate(trainees, start=1):
            self.session.add(
                Enrolment(
                    event_id=event.id,
                    trainee_id=trainee.id,
                    role=role,
                    status=EnrolmentStatus.WAITING,
                    waiting_position=position,
                )
            )

    def mark(self, event: CourseEvent, enrolments: list[Enrolment], missed: dict[int, list[Mark]]) -> None:
        """Mark every session: present (now and then late), except the marks given for some people."""
        marker = self.context.people["trsg"]
        for enrolment in enrolments:
            marks = missed.get(enrolment.id) or [
                Mark.LATE if self.random.random() < 0.06 else Mark.PRESENT for _ in event.sessions
            ]
            for session, mark in zip(event.sessions, marks, strict=True):
                self.session.add(
                    Attendance(
                        session_id=session.id, enrolment_id=enrolment.id, mark=mark, marked_by_id=marker.id
                    )
                )
            days = [(london(s.starts_at).date(), m) for s, m in zip(event.sessions, marks, strict=True)]
            rule = rules.CompletionRule(event.course.counted_marks, event.course.sessions_required)
            ended = rules.event_ended(event.ends_at, utcnow())
            enrolment.record_outcome(rules.outcome(days, event.cpd_minutes_earned, rule), closed=ended)
            if ended and enrolment.certificate_code:
                # Past events had their outcomes set and certificates sent when they ended.
                enrolment.certificate_sent_at = event.ends_at
        if rules.event_ended(event.ends_at, utcnow()):
            event.closed_at = event.ends_at


def weekday(day: date, weekday: int = 0) -> date:
    """The first given weekday (Monday 0) on or after the day."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)
