"""The rules of minutes, on plain values: what blocks approval, the workflow, deadlines, merging drafts."""

from datetime import date, timedelta

import pytest

from tracker.meetings.models import Level, LevelDecision, Pillar, PillarStatus
from tracker.minutes import rules
from tracker.minutes.models import MinutesStatus
from tracker.minutes.rules import ActionFacts, ItemFacts, Step, Timeliness

MEETING_DAY = date(2026, 3, 3)
WEEKS = {Level.LEVEL_2: 16, Level.LEVEL_3: 8}
ALL_ADDRESSED = {pillar: PillarStatus.ADDRESSED for pillar in Pillar}


def complete(**changes) -> ItemFacts:
    fields = {
        "case_reference": "LDN-0001",
        "level": Level.LEVEL_2,
        "pillars": ALL_ADDRESSED,
        "actions": (ActionFacts("Visit the home address", True, date(2026, 3, 17)),),
        "level_decision": LevelDecision.RETAIN,
        "level_decision_reason": "Risk is stable.",
        "next_review_on": date(2026, 5, 1),
    }
    return ItemFacts(**(fields | changes))


def test_a_complete_record_does_not_block_approval():
    assert rules.approval_blockers([complete()], MEETING_DAY, WEEKS) == []


def test_an_outstanding_pillar_blocks_approval_naming_the_case_and_the_pillar():
    pillars = ALL_ADDRESSED | {Pillar.VICTIM_SAFETY_PLANNING: PillarStatus.OUTSTANDING}
    assert rules.approval_blockers([complete(pillars=pillars)], MEETING_DAY, WEEKS) == [
        "Case LDN-0001: the Victim safety planning pillar is still outstanding"
    ]


def test_a_pillar_never_recorded_counts_as_outstanding_and_not_applicable_does_not():
    pillars = {
        Pillar.SUPERVISION: PillarStatus.ADDRESSED,
        Pillar.MONITORING_AND_CONTROL: PillarStatus.NOT_APPLICABLE,
        Pillar.VICTIM_SAFETY_PLANNING: PillarStatus.ADDRESSED,
    }
    assert rules.approval_blockers([complete(pillars=pillars)], MEETING_DAY, WEEKS) == [
        "Case LDN-0001: the Interventions and treatment pillar is still outstanding"
    ]


def test_an_action_without_an_owner_or_due_date_blocks_approval():
    actions = (ActionFacts("Share the safeguarding assessment", False, None),)
    assert rules.approval_blockers([complete(actions=actions)], MEETING_DAY, WEEKS) == [
        "Case LDN-0001: the action “Share the safeguarding assessment” has no named owner",
        "Case LDN-0001: the action “Share the safeguarding assessment” has no due date",
    ]


def test_a_long_action_is_shortened_in_the_message():
    actions = (ActionFacts("word " * 40, False, date(2026, 4, 1)),)
    (message,) = rules.approval_blockers([complete(actions=actions)], MEETING_DAY, WEEKS)
    assert message.endswith("…” has no named owner")
    assert len(message) < 120


def test_a_level_decision_needs_a_rationale():
    assert rules.approval_blockers([complete(level_decision=None)], MEETING_DAY, WEEKS) == [
        "Case LDN-0001: no level decision is recorded"
    ]
    assert rules.approval_blockers([complete(level_decision_reason="  ")], MEETING_DAY, WEEKS) == [
        "Case LDN-0001: the level decision has no rationale"
    ]


def test_a_missing_next_review_date_blocks_approval():
    assert rules.approval_blockers([complete(next_review_on=None)], MEETING_DAY, WEEKS) == [
        "Case LDN-0001: no next review date is set"
    ]


def test_the_next_review_must_fall_within_the_longest_interval_for_the_level():
    # 16 weeks after 3 March 2026 is 23 June 2026.
    assert rules.approval_blockers([complete(next_review_on=date(2026, 6, 23))], MEETING_DAY, WEEKS) == []
    assert rules.approval_blockers([complete(next_review_on=date(2026, 6, 24))], MEETING_DAY, WEEKS) == [
        "Case LDN-0001: the next review date, 24 June 2026, is later than 23 June 2026 "
        "(Level 2 cases are reviewed at least every 16 weeks)"
    ]


def test_a_case_raised_to_level_3_is_held_to_the_level_3_interval():
    raised = complete(level_decision=LevelDecision.RAISE, next_review_on=date(2026, 5, 1))
    assert rules.approval_blockers([raised], MEETING_DAY, WEEKS) == [
        "Case LDN-0001: the next review date, 1 May 2026, is later than 28 April 2026 "
        "(Level 3 cases are reviewed at least every 8 weeks)"
    ]


def test_a_case_leaving_meetings_needs_no_review_date():
    for decision, level in ((LevelDecision.EXIT, Level.LEVEL_2), (LevelDecision.LOWER, Level.LEVEL_2)):
        leaving = complete(level=level, level_decision=decision, next_review_on=None)
        assert rules.approval_blockers([leaving], MEETING_DAY, WEEKS) == []


def test_a_lower_decision_is_checked_at_the_level_it_fixed_not_the_level_the_case_stands_at():
    """Lowered to Level 1 when recorded; a change recorded since, dated before the meeting, has the case
    standing at Level 3 then: the decision still left meeting management, so needs no review date."""
    lowered = complete(
        level=Level.LEVEL_3,
        level_decision=LevelDecision.LOWER,
        level_decided=Level.LEVEL_1,
        next_review_on=None,
    )
    assert rules.approval_blockers([lowered], MEETING_DAY, WEEKS) == []
    # Lowered from Level 3 to Level 2: a review date within the Level 2 interval is needed.
    to_level_2 = complete(
        level=Level.LEVEL_2, level_decision=LevelDecision.LOWER, level_decided=Level.LEVEL_2, next_review_on=None
    )
    assert rules.approval_blockers([to_level_2], MEETING_DAY, WEEKS) == [
        "Case LDN-0001: no next review date is set"
    ]


def test_a_review_date_on_the_day_of_the_meeting_is_refused():
    assert rules.approval_blockers([complete(next_review_on=MEETING_DAY)], MEETING_DAY, WEEKS) == [
        "Case LDN-0001: the next review date must be after the meeting"
    ]


def test_blockers_follow_the_agenda_order():
    first = complete(case_reference="A", next_review_on=None)
    second = complete(case_reference="B", level_decision=None)
    assert rules.approval_blockers([first, second], MEETING_DAY, WEEKS) == [
        "Case A: no next review date is set",
        "Case B: no level decision is recorded",
    ]


@pytest.mark.parametrize(
    ("status", "step", "allowed"),
    [
        (MinutesStatus.DRAFT, Step.EDIT, True),
        (MinutesStatus.SUBMITTED, Step.EDIT, True),
        (MinutesStatus.APPROVED, Step.EDIT, False),
        (MinutesStatus.DISTRIBUTED, Step.EDIT, False),
        (MinutesStatus.DRAFT, Step.SUBMIT, True),
        (MinutesStatus.SUBMITTED, Step.SUBMIT, False),
        (MinutesStatus.DRAFT, Step.APPROVE, False),
        (MinutesStatus.SUBMITTED, Step.APPROVE, True),
        (MinutesStatus.APPROVED, Step.APPROVE, False),
        (MinutesStatus.SUBMITTED, Step.DISTRIBUTE, False),
        (MinutesStatus.APPROVED, Step.DISTRIBUTE, True),
        (MinutesStatus.DISTRIBUTED, Step.DISTRIBUTE, True),
        (MinutesStatus.DRAFT, Step.CORRECT, False),
        (MinutesStatus.APPROVED, Step.CORRECT, True),
        (MinutesStatus.DISTRIBUTED, Step.CORRECT, True),
    ],
)
def test_each_step_of_the_workflow_is_taken_only_from_its_stages(status, step, allowed):
    assert (rules.step_problem(status, step) is None) is allowed


def test_approved_minutes_are_never_edited_in_place():
    assert rules.step_problem(MinutesStatus.APPROVED, Step.EDIT) == (
        "Approved minutes cannot be changed. Make a correction to start a new version"
    )


def test_the_statuses_after_each_step():
    assert rules.status_after(Step.SUBMIT, MinutesStatus.DRAFT) is MinutesStatus.SUBMITTED
    assert rules.status_after(Step.EDIT, MinutesStatus.SUBMITTED) is MinutesStatus.SUBMITTED
    assert rules.status_after(Step.APPROVE, MinutesStatus.SUBMITTED) is MinutesStatus.APPROVED
    assert rules.status_after(Step.DISTRIBUTE, MinutesStatus.APPROVED) is MinutesStatus.DISTRIBUTED
    assert rules.status_after(Step.CORRECT, MinutesStatus.DISTRIBUTED) is MinutesStatus.DRAFT


def test_a_correction_needs_a_reason():
    assert rules.correction_problem("   ") == "Enter the reason for the correction"
    assert rules.correction_problem("Wrong agency named for an action") is None


def test_the_distribution_deadline_counts_working_days_and_skips_bank_holidays():
    # Ten working days after Thursday 16 April 2026; no bank holiday in between.
    assert rules.distribution_due_on(date(2026, 4, 16), 10) == date(2026, 4, 30)
    # Ten working days after Thursday 30 April 2026 skip the early May bank holiday (4 May).
    assert rules.distribution_due_on(date(2026, 4, 30), 10) == date(2026, 5, 15)


def test_timeliness_of_minutes():
    due = date(2026, 3, 17)
    assert rules.timeliness(due, None, date(2026, 3, 17)) is Timeliness.DUE
    assert rules.timeliness(due, None, date(2026, 3, 18)) is Timeliness.OVERDUE
    assert rules.timeliness(due, date(2026, 3, 17), date(2026, 4, 1)) is Timeliness.ON_TIME
    assert rules.timeliness(due, date(2026, 3, 18), date(2026, 4, 1)) is Timeliness.LATE


@pytest.mark.parametrize(
    "today", [date(2026, 3, 18), date(2026, 5, 5), date(2026, 12, 29), date(2026, 3, 21)]
)
def test_the_last_overdue_meeting_day_splits_overdue_from_due(today):
    last = rules.last_meeting_day_overdue(today, 10)
    assert rules.distribution_due_on(last, 10) < today
    following = last
    while True:
        following += timedelta(days=1)
        if following.weekday() < 5:
            break
    assert rules.distribution_due_on(following, 10) >= today


def test_a_save_replaces_the_sections_posted_and_keeps_the_others():
    existing = {
        "meeting": {"introductions": "old", "other_business": "kept"},
        "items": {"1": {"new_information": "old", "disclosure": "kept"}, "2": {"dissent": "hidden case"}},
    }
    posted = {"meeting": {"introductions": "new"}, "items": {"1": {"new_information": "new"}}}
    assert rules.merge_sections(existing, posted) == {
        "meeting": {"introductions": "new", "other_business": "kept"},
        "items": {"1": {"new_information": "new", "disclosure": "kept"}, "2": {"dissent": "hidden case"}},
    }


def test_conflicting_sections_are_those_where_the_texts_differ():
    theirs = {
        "meeting": {"introductions": "A"},
        "items": {"1": {"disclosure": "theirs", "statement_read": True}},
    }
    yours = {
        "meeting": {"introductions": "A"},
        "items": {"1": {"disclosure": "yours", "statement_read": True, "dissent": ""}},
    }
    assert rules.conflicting_sections(theirs, yours) == [("items", "1", "disclosure")]


def test_file_names_say_what_the_document_is():
    assert rules.file_name("M-2026-0143", "minutes", 2, "approved") == "M-2026-0143-minutes-v2-approved.pdf"
    assert rules.file_name("M-2026-0143", "agenda") == "M-2026-0143-agenda.pdf"


def test_only_the_sections_changed_from_what_the_page_showed_are_saved():
    shown = {"meeting": {"introductions": "A", "other_business": ""}, "items": {"1": {"disclosure": "old"}}}
    posted = {
        "meeting": {"introductions": "A", "other_business": "new"},
        "items": {"1": {"disclosure": "old"}},
    }
    assert rules.changed_sections(posted, rules.fingerprints(shown)) == {
        "meeting": {"other_business": "new"},
        "items": {},
    }
    # A page that carries no fingerprints saves everything it sent.
    assert rules.changed_sections(posted, None) == {
        "meeting": {"introductions": "A", "other_business": "new"},
        "items": {"1": {"disclosure": "old"}},
    }


def test_a_conflict_is_a_section_both_people_changed_differently():
    shown = rules.fingerprints(
        {"meeting": {"introductions": "A"}, "items": {"1": {"disclosure": "x", "dissent": ""}}}
    )
    theirs = {
        "meeting": {"introductions": "A (theirs)"},
        "items": {"1": {"disclosure": "x (theirs)", "dissent": ""}},
    }
    yours = {"items": {"1": {"disclosure": "x (yours)", "dissent": "raised by housing"}}}
    # Their introductions and your dissent do not clash; the disclosure both of you changed does.
    assert rules.conflicting_sections(theirs, yours, shown) == [("items", "1", "disclosure")]
    # The same change made by both is no conflict.
    same = {"items": {"1": {"disclosure": "x (theirs)"}}}
    assert rules.conflicting_sections(theirs, same, shown) == []


def test_a_case_not_discussed_needs_no_plan_pillars_or_decision_for_approval():
    bare = ItemFacts(
        case_reference="LDN-0002",
        level=Level.LEVEL_2,
        plan_pending=("Supervision", "Risk assessment"),
        risk_problem="no risk assessment is recorded",
        not_discussed=True,
    )
    assert rules.item_blockers(bare, MEETING_DAY, WEEKS) == []
    # The same case to be discussed is blocked; another case on the agenda still needs its record.
    assert "Case LDN-0002: no level decision is recorded" in rules.item_blockers(
        ItemFacts(**{**bare.__dict__, "not_discussed": False}), MEETING_DAY, WEEKS
    )
    blockers = rules.approval_blockers([bare, complete(level_decision=None)], MEETING_DAY, WEEKS)
    assert blockers == ["Case LDN-0001: no level decision is recorded"]
