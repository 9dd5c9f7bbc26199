"""The demo's cases: who they are, the plan agreed for them, and the chairs' records."""

from __future__ import annotations

from datetime import date, timedelta

from tracker.demo.agencies import POLICE, PROBATION
from tracker.meetings.models import Case, Category, ChairProfile, Level, Pillar
from tracker.meetings.services.cases import referral

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


def weekday(day: date, backwards: bool = True) -> date:
    """The nearest Monday to Friday (meetings are not held at weekends)."""
    step = timedelta(days=-1 if backwards else 1)
    while day.weekday() >= 5:
        day += step
    return day


def seed_cases(context) -> dict[str, Case]:
    """The chairs' records, the cases (by key) and the referral in each case's history."""
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
        session.add(referral(case, people["administrator"].id))
    return cases
