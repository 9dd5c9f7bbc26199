"""A year and a half of held meetings for the quality dashboard: the Four Pillars, attendance, actions and
minutes (mostly on time)."""

from __future__ import annotations

from datetime import date, time, timedelta

from tracker.core.pillars import Pillar
from tracker.core.timeutil import london_to_utc
from tracker.core.workdays import add_working_days, is_working_day
from tracker.demo.agencies import ADULTS, CHILDREN, HEALTH, POLICE, PRISONS, PROBATION
from tracker.demo.meetings.builder import plan_parts
from tracker.demo.minutes import distributed_version, minutes_of
from tracker.demo.reports.history import CATEGORIES, DTC_AGENCIES, SEED_YEAR, Builder
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
    Imminence,
    Invitation,
    Level,
    LevelDecision,
    Meeting,
    MeetingStatus,
    MeetingType,
    PillarEntry,
    PillarStatus,
    RiskLevel,
    Rsvp,
)
from tracker.meetings.services.cases import referral
from tracker.minutes import rules as minutes_rules
from tracker.minutes.models import MinutesRecipient, MinutesStatus
from tracker.reports import rules

# Meetings for the dashboard ---------------------------------------------------------------------------

# Who owns the actions each agency agrees to (the demo's accounts, by key): approval needs a named owner.
ACTION_OWNERS = {
    POLICE: "police_constable",
    PROBATION: "offender_manager",
    CHILDREN: "social_worker",
    ADULTS: "adult_social_worker",
    HEALTH: "health_worker",
}
# When the demo's past meetings start (London).
STARTS = time(10, 0)


def _working_day(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def seed_meetings(build: Builder) -> list[Meeting]:
    """Held meetings every fortnight (Level 2) and every four weeks (Level 3) from the start of the
    quarter five quarters back until last week, each reviewing the cases most due."""
    context, session, today = build.context, build.session, build.context.today
    people, agencies = context.people, context.agencies
    current = rules.quarter_of(today)
    start = current.first_day
    for _ in range(5):
        start = rules.quarter_of(start - timedelta(days=1)).first_day
    stop = today - timedelta(days=7)

    pool: list[dict] = []
    for number in range(24):
        level = Level.LEVEL_3 if number % 4 == 3 else Level.LEVEL_2
        new = number % 3 == 0
        referred = start + timedelta(days=7 * number) if new else start - timedelta(days=30 + 9 * number)
        # Never in the seed year, whose tables must stay London's.
        referred = max(referred, SEED_YEAR.last_day + timedelta(days=1 + number))
        case = build.case(CATEGORIES[number % 3], referred, level)
        session.add(case)
        pool.append(
            {"case": case, "new": new, "due": referred + timedelta(days=21 if new else 10 * number % 60)}
        )
    session.flush()
    for entry in pool:
        session.add(referral(entry["case"], build.officer))

    schedule = []
    day, fortnight = start + timedelta(days=2), 0
    while day <= stop:
        schedule.append((_working_day(day), Level.LEVEL_2, "chair"))
        if fortnight % 2:
            schedule.append((_working_day(day + timedelta(days=1)), Level.LEVEL_3, "chair_police"))
        day += timedelta(days=14)
        fortnight += 1
    meetings, numbers = [], {}
    for day, level, chair in schedule:
        if day > stop:
            continue
        numbers[day.year] = numbers.get(day.year, 199) + 1
        meeting = Meeting(
            reference=f"M-{day.year}-{numbers[day.year]:04d}",
            level=level,
            meeting_type=MeetingType.REVIEW,
            starts_at=london_to_utc(day, STARTS),
            ends_at=london_to_utc(day, time(12, 30)),
            venue="MAPPA Unit, Room 1",
            chair_id=people[chair].id,
            administrator_id=people["administrator"].id,
            status=MeetingStatus.HELD,
        )
        session.add(meeting)
        session.flush()
        due = sorted(
            (e for e in pool if e["case"].level is level and e["case"].referred_on < day),
            key=lambda e: e["due"],
        )
        chosen = [e for e in due if e["due"] <= day + timedelta(days=21) and build.random.random() > 0.12][:4]
        for position, entry in enumerate(chosen, start=1):
            entry["last_item"] = _discuss(build, meeting, entry, position, day)
        _invite(build, meeting, agencies)
        meetings.append(meeting)
    session.flush()
    # Each case leaves meeting management at its last discussion, so none is left waiting for a meeting.
    for entry in pool:
        if (item := entry.get("last_item")) is not None:
            _close(build, entry["case"], item)
    session.flush()
    _seed_minutes(build, meetings)
    return meetings


def _risk_assessment(case: Case, day: date) -> dict:
    """The risk assessment the meeting recorded, with its tool and date (approval needs all of it)."""
    sexual = case.category is Category.CATEGORY_1
    return {
        "risk_to_children": RiskLevel.HIGH if sexual else RiskLevel.MEDIUM,
        "risk_to_staff": RiskLevel.LOW,
        "risk_to_prisoners": RiskLevel.LOW,
        "imminence": Imminence.IF_CIRCUMSTANCES_CHANGE,
        "assessment_tool": "ARMS" if sexual else "OASys",
        "assessed_on": day - timedelta(days=10),
    }


def _discuss(build: Builder, meeting: Meeting, entry: dict, position: int, day: date) -> AgendaItem:
    case, session = entry["case"], build.session
    first = "last_item" not in entry
    item = AgendaItem(
        meeting_id=meeting.id,
        case_id=case.id,
        position=position,
        purpose=AgendaPurpose.INITIAL if first and entry["new"] else AgendaPurpose.REVIEW,
        level_considered=case.level,
        category_considered=case.category,
        risk_to_public=build.random.choice([RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.HIGH]),
        risk_to_known_adult=RiskLevel.HIGH,
        level_decision=LevelDecision.RETAIN,
        level_decision_reason="Risk is stable and the plan is working; multi-agency management still needed.",
        **_risk_assessment(case, day),
    )
    entries = []
    # A pillar left outstanding stays so only while the minutes are still being written, not yet due: the
    # chair cannot approve them until it is recorded, and older meetings' minutes are approved.
    due = minutes_rules.distribution_due_on(day, minutes_rules.working_days_setting())
    being_written = due >= build.context.today
    for pillar in Pillar:
        roll = build.random.random()
        if roll < 0.08 and being_written:
            entries.append(PillarEntry(pillar=pillar, status=PillarStatus.OUTSTANDING))
        elif pillar is Pillar.VICTIM_SAFETY_PLANNING and roll < 0.2:
            entries.append(
                PillarEntry(
                    pillar=pillar,
                    status=PillarStatus.NOT_APPLICABLE,
                    not_applicable_reason="No identified victim; general public protection measures apply.",
                )
            )
        else:
            entries.append(PillarEntry(pillar=pillar, status=PillarStatus.ADDRESSED, summary="Plan agreed."))
    item.pillar_entries = entries
    item.plan_parts = plan_parts(item, entry.get("last_item"), meeting.chair_id)
    weeks = (
        build.random.choice([8, 12, 12, 16]) if case.level is Level.LEVEL_2 else build.random.choice([6, 8])
    )
    item.next_review_on = day + timedelta(weeks=weeks)
    session.add(item)
    session.flush()
    case.last_reviewed_on, case.next_review_on = day, item.next_review_on
    entry["due"] = item.next_review_on
    for number in range(build.random.choice([1, 2])):
        session.add(_action(build, item, day, number))
    return item


def _action(build: Builder, item: AgendaItem, day: date, number: int) -> Action:
    today = build.context.today
    due = day + timedelta(days=build.random.choice([14, 28, 42]))
    agency = build.random.choice([POLICE, PROBATION, *DTC_AGENCIES[:3]])
    owner = build.context.people[ACTION_OWNERS[agency]]
    status, completed = ActionStatus.OPEN, None
    if due < today:
        roll = build.random.random()
        if roll < 0.72:
            status, completed = ActionStatus.DONE, due - timedelta(days=build.random.randint(0, 10))
        elif roll < 0.86:
            status, completed = (
                ActionStatus.DONE,
                min(due + timedelta(days=build.random.randint(1, 14)), today),
            )
        elif roll < 0.94:
            status = ActionStatus.DROPPED
    return Action(
        case_id=item.case_id,
        agenda_item_id=item.id,
        pillar=list(Pillar)[number % 4],
        description=[
            "Home visit and address check",
            "Confirm programme attendance",
            "Share safeguarding update",
        ][number % 3],
        owner_agency_id=build.context.agencies[agency].id,
        owner_id=owner.id,
        due_on=due,
        status=status,
        completed_on=completed,
        dropped_reason="No longer needed after the change of address."
        if status is ActionStatus.DROPPED
        else "",
    )


def _invite(build: Builder, meeting: Meeting, agencies) -> None:
    expected = [POLICE, PROBATION] + ([PRISONS] if meeting.level is Level.LEVEL_3 else [])
    others = build.random.sample(DTC_AGENCIES, 3)
    for name in expected + others:
        roll = build.random.random()
        ra = name in expected
        if roll < (0.9 if ra else 0.68):
            attendance, deputy = AttendanceStatus.PRESENT, ""
        elif roll < (0.97 if ra else 0.88):
            attendance = AttendanceStatus.APOLOGIES
            deputy = f"{build.name()} (deputy)" if build.random.random() < 0.5 else ""
        else:
            attendance, deputy = AttendanceStatus.ABSENT, ""
        build.session.add(
            Invitation(
                meeting_id=meeting.id,
                agency_id=agencies[name].id,
                rsvp=Rsvp.ACCEPTED,
                attendance=attendance,
                deputy_name=deputy,
            )
        )


def _close(build: Builder, case: Case, item: AgendaItem) -> None:
    """The case's last discussion lowered it to Level 1 (Level 2) or ended MAPPA management (Level 3)."""
    meeting_day = case.last_reviewed_on  # the day of this, its last, discussion
    if case.level is Level.LEVEL_2:
        item.level_decision, kind, level, case.level = (
            LevelDecision.LOWER,
            CaseEventKind.LEVEL_CHANGED,
            Level.LEVEL_1,
            Level.LEVEL_1,
        )
    else:
        item.level_decision, kind, level = LevelDecision.EXIT, CaseEventKind.EXITED, case.level
        case.status = CaseStatus.EXITED
    item.level_decision_reason = "The risk has reduced: the lead agency can manage it without MAPPA meetings."
    item.next_review_on = None
    case.next_review_on = None
    build.session.add(
        CaseEvent(
            case_id=case.id,
            kind=kind,
            occurred_on=meeting_day,
            occurred_time=STARTS,  # the meeting's start, as the tracker sets a decision's entry
            level=level,
            previous_level=Level.LEVEL_2 if kind is CaseEventKind.LEVEL_CHANGED else None,
            reason=item.level_decision_reason,
            agenda_item_id=item.id,
            recorded_by_id=build.officer,
        )
    )


def _seed_minutes(build: Builder, meetings: list[Meeting]) -> None:
    """Minutes approved and distributed, most within the working days allowed, some late; none yet for a
    meeting whose record still has a pillar outstanding (the chair could not approve them)."""
    from tracker.minutes import record as records

    session, today = build.session, build.context.today
    for meeting in meetings:
        held_on = meeting.starts_at.date()
        days = build.random.choice([3, 4, 5, 6, 7, 8, 9, 12, 15])
        sent_on = add_working_days(held_on, days)
        if sent_on >= today:
            continue
        loaded = records.load_meeting(meeting.id)
        entries = [entry for item in loaded.agenda_items for entry in item.pillar_entries]
        if any(entry.status is PillarStatus.OUTSTANDING for entry in entries):
            continue
        approved_at = london_to_utc(add_working_days(held_on, days - 1), time(15, 0))
        sent_at = london_to_utc(sent_on, time(11, 0))
        submitted_at = approved_at - timedelta(hours=3)
        version = distributed_version(
            loaded, build.officer, submitted_at, approved_at, sent_at, sections={"meeting": {}, "items": {}}
        )
        version.recipients = [
            MinutesRecipient(agency_id=invitation.agency_id) for invitation in loaded.invitations
        ]
        minutes = minutes_of(meeting, MinutesStatus.DISTRIBUTED, build.officer, version, updated_at=sent_at)
        session.add(minutes)
