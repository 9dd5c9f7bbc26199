"""The rules of meetings, with plain values: deadlines, review cadence, decisions, warnings."""

from datetime import date, time

import pytest

from tracker.auth.models import AgencySector
from tracker.core.workdays import add_working_days
from tracker.meetings import chairing, rules
from tracker.meetings.models import (
    ActionStatus,
    AttendanceStatus,
    CaseEventKind,
    CaseStatus,
    Level,
    LevelDecision,
    Rsvp,
)


def test_the_initial_meeting_is_due_in_working_days_after_referral_skipping_bank_holidays():
    # Referred on Friday 19 December 2025: Christmas, Boxing Day and New Year's Day are not counted.
    assert rules.initial_meeting_due(date(2025, 12, 19), 5) == date(2025, 12, 30)
    assert rules.initial_meeting_due(date(2025, 12, 19), 7) == date(2026, 1, 2)
    assert rules.initial_meeting_due(date(2025, 8, 18), 20) == date(2025, 9, 16)


def test_before_the_first_meeting_the_case_is_due_by_the_initial_deadline():
    due = rules.review_due_on(
        referred_on=date(2025, 8, 22),
        last_reviewed_on=None,
        next_review_on=None,
        initial_days=5,
        interval_weeks=8,
    )
    assert due == date(2025, 9, 1)


def test_a_review_is_due_at_the_earlier_of_the_date_set_and_the_longest_interval():
    kwargs = {"referred_on": date(2025, 1, 6), "initial_days": 20, "interval_weeks": 16}
    set_early = rules.review_due_on(
        last_reviewed_on=date(2025, 3, 3), next_review_on=date(2025, 4, 14), **kwargs
    )
    assert set_early == date(2025, 4, 14)
    set_late = rules.review_due_on(
        last_reviewed_on=date(2025, 3, 3), next_review_on=date(2025, 8, 1), **kwargs
    )
    assert set_late == date(2025, 6, 23)
    not_set = rules.review_due_on(last_reviewed_on=date(2025, 3, 3), next_review_on=None, **kwargs)
    assert not_set == date(2025, 6, 23)


def test_deadline_state_is_overdue_after_the_date_and_due_soon_within_the_window():
    today = date(2025, 6, 10)
    assert rules.deadline_state(date(2025, 6, 9), today, 14) == rules.OVERDUE
    assert rules.deadline_state(date(2025, 6, 10), today, 14) == rules.DUE_SOON
    assert rules.deadline_state(date(2025, 6, 24), today, 14) == rules.DUE_SOON
    assert rules.deadline_state(date(2025, 6, 25), today, 14) == rules.ON_TRACK
    assert rules.deadline_state(None, today, 14) is None


@pytest.mark.parametrize("limit", [date(2025, 9, 1), date(2025, 12, 29), date(2026, 1, 5), date(2026, 4, 7)])
@pytest.mark.parametrize("days", [5, 20])
def test_the_latest_referral_due_before_a_date_matches_the_deadline_rule(limit, days):
    cutoff = rules.latest_referral_due_before(limit, days)
    assert add_working_days(cutoff, days) < limit
    assert add_working_days(date.fromordinal(cutoff.toordinal() + 1), days) >= limit


def test_minutes_are_due_ten_working_days_after_the_meeting():
    assert rules.minutes_due_on(date(2025, 12, 17), 10) == date(2026, 1, 5)


def test_a_meeting_in_the_past_or_ending_before_it_starts_is_refused():
    today = date(2025, 6, 10)
    assert rules.meeting_time_problem(date(2025, 6, 9), time(10), time(11), today, new=True) == (
        "The meeting date must be today or in the future"
    )
    assert rules.meeting_time_problem(date(2025, 6, 9), time(10), time(11), today, new=False) is None
    assert rules.meeting_time_problem(date(2025, 6, 11), time(11), time(10), today, new=True) == (
        "The end time must be after the start time"
    )
    assert rules.meeting_time_problem(date(2025, 6, 11), time(10), time(11), today, new=True) is None


def test_a_next_review_past_the_longest_interval_is_refused_with_the_latest_date():
    meeting = date(2025, 6, 10)
    assert rules.next_review_problem(meeting, date(2025, 8, 5), Level.LEVEL_3, 8) is None
    problem = rules.next_review_problem(meeting, date(2025, 8, 6), Level.LEVEL_3, 8)
    assert problem == (
        "The next review date must be no later than 5 August 2025: Level 3 cases are reviewed at least every 8 weeks"
    )
    assert (
        rules.next_review_problem(meeting, meeting, Level.LEVEL_2, 16)
        == "The next review date must be after the meeting"
    )
    assert rules.next_review_problem(meeting, None, Level.LEVEL_2, 16) == "Enter the date of the next review"
    assert rules.next_review_problem(meeting, None, None, None) is None  # leaving meeting management


def test_level_decisions_move_the_case_between_levels():
    assert rules.level_after_decision(Level.LEVEL_2, LevelDecision.RAISE) is Level.LEVEL_3
    assert rules.level_after_decision(Level.LEVEL_3, LevelDecision.LOWER) is Level.LEVEL_2
    assert rules.level_after_decision(Level.LEVEL_2, LevelDecision.LOWER) is Level.LEVEL_1
    assert rules.level_after_decision(Level.LEVEL_3, LevelDecision.RETAIN) is Level.LEVEL_3
    assert rules.level_after_decision(Level.LEVEL_2, LevelDecision.EXIT) is None
    assert rules.level_decision_problem(Level.LEVEL_3, LevelDecision.RAISE) is not None
    assert rules.level_decision_problem(Level.LEVEL_2, LevelDecision.RAISE) is None


def test_custody_events_change_the_status_and_refuse_what_does_not_fit():
    assert rules.case_after_event(CaseStatus.ACTIVE, Level.LEVEL_2, CaseEventKind.RECALLED, None) == (
        CaseStatus.IN_CUSTODY,
        Level.LEVEL_2,
    )
    assert rules.case_after_event(CaseStatus.IN_CUSTODY, Level.LEVEL_2, CaseEventKind.RELEASED, None) == (
        CaseStatus.ACTIVE,
        Level.LEVEL_2,
    )
    with pytest.raises(ValueError, match="already recorded as in custody"):
        rules.case_after_event(CaseStatus.IN_CUSTODY, Level.LEVEL_2, CaseEventKind.RECALLED, None)
    with pytest.raises(ValueError, match="not recorded as in custody"):
        rules.case_after_event(CaseStatus.ACTIVE, Level.LEVEL_2, CaseEventKind.RELEASED, None)
    with pytest.raises(ValueError, match="already at Level 2"):
        rules.case_after_event(CaseStatus.ACTIVE, Level.LEVEL_2, CaseEventKind.LEVEL_CHANGED, Level.LEVEL_2)
    assert rules.case_after_event(
        CaseStatus.ACTIVE, Level.LEVEL_2, CaseEventKind.LEVEL_CHANGED, Level.LEVEL_3
    ) == (
        CaseStatus.ACTIVE,
        Level.LEVEL_3,
    )


def test_prisons_are_expected_only_when_someone_discussed_is_in_custody():
    assert rules.required_ra_sectors(False) == [AgencySector.POLICE, AgencySector.PROBATION]
    assert AgencySector.PRISONS in rules.required_ra_sectors(True)


def test_an_agency_is_represented_when_present_or_by_a_named_deputy():
    assert rules.represents(Rsvp.AWAITING, None, "")
    assert not rules.represents(Rsvp.DECLINED, None, "")
    assert rules.represents(Rsvp.DECLINED, None, "A Deputy")
    assert rules.represents(Rsvp.ACCEPTED, AttendanceStatus.PRESENT, "")
    assert not rules.represents(Rsvp.ACCEPTED, AttendanceStatus.APOLOGIES, "")
    assert rules.represents(Rsvp.ACCEPTED, AttendanceStatus.APOLOGIES, "A Deputy")
    assert not rules.represents(Rsvp.ACCEPTED, AttendanceStatus.ABSENT, "")


def test_missing_responsible_authority_agencies_are_listed_in_order():
    required = rules.required_ra_sectors(True)
    assert rules.missing_ra_sectors(required, [AgencySector.HOUSING, AgencySector.PROBATION]) == [
        AgencySector.POLICE,
        AgencySector.PRISONS,
    ]


def test_chair_warnings_name_training_cpd_and_level():
    assert chairing.chair_warnings(chair_name="Ann", level=Level.LEVEL_2, trained=True, may_chair=True) == []
    untrained = chairing.chair_warnings(
        chair_name="Ann", level=Level.LEVEL_3, trained=False, cpd_current=False, may_chair=False
    )
    assert untrained == [
        "Ann has not completed MAPPA chair training",
        "Ann is not recorded as able to chair Level 3 meetings",
    ]
    lapsed = chairing.chair_warnings(
        chair_name="Ann", level=Level.LEVEL_2, trained=True, cpd_current=False, may_chair=True
    )
    assert lapsed == ["Ann's chair CPD has lapsed"]
    assert chairing.chair_warnings(chair_name="Ann", level=Level.LEVEL_2, trained=True)[0].startswith(
        "There is no chair record for Ann"
    )


def test_an_open_action_past_its_date_is_overdue():
    today = date(2025, 6, 10)
    assert rules.action_is_overdue(ActionStatus.OPEN, date(2025, 6, 9), today)
    assert not rules.action_is_overdue(ActionStatus.OPEN, date(2025, 6, 10), today)
    assert not rules.action_is_overdue(ActionStatus.DONE, date(2025, 6, 1), today)


def test_meeting_references_run_within_the_year():
    assert rules.next_meeting_reference(2026, None) == "M-2026-0001"
    assert rules.next_meeting_reference(2026, 142) == "M-2026-0143"


def test_attendance_is_recorded_from_the_day_of_the_meeting_as_the_level_decision_is():
    meeting_day = date(2026, 12, 14)
    said = "can be recorded from the day of the meeting, 14 December 2026"
    assert rules.attendance_date_problem(meeting_day, date(2026, 12, 6)) == f"Attendance {said}"
    assert rules.decision_date_problem(meeting_day, date(2026, 12, 13)) == f"The level decision {said}"
    for today in (meeting_day, date(2026, 12, 15)):
        assert rules.attendance_date_problem(meeting_day, today) is None
        assert rules.decision_date_problem(meeting_day, today) is None


def test_an_agenda_runs_in_time_order_with_unslotted_cases_keeping_their_places():
    nine, ten, eleven = time(9), time(10), time(11)
    assert rules.agenda_in_time_order([eleven, None, ten]) == [2, 1, 0]
    assert rules.agenda_in_time_order([None, eleven, nine, None, ten]) == [0, 2, 4, 3, 1]
    assert rules.agenda_in_time_order([ten, ten, None]) == [0, 1, 2]  # starting together: kept as given
    assert rules.agenda_in_time_order([]) == []
    assert rules.agenda_move_problem(ten, eleven).startswith("Cases with a time slot are listed by their")
    assert rules.agenda_move_problem(ten, ten) is None
    assert rules.agenda_move_problem(eleven, ten) is None  # moving the earlier one up puts it right
    assert rules.agenda_move_problem(None, ten) is None and rules.agenda_move_problem(ten, None) is None


def test_a_risk_assessment_is_dated_between_the_person_s_birth_and_today():
    today, born = date(2026, 12, 6), date(1984, 3, 2)
    assert rules.assessment_date_problem(date(2026, 10, 24), today, born) is None
    assert rules.assessment_date_problem(None, today, born) is None
    assert rules.assessment_date_problem(date(2026, 12, 7), today, born) == (
        "The date of the assessment must be today or in the past"
    )
    assert rules.assessment_date_problem(date(1900, 1, 1), today, born) == (
        "The date of the assessment must be after the person's date of birth, 2 March 1984"
    )
