"""Factories for courses, events, sessions, trainees, enrolments and uploads."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta

from tracker.auth.models import User
from tracker.core.pillars import Pillar
from tracker.core.timeutil import london_to_utc, today_london
from tracker.training.models import (
    Course,
    CourseEvent,
    CourseKind,
    Enrolment,
    EnrolmentImport,
    EnrolmentStatus,
    EventKind,
    Trainee,
    TraineeRole,
    TrainingSession,
)

_numbers = itertools.count(1)


class TrainingFactory:
    def course(self, kind: CourseKind = CourseKind.CHAIR_COURSE, **fields) -> Course:
        fields.setdefault("title", f"Course {next(_numbers)}")
        fields.setdefault("days", 2 if kind is CourseKind.CHAIR_COURSE else 1)
        fields.setdefault("cpd_minutes", 0 if kind is CourseKind.CHAIR_COURSE else 180)
        return self.save(Course(kind=kind, **fields))

    def event(
        self,
        course: Course | None = None,
        *,
        days: list[date] | None = None,
        capacity: int = 20,
        kind: EventKind | None = None,
        pillar: Pillar | None = None,
        **fields,
    ) -> CourseEvent:
        """An event with a session on each day (09:30 to 16:30); by default two days last week."""
        course = course or self.course()
        if kind is None:
            kind = EventKind.COHORT if course.kind is CourseKind.CHAIR_COURSE else EventKind.CHAIRS_FORUM
        if days is None:
            first = today_london() - timedelta(days=7)
            days = [first + timedelta(days=n) for n in range(course.days)]
        fields.setdefault("title", f"Event {next(_numbers)}")
        fields.setdefault("cpd_minutes", course.cpd_minutes)
        event = CourseEvent(course=course, kind=kind, pillar=pillar, capacity=capacity, **fields)
        for number, day in enumerate(days, start=1):
            event.sessions.append(
                TrainingSession(
                    title=f"Day {number}",
                    starts_at=london_to_utc(day, time(9, 30)),
                    ends_at=london_to_utc(day, time(16, 30)),
                    venue="Training room",
                )
            )
        event.refresh_dates()
        return self.save(event)

    def trainee(self, user: User | None = None, **fields) -> Trainee:
        if user is not None:
            fields.setdefault("name", user.name)
            fields.setdefault("email", user.email.lower())
            fields.setdefault("agency_id", user.agency_id)
        number = next(_numbers)
        fields.setdefault("name", f"Trainee {number}")
        fields.setdefault("email", f"trainee{number}@example.org")
        if "agency_id" not in fields:
            fields["agency_id"] = self.agency("Test Police").id
        return self.save(Trainee(user_id=user.id if user else None, **fields))

    def enrolment(
        self,
        event: CourseEvent,
        trainee: Trainee | None = None,
        status: EnrolmentStatus = EnrolmentStatus.ENROLLED,
        role: TraineeRole = TraineeRole.CHAIR,
        **fields,
    ) -> Enrolment:
        trainee = trainee or self.trainee()
        return self.save(
            Enrolment(event_id=event.id, trainee_id=trainee.id, status=status, role=role, **fields)
        )

    def completed(
        self, event: CourseEvent, trainee: Trainee | None = None, on: date | None = None, **fields
    ) -> Enrolment:
        """A place whose outcome is Completed, on the day `on` if given."""
        return self.enrolment(event, trainee, EnrolmentStatus.COMPLETED, completed_on=on, **fields)

    def current_chair(self, **fields) -> User:
        """A chair who completed chair training a year ago and went to a Chairs' Forum last month."""
        chair = self.user("CHAIR", chair_trained=True, **fields)
        trainee = self.trainee(chair)
        today = today_london()
        course = self.event(days=[today - timedelta(days=365), today - timedelta(days=364)])
        forum = self.event(
            self.course(CourseKind.CPD), days=[today - timedelta(days=30)], pillar=Pillar.SUPERVISION
        )
        for event, days_ago, sessions, more in ((course, 364, 2, {}), (forum, 30, 1, {"cpd_minutes": 180})):
            on = today - timedelta(days=days_ago)
            self.completed(event, trainee, on, last_attended_on=on, sessions_attended=sessions, **more)
        return chair

    def upload(self, event: CourseEvent, user: User, rows: list[dict]) -> EnrolmentImport:
        return self.save(
            EnrolmentImport(event_id=event.id, created_by_id=user.id, rows=rows, filename="people.csv")
        )
