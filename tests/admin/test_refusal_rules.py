"""The rule for a second admin's refusal of access another admin asked for: it says why, in words that fit
where they are kept."""

from tracker.admin import rules


def test_a_refusal_without_a_reason_is_asked_for_one():
    for reason in (None, "", "   ", "\n\t"):
        assert rules.refusal_problem(reason) == "Enter why you are refusing the request"


def test_a_reason_is_enough_and_its_surrounding_spaces_do_not_count():
    assert rules.refusal_problem("Not her work address") is None
    assert rules.refusal_problem("  " + "x" * rules.REFUSAL_REASON_LIMIT + "  ") is None


def test_a_reason_longer_than_the_trail_keeps_is_refused():
    too_long = "x" * (rules.REFUSAL_REASON_LIMIT + 1)
    assert rules.refusal_problem(too_long) == "The reason must be 500 characters or fewer"
