"""Calling a meeting off: the checks before it, and what its record then withdraws.

A meeting that did not take place decided nothing. Its open actions come off the record, and the level
decisions it recorded stop applying: each case on it is set again from its history without the meeting
(`timeline` leaves cancelled meetings out), as a correction to approved minutes sets them once approved.
Its review dates and its plan never reached the cases (they do only from a meeting recorded as held), so
there is nothing of them to take back. The cancel page lists beforehand what will be withdrawn.
"""

from __future__ import annotations

from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core import audit, locking
from tracker.core.db import db
from tracker.core.timeutil import format_date, london
from tracker.meetings import freeze, rules, timeline
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Level,
    LevelDecision,
    Meeting,
    MeetingStatus,
)
from tracker.meetings.services.actions import remove_action
from tracker.meetings.services.base import Refused
from tracker.meetings.services.meetings import approved_decision_between, cancel_meeting


def cancel(meeting: Meeting, reason: str, version, by: User) -> bool:
    """Call a scheduled meeting off, taking the open actions recorded at it off the record
    (`actions_agreed_at`) and withdrawing the level decisions it recorded (`decisions_withdrawn`: each
    case is set again from its history). False when someone else saved it since the form was built.
    Refused once its minutes are submitted or approved (it took place), and when a level decision it
    recorded is one a later meeting's approved record builds on."""
    if meeting.status is not MeetingStatus.SCHEDULED:
        raise Refused(
            f"This meeting is {meeting.status.label.lower()}: only a scheduled meeting can be cancelled"
        )
    _ensure_whole_agenda_seen(meeting, by)
    minutes = freeze.minutes_status(meeting.id)
    if minutes is not None and minutes.name != "DRAFT":
        raise Refused(
            f"The minutes of this meeting are {minutes.label.lower()}: they record a meeting that took "
            "place. Record it as held rather than cancel it"
        )
    later = approved_decision_between(meeting, meeting.starts_at, None)
    if later is not None:
        raise Refused(
            f"This meeting recorded a level decision for a case that {later.reference} "
            f"({format_date(london(later.starts_at).date())}) decided after it, and that meeting's minutes "
            "are approved: cancelling this one would change the level that meeting started from. If this "
            "meeting took place, record it as held; otherwise correct those minutes first"
        )
    if not locking.claim(meeting, version):
        return False
    withdrawn = decisions_withdrawn(meeting)
    cancel_meeting(meeting, reason)
    for action in actions_agreed_at(meeting):
        remove_action(action)
    for item, what in withdrawn:
        audit.record(
            "decision withdrawn",
            item,
            summary=f"{meeting.reference} cancelled ({reason}): {what} withdrawn",
            case_id=item.case_id,
        )
    # Every case on it, decided or not: the meeting no longer enters any case's history.
    timeline.rederive_many(list({item.case_id: item.case for item in meeting.agenda_items}.values()), by.id)
    return True


def decisions_withdrawn(meeting: Meeting) -> list[tuple[AgendaItem, str]]:
    """Each level decision the meeting recorded, in agenda order, with what cancelling the meeting
    withdraws ("the decision to exit LDN-… from MAPPA management")."""
    decided = [item for item in meeting.agenda_items if item.level_decision is not None]
    if not decided:
        return []
    found = timeline.outcomes(list({item.case_id: item.case for item in decided}.values()))
    withdrawn = []
    for item in decided:
        outcome = found.get(item.id)
        before = outcome.level_before if outcome else item.level_considered
        after = outcome.level_after if outcome else rules.level_after_decision(before, item.level_decision)
        withdrawn.append((item, decision_wording(item.case.reference, item.level_decision, before, after)))
    return withdrawn


def decision_wording(reference: str, decision: LevelDecision, before: Level, after: Level | None) -> str:
    """A level decision as the cancel page and the audit trail name it."""
    if decision is LevelDecision.EXIT or after is None:
        return f"the decision to exit {reference} from MAPPA management"
    if after is not before:
        verb = "raise" if after.number > before.number else "lower"
        return f"the decision to {verb} {reference} from {before.label} to {after.label}"
    return f"the decision to keep {reference} at {before.label}"


def withdrawn_shown(withdrawn: list[tuple[AgendaItem, str]], user: User) -> list[str]:
    """What the cancel page tells this person will be withdrawn (nothing of a Category 4 case to someone
    not cleared, who may not cancel such a meeting anyway)."""
    return [what for item, what in withdrawn if user.terrorism_cleared or not item.category_4]


def _ensure_whole_agenda_seen(meeting: Meeting, by: User) -> None:
    """Cancelling takes every case off the meeting and their actions off its record: someone not cleared
    (a co-ordinator, who sees the meeting without its Category 4 cases) does not do that to a Category 4
    case. Told only to ask the chair, as a chair not cleared is refused (`_ensure_runners_cleared`)."""
    if not by.terrorism_cleared and any(item.category_4 for item in meeting.agenda_items):
        chair = f", {meeting.chair.name}," if meeting.chair is not None else ""
        raise Refused(f"You cannot cancel {meeting.reference}: ask its chair{chair} to cancel it")


def actions_shown(actions: list[Action], user: User) -> list[Action]:
    """Those of the actions this person may be told of (none of a Category 4 case to someone not cleared)."""
    return [action for action in actions if user.terrorism_cleared or not action.agenda_item.category_4]


def actions_agreed_at(meeting: Meeting) -> list[Action]:
    """The open actions recorded at the meeting: cancelling it takes them off the record (a meeting that
    did not take place agreed nothing), as the cancel page says beforehand."""
    return list(
        db.session.exec(
            select(Action)
            .join(AgendaItem, col(AgendaItem.id) == Action.agenda_item_id)
            .where(AgendaItem.meeting_id == meeting.id, Action.status == ActionStatus.OPEN)
            .order_by(col(Action.id))
        )
    )
