"""Demo training data: the seed year 2024/25 as the annual report tells it, and events around today.

2024/25: three two-day chair courses that trained 57 new chairs, and two Chairs' Forums (June on
interventions and treatment, December on monitoring and control) with 107 participants. Around today:
a recent forum and development day, a briefing, a chair course next month with a waiting list, and a
forum to come. The demo chair is trained with recent CPD, Claire Donovan awaits training and Imran
Hussain's CPD is about to lapse. Every person is invented; names are drawn with a fixed seed so the
demo is the same every time.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from tracker.core.pillars import Pillar
from tracker.core.timeutil import london, london_to_utc
from tracker.core.types import utcnow
from tracker.training import rules
from tracker.training.models import (
    Attendance,
    Audience,
    Course,
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
CHAIR_AGENCIES = ["Metropolitan Police Service", "Probation Service (London)", "HM Prison Service"]
STAFF_AGENCIES = [
    "Children's Social Care",
    "Adult Social Care",
    "NHS Mental Health Trust",
    "Youth Justice Service",
    "Local Housing Authority",
    "Department for Work and Pensions",
]


class _Builder:
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
            enrolment.record_outcome(rules.outcome(days, event.cpd_minutes, rule), closed=ended)
            if ended and enrolment.certificate_code:
                # Past events had their outcomes set and certificates sent when they ended.
                enrolment.certificate_sent_at = event.ends_at
        if rules.event_ended(event.ends_at, utcnow()):
            event.closed_at = event.ends_at


def _weekday(day: date, weekday: int = 0) -> date:
    """The first given weekday (Monday 0) on or after the day."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def seed(context) -> None:
    build = _Builder(context)
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

    graduates = _seed_year(build, chair_course, forum)
    _around_today(build, graduates, chair_course, forum, development, briefing)


def _seed_year(build: _Builder, chair_course: Course, forum: Course) -> list[Trainee]:
    """2024/25: three cohorts (19 new chairs completing each, 57 in all) and two forums (55 + 52).
    Returns the new chairs without accounts, who keep current at the later events."""
    cohort_days = [date(2024, 5, 13), date(2024, 9, 9), date(2025, 1, 20)]
    graduates: list[Trainee] = []
    for number, first in enumerate(cohort_days, start=1):
        event = build.event(
            chair_course,
            f"Cohort {number}, {first:%B %Y}",
            EventKind.COHORT,
            [first, first + timedelta(days=1)],
            24,
            audience=[Audience.NEW_CHAIRS, Audience.ADMINISTRATORS],
            presenters=COURSE_PRESENTERS,
            lived_experience=number != 2,
        )
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
        event = build.event(
            forum,
            f"Chairs' Forum, {day:%B %Y}: {theme}",
            EventKind.CHAIRS_FORUM,
            [day],
            70,
            pillar=pillar,
            audience=[Audience.CHAIRS],
            presenters="Forensic psychologist, HMPPS\nSpeaker with lived experience of the justice system",
            lived_experience=True,
            hours=(time(13, 30), time(16, 30)),
        )
        pool = [
            t for t in graduates + experienced if t is not build.account("chair_police") or day.month == 6
        ]
        chosen = build.random.sample(pool, participants + 3)
        enrolled = build.enrol(event, chosen, TraineeRole.CHAIR)
        # Three booked but did not come.
        build.mark(event, enrolled, {e.id: [Mark.ABSENT] for e in enrolled[-3:]})
    return [trainee for trainee in graduates if trainee.user_id is None]


def _around_today(
    build: _Builder,
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

    recent = _weekday(today - timedelta(days=63), 2)
    event = build.event(
        forum,
        f"Chairs' Forum, {recent:%B %Y}: supervision and licence conditions",
        EventKind.CHAIRS_FORUM,
        [recent],
        60,
        pillar=Pillar.SUPERVISION,
        audience=[Audience.CHAIRS],
        presenters="Head of Public Protection, Probation Service (London)",
        hours=(time(13, 30), time(16, 30)),
    )
    enrolled = build.enrol(event, [chair] + chairs[:20] + build.people(7, CHAIR_AGENCIES), TraineeRole.CHAIR)
    build.mark(event, enrolled, {})

    spring = _weekday(rules.months_before(today, 6), 2)
    event = build.event(
        forum,
        f"Chairs' Forum, {spring:%B %Y}: interventions and treatment",
        EventKind.CHAIRS_FORUM,
        [spring],
        60,
        pillar=Pillar.INTERVENTIONS_AND_TREATMENT,
        audience=[Audience.CHAIRS],
        presenters="Forensic psychologist, HMPPS\nSpeaker with lived experience of the justice system",
        lived_experience=True,
        hours=(time(13, 30), time(16, 30)),
    )
    enrolled = build.enrol(
        event, chairs[15 : len(chairs) - 3] + build.people(8, CHAIR_AGENCIES), TraineeRole.CHAIR
    )
    build.mark(event, enrolled, {enrolled[-1].id: [Mark.ABSENT]})

    # Imran Hussain's last CPD, eleven months ago: his CPD lapses within the two-month warning.
    eleven_months = _weekday(rules.months_before(today, 11), 1)
    event = build.event(
        development,
        f"Chairs' development day, {eleven_months:%B %Y}",
        EventKind.DEVELOPMENT_DAY,
        [eleven_months],
        40,
        audience=[Audience.CHAIRS],
        presenters="MAPPA Co-ordinator\nVictim Liaison Unit manager",
    )
    enrolled = build.enrol(
        event,
        [chair_police] + chairs[40:48] + build.people(13, CHAIR_AGENCIES),
        TraineeRole.CHAIR,
    )
    build.mark(event, enrolled, {})

    past_briefing = _weekday(today - timedelta(days=100), 3)
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
    enrolled = build.enrol(event, staff, TraineeRole.STAFF)
    build.mark(event, enrolled, {enrolled[-1].id: [Mark.ABSENT], enrolled[-2].id: [Mark.LEFT_EARLY]})

    next_month = _weekday(today + timedelta(days=30))
    event = build.event(
        chair_course,
        f"Cohort {next_month:%B %Y}",
        EventKind.COHORT,
        [next_month, next_month + timedelta(days=1)],
        16,
        audience=[Audience.NEW_CHAIRS, Audience.ADMINISTRATORS],
        presenters=COURSE_PRESENTERS,
        lived_experience=True,
    )
    build.enrol(event, [build.account("chair_new")] + build.people(15, CHAIR_AGENCIES), TraineeRole.CHAIR)
    build.wait(event, build.people(3, CHAIR_AGENCIES), TraineeRole.CHAIR)

    coming = _weekday(today + timedelta(days=45), 2)
    event = build.event(
        forum,
        f"Chairs' Forum, {coming:%B %Y}: victim safety planning",
        EventKind.CHAIRS_FORUM,
        [coming],
        60,
        pillar=Pillar.VICTIM_SAFETY_PLANNING,
        audience=[Audience.CHAIRS],
        presenters="Victim Liaison Unit manager\nIndependent domestic violence adviser",
        lived_experience=True,
        hours=(time(13, 30), time(16, 30)),
    )
    build.enrol(event, [chair, chair_police] + build.people(18, CHAIR_AGENCIES), TraineeRole.CHAIR)
