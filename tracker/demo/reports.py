"""Demo data for the Board's reports.

The seed year 2024/25 as London published it: people with dated histories whose counts give exactly the
published tables (on 31 March: Level 2 24, 63 and 67, Level 3 8, 3 and 6; over the year: Level 2 153,
301 and 298, Level 3 21, 27 and 31; returned to custody: Level 2 19, 22 and 31, Level 3 3, 2 and 4), and the
co-ordinator's entered figures as London published them (Level 1 7,368 and 3,681; the orders, breaches and
notification figures). The population behind the published rate of 92 per 100,000 is not published with
it: the demo's 8,043,000 is invented to give that rate. Each of those people has since left MAPPA or is
managed at Level 1, so none is waiting for a meeting today.

For the dashboard: a year and a half of held meetings before today, with the Four Pillars, attendance,
actions, minutes (mostly on time) and a handful of completed quality audits, plus one audit for the demo
chair to do. Every name is invented and drawn with a fixed seed, so the demo is the same every time.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from tracker.core.pillars import Pillar
from tracker.core.timeutil import london_to_utc
from tracker.core.workdays import add_working_days, is_working_day
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
from tracker.minutes.models import Minutes, MinutesRecipient, MinutesStatus, MinutesVersion
from tracker.reports import rules
from tracker.reports.models import AnnualFigures, AuditCriterion, AuditScore, AuditStatus, MeetingAudit
from tracker.training.rules import ReportingYear

SEED_YEAR = ReportingYear(2024)
CATEGORIES = (Category.CATEGORY_1, Category.CATEGORY_2, Category.CATEGORY_3)
# London 2024/25, by category 1, 2, 3 (domain.md, "Annual report").
SNAPSHOT = {Level.LEVEL_2: (24, 63, 67), Level.LEVEL_3: (8, 3, 6)}
OVER_YEAR = {Level.LEVEL_2: (153, 301, 298), Level.LEVEL_3: (21, 27, 31)}
RECALLED = {Level.LEVEL_2: (19, 22, 31), Level.LEVEL_3: (3, 2, 4)}
# People raised from Level 2 to Level 3 during the year, counted at both levels.
RAISED = (5, 6, 7)

FIRST_NAMES = [
    "Aaron", "Adrian", "Alan", "Alex", "Barry", "Brian", "Callum", "Carl", "Craig", "Darren", "Dean",
    "Derek", "Duncan", "Edward", "Elliot", "Frank", "Gavin", "Glen", "Gordon", "Harvey", "Howard", "Jamie",
    "Jason", "Jordan", "Karl", "Keith", "Lewis", "Liam", "Malcolm", "Martin", "Nathan", "Nigel", "Owen",
    "Patrick", "Philip", "Reece", "Robert", "Roy", "Scott", "Stuart", "Terry", "Trevor", "Victor", "Wayne",
]  # fmt: skip
SURNAMES = [
    "Abbott", "Barlow", "Bradshaw", "Carver", "Cole", "Dalton", "Denholm", "Eastwood", "Fenwick", "Fletcher",
    "Garside", "Hadley", "Halford", "Ingram", "Jarvis", "Kerridge", "Lomax", "Maddox", "Marsden", "Nash",
    "Oakley", "Pannell", "Prowse", "Quinlan", "Radford", "Rowntree", "Sadler", "Shenton", "Thursby",
    "Tolley", "Upton", "Varley", "Walsh", "Whitfield", "Yardley",
]  # fmt: skip
BOROUGHS = ["Barnet", "Brent", "Camden", "Croydon", "Ealing", "Enfield", "Hackney", "Haringey", "Lambeth"]

POLICE = "Metropolitan Police Service"
PROBATION = "Probation Service (London)"
PRISONS = "HM Prison Service"
DTC_AGENCIES = [
    "Children's Social Care",
    "Adult Social Care",
    "NHS Mental Health Trust",
    "Local Housing Authority",
    "Department for Work and Pensions",
]


class _Builder:
    def __init__(self, context):
        self.context = context
        self.session = context.session
        self.random = random.Random(2425)
        self.numbers = iter(range(1001, 100_000))
        self.officer = context.people["administrator"].id

    def name(self) -> str:
        return f"{self.random.choice(FIRST_NAMES)} {self.random.choice(SURNAMES)}"

    def day_between(self, first: date, last: date) -> date:
        return first + timedelta(days=self.random.randint(0, (last - first).days))

    def case(self, category: Category, referred_on: date, level: Level, **fields) -> Case:
        number = next(self.numbers)
        agency = self.random.choice([POLICE, PROBATION, PROBATION])
        case = Case(
            reference=f"LDN-{referred_on.year}-{number:04d}",
            name=self.name(),
            date_of_birth=date(
                self.random.randint(1955, 2003), self.random.randint(1, 12), self.random.randint(1, 28)
            ),
            category=category,
            level=level,
            borough=self.random.choice(BOROUGHS),
            lead_agency_id=self.context.agencies[agency].id,
            referred_on=referred_on,
            created_by_id=self.officer,
            **fields,
        )
        return case

    def history(self, category: Category, steps: list[tuple[date, CaseEventKind, Level]]) -> Case:
        """A person with this history (the first step a referral); the case ends as the last step left it."""
        state = None
        events = []
        for day, kind, level in steps:
            event = rules.HistoryEvent(day, kind, level)
            before = state
            state = rules.state_after(state, event)
            events.append(
                CaseEvent(
                    kind=kind,
                    occurred_on=day,
                    level=level,
                    previous_level=before[1] if before and before[1] is not level else None,
                    reason=REASONS[kind],
                    recorded_by_id=self.officer,
                )
            )
        status = {
            rules.State.ACTIVE: CaseStatus.ACTIVE,
            rules.State.IN_CUSTODY: CaseStatus.IN_CUSTODY,
            rules.State.EXITED: CaseStatus.EXITED,
        }[state[0]]
        case = self.case(category, steps[0][0], state[1], status=status)
        case.events = events
        self.session.add(case)
        return case


REASONS = {
    CaseEventKind.REFERRED: "Referred for Level 2 or 3 management",
    CaseEventKind.LEVEL_CHANGED: "Level reviewed at a MAPPA meeting",
    CaseEventKind.RECALLED: "Recalled to custody for breaching a licence condition",
    CaseEventKind.CUSTODY_OTHER: "Remanded in custody",
    CaseEventKind.RELEASED: "Released on licence",
    CaseEventKind.EXITED: "MAPPA management ended",
}


def seed(context) -> None:
    build = _Builder(context)
    _seed_year(build)
    _seed_figures(context)
    context.session.flush()
    meetings = _seed_meetings(build)
    context.session.flush()
    _seed_audits(build, meetings)


# The seed year -----------------------------------------------------------------------------------------


def _seed_year(build: _Builder) -> None:
    """People whose histories give exactly London's 2024/25 tables, and some who must not count."""
    first, last = SEED_YEAR.first_day, SEED_YEAR.last_day
    L1, L2, L3 = Level.LEVEL_1, Level.LEVEL_2, Level.LEVEL_3
    R, C, X, IN = (
        CaseEventKind.REFERRED,
        CaseEventKind.LEVEL_CHANGED,
        CaseEventKind.EXITED,
        CaseEventKind.RECALLED,
    )
    after_year = (date(2025, 5, 1), date(2025, 10, 31))

    def referral(in_year_share: float, latest: date = date(2024, 12, 31)) -> date:
        if build.random.random() < in_year_share:
            return build.day_between(first, latest)
        return build.day_between(date(2022, 6, 1), first - timedelta(days=1))

    def later(day: date, latest: date = last) -> date:
        return build.day_between(max(day, first) + timedelta(days=1), latest)

    for index, category in enumerate(CATEGORIES):
        for level in (L2, L3):
            raised = RAISED[index]
            people = OVER_YEAR[level][index] - raised
            snapshot, recalled = SNAPSHOT[level][index], RECALLED[level][index]
            for number in range(people):
                start = referral(0.4, last if number < snapshot else date(2024, 12, 31))
                steps = [(start, R, level)]
                if number < snapshot:
                    # Still in the community at this level on 31 March; since then, Level 1 or gone.
                    end = build.day_between(*after_year)
                    steps.append((end, C, L1) if number % 2 else (end, X, level))
                elif number < snapshot + recalled:
                    steps.append((later(start), IN, level))
                    steps.append((build.day_between(*after_year), X, level))
                elif level is L2 and number % 3 == 0:
                    steps.append((later(start), C, L1))
                else:
                    steps.append((later(start), X, level))
                build.history(category, steps)
        for _ in range(RAISED[index]):
            start = referral(0.0)
            raised_on = build.day_between(date(2024, 6, 1), date(2024, 9, 30))
            steps = [(start, R, L2), (raised_on, C, L3), (build.day_between(date(2025, 1, 6), last), X, L3)]
            build.history(category, steps)
    # Who must not count: people who left before the year, people referred after it, Category 4.
    for number in range(30):
        start = build.day_between(date(2021, 4, 1), date(2022, 12, 31))
        category = CATEGORIES[number % 3]
        build.history(
            category, [(start, R, L2), (build.day_between(date(2023, 1, 1), date(2024, 3, 1)), X, L2)]
        )
    for number in range(12):
        start = build.day_between(date(2025, 4, 1), date(2025, 8, 31))
        build.history(
            CATEGORIES[number % 3],
            [(start, R, L2), (build.day_between(*after_year) + timedelta(days=200), X, L2)],
        )
    for _ in range(4):
        start = build.day_between(date(2023, 4, 1), date(2024, 2, 28))
        build.history(Category.CATEGORY_4, [(start, R, L3), (build.day_between(*after_year), X, L3)])


def _seed_figures(context) -> None:
    """The co-ordinator's figures for the seed year, as London published them (the population is invented:
    see the module's docstring)."""
    context.session.add(
        AnnualFigures(
            start_year=SEED_YEAR.start_year,
            level_1_category_1=7_368,
            level_1_category_2=3_681,
            breach_cautioned=41,
            breach_convicted=153,
            notification_revoked=36,
            shpo_imposed=559,
            shpo_foreign_travel=0,
            notification_orders=55,
            sro_breach_notification=13,
            shpo_breach_level_2=0,
            shpo_breach_level_3=0,
            population=8_043_000,
            population_source="ONS mid-2024 estimate of resident population, excluding under-tens "
            "(invented for the demo)",
            updated_by_id=context.people["coordinator"].id,
        )
    )


# Meetings for the dashboard ---------------------------------------------------------------------------


def _working_day(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _seed_meetings(build: _Builder) -> list[Meeting]:
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
        case = entry["case"]
        session.add(
            CaseEvent(
                case_id=case.id,
                kind=CaseEventKind.REFERRED,
                occurred_on=case.referred_on,
                level=case.level,
                reason=REASONS[CaseEventKind.REFERRED],
                recorded_by_id=build.officer,
            )
        )

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
            starts_at=london_to_utc(day, time(10, 0)),
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


def _discuss(build: _Builder, meeting: Meeting, entry: dict, position: int, day: date) -> AgendaItem:
    case, session = entry["case"], build.session
    first = "last_item" not in entry
    item = AgendaItem(
        meeting_id=meeting.id,
        case_id=case.id,
        position=position,
        purpose=AgendaPurpose.INITIAL if first and entry["new"] else AgendaPurpose.REVIEW,
        level_considered=case.level,
        risk_to_public=build.random.choice([RiskLevel.MEDIUM, RiskLevel.HIGH, RiskLevel.HIGH]),
        risk_to_known_adult=RiskLevel.HIGH,
        level_decision=LevelDecision.RETAIN,
        level_decision_reason="Risk is stable and the plan is working; multi-agency management still needed.",
    )
    entries = []
    for pillar in Pillar:
        roll = build.random.random()
        if roll < 0.08:
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


def _action(build: _Builder, item: AgendaItem, day: date, number: int) -> Action:
    today = build.context.today
    due = day + timedelta(days=build.random.choice([14, 28, 42]))
    agency = build.random.choice([POLICE, PROBATION, *DTC_AGENCIES[:3]])
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
        due_on=due,
        status=status,
        completed_on=completed,
        dropped_reason="No longer needed after the change of address."
        if status is ActionStatus.DROPPED
        else "",
    )


def _invite(build: _Builder, meeting: Meeting, agencies) -> None:
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


def _close(build: _Builder, case: Case, item: AgendaItem) -> None:
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
            level=level,
            previous_level=Level.LEVEL_2 if kind is CaseEventKind.LEVEL_CHANGED else None,
            reason=item.level_decision_reason,
            agenda_item_id=item.id,
            recorded_by_id=build.officer,
        )
    )


def _seed_minutes(build: _Builder, meetings: list[Meeting]) -> None:
    """Minutes approved and distributed, most within the working days allowed, some late."""
    from tracker.minutes import record as records

    session, today = build.session, build.context.today
    for meeting in meetings:
        held_on = meeting.starts_at.date()
        days = build.random.choice([3, 4, 5, 6, 7, 8, 9, 12, 15])
        sent_on = add_working_days(held_on, days)
        if sent_on >= today:
            continue
        loaded = records.load_meeting(meeting.id)
        approved_at = london_to_utc(add_working_days(held_on, days - 1), time(15, 0))
        sent_at = london_to_utc(sent_on, time(11, 0))
        version = MinutesVersion(
            number=1,
            sections={"meeting": {}, "items": {}},
            record=records.build_record(loaded).to_json(),
            created_by_id=build.officer,
            submitted_at=approved_at - timedelta(hours=3),
            submitted_by_id=build.officer,
            approved_at=approved_at,
            approved_by_id=meeting.chair_id,
            distributed_at=sent_at,
            distributed_by_id=build.officer,
        )
        version.recipients = [
            MinutesRecipient(agency_id=invitation.agency_id) for invitation in loaded.invitations
        ]
        session.add(
            Minutes(
                meeting_id=meeting.id,
                status=MinutesStatus.DISTRIBUTED,
                created_by_id=build.officer,
                updated_by_id=build.officer,
                updated_at=sent_at,
                versions=[version],
            )
        )


# Quality audits ---------------------------------------------------------------------------------------

COMMENTS = {
    4: "Done well throughout.",
    3: "Done, with small gaps.",
    2: "Done for some cases only; raised with the chair.",
    1: "Not done; raised with the chair and the co-ordinator.",
}


def _seed_audits(build: _Builder, meetings: list[Meeting]) -> None:
    """Completed audits of two meetings a quarter (by the co-ordinator, or by the police chair for the
    demo chair's meetings), and one audit for the demo chair to do."""
    people = build.context.people
    by_quarter: dict = {}
    for meeting in meetings:
        by_quarter.setdefault(rules.quarter_of(meeting.starts_at.date()), []).append(meeting)
    quarters = sorted(by_quarter, key=lambda q: q.first_day)
    for quarter in quarters[:-1]:
        candidates = [rules.Candidate(m.id, m.chair_id, m.level) for m in by_quarter[quarter]]
        for meeting_id in rules.suggest_sample(candidates, 2, rules.sample_seed(quarter)):
            meeting = next(m for m in by_quarter[quarter] if m.id == meeting_id)
            auditor = people["coordinator"] if meeting.chair_id == people["chair"].id else people["chair"]
            audit = MeetingAudit(
                meeting_id=meeting.id,
                auditor_id=auditor.id,
                assigned_by_id=people["coordinator"].id,
                status=AuditStatus.COMPLETED,
                completed_at=meeting.starts_at + timedelta(days=20),
            )
            for criterion in AuditCriterion:
                score = (
                    build.random.choice([4, 4, 3, 3, 3, 2])
                    if criterion is not AuditCriterion.DISSENT_RECORDED
                    else build.random.choice([None, 3, 4])
                )
                audit.scores.append(
                    AuditScore(criterion=criterion, score=score, comment=COMMENTS[score] if score else "")
                )
            build.session.add(audit)
    # The demo chair audits a recent meeting of the police chair's.
    audited = {audit.meeting_id for audit in build.session.new if isinstance(audit, MeetingAudit)}
    recent = [m for m in meetings if m.chair_id == people["chair_police"].id and m.id not in audited]
    if recent:
        build.session.add(
            MeetingAudit(
                meeting_id=recent[-1].id,
                auditor_id=people["chair"].id,
                assigned_by_id=people["coordinator"].id,
            )
        )
