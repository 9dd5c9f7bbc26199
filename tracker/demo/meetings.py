"""Demo cases and meetings for the fictional London-like area: held meetings with their Four Pillars,
decisions and actions (some overdue), meetings this week and next, a Category 4 case, a Level 3 case, a
person in custody, a review overdue and cases with no next meeting. Every name is invented; every date is
relative to the day the demo is seeded.
"""

from __future__ import annotations

from datetime import date, time, timedelta

from tracker.core.timeutil import london_to_utc
from tracker.meetings import plan
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    AgendaPurpose,
    AttendanceStatus,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Category,
    ChairProfile,
    Imminence,
    Invitation,
    Level,
    LevelDecision,
    Meeting,
    MeetingStatus,
    MeetingType,
    Pillar,
    PillarEntry,
    PillarStatus,
    PlanOutcome,
    PlanPart,
    PlanPartKind,
    RiskLevel,
    Rsvp,
)

POLICE = "Metropolitan Police Service"
PROBATION = "Probation Service (London)"
PRISONS = "HM Prison Service"
CHILDREN = "Children's Social Care"
HOUSING = "Local Housing Authority"
HEALTH = "NHS Mental Health Trust"

# key, reference, name, born, category, level, borough, lead agency, lead officer, referred days ago
CASES = [
    (
        "whitlock",
        "LDN-2026-0101",
        "Jason Whitlock",
        date(1984, 3, 12),
        1,
        2,
        "Camden",
        PROBATION,
        "probation_officer",
        200,
    ),
    (
        "trevelyan",
        "LDN-2026-0102",
        "Mark Trevelyan",
        date(1979, 11, 2),
        2,
        2,
        "Hackney",
        PROBATION,
        "probation_officer",
        180,
    ),
    (
        "ashworth",
        "LDN-2026-0103",
        "Lee Ashworth",
        date(1991, 6, 25),
        2,
        2,
        "Islington",
        POLICE,
        "practitioner",
        150,
    ),
    (
        "benning",
        "LDN-2026-0104",
        "Carl Benning",
        date(1975, 1, 30),
        2,
        3,
        "Southwark",
        PROBATION,
        "probation_officer",
        120,
    ),
    (
        "mottram",
        "LDN-2026-0105",
        "Ryan Mottram",
        date(1988, 9, 14),
        1,
        3,
        "Lambeth",
        POLICE,
        "practitioner",
        140,
    ),
    ("greystone", "LDN-2026-0106", "Paul Greystone", date(1969, 4, 8), 3, 2, "Croydon", PROBATION, None, 300),
    ("harrow", "LDN-2026-0107", "Dean Harrow", date(1995, 12, 1), 1, 2, "Camden", POLICE, "practitioner", 6),
    (
        "aldridge",
        "LDN-2026-0108",
        "Thomas Aldridge",
        date(1990, 7, 19),
        4,
        3,
        "Westminster",
        POLICE,
        None,
        90,
    ),
    ("marlowe", "LDN-2026-0109", "Kevin Marlowe", date(1982, 2, 17), 3, 2, "Lewisham", PROBATION, None, 45),
    ("pellham", "LDN-2026-0110", "Gary Pellham", date(1972, 8, 5), 2, 2, "Barnet", PROBATION, None, 400),
    (
        "ridley",
        "LDN-2026-0111",
        "Shaun Ridley",
        date(1986, 5, 22),
        2,
        2,
        "Haringey",
        PROBATION,
        "probation_officer",
        30,
    ),
]

PLAN = {
    Pillar.SUPERVISION: "Weekly reporting to the probation officer; licence conditions reviewed monthly.",
    Pillar.MONITORING_AND_CONTROL: "Police home visits monthly; exclusion zone around the victim's address.",
    Pillar.INTERVENTIONS_AND_TREATMENT: "Referred to an accredited programme; supported housing to March.",
    Pillar.VICTIM_SAFETY_PLANNING: "Victim liaison officer in touch with the victim; no-contact condition.",
}


GREYSTONE_CONTINGENCY = "A missed GPS charge or any sighting in the zone: police visit the same day."


def _weekday(day: date, backwards: bool = True) -> date:
    """The nearest Monday to Friday (meetings are not held at weekends)."""
    step = timedelta(days=-1 if backwards else 1)
    while day.weekday() >= 5:
        day += step
    return day


def seed(context) -> None:
    session, today, people, agencies = context.session, context.today, context.people, context.agencies

    for key, grade, level_3 in (
        ("chair", "Senior Probation Officer", False),
        ("chair_police", "Detective Superintendent", True),
        ("chair_new", "Senior Probation Officer", False),
    ):
        session.add(
            ChairProfile(
                user_id=people[key].id, grade=grade, may_chair_level_2=True, may_chair_level_3=level_3
            )
        )

    cases: dict[str, Case] = {}
    for key, reference, name, born, category, level, borough, agency, officer, days in CASES:
        case = Case(
            reference=reference,
            name=name,
            date_of_birth=born,
            category=Category[f"CATEGORY_{category}"],
            level=Level[f"LEVEL_{level}"],
            borough=borough,
            lead_agency_id=agencies[agency].id,
            lead_officer_id=people[officer].id if officer else None,
            referred_on=today - timedelta(days=days),
            visor_reference=f"VIS{reference[-4:]}77",
            ndelius_reference=f"X{reference[-4:]}21",
            created_by_id=people["administrator"].id,
        )
        session.add(case)
        cases[key] = case
    session.flush()
    for case in cases.values():
        session.add(
            CaseEvent(
                case_id=case.id,
                kind=CaseEventKind.REFERRED,
                occurred_on=case.referred_on,
                level=case.level,
                reason="Referred for Level 2 or 3 management",
                recorded_by_id=people["administrator"].id,
            )
        )

    held_meetings: set[int] = set()

    def meeting(
        reference, level, kind, day, chair, status=MeetingStatus.SCHEDULED, venue="MAPPA Unit, Room 2"
    ):
        found = Meeting(
            reference=reference,
            level=level,
            meeting_type=kind,
            starts_at=london_to_utc(day, time(10, 0)),
            ends_at=london_to_utc(day, time(12, 30)),
            venue=venue,
            online_link="" if venue else "https://meet.example.org/mappa-" + reference.lower(),
            chair_id=people[chair].id,
            administrator_id=people["administrator"].id,
            status=status,
        )
        session.add(found)
        session.flush()
        if status is MeetingStatus.HELD:
            held_meetings.add(found.id)
        return found

    def agenda(meeting_row, keys, purpose=AgendaPurpose.REVIEW, presenter="probation_officer"):
        items = []
        for position, key in enumerate(keys, start=1):
            item = AgendaItem(
                meeting_id=meeting_row.id,
                case_id=cases[key].id,
                position=position,
                purpose=purpose,
                level_considered=cases[key].level,
                presenting_officer_id=people[presenter].id,
                slot_starts_at=meeting_row.starts_at + timedelta(minutes=40 * (position - 1)),
                slot_ends_at=meeting_row.starts_at + timedelta(minutes=40 * position),
            )
            item.pillar_entries = [PillarEntry(pillar=pillar) for pillar in Pillar]
            if meeting_row.id not in held_meetings:
                # A review still to come opens with the plan as last agreed.
                source = agreed.get(cases[key].id)
                if source is not None:
                    plan.copy_plan(source, item)
                parts(item, source)
            session.add(item)
            items.append(item)
        session.flush()
        return items

    def invite(meeting_row, who, attended=None, rsvp=Rsvp.ACCEPTED):
        for key, agency in who:
            session.add(
                Invitation(
                    meeting_id=meeting_row.id,
                    agency_id=agencies[agency].id,
                    user_id=people[key].id if key else None,
                    rsvp=rsvp,
                    attendance=attended,
                )
            )

    agreed: dict[int, AgendaItem] = {}  # each case's plan as last agreed, by case id

    def parts(item, source):
        """What this meeting did with each part of the plan carried from `source` (None: it agreed it
        first); a meeting still to come starts with each part to confirm or change."""
        held = item.meeting_id in held_meetings
        for kind in PlanPartKind:
            if not held:
                outcome = PlanOutcome.PENDING
            elif source is None:
                outcome = PlanOutcome.NEW
            elif plan.values(source, kind) == plan.values(item, kind):
                outcome = PlanOutcome.CONFIRMED
            else:
                outcome = PlanOutcome.CHANGED
            item.plan_parts.append(
                PlanPart(
                    case_id=item.case_id,
                    part=kind,
                    outcome=outcome,
                    carried_from_id=source.id if source else None,
                    reviewed_by_id=people["chair"].id if held else None,
                )
            )

    def record(item, meeting_day, next_review, decision=LevelDecision.RETAIN, actions=(), changes=None):
        item.risk_to_children = RiskLevel.HIGH
        item.risk_to_public = RiskLevel.MEDIUM
        item.risk_to_known_adult = RiskLevel.HIGH
        item.risk_to_staff = RiskLevel.LOW
        item.risk_to_prisoners = RiskLevel.LOW
        item.imminence = Imminence.IF_CIRCUMSTANCES_CHANGE
        item.risk_notes = "Risk rises with alcohol misuse and loss of accommodation."
        item.assessment_tool, item.assessed_on = "OASys", meeting_day - timedelta(days=6)
        item.contingency_plan = (
            "Any breach of the exclusion zone is reported to police at once; recall considered."
        )
        item.licence_conditions = (
            "Reside as directed; no contact with the victim; exclusion zone; curfew 21:00-07:00."
        )
        for entry in item.pillar_entries:
            entry.status = PillarStatus.ADDRESSED
            entry.summary = (changes or {}).get(entry.pillar) or PLAN[entry.pillar]
        for name, value in ((changes or {}).get("item") or {}).items():
            setattr(item, name, value)
        source = agreed.get(item.case_id)
        parts(item, source)
        agreed[item.case_id] = item
        item.level_decision = decision
        item.level_decision_reason = (
            "Risk is stable and the plan is working; multi-agency management still needed."
        )
        item.next_review_on = next_review
        case = item.case
        case.last_reviewed_on = meeting_day
        case.next_review_on = next_review
        for description, pillar, agency, owner, due, status in actions:
            session.add(
                Action(
                    case_id=case.id,
                    agenda_item_id=item.id,
                    pillar=pillar,
                    description=description,
                    owner_agency_id=agencies[agency].id,
                    owner_id=people[owner].id if owner else None,
                    due_on=due,
                    status=status,
                    completed_on=due if status is ActionStatus.DONE else None,
                )
            )

    year = today.year
    # Held five weeks ago: three Level 2 cases, complete records, some actions now overdue.
    held_day = _weekday(today - timedelta(weeks=5))
    held = meeting(f"M-{year}-0101", Level.LEVEL_2, MeetingType.REVIEW, held_day, "chair", MeetingStatus.HELD)
    held_items = agenda(held, ["whitlock", "trevelyan", "ashworth"])
    invite(
        held,
        [
            ("practitioner", POLICE),
            ("probation_officer", PROBATION),
            ("social_worker", CHILDREN),
            ("housing_officer", HOUSING),
        ],
        AttendanceStatus.PRESENT,
    )
    record(
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
    record(
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
    record(held_items[2], held_day, held_day + timedelta(weeks=16))

    # Held three weeks ago at Level 3: one person since recalled to custody.
    l3_day = _weekday(today - timedelta(weeks=3))
    held_l3 = meeting(
        f"M-{year}-0102", Level.LEVEL_3, MeetingType.REVIEW, l3_day, "chair_police", MeetingStatus.HELD
    )
    l3_items = agenda(held_l3, ["benning", "mottram"])
    invite(
        held_l3,
        [
            ("practitioner", POLICE),
            ("probation_officer", PROBATION),
            ("prison_officer", PRISONS),
            ("health_worker", HEALTH),
        ],
        AttendanceStatus.PRESENT,
    )
    record(
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
    record(l3_items[1], l3_day, l3_day + timedelta(weeks=8))
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
    early = ((97, 41, MeetingType.INITIAL), (98, 34, MeetingType.REVIEW), (99, 27, MeetingType.REVIEW))
    for number, weeks, kind in early:
        day = _weekday(today - timedelta(weeks=weeks))
        row = meeting(f"M-{year}-{number:04d}", Level.LEVEL_2, kind, day, "chair", MeetingStatus.HELD)
        invite(row, [("practitioner", POLICE), ("probation_officer", PROBATION)], AttendanceStatus.PRESENT)
        purpose = AgendaPurpose.INITIAL if kind is MeetingType.INITIAL else AgendaPurpose.REVIEW
        greystone_meetings.append((row, day, agenda(row, ["greystone"], purpose=purpose)[0]))
    (first, first_day, first_item), (second, second_day, second_item), (third, third_day, third_item) = (
        greystone_meetings
    )
    record(first_item, first_day, first_day + timedelta(weeks=7))
    record(
        second_item,
        second_day,
        second_day + timedelta(weeks=7),
        changes={
            Pillar.MONITORING_AND_CONTROL: (
                "Police home visits fortnightly after a sighting near the victim's street; GPS tag fitted."
            )
        },
    )
    record(
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
    old_day = _weekday(today - timedelta(weeks=20))
    old = meeting(f"M-{year}-0100", Level.LEVEL_2, MeetingType.REVIEW, old_day, "chair", MeetingStatus.HELD)
    (old_item,) = agenda(old, ["greystone"])
    invite(old, [("practitioner", POLICE), ("probation_officer", PROBATION)], AttendanceStatus.PRESENT)
    record(
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
    cancelled = meeting(
        f"M-{year}-0103",
        Level.LEVEL_2,
        MeetingType.REVIEW,
        _weekday(today - timedelta(days=24)),
        "chair_new",
        MeetingStatus.CANCELLED,
    )
    cancelled.cancelled_reason = "The chair was unwell; the cases moved to the next meeting."

    # This week: the demo chair and administrator, the demo practitioner invited.
    this_week = today + timedelta(days=1) if today.weekday() < 4 else today
    upcoming = meeting(f"M-{year}-0104", Level.LEVEL_2, MeetingType.REVIEW, this_week, "chair", venue="")
    agenda(upcoming, ["whitlock", "trevelyan"])
    (initial_item,) = agenda(upcoming, ["harrow"], purpose=AgendaPurpose.INITIAL, presenter="practitioner")
    initial_item.position = 3
    initial_item.slot_starts_at = upcoming.starts_at + timedelta(minutes=80)
    initial_item.slot_ends_at = upcoming.starts_at + timedelta(minutes=120)
    invite(upcoming, [("practitioner", POLICE), ("probation_officer", PROBATION)])
    invite(upcoming, [("social_worker", CHILDREN)], rsvp=Rsvp.AWAITING)

    # Next week: Level 3 with the Category 4 case (seen only by people cleared for terrorism cases).
    next_week = _weekday(today + timedelta(days=7 - today.weekday() + 1), backwards=False)
    upcoming_l3 = meeting(f"M-{year}-0105", Level.LEVEL_3, MeetingType.REVIEW, next_week, "chair_police")
    agenda(upcoming_l3, ["benning", "aldridge"], presenter="practitioner")
    invite(
        upcoming_l3, [("practitioner", POLICE), ("probation_officer", PROBATION), ("prison_officer", PRISONS)]
    )

    # Next week: an initial meeting with Police and Probation not yet invited (the page warns).
    upcoming_initial = meeting(
        f"M-{year}-0106",
        Level.LEVEL_2,
        MeetingType.INITIAL,
        next_week + timedelta(days=1 if next_week.weekday() < 4 else 0),
        "chair",
    )
    agenda(upcoming_initial, ["ridley"], purpose=AgendaPurpose.INITIAL)
    invite(upcoming_initial, [("housing_officer", HOUSING), ("practitioner", POLICE)], rsvp=Rsvp.AWAITING)
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
