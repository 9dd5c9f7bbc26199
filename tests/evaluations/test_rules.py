"""Evaluation rules over plain values: options, answers, closing, reminders, figures, links."""

from datetime import UTC, date, datetime, timedelta

import pytest

from tracker.evaluations import rules
from tracker.evaluations.models import QuestionKind
from tracker.evaluations.rules import QuestionSpec

RATING = QuestionSpec(QuestionKind.RATING, "Overall?", True, ("a", "b", "c", "d", "e"))
CHOICE = QuestionSpec(QuestionKind.SINGLE_CHOICE, "Which?", True, ("Morning", "Afternoon"))
MULTI = QuestionSpec(QuestionKind.MULTIPLE_CHOICE, "Topics?", False, ("Risk", "Victims"))
YES_NO = QuestionSpec(QuestionKind.YES_NO, "Recommend?", True)
TEXT = QuestionSpec(QuestionKind.FREE_TEXT, "Comments?", False)


def test_a_rating_scale_needs_exactly_five_labels():
    assert rules.parse_options(QuestionKind.RATING, "A\nB\n\nC\nD\nE\n") == ["A", "B", "C", "D", "E"]
    with pytest.raises(rules.OptionsProblem, match="five labels"):
        rules.parse_options(QuestionKind.RATING, "A\nB\nC")


def test_a_choice_question_needs_two_distinct_options():
    assert rules.parse_options(QuestionKind.SINGLE_CHOICE, " Yes \nMaybe") == ["Yes", "Maybe"]
    with pytest.raises(rules.OptionsProblem, match="at least two"):
        rules.parse_options(QuestionKind.MULTIPLE_CHOICE, "Only one")
    with pytest.raises(rules.OptionsProblem, match="different"):
        rules.parse_options(QuestionKind.SINGLE_CHOICE, "Same\nsame")


def test_free_text_and_yes_no_questions_have_no_options():
    assert rules.parse_options(QuestionKind.FREE_TEXT, "ignored\nlines") == []
    assert rules.parse_options(QuestionKind.YES_NO, "") == []


def test_a_form_version_is_locked_once_sent_to_any_event():
    assert not rules.is_locked(0)
    assert rules.is_locked(1)


def test_moving_a_question_swaps_it_with_its_neighbour_and_stops_at_the_ends():
    assert rules.moved([0, 1, 2], 1, "up") == [1, 0, 2]
    assert rules.moved([0, 1, 2], 1, "down") == [0, 2, 1]
    assert rules.moved([0, 1, 2], 0, "up") == [0, 1, 2]
    assert rules.moved([0, 1, 2], 2, "down") == [0, 1, 2]


@pytest.mark.parametrize(
    ("question", "value", "problem"),
    [
        (RATING, None, "Select an answer to ‘Overall?’"),
        (RATING, "6", "Select a rating between 1 and 5 for ‘Overall?’"),
        (RATING, "0", "Select a rating between 1 and 5 for ‘Overall?’"),
        (RATING, "four", "Select a rating between 1 and 5 for ‘Overall?’"),
        (CHOICE, "Evening", "Select one of the answers given for ‘Which?’"),
        (CHOICE, "", "Select an answer to ‘Which?’"),
        (MULTI, ["Risk", "Housing"], "Select only answers given for ‘Topics?’"),
        (MULTI, ["Risk", "Risk"], "Select only answers given for ‘Topics?’"),
        (YES_NO, "MAYBE", "Select yes or no for ‘Recommend?’"),
        (TEXT, "x" * 2001, "Your answer to ‘Comments?’ must be 2,000 characters or fewer"),
        (QuestionSpec(QuestionKind.FREE_TEXT, "Why?", True), "   ", "Enter your answer to ‘Why?’"),
        (
            QuestionSpec(QuestionKind.MULTIPLE_CHOICE, "Pick", True, ("a", "b")),
            [],
            "Select at least one answer to ‘Pick’",
        ),
    ],
)
def test_answers_out_of_range_or_missing_are_refused_with_a_clear_message(question, value, problem):
    assert rules.answer_problem(question, value) == problem


@pytest.mark.parametrize(
    ("question", "value"),
    [
        (RATING, "1"),
        (RATING, "5"),
        (CHOICE, "Afternoon"),
        (MULTI, ["Risk", "Victims"]),
        (MULTI, []),
        (YES_NO, "NO"),
        (TEXT, ""),
        (TEXT, "Good day"),
    ],
)
def test_answers_in_range_and_optional_blanks_are_accepted(question, value):
    assert rules.answer_problem(question, value) is None


def test_answers_are_stored_as_numbers_or_texts_one_row_per_choice():
    assert rules.stored_answers(QuestionKind.RATING, "4") == [(4, None)]
    assert rules.stored_answers(QuestionKind.YES_NO, "YES") == [(1, None)]
    assert rules.stored_answers(QuestionKind.YES_NO, "NO") == [(0, None)]
    assert rules.stored_answers(QuestionKind.MULTIPLE_CHOICE, ["Risk", "Victims"]) == [
        (None, "Risk"),
        (None, "Victims"),
    ]
    assert rules.stored_answers(QuestionKind.FREE_TEXT, "  words  ") == [(None, "words")]
    assert rules.stored_answers(QuestionKind.FREE_TEXT, "   ") == []
    assert rules.stored_answers(QuestionKind.RATING, None) == []


def test_an_evaluation_is_open_up_to_and_including_its_closing_day():
    assert rules.is_open(date(2025, 3, 31), date(2025, 3, 31))
    assert not rules.is_open(date(2025, 3, 31), date(2025, 4, 1))
    assert rules.default_closing_date(date(2025, 3, 1), 14) == date(2025, 3, 15)


def test_a_reminder_waits_for_the_gap_after_the_last_one():
    now = datetime(2025, 3, 10, 12, tzinfo=UTC)
    assert rules.reminder_wait(None, now, 3) is None
    assert rules.reminder_wait(now - timedelta(days=1), now, 3) == timedelta(days=2)
    assert rules.reminder_wait(now - timedelta(days=3), now, 3) is None


def test_mean_median_and_response_rate_on_known_answers():
    # 1, 2, 2, 4, 5, 5, 5: mean 24/7, median 4.
    distribution = {1: 1, 2: 2, 4: 1, 5: 3}
    assert rules.mean(distribution) == pytest.approx(24 / 7)
    assert rules.median(distribution) == 4
    # An even count takes the mean of the middle two: 3, 4 -> 3.5.
    assert rules.median({2: 1, 3: 1, 4: 1, 5: 1}) == 3.5
    assert rules.median({4: 2}) == 4
    assert rules.mean({}) is None and rules.median({3: 0}) is None
    assert rules.response_rate(3, 4) == 0.75
    assert rules.response_rate(0, 0) is None
    assert rules.percent(2 / 3) == "67%" and rules.percent(None) == "–"


def test_link_tokens_are_random_and_only_their_hash_is_kept():
    token, token_hash = rules.new_token()
    other, _ = rules.new_token()
    assert token != other and len(token) >= 40
    assert token_hash == rules.token_hash(token) and token not in token_hash


def test_shares_and_means_round_halves_up_as_a_spreadsheet_does():
    # 1 in 8 is 12.5%: 13%, as the exported CSV shows in a spreadsheet, not Python's 12%.
    assert rules.percent(1 / 8) == "13%" and rules.percent(7 / 8) == "88%"
    assert rules.percent(57 / 200) == "29%"  # 28.499999999999996 as a float
    assert rules.one_decimal(rules.mean({1: 1, 3: 1, 4: 1, 5: 1})) == "3.3"  # 3.25
    assert rules.one_decimal(4.0) == "4.0" and rules.one_decimal(24 / 7) == "3.4"


def test_anonymous_answers_beside_named_ones_are_held_back_below_the_minimum():
    # Where each person chooses whether to give their name:
    assert rules.anonymous_held_back(False, 1, 5)
    assert rules.anonymous_held_back(False, 4, 5)
    assert not rules.anonymous_held_back(False, 5, 5)
    assert not rules.anonymous_held_back(False, 0, 5)  # nothing to hold back
    # An anonymous form has its own rules: its answers are not held back this way.
    assert not rules.anonymous_held_back(True, 1, 5)


def test_anonymous_answers_given_after_a_reopening_wait_for_the_minimum_of_their_own():
    """`anonymous_shown`: after each close, how many openings (the first, then one per reopening) have
    their anonymous answers shown, from how many were given anonymously in each."""
    # One opening, as `anonymous_held_back`: shown at the close once there are five; none while open.
    assert rules.anonymous_shown([5], 5, still_open=False) == [1]
    assert rules.anonymous_shown([4], 5, still_open=False) == [0]
    assert rules.anonymous_shown([5], 5, still_open=True) == []
    # Six shown at the first close; one given after the reopening stays held back at the second, and
    # waits for four more (across further reopenings) before all five of them show together.
    assert rules.anonymous_shown([6, 1], 5, still_open=False) == [1, 1]
    assert rules.anonymous_shown([6, 1, 3], 5, still_open=False) == [1, 1, 1]
    assert rules.anonymous_shown([6, 1, 3, 1], 5, still_open=False) == [1, 1, 1, 4]
    assert rules.anonymous_shown([6, 5], 5, still_open=False) == [1, 2]
    # Reopened and open again: the six shown stay shown; whatever is given since waits.
    assert rules.anonymous_shown([6, 9], 5, still_open=True) == [1]
    # Too few to show at the first close: the earlier and the later show together once there are enough,
    # as they would have had the evaluation never closed.
    assert rules.anonymous_shown([3, 1], 5, still_open=False) == [0, 0]
    assert rules.anonymous_shown([3, 2], 5, still_open=False) == [0, 2]
    # A question's anonymous answers show only with the responses that gave them, and five at a time:
    # three answered it before the first close (held back), two after the reopening, whose responses are
    # held back (two of them); five more responses after a second reopening, none answering it.
    assert rules.anonymous_shown([3, 2, 0], 5, False, responses_shown=[1, 1, 3]) == [0, 0, 3]
    assert rules.anonymous_shown([3, 2], 5, False, responses_shown=[1, 1]) == [0, 0]
    # Where responses show but fewer than five answered the question anonymously since, they wait.
    assert rules.anonymous_shown([6, 2], 5, False, responses_shown=[1, 2]) == [1, 1]


def test_an_answer_belongs_to_the_opening_it_was_given_in():
    first, second = date(2026, 3, 2), date(2026, 3, 20)
    assert rules.opening_of(date(2026, 2, 27), [first, second]) == 0
    assert rules.opening_of(first, [first, second]) == 1  # nobody answers a closed evaluation
    assert rules.opening_of(date(2026, 3, 19), [first, second]) == 1
    assert rules.opening_of(second, [first, second]) == 2
    assert rules.opening_of(date(2026, 2, 27), []) == 0


def test_a_new_closing_date_reopens_only_an_evaluation_that_had_closed():
    today = date(2026, 3, 2)
    assert rules.reopens(date(2026, 3, 1), today, today)  # closed last night, open today
    assert rules.reopens(date(2026, 2, 1), date(2026, 3, 9), today)
    assert not rules.reopens(date(2026, 2, 1), date(2026, 3, 1), today)  # still closed
    assert not rules.reopens(today, date(2026, 3, 9), today)  # still open: a later date
    assert not rules.reopens(date(2026, 3, 9), date(2026, 3, 1), today)  # closed early


def test_a_copy_takes_the_first_name_no_other_form_has():
    assert rules.unused_name("Copy of A", {"B"}, 200) == "Copy of A"
    assert rules.unused_name("Copy of A", {"copy of a"}, 200) == "Copy of A (2)"
    assert rules.unused_name("Copy of A", {"Copy of A", "Copy of A (2)"}, 200) == "Copy of A (3)"
    assert rules.unused_name("x" * 10, {"x" * 10}, 10) == "x" * 6 + " (2)"
