"""Demo cases and meetings for the fictional London-like area: held meetings with their Four Pillars,
decisions and actions (some overdue), meetings this week and next, a Category 4 case, a Level 3 case, a
person in custody, a review overdue and cases with no next meeting. Every name is invented; every date is
relative to the day the demo is seeded.
"""

from __future__ import annotations

from datetime import timedelta

from tracker.demo.agencies import CHILDREN, HEALTH, HOUSING, POLICE, PRISONS, PROBATION
from tracker.demo.meetings.builder import MeetingBuilder
from tracker.demo.meetings.cases import GREYSTONE_CONTINGENCY, seed_cases, weekday
from tracker.meetings.models import (
    ActionStatus,
    AgendaPurpose,
    AttendanceStatus,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Level,
    MeetingStatus,
    MeetingType,
    Pillar,
    Rsvp,
)


def _held(
    build: MeetingBuilder, reference, level, kind, day, chair, keys, present, purpose=AgendaPurpose.REVIEW
):
    """A meeting held on the day: the cases of `keys` on its agenda, those `present` (as for `invite`)
    there. Its row and its agenda items."""
    row = build.meeting(reference, level, kind, day, chair, MeetingStatus.HELD)
    items = build.agenda(row, keys, purpose=purpose)
    build.invite(row, present, AttendanceStatus.PRESENT)
    return row, items


def seed(context) -> None:
    session, today, people = context.session, context.today, context.people
    cases = seed_cases(context)
    build = MeetingBuilder(context, cases)

    year = today.year
    # Held five weeks ago: three Level 2 cases, complete records, some actions now overdue.
    held_day = weekday(today - timedelta(weeks=5))
    _, held_items = _held(
        build,
        f"M-{year}-0101",
        Level.LEVEL_2,
        MeetingType.REVIEW,
        held_day,
        "chair",
        ["whitlock", "trevelyan", "ashworth"],
        [
            ("practitioner", POLICE),
            ("probation_officer", PROBATION),
            ("social_worker", CHILDREN),
            ("housing_officer", HOUSING),
        ],
    )
    build.record(
        held_items[0],
        held_day,
        held_day + timedelta(weeks=6),
        actions=[
            (
                "Complete a home visit and check the curfew address",
                Pillar.MONITORING_AND_CONTROL,
                POLICE,
                "practitioner",
                today - timedelta(days=7),
                ActionStatus.OPEN,
            ),
            (
                "Confirm the programme start date",
                Pillar.INTERVENTIONS_AND_TREATMENT,
                PROBATION,
                "probation_officer",
                today + timedelta(days=10),
                ActionStatus.OPEN,
            ),
        ],
    )
    build.record(
        held_items[1],
        held_day,
        held_day + timedelta(weeks=12),
        actions=[
            (
                "Share the safeguarding assessment of the children at the new address",
                Pillar.VICTIM_SAFETY_PLANNING,
                CHILDREN,
                "social_worker",
                today - timedelta(days=3),
                ActionStatus.OPEN,
            ),
            (
                "Review the tenancy and report any change of address",
                Pillar.INTERVENTIONS_AND_TREATMENT,
                HOUSING,
                "housing_officer",
                held_day + timedelta(days=14),
                ActionStatus.DONE,
            ),
        ],
    )
    build.record(held_items[2], held_day, held_day + timedelta(weeks=16))

    # Held three weeks ago at Level 3: one person since recalled to custody.
    l3_day = weekday(today - timedelta(weeks=3))
    _, l3_items = _held(
        build,
        f"M-{year}-0102",
        Level.LEVEL_3,
        MeetingType.REVIEW,
        l3_day,
        "chair_police",
        ["benning", "mottram"],
        [
            ("practitioner", POLICE),
            ("probation_officer", PROBATION),
            ("prison_officer", PRISONS),
            ("health_worker", HEALTH),
        ],
    )
    build.record(
        l3_items[0],
        l3_day,
        l3_day + timedelta(weeks=6),
        actions=[
            (
                "Arrange a joint visit with mental health services",
                Pillar.SUPERVISION,
                PROBATION,
                "probation_officer",
                today + timedelta(days=4),
                ActionStatus.OPEN,
            )
        ],
    )
    build.record(l3_items[1], l3_day, l3_day + timedelta(weeks=8))
    mottram = cases["mottram"]
    mottram.status = CaseStatus.IN_CUSTODY
    session.add(
        CaseEvent(
            case_id=mottram.id,
            kind=CaseEventKind.RECALLED,
            occurred_on=today - timedelta(days=12),
            level=mottram.level,
            reason="Recalled for breaching the exclusion zone condition of his licence.",
            recorded_by_id=people["administrator"].id,
        )
    )

    # Paul Greystone's plan over four meetings: agreed at his initial meeting, then reviewed three times,
    # a part or two changed at each review (the case page shows the plan's history part by part).
    greystone_meetings = []
    officers = [("practitioner", POLICE), ("probation_officer", PROBATION)]
    early = ((97, 41, MeetingType.INITIAL), (98, 34, MeetingType.REVIEW), (99, 27, MeetingType.REVIEW))
    for number, weeks, kind in early:
        day = weekday(today - timedelta(weeks=weeks))
        purpose = AgendaPurpose.INITIAL if kind is MeetingType.INITIAL else AgendaPurpose.REVIEW
        reference = f"M-{year}-{number:04d}"
        row, (item,) = _held(
            build, reference, Level.LEVEL_2, kind, day, "chair", ["greystone"], officers, purpose
        )
        greystone_meetings.append((row, day, item))
    (first, first_day, first_item), (second, second_day, second_item), (third, third_day, third_item) = (
        greystone_meetings
    )
    build.record(first_item, first_day, first_day + timedelta(weeks=7))
    build.record(
        second_item,
        second_day,
        second_day + timedelta(weeks=7),
        changes={
            Pillar.MONITORING_AND_CONTROL: (
                "Police home visits fortnightly after a sighting near the victim's street; GPS tag fitted."
            )
        },
    )
    build.record(
        third_item,
        third_day,
        third_day + timedelta(weeks=7),
        changes={
            Pillar.MONITORING_AND_CONTROL: (
                "Police home visits fortnightly after a sighting near the victim's street; GPS tag fitted."
            ),
            Pillar.INTERVENTIONS_AND_TREATMENT: (
                "Completed the accredited programme; alcohol treatment weekly; moved to his own tenancy."
            ),
            "item": {"contingency_plan": GREYSTONE_CONTINGENCY},
        },
    )

    # Held twenty weeks ago: a Level 2 review now overdue, with no meeting booked.
    old_day = weekday(today - timedelta(weeks=20))
    _, (old_item,) = _held(
        build, f"M-{year}-0100", Level.LEVEL_2, MeetingType.REVIEW, old_day, "chair", ["greystone"], officers
    )
    build.record(
        old_item,
        old_day,
        old_day + timedelta(weeks=16),
        changes={
            Pillar.MONITORING_AND_CONTROL: "Police home visits monthly now the GPS tag has been removed.",
            Pillar.INTERVENTIONS_AND_TREATMENT: (
                "Completed the accredited programme; alcohol treatment weekly; moved to his own tenancy."
            ),
            "item": {"contingency_plan": GREYSTONE_CONTINGENCY},
        },
    )

    # Cancelled last month.
    cancelled = build.meeting(
        f"M-{year}-0103",
        Level.LEVEL_2,
        MeetingType.REVIEW,
        weekday(today - timedelta(days=24)),
        "chair_new",
        MeetingStatus.CANCELLED,
    )
    cancelled.cancelled_reason = "The chair was unwell; the cases moved to the next meeting."

    # This week: the demo chair and administrator, the demo practitioner invited.
    this_week = today + timedelta(days=1) if today.weekday() < 4 else today
    upcoming = build.meeting(
        f"M-{year}-0104", Level.LEVEL_2, MeetingType.REVIEW, this_week, "chair", venue=""
    )
    build.agenda(upcoming, ["whitlock", "trevelyan"])
    (initial_item,) = build.agenda(
        upcoming, ["harrow"], purpose=AgendaPurpose.INITIAL, presenter="practitioner"
    )
    initial_item.position = 3
    initial_item.slot_starts_at = upcoming.starts_at + timedelta(minutes=80)
    initial_item.slot_ends_at = upcoming.starts_at + timedelta(minutes=120)
    build.invite(upcoming, [("practitioner", POLICE), ("probation_officer", PROBATION)])
    build.invite(upcoming, [("social_worker", CHILDREN)], rsvp=Rsvp.AWAITING)

    # Next week: Level 3, chaired by the police chair.
    next_week = weekday(today + timedelta(days=7 - today.weekday() + 1), backwards=False)
    upcoming_l3 = build.meeting(
        f"M-{year}-0105", Level.LEVEL_3, MeetingType.REVIEW, next_week, "chair_police"
    )
    build.agenda(upcoming_l3, ["benning"], presenter="practitioner")
    build.invite(
        upcoming_l3, [("practitioner", POLICE), ("probation_officer", PROBATION), ("prison_officer", PRISONS)]
    )
    # Next week too: the Category 4 case, seen only by people cleared for terrorism cases. A chair,
    # administrator and named invitees not cleared may not run or attend its meeting, so it has a meeting
    # of its own, run by the cleared chair and administrator, with the agencies invited but no one named.
    # Never discussed yet, so this is its initial meeting.
    category_4 = build.meeting(
        f"M-{year}-0107",
        Level.LEVEL_3,
        MeetingType.INITIAL,
        weekday(next_week + timedelta(days=2), backwards=False),
        "chair_police",
        administrator="administrator_cleared",
    )
    build.agenda(category_4, ["aldridge"], purpose=AgendaPurpose.INITIAL, presenter=None)
    build.invite(category_4, [(None, POLICE), (None, PROBATION)])

    # Next week: an initial meeting with Police and Probation not yet invited (the page warns).
    upcoming_initial = build.meeting(
        f"M-{year}-0106",
        Level.LEVEL_2,
        MeetingType.INITIAL,
        next_week + timedelta(days=1 if next_week.weekday() < 4 else 0),
        "chair",
    )
    build.agenda(upcoming_initial, ["ridley"], purpose=AgendaPurpose.INITIAL)
    build.invite(
        upcoming_initial, [("housing_officer", HOUSING), ("practitioner", POLICE)], rsvp=Rsvp.AWAITING
    )
    session.flush()

    # Exited MAPPA last year.
    pellham = cases["pellham"]
    pellham.status = CaseStatus.EXITED
    pellham.last_reviewed_on = today - timedelta(days=200)
    session.add(
        CaseEvent(
            case_id=pellham.id,
            kind=CaseEventKind.EXITED,
            occurred_on=today - timedelta(days=200),
            level=pellham.level,
            reason="Risk reduced; managed by probation alone at Level 1.",
            recorded_by_id=people["administrator"].id,
        )
    )
