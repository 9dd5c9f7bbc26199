"""The fictional demo area: London-like agencies, one account per role, and each area's demo data.

Every name here is invented. Each area's demo data is a module of this package with a function
`seed(context)`; they run in the order of AREAS. The demo is seeded through the app's database session
(`db.session`, inside an app context), the same session the pages use, so it needs no code of its own
in the areas.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.auth import rules
from tracker.auth.models import Agency, AgencySector, User
from tracker.core.db import db
from tracker.core.permissions import Role
from tracker.core.timeutil import today_london
from tracker.demo import evaluations, meetings, minutes, reports, training

DEMO_PASSWORD = "demo-mappa-tracker-2026"  # noqa: S105  (documented in the README; demo only)
DEMO_DOMAIN = "demo.mappa.example"

# Fixed secrets so the demo admin and co-ordinator can sign in: add them to an authenticator app,
# or print a code with `tracker demo-code EMAIL`.
DEMO_TOTP_SECRETS = {
    f"admin@{DEMO_DOMAIN}": "MAPPADEMOADMIN2FA7777777",
    f"coordinator@{DEMO_DOMAIN}": "MAPPADEMOCOORD2FA7777777",
    f"admin2@{DEMO_DOMAIN}": "MAPPADEMOADMINTWO2FA7777",
}

# The standard agencies come with the first migration; the demo gives three of them London names
# and adds the co-ordination unit and the lay advisers.
RENAMED_AGENCIES = {
    "Police": "Metropolitan Police Service",
    "Probation Service": "Probation Service (London)",
    "Health (including mental health trusts)": "NHS Mental Health Trust",
}
EXTRA_AGENCIES: list[tuple[str, AgencySector]] = [
    ("MAPPA Co-ordination Unit", AgencySector.OTHER),
    ("Lay Advisers", AgencySector.LAY_ADVISERS),
]

# key, name, email local part, agency, job title, roles, terrorism cleared, chair trained
# The demo's accounts were made before the years its reports cover (the Board's dashboard counts the
# chairs' register as it stood at the end of each quarter).
ACCOUNTS_MADE = datetime(2023, 4, 3, 9, 0, tzinfo=UTC)

PEOPLE = [
    (
        "admin",
        "Sam Okafor",
        "admin",
        "MAPPA Co-ordination Unit",
        "Systems officer",
        {Role.SYSTEM_ADMIN},
        False,
        False,
    ),
    (
        # A second admin: a co-ordinator's, administrator's or admin's role, or clearance, asked for by one
        # admin is confirmed by another. Cleared for Category 4, so that the demo has an admin who may
        # change a cleared person's account (bring a deactivated co-ordinator back) and export the area.
        "admin2",
        "Ruth Okonjo",
        "admin2",
        "MAPPA Co-ordination Unit",
        "Systems manager",
        {Role.SYSTEM_ADMIN},
        True,
        False,
    ),
    (
        "coordinator",
        "Helen Marsh",
        "coordinator",
        "MAPPA Co-ordination Unit",
        "MAPPA Co-ordinator",
        {Role.COORDINATOR},
        True,
        False,
    ),
    (
        "chair",
        "Daniel Price",
        "chair",
        "Probation Service (London)",
        "Senior Probation Officer",
        {Role.CHAIR},
        False,
        True,
    ),
    (
        "administrator",
        "Aisha Karim",
        "administrator",
        "MAPPA Co-ordination Unit",
        "MAPPA Administrator",
        {Role.ADMINISTRATOR},
        False,
        False,
    ),
    (
        # Minutes the meetings that discuss Category 4 cases: only people cleared for them may.
        "administrator_cleared",
        "Priya Shah",
        "priya.shah",
        "MAPPA Co-ordination Unit",
        "MAPPA Administrator (Category 4 meetings)",
        {Role.ADMINISTRATOR},
        True,
        False,
    ),
    (
        "trsg",
        "Tom Bennett",
        "trsg",
        "Probation Service (London)",
        "Learning and Development Lead",
        {Role.TRSG},
        False,
        False,
    ),
    (
        "smb",
        "Margaret Liu",
        "smb",
        "Metropolitan Police Service",
        "Detective Chief Superintendent",
        {Role.SMB},
        False,
        False,
    ),
    (
        "lay_adviser",
        "Peter Walsh",
        "lay.adviser",
        "Lay Advisers",
        "Lay Adviser",
        {Role.LAY_ADVISER},
        False,
        False,
    ),
    (
        "practitioner",
        "Grace Adeyemi",
        "practitioner",
        "Metropolitan Police Service",
        "Detective Sergeant, Offender Management",
        {Role.PRACTITIONER},
        False,
        False,
    ),
    (
        "chair_police",
        "Imran Hussain",
        "imran.hussain",
        "Metropolitan Police Service",
        "Detective Superintendent",
        {Role.CHAIR},
        True,
        True,
    ),
    (
        "chair_new",
        "Claire Donovan",
        "claire.donovan",
        "Probation Service (London)",
        "Senior Probation Officer",
        {Role.CHAIR},
        False,
        False,
    ),
    (
        "probation_officer",
        "Marcus Reid",
        "marcus.reid",
        "Probation Service (London)",
        "Probation Officer",
        {Role.PRACTITIONER},
        False,
        False,
    ),
    (
        "social_worker",
        "Fiona Campbell",
        "fiona.campbell",
        "Children's Social Care",
        "Social Worker",
        {Role.PRACTITIONER},
        False,
        False,
    ),
    (
        "housing_officer",
        "Kwame Mensah",
        "kwame.mensah",
        "Local Housing Authority",
        "Housing Officer",
        {Role.PRACTITIONER},
        False,
        False,
    ),
    (
        "health_worker",
        "Nadia Rahman",
        "nadia.rahman",
        "NHS Mental Health Trust",
        "Forensic Community Psychiatric Nurse",
        {Role.PRACTITIONER},
        False,
        False,
    ),
    (
        "prison_officer",
        "Owen Hughes",
        "owen.hughes",
        "HM Prison Service",
        "Offender Management Unit Manager",
        {Role.PRACTITIONER},
        False,
        False,
    ),
    # Owners of the actions agreed at the Board's year and a half of meetings (`reports.meetings`): an
    # action has a named owner in its agency, so that its minutes could be approved and corrected.
    (
        "police_constable",
        "Rachel Ogunleye",
        "rachel.ogunleye",
        "Metropolitan Police Service",
        "Detective Constable, Public Protection Unit",
        {Role.PRACTITIONER},
        False,
        False,
    ),
    (
        "offender_manager",
        "Joanna Whitby",
        "joanna.whitby",
        "Probation Service (London)",
        "Probation Officer",
        {Role.PRACTITIONER},
        False,
        False,
    ),
    (
        "adult_social_worker",
        "Wendy Ashcroft",
        "wendy.ashcroft",
        "Adult Social Care",
        "Social Worker, Adult Safeguarding",
        {Role.PRACTITIONER},
        False,
        False,
    ),
]



# The areas' demo data follows the accounts, in dependency order.
AREAS = (training, meetings, minutes, evaluations, reports)


@dataclass
class DemoContext:
    session: Session
    today: date
    agencies: dict[str, Agency] = field(default_factory=dict)
    people: dict[str, User] = field(default_factory=dict)


class AreaInUse(Exception):
    """The database holds an area's own records: the demo, with its published passwords, never joins them."""


def seed() -> bool:
    """Create the demo area in an empty database; return False (and change nothing) if it exists. Raises
    AreaInUse, changing nothing, if the database has accounts of its own: the demo's accounts share a
    published password and authenticator keys, and it renames agencies, so it is never added to a real
    area. Runs inside an app context, in the app's database session, and commits it."""
    session = db.session
    if session.exec(select(User).where(User.email == f"admin@{DEMO_DOMAIN}")).first() is not None:
        return False
    accounts = session.exec(select(sa.func.count()).select_from(User)).one()
    if accounts:
        raise AreaInUse(
            f"This database already has accounts of its own ({accounts}): the demo area is only added to an "
            "empty database (its accounts share a published password)."
        )
    context = DemoContext(session=session, today=today_london())
    for old, new in RENAMED_AGENCIES.items():
        agency = session.exec(select(Agency).where(Agency.name == old)).first()
        if agency is not None:
            agency.name = new
    for name, sector in EXTRA_AGENCIES:
        if session.exec(select(Agency).where(Agency.name == name)).first() is None:
            session.add(Agency(name=name, sector=sector))
    session.flush()
    context.agencies = {agency.name: agency for agency in session.exec(select(Agency))}
    password_hash = rules.hash_password(DEMO_PASSWORD)
    for key, name, local, agency, title, roles, cleared, trained in PEOPLE:
        email = f"{local}@{DEMO_DOMAIN}"
        user = User(
            name=name,
            email=email,
            agency_id=context.agencies[agency].id,
            job_title=title,
            password_hash=password_hash,
            terrorism_cleared=cleared,
            chair_trained=trained,
            totp_secret=DEMO_TOTP_SECRETS.get(email),
            created_at=ACCOUNTS_MADE,
        )
        user.set_roles(roles)
        session.add(user)
        context.people[key] = user
    session.flush()
    for area in AREAS:
        area.seed(context)
        session.flush()
    session.commit()
    return True
