"""The retention rules over plain values: when a record falls due, and when it may be disposed of."""

from datetime import date

import pytest

from tracker.retention import rules


def test_a_case_is_due_the_earlier_of_years_after_exit_and_the_review_age():
    due = rules.case_due(
        date_of_birth=date(1950, 3, 1), exited_on=date(2041, 6, 1), years_after_exit=10, review_age=100
    )
    assert due == rules.Due(date(2050, 3, 1), "case-age")
    due = rules.case_due(
        date_of_birth=date(1980, 3, 1), exited_on=date(2020, 6, 1), years_after_exit=10, review_age=100
    )
    assert due == rules.Due(date(2030, 6, 1), "case-exit")


def test_a_case_that_has_not_exited_is_due_only_by_age():
    due = rules.case_due(date_of_birth=date(1980, 3, 1), exited_on=None, years_after_exit=10, review_age=100)
    assert due == rules.Due(date(2080, 3, 1), "case-age")
    assert rules.case_due(date_of_birth=None, exited_on=None, years_after_exit=10, review_age=100) is None


def test_a_birthday_on_29_february_falls_on_28_february_in_a_common_year():
    assert rules.add_years(date(1960, 2, 29), 100) == date(2060, 2, 29)
    assert rules.add_years(date(1960, 2, 29), 101) == date(2061, 2, 28)


def test_training_and_evaluation_answers_have_their_own_periods():
    assert rules.training_due(date(2020, 5, 4), 6) == rules.Due(date(2026, 5, 4), "training")
    assert rules.training_due(None, 6) is None
    assert rules.evaluation_due(date(2022, 1, 31), 3) == rules.Due(date(2025, 1, 31), "evaluation")


@pytest.mark.parametrize(
    ("due_on", "retained_until", "expected"),
    [
        (date(2026, 1, 1), None, True),
        (date(2026, 6, 2), None, False),  # not yet
        (date(2026, 1, 1), date(2030, 1, 1), False),  # retained with a later review date
        (date(2026, 1, 1), date(2026, 6, 1), True),  # the retained record's new review date has come
    ],
)
def test_a_record_is_listed_when_its_date_has_come_and_no_retention_defers_it(
    due_on, retained_until, expected
):
    due = rules.Due(due_on, "case-exit")
    assert rules.is_due(due, retained_until, date(2026, 6, 1)) is expected


def test_retaining_needs_a_reason_and_a_future_review_date():
    today = date(2026, 6, 1)
    assert rules.retain_refusal("Proceedings pending", date(2027, 6, 1), today) == {}
    assert set(rules.retain_refusal(" ", None, today)) == {"reason", "review_on"}
    assert rules.retain_refusal("Kept", today, today) == {
        "review_on": "The date of the next review must be in the future"
    }
    latest = date(2036, 6, 1)
    assert rules.retain_refusal("Kept", latest, today, latest) == {}
    assert rules.retain_refusal("Kept", date(2200, 1, 1), today, latest) == {
        "review_on": "The next review must be no later than 1 June 2036, the longest review cycle in the "
        "settings from today"
    }


def test_disposal_needs_a_decision_and_no_legal_hold():
    assert rules.disposal_refusal(decided=True, legal_hold=False, already_disposed=False) is None
    assert "decision" in rules.disposal_refusal(decided=False, legal_hold=False, already_disposed=False)
    assert "legal hold" in rules.disposal_refusal(decided=True, legal_hold=True, already_disposed=False)
    assert "already" in rules.disposal_refusal(decided=True, legal_hold=False, already_disposed=True)
    refusal = rules.disposal_refusal(
        decided=True, legal_hold=False, already_disposed=False, still_managed=True
    )
    assert "exit" in refusal


def test_the_defaults_are_settings_named_as_defaults():
    for definition in (
        rules.CASE_YEARS_AFTER_EXIT,
        rules.CASE_REVIEW_AGE,
        rules.TRAINING_YEARS,
        rules.EVALUATION_YEARS,
    ):
        assert definition.group == rules.GROUP
        assert definition.hint.startswith(f"Default {definition.default}")
