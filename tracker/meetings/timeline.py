"""A case's level, status and next review, derived from its history in date order.

Meetings are not always recorded in the order they were held: a decision recorded today at a meeting
dated last month applies to the case as it stood last month, and a later meeting's decision still wins.
So the case is never changed by "applying" a decision to whatever it holds now; instead every decision
and every recorded event (referral, custody, release, a level change outside a meeting) is replayed in
date order, and the case, and the history entries that decisions made, are set from the result. A
correction to a decision is replayed the same way.

Within a day: an event recorded without a time of day comes before that day's meetings (they knew of it);
meetings and events given a time come in the order of their times, an event timed at a meeting's start
coming after it. The history entry a decision makes carries its meeting's start, so that the annual report
reads a day's entries in this same order (`tracker.reports.histories`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlmodel import col, select

from tracker.core.db import db
from tracker.core.timeutil import london
from tracker.meetings import rules
from tracker.meetings.models import (
    AgendaItem,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Level,
    LevelDecision,
    Meeting,
    MeetingStatus,
)

# Plain values and the fold ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One thing that happened to a case: a recorded event, or a meeting's level decision."""

    on: date
    at: datetime | None = None  # the meeting's start, to order two meetings on one day
    key: int = 0  # the row's id: the last tie-break
    clock: time | None = None  # the time of day (London): a meeting's start, or an event's time if given
    event: CaseEventKind | None = None
    event_level: Level | None = None
    decision: LevelDecision | None = None
    # The level a raise or lower moved the case to, fixed when the decision was recorded.
    decided: Level | None = None
    item_id: int | None = None
    held: bool = False
    next_review_on: date | None = None

    @property
    def order(self) -> tuple:
        return position(self.on, self.clock, self.item_id is not None) + (self.at or datetime.min, self.key)


def position(on: date, clock: time | None, meeting: bool) -> tuple:
    """Where an entry comes in a case's history: by day; within it, an event without a time first (the
    day's meetings knew of it), then meetings and timed events by the time, an event timed at a meeting's
    start after the meeting (it had begun). `tracker.reports.histories` orders the entries the same way."""
    if clock is None and not meeting:
        return (on, 0, time.min, 0)
    return (on, 1, clock or time.min, 0 if meeting else 1)


@dataclass(frozen=True)
class Outcome:
    """What one decision did: the level the case stood at when it was taken, and after it (None: exit)."""

    item_id: int
    on: date
    decision: LevelDecision
    level_before: Level
    level_after: Level | None


@dataclass
class State:
    level: Level
    status: CaseStatus
    last_reviewed_on: date | None = None
    next_review_on: date | None = None


def replay(
    start: State, steps: list[Step], levels_before: dict[int, Level] | None = None
) -> tuple[State, list[Outcome]]:
    """The case after every step in date order, and what each decision did (and, into `levels_before`
    when given, the level the case stood at before each recorded event, by the event's id).

    Retain never changes the level; Raise and Lower set the level the meeting decided (worked out, when
    the decision was recorded, from where the case stood at the meeting's date); Exit ends meeting
    management. A review date reaches the case from a held meeting; the latest held
    meeting's review date is the one that stands.
    """
    state = State(start.level, start.status, start.last_reviewed_on, start.next_review_on)
    outcomes = []
    for step in sorted(steps, key=lambda s: s.order):
        if step.decision is None:
            if levels_before is not None and step.event is not None:
                levels_before[step.key] = state.level
            _apply_event(state, step)
            continue
        before = state.level
        if step.decision in (LevelDecision.RAISE, LevelDecision.LOWER) and step.decided is not None:
            after = step.decided  # what the meeting decided the level should be, whatever came before
        elif rules.level_decision_problem(before, step.decision):
            after = before
        else:
            after = rules.level_after_decision(before, step.decision)
        outcomes.append(Outcome(step.item_id, step.on, step.decision, before, after))
        if after is None:
            state.status = CaseStatus.EXITED
        else:
            state.level = after
        if step.held:
            state.last_reviewed_on = step.on
            state.next_review_on = step.next_review_on
    return state, outcomes


def _apply_event(state: State, step: Step) -> None:
    kind = step.event
    if kind is CaseEventKind.REFERRED:
        state.level, state.status = step.event_level or state.level, CaseStatus.ACTIVE
    elif kind is CaseEventKind.LEVEL_CHANGED and step.event_level is not None:
        state.level = step.event_level
    elif kind in (CaseEventKind.RECALLED, CaseEventKind.CUSTODY_OTHER):
        state.status = CaseStatus.IN_CUSTODY
    elif kind is CaseEventKind.RELEASED:
        state.status = CaseStatus.ACTIVE
    elif kind is CaseEventKind.EXITED:
        state.status = CaseStatus.EXITED
    elif kind is None and step.held:
        # A held meeting with no decision: the case was still reviewed that day.
        state.last_reviewed_on = step.on
        if step.next_review_on is not None:
            state.next_review_on = step.next_review_on


# Reading a case's history ---------------------------------------------------------------------------


History = tuple[list[Step], list[CaseEvent], dict, list[CaseEvent]]


def _history(case_ids: list[int], session=None) -> dict[int, History]:
    """Each case's steps, the history entries its decisions made, its agenda items, and the level changes
    recorded outside meetings: two queries however many cases."""
    session = session if session is not None else db.session
    result: dict[int, History] = {cid: ([], [], {}, []) for cid in case_ids}
    if not case_ids:
        return result
    events = session.exec(
        select(CaseEvent).where(col(CaseEvent.case_id).in_(case_ids)).order_by(col(CaseEvent.id))
    ).all()
    for event in events:
        steps, decision_events, _items, changes = result[event.case_id]
        if event.agenda_item_id is None:
            steps.append(
                Step(
                    on=event.occurred_on,
                    key=event.id or 0,
                    event=event.kind,
                    event_level=event.level,
                    clock=event.occurred_time,
                )
            )
            if event.kind is CaseEventKind.LEVEL_CHANGED:
                changes.append(event)
        else:
            decision_events.append(event)
    rows = session.exec(
        select(AgendaItem, Meeting)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(
            col(AgendaItem.case_id).in_(case_ids),
            Meeting.status != MeetingStatus.CANCELLED,
            # A case the meeting did not discuss (deferred) was not reviewed there: no step.
            AgendaItem.not_discussed_reason == "",
        )
    ).all()
    for item, meeting in rows:
        steps, _decision_events, items, _changes = result[item.case_id]
        items[item.id] = item
        steps.append(
            Step(
                on=london(meeting.starts_at).date(),
                at=meeting.starts_at,
                clock=london(meeting.starts_at).time(),
                key=item.id,
                decision=item.level_decision,
                decided=item.level_decided,
                item_id=item.id,
                held=meeting.status is MeetingStatus.HELD,
                next_review_on=item.next_review_on,
            )
        )
    return result


def _start(case: Case, steps: list[Step]) -> State:
    referrals = [s for s in steps if s.event is CaseEventKind.REFERRED]
    referral = min(referrals, key=lambda s: s.order, default=None)
    level = referral.event_level if referral and referral.event_level else case.level
    return State(level, CaseStatus.ACTIVE, None, None)


def levels_on(cases_on: list[tuple[Case, date]]) -> dict[int, Level]:
    """Each case's level on a day, from its history (an entry recorded outside a meeting that day without
    a time counts; a meeting that day does not: such an entry comes before it), by case id: two queries
    per 500 cases."""
    return levels_at([(case, day, None) for case, day in cases_on])


def levels_at(cases_at: list[tuple[Case, date, time | None]]) -> dict[int, Level]:
    """Each case's level at the place in its history an event recorded now, on that day (at that time of
    day, if given), comes: after everything already there that comes before or with it (`position`), by
    case id: two queries per 500 cases."""
    found = {}
    for start in range(0, len(cases_at), 500):
        chunk = cases_at[start : start + 500]
        history = _history([case.id for case, _day, _clock in chunk])
        for case, day, clock in chunk:
            steps = history[case.id][0]
            place = position(day, clock, meeting=False)
            earlier = [s for s in steps if s.order[:4] <= place]
            state, _outcomes = replay(_start(case, steps), earlier)
            found[case.id] = state.level
    return found


@dataclass(frozen=True)
class Decided:
    """A case's latest level decision made at a meeting whose minutes are approved: nothing that comes
    before it in the case's history (`comes_after`) may enter it without a correction to those minutes."""

    meeting_id: int
    reference: str
    on: date
    starts: time = time.min  # the meeting's start (London)

    def comes_after(self, on: date, clock: time | None) -> bool:
        """Whether an event recorded outside meetings on `on` (at `clock`, if given) comes after it."""
        return position(on, clock, meeting=False) > position(self.on, self.starts, meeting=True)


def decided_at_approved_meetings(case_ids: list[int], session=None) -> dict[int, Decided]:
    """Each of these cases' latest level decision at a meeting whose minutes are approved (or
    distributed), by case id; cases with none are left out. Two queries per 500 cases: the cases' decided
    items by case, then their meetings by id (a condition on the meeting joined to the items leads
    SQLite's planner to walk every meeting)."""
    from tracker.minutes.models import Minutes, MinutesStatus

    session = session if session is not None else db.session
    closed = (MinutesStatus.APPROVED, MinutesStatus.DISTRIBUTED)
    latest: dict[int, tuple[datetime, Decided]] = {}
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), 500):
        items = session.exec(
            select(AgendaItem.case_id, AgendaItem.meeting_id).where(
                col(AgendaItem.case_id).in_(ids[start : start + 500]),
                col(AgendaItem.level_decision).is_not(None),
            )
        ).all()
        meeting_ids = sorted({meeting_id for _case_id, meeting_id in items})
        meetings = {}
        for at in range(0, len(meeting_ids), 500):
            rows = session.exec(
                select(Meeting.id, Meeting.reference, Meeting.starts_at, Meeting.status, Minutes.status)
                .join(Minutes, col(Minutes.meeting_id) == Meeting.id)
                .where(col(Meeting.id).in_(meeting_ids[at : at + 500]))
            ).all()
            for meeting_id, reference, starts_at, status, minutes in rows:
                if status is not MeetingStatus.CANCELLED and minutes in closed:
                    meetings[meeting_id] = (reference, starts_at)
        for case_id, meeting_id in items:
            if meeting_id not in meetings:
                continue
            reference, starts_at = meetings[meeting_id]
            if case_id not in latest or starts_at > latest[case_id][0]:
                local = london(starts_at)
                latest[case_id] = (starts_at, Decided(meeting_id, reference, local.date(), local.time()))
    return {case_id: decided for case_id, (_at, decided) in latest.items()}


def level_at(item: AgendaItem) -> Level:
    """The case's level as it stood at this item's meeting, before the meeting's own decision."""
    return levels_at_items([item])[item.id]


def levels_at_items(items: list[AgendaItem]) -> dict[int, Level]:
    """`level_at` for each of these items, by item id: two queries however many (an agenda's rows and
    its PDF show each case at the level it stands at for the meeting, as the item's own page does)."""
    history = _history(sorted({item.case_id for item in items}))
    found = {}
    for item in items:
        steps = history[item.case_id][0]
        own = next((s for s in steps if s.item_id == item.id), None)
        if own is None:
            found[item.id] = item.case.level
            continue
        state, _outcomes = replay(_start(item.case, steps), [s for s in steps if s.order < own.order])
        found[item.id] = state.level
    return found


def outcomes(cases: list[Case], session=None) -> dict[int, Outcome]:
    """What each of these cases' decisions did, by agenda item (two queries)."""
    history = _history([case.id for case in cases], session)
    found = {}
    for case in cases:
        steps = history[case.id][0]
        _state, result = replay(_start(case, steps), steps)
        found.update({outcome.item_id: outcome for outcome in result})
    return found


def standing_before(item: AgendaItem, found: dict[int, Outcome]) -> Level:
    """The level the case stood at when this item's decision was taken (its level when added, if none)."""
    outcome = found.get(item.id)
    return outcome.level_before if outcome else item.level_considered


def level_changes_since_added(item: AgendaItem) -> Level | None:
    """The level the case stands at for this meeting, when it differs from the level it was at when the
    item was added to the agenda (None when it has not changed)."""
    now = level_at(item)
    return now if now is not item.level_considered else None


# Setting the case from its history ------------------------------------------------------------------


def rederive(case: Case, by_id: int | None = None) -> None:
    """Set the case's level, status and review dates from its history in date order, and make the
    history entries that meetings' decisions made say what each decision did."""
    rederive_many([case], by_id)


def rederive_many(cases: list[Case], by_id: int | None = None) -> None:
    """`rederive` for many cases at once: two queries and one flush for every 500 cases."""
    db.session.flush()
    for start in range(0, len(cases), 500):
        chunk = cases[start : start + 500]
        history = _history([case.id for case in chunk])
        for case in chunk:
            _set_from_history(case, *history[case.id], by_id)
    db.session.flush()


def _set_from_history(case: Case, steps, decision_events, items, changes, by_id: int | None) -> None:
    had_meetings = any(s.item_id is not None and s.held for s in steps)
    levels_before: dict[int, Level] = {}
    state, result = replay(_start(case, steps), steps, levels_before)
    # A level change recorded outside a meeting changes from the level the case had on its date, which an
    # entry recorded since and dated before it may have moved.
    for change in changes:
        before = levels_before.get(change.id or 0, change.previous_level)
        change.previous_level = before if before is not change.level else None
    wanted = {}
    for outcome in result:
        if outcome.level_after is None:
            wanted[outcome.item_id] = (CaseEventKind.EXITED, outcome.level_before, outcome.level_before)
        elif outcome.level_after is not outcome.level_before:
            wanted[outcome.item_id] = (CaseEventKind.LEVEL_CHANGED, outcome.level_after, outcome.level_before)
    existing = {event.agenda_item_id: event for event in decision_events}
    on = {s.item_id: (s.on, s.clock) for s in steps if s.item_id is not None}
    for item_id, event in existing.items():
        if item_id not in wanted:
            db.session.delete(event)
    for item_id, (kind, level, previous) in wanted.items():
        item = items[item_id]
        event = existing.get(item_id)
        if event is None:
            event = CaseEvent(case_id=case.id, agenda_item_id=item_id, recorded_by_id=by_id)
            db.session.add(event)
        event.kind, event.level = kind, level
        event.occurred_on, event.occurred_time = on[item_id]
        event.previous_level = previous
        event.reason = item.level_decision_reason
        # The entry is the work of whoever recorded the decision, not of whoever set the case again (a
        # decision recorded before that was kept has the entry's own, or else the one setting it now).
        if item.decision_recorded_by_id is not None:
            event.recorded_by_id = item.decision_recorded_by_id
        if item.decision_recorded_at is not None:
            event.recorded_at = item.decision_recorded_at
    case.level, case.status = state.level, state.status
    if had_meetings:
        case.last_reviewed_on, case.next_review_on = state.last_reviewed_on, state.next_review_on
