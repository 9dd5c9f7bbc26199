"""The demo's seed year 2024/25: people with dated histories whose counts give London's published tables,
and the co-ordinator's entered figures."""

from __future__ import annotations

import random
from datetime import date, timedelta

from tracker.demo.agencies import ADULTS, CHILDREN, DWP, HEALTH, HOUSING, POLICE, PROBATION
from tracker.meetings.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Category,
    Level,
)
from tracker.reports import rules
from tracker.reports.models import AnnualFigures
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

DTC_AGENCIES = [CHILDREN, ADULTS, HEALTH, HOUSING, DWP]


class Builder:
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


# The seed year -----------------------------------------------------------------------------------------


def seed_year(build: Builder) -> None:
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


def seed_figures(context) -> None:
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
