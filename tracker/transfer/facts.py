"""What the tracker holds, as the plain facts the checks of a past-meetings or open-actions file need
(`tracker.transfer.history` and `history_actions`): the cases named, their meetings and levels, the
people and agencies; and those checks run over an upload."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import Agency, User, UserRole
from tracker.core.db import db
from tracker.core.forms import name_key
from tracker.core.permissions import Permission, Role
from tracker.core.timeutil import london, today_london
from tracker.meetings import freeze, timeline
from tracker.meetings.models import Action, AgendaItem, Case, Category, Level, Meeting, MeetingStatus
from tracker.minutes.models import Minutes, MinutesStatus, MinutesVersion
from tracker.transfer import history, history_actions
from tracker.transfer.models import CaseloadUpload
from tracker.transfer.sheets import parse_date

CHUNK = 500


def may_add_category_4(actor: User) -> bool:
    return actor.terrorism_cleared and actor.can(Permission.VIEW_ALL_CASES)



def references(upload: CaseloadUpload) -> list[str]:
    return sorted(
        {row["case_reference"].strip().upper() for row in upload.rows if row["case_reference"].strip()}
    )


def case_facts(actor: User, references: list[str]) -> dict[str, history.CaseFacts]:
    """The cases named (in any case of letters) that this person may bring history in for, with their
    meetings in date order. A Category 4 case is left out for anyone not cleared: it reads as unknown."""
    found: dict[str, Case] = {}
    for start in range(0, len(references), CHUNK):
        chunk = references[start : start + CHUNK]
        statement = select(Case).where(sa.func.upper(Case.reference).in_(chunk))
        if not may_add_category_4(actor):
            statement = statement.where(Case.category != Category.CATEGORY_4)
        found.update({case.reference.upper(): case for case in db.session.exec(statement)})
    held: dict[int, list[tuple[str, int]]] = {case.id: [] for case in found.values()}
    ids = list(held)
    rows = []
    for start in range(0, len(ids), CHUNK):
        # Held and in date order worked out here: a condition or an order on the meeting in SQL leads
        # SQLite's planner to walk every meeting (by its status or start) instead of the cases' items.
        rows += db.session.exec(
            select(Meeting.starts_at, Meeting.id, AgendaItem.case_id, Meeting.reference, Meeting.status)
            .join(Meeting, col(Meeting.id) == AgendaItem.meeting_id)
            .where(col(AgendaItem.case_id).in_(ids[start : start + CHUNK]))
        ).all()
    for _starts_at, meeting_id, case_id, reference, status in sorted(rows):
        if status is MeetingStatus.HELD:
            held[case_id].append((reference.upper(), meeting_id))
    # Each case's latest meeting whose minutes have been approved (approved, or being corrected): a past
    # meeting comes in only after it, as a meeting in the tracker goes on no earlier (`ensure_case_order`).
    settled = {case_id: meetings[-1] for case_id, meetings in freeze.settled_meetings(ids).items()}
    return {
        key: history.CaseFacts(
            case.id,
            case.reference,
            case.referred_on,
            case.is_category_4,
            tuple(held[case.id]),
            _decided(settled.get(case.id)),
        )
        for key, case in found.items()
    }


def _decided(meeting: freeze.Settled | None) -> tuple[str, date, bool] | None:
    if meeting is None:
        return None
    return meeting.reference, london(meeting.starts_at).date(), meeting.correcting


def people() -> dict[str, history.PersonFacts]:
    chairs = set(db.session.scalars(select(UserRole.user_id).where(UserRole.role == Role.CHAIR)))
    return {
        user.email.lower(): history.PersonFacts(
            user.id, user.name, user.agency_id, user.terrorism_cleared, user.id in chairs
        )
        for user in db.session.exec(select(User))
    }


def _levels_on(upload: CaseloadUpload, cases: dict[str, history.CaseFacts]) -> dict[tuple[int, date], Level]:
    """Each case's level on each of the file's meeting days, from its history in the tracker."""
    wanted = set()
    for row in upload.rows:
        facts, held = cases.get(row["case_reference"].strip().upper()), parse_date(row["meeting_date"])
        if facts is not None and held is not None:
            wanted.add((facts.id, held))
    days: dict[int, list[date]] = {}
    for case_id, day in sorted(wanted):
        days.setdefault(case_id, []).append(day)
    found = {}
    ids = sorted(days)
    for start in range(0, len(ids), CHUNK):
        statement = select(Case).where(col(Case.id).in_(ids[start : start + CHUNK]))
        found.update({case.id: case for case in db.session.exec(statement)})
    levels = {}
    # Each case once a round (`levels_on` answers by case): its first day, then its second, and so on.
    for turn in range(max((len(d) for d in days.values()), default=0)):
        batch = [(found[case_id], on[turn]) for case_id, on in days.items() if len(on) > turn]
        for case_id, level in timeline.levels_on(batch).items():
            levels[(case_id, days[case_id][turn])] = level
    return levels


def check_meetings(actor: User, upload: CaseloadUpload) -> list[history.CheckedRow]:
    named = sorted({row["meeting_reference"].strip().upper() for row in upload.rows})
    existing = set()
    for start in range(0, len(named), CHUNK):
        chunk = named[start : start + CHUNK]
        existing.update(
            reference.upper()
            for reference in db.session.scalars(
                select(Meeting.reference).where(sa.func.upper(Meeting.reference).in_(chunk))
            )
        )
    cases = case_facts(actor, references(upload))
    return history.check_meetings(
        upload.rows,
        cases=cases,
        existing_meetings=existing,
        people=people(),
        today=today_london(),
        levels=_levels_on(upload, cases),
    )


def meeting_facts(cases: dict[str, history.CaseFacts]) -> dict[str, history.MeetingFacts]:
    ids = sorted({meeting_id for case in cases.values() for _reference, meeting_id in case.meetings})
    facts = {}
    versions = select(sa.func.count()).where(MinutesVersion.minutes_id == Minutes.id).scalar_subquery()
    with_actions = (
        sa.exists()
        .where(col(AgendaItem.meeting_id) == Meeting.id)
        .where(col(Action.agenda_item_id) == AgendaItem.id)
    )
    for start in range(0, len(ids), CHUNK):
        rows = db.session.exec(
            select(Meeting.id, Meeting.reference, Meeting.imported, Minutes.status, versions, with_actions)
            .add_columns(Meeting.starts_at)
            .outerjoin(Minutes, col(Minutes.meeting_id) == Meeting.id)
            .where(col(Meeting.id).in_(ids[start : start + CHUNK]))
        )
        for meeting_id, reference, imported, status, numbered, acted, starts_at in rows:
            frozen = status in (MinutesStatus.APPROVED, MinutesStatus.DISTRIBUTED)
            settled = status is MinutesStatus.DISTRIBUTED or (numbered or 0) > 1 or bool(acted)
            facts[reference.upper()] = history.MeetingFacts(
                meeting_id, reference, frozen, imported, settled, london(starts_at).date()
            )
    return facts


def agencies() -> dict[str, int | None]:
    """Every agency's id by its name as names are compared (`name_key`: case and spacing aside), or None
    for one that may not hold case records (a row naming it is told so, not that there is no such agency)."""
    everyone = db.session.exec(select(Agency))
    return {
        name_key(agency.name): agency.id if agency.sector.holds_case_records else None for agency in everyone
    }


def check_actions(actor: User, upload: CaseloadUpload) -> list[history.CheckedRow]:
    cases = case_facts(actor, references(upload))
    return history_actions.check_actions(
        upload.rows,
        cases=cases,
        meetings=meeting_facts(cases),
        agencies=agencies(),
        people=people(),
    )
