"""Evaluation rules as plain functions: options, answers, links, closing dates, reminders and figures.

Views, forms and queries call these; the tests call them directly with plain values.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from tracker.core import settings
from tracker.core.numbers import round_half_up
from tracker.evaluations.models import QuestionKind

OPEN_DAYS = settings.define(
    "evaluation_open_days",
    14,
    "Days an evaluation stays open",
    hint="The closing date offered when a form is sent to an event, counted from the day it is sent.",
    group="Training",
    minimum=1,
    maximum=90,
)
REMINDER_GAP_DAYS = settings.define(
    "evaluation_reminder_gap_days",
    3,
    "Days between evaluation reminders",
    hint="A reminder to those who have not answered can be sent again only after this many days.",
    group="Training",
    minimum=0,
    maximum=30,
)
MIN_ANONYMOUS_RESPONSES = settings.define(
    "evaluation_anonymous_minimum",
    5,
    "Fewest responses before an anonymous evaluation's results show",
    hint="With fewer answers than this to an anonymous form, no results, charts or downloads are shown: "
    "a handful of answers would let people be recognised. Where each person chooses whether to give their "
    "name, answers given anonymously are held back until at least this many people have answered "
    "anonymously. Applies to each event in a comparison too.",
    group="Training",
    minimum=2,
    maximum=50,
)

SCALE = range(1, 6)
MAX_ANSWER_LENGTH = 2000
MAX_OPTIONS = 20
YES, NO = "YES", "NO"


# Building forms ------------------------------------------------------------------------------------


def measure_problem(kind: QuestionKind, measure_kind: QuestionKind | None, used_in_form: bool) -> str | None:
    """Whether a question may be marked as the same measure as a question of another form (whose kind
    is `measure_kind`): only a question with the same kind of answer compares, and a form asks each
    measure once (`used_in_form`: another question of this form already is that measure)."""
    if measure_kind is None:
        return "Select a question from the list"
    if measure_kind is not kind:
        return (
            f"Select a question with the same kind of answer ({kind.label.lower()}) or change the kind of "
            "answer"
        )
    if used_in_form:
        return "Another question of this form is already that measure: select a different question"
    return None


def unused_name(wanted: str, taken: set[str], limit: int) -> str:
    """`wanted`, or if another form has that name (in any case) `wanted (2)`, `wanted (3)`, ...: at most
    `limit` characters."""
    taken = {name.casefold() for name in taken}
    name, number = wanted[:limit], 1
    while name.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        name = wanted[: limit - len(suffix)] + suffix
    return name


class OptionsProblem(ValueError):
    pass


def parse_options(kind: QuestionKind, text: str) -> list[str]:
    """The options typed one a line for a question of this kind, or OptionsProblem saying what is wrong.

    A rating scale has exactly five labels (for 1 to 5); a choice question two or more distinct
    options; other kinds none (whatever was typed is ignored).
    """
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if kind is QuestionKind.RATING:
        if len(lines) != len(SCALE):
            raise OptionsProblem("Enter five labels, one a line, for the ratings 1 to 5")
        return lines
    if not kind.has_options:
        return []
    if len(lines) < 2:
        raise OptionsProblem("Enter at least two options, one a line")
    if len(lines) > MAX_OPTIONS:
        raise OptionsProblem(f"Enter {MAX_OPTIONS} options or fewer")
    if len({line.lower() for line in lines}) != len(lines):
        raise OptionsProblem("Each option must be different")
    if any(len(line) > 200 for line in lines):
        raise OptionsProblem("Each option must be 200 characters or fewer")
    return lines


def is_locked(times_sent: int) -> bool:
    """A form version sent to any event is never changed: attendees hold links to it, and its
    answers mean what its questions said. Changes go into a new version instead."""
    return times_sent > 0


def moved(positions: list[int], index: int, direction: str) -> list[int]:
    """The order after moving the item at `index` one place up or down (unchanged at either end)."""
    order = list(positions)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= index < len(order) and 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
    return order


# Answering -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpec:
    """What validating an answer needs to know about its question."""

    kind: QuestionKind
    text: str
    required: bool
    options: tuple[str, ...] = ()


def answer_problem(question: QuestionSpec, value) -> str | None:
    """Why an answer is refused (a GOV.UK-style message), or None when it is acceptable.

    `value` is what the form gave: a string (rating "1" to "5", "YES"/"NO", a choice, words) or, for a
    multiple choice question, a list of strings. Empty answers are refused only when required.
    """
    kind = question.kind
    values = [v for v in (value or []) if v] if kind is QuestionKind.MULTIPLE_CHOICE else value
    if not values or (isinstance(values, str) and not values.strip()):
        if not question.required:
            return None
        if kind is QuestionKind.FREE_TEXT:
            return f"Enter your answer to ‘{question.text}’"
        if kind is QuestionKind.MULTIPLE_CHOICE:
            return f"Select at least one answer to ‘{question.text}’"
        return f"Select an answer to ‘{question.text}’"
    if kind is QuestionKind.RATING:
        if not (isinstance(value, str) and value.isdigit() and int(value) in SCALE):
            return f"Select a rating between 1 and 5 for ‘{question.text}’"
    elif kind is QuestionKind.YES_NO:
        if value not in (YES, NO):
            return f"Select yes or no for ‘{question.text}’"
    elif kind is QuestionKind.SINGLE_CHOICE:
        if value not in question.options:
            return f"Select one of the answers given for ‘{question.text}’"
    elif kind is QuestionKind.MULTIPLE_CHOICE:
        if any(v not in question.options for v in values) or len(set(values)) != len(values):
            return f"Select only answers given for ‘{question.text}’"
    elif len(value) > MAX_ANSWER_LENGTH:
        return f"Your answer to ‘{question.text}’ must be {MAX_ANSWER_LENGTH:,} characters or fewer"
    return None


def stored_answers(kind: QuestionKind, value) -> list[tuple[int | None, str | None]]:
    """An accepted answer as the (number, text) rows kept for it: none when it was left empty."""
    if kind is QuestionKind.RATING:
        return [(int(value), None)] if value else []
    if kind is QuestionKind.YES_NO:
        return [(1 if value == YES else 0, None)] if value else []
    if kind is QuestionKind.MULTIPLE_CHOICE:
        return [(None, choice) for choice in (value or []) if choice]
    text = (value or "").strip()
    return [(None, text)] if text else []


def is_open(closes_on: date, today: date) -> bool:
    """An evaluation takes answers up to and including its closing day."""
    return today <= closes_on


def default_closing_date(today: date, open_days: int) -> date:
    return today + timedelta(days=open_days)


# One-time links ----------------------------------------------------------------------------------


def new_token() -> tuple[str, str]:
    """A random token for a one-time link, and the hash to keep in its place."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reminder_wait(last_reminded_at: datetime | None, now: datetime, gap_days: int) -> timedelta | None:
    """How long until another reminder may go, or None if one may go now."""
    if last_reminded_at is None:
        return None
    ready = last_reminded_at + timedelta(days=gap_days)
    return None if now >= ready else ready - now


# Figures -------------------------------------------------------------------------------------------


def response_rate(responses: int, invited: int) -> float | None:
    """Responses as a share of the people sent a link (None when nobody was)."""
    if invited <= 0:
        return None
    return min(responses, invited) / invited


def mean(distribution: Mapping[int, int]) -> float | None:
    """The mean of answers given as {value: how many}."""
    total = sum(distribution.values())
    if not total:
        return None
    return sum(value * count for value, count in distribution.items()) / total


def median(distribution: Mapping[int, int]) -> float | None:
    """The median of answers given as {value: how many} (the mean of the middle two for an even count)."""
    total = sum(distribution.values())
    if not total:
        return None
    ordered = sorted((value, count) for value, count in distribution.items() if count)

    def nth(position: int) -> int:
        seen = 0
        for value, count in ordered:
            seen += count
            if position < seen:
                return value
        raise IndexError(position)

    middle = total // 2
    if total % 2:
        return float(nth(middle))
    return (nth(middle - 1) + nth(middle)) / 2


def responses_needed(always_anonymous: bool, responses: int, minimum: int) -> int:
    """How many more responses an evaluation needs before its results may be shown: none for a form
    where people may give their names, else up to `minimum` (a few anonymous answers identify people)."""
    if not always_anonymous:
        return 0
    return max(minimum - responses, 0)


def share_a_measure(measures: list[set[str]]) -> bool:
    """Whether events whose forms ask these measures (one set per event) can be compared: each of them
    shares at least one measure with another."""
    return len(measures) > 1 and all(
        any(mine & theirs for j, theirs in enumerate(measures) if j != i) for i, mine in enumerate(measures)
    )


def withheld_for_anonymity(always_anonymous: bool, answered: int, minimum: int) -> bool:
    """Whether a figure drawn from `answered` people (one event's answers to one question, in a
    comparison) must be hidden: on an anonymous form, a breakdown of fewer than `minimum` answers (but
    some) would let people be recognised, even where the event as a whole has enough responses."""
    return always_anonymous and 0 < answered < minimum


def anonymous_held_back(
    always_anonymous: bool, anonymous: int, minimum: int, still_open: bool = False
) -> bool:
    """Whether, on a form where each person chooses whether to give their name, the `anonymous` answers
    given without a name (to the evaluation, or to one question) must be left out of everything shown.
    Beside the named answers and the list of who has answered, a few anonymous answers could be traced
    to their authors by elimination (the one person who answered but is not named), and figures over
    everyone would give them away by subtracting the named answers: so none shows until at least
    `minimum` people have answered anonymously. Nor while the evaluation is `still_open`: each new
    anonymous answer would show as the difference between two downloads, beside the name that joined the
    list of who has answered in between. An anonymous form has its own rules (`responses_needed`,
    `withheld_for_anonymity`). An evaluation reopened after its anonymous answers showed holds back those
    given since on the same terms (`anonymous_shown`)."""
    return not always_anonymous and anonymous > 0 and (still_open or anonymous < minimum)


def reopens(closes_on: date, new_closes_on: date, today: date) -> bool:
    """Whether moving the closing date reopens an evaluation that had closed (`today` is a new opening)."""
    return not is_open(closes_on, today) and is_open(new_closes_on, today)


def opening_of(day: date, reopened: Sequence[date]) -> int:
    """Which opening of an evaluation an answer given on `day` came in: 0 for the first, 1 for the one
    that began on the first day in `reopened` (in order), and so on. Nobody answers while an evaluation
    is closed, so every answer from the day it reopened came after the reopening."""
    return bisect_right(reopened, day)


def anonymous_shown(
    anonymous: Sequence[int], minimum: int, still_open: bool, responses_shown: Sequence[int] | None = None
) -> list[int]:
    """After each close of an evaluation where each person chooses whether to give their name, how many
    of its openings (the first, then one per reopening) have their anonymous answers shown: always the
    first so many, since shown answers stay shown. `anonymous` counts the answers given anonymously in
    each opening; all but the last have closed, and the last too unless the evaluation is `still_open`.

    At each close the anonymous answers not shown yet show together once there are at least `minimum`
    of them (`anonymous_held_back`). So those given after a reopening wait for `minimum` of their own:
    beside the results as they were at the previous close, the results at the next would tell the new
    ones apart, and with the list of who answered meanwhile a single one could be traced to its author.
    An evaluation that reopened with its anonymous answers still held back shows them all together,
    as it would have without closing. For one question's answers, `responses_shown` is the evaluation's
    own result: an answer shows only with the response that gave it."""
    shown, after_each_close = 0, []
    for close in range(len(anonymous) - (1 if still_open else 0)):
        limit = close + 1 if responses_shown is None else responses_shown[close]
        waiting = sum(anonymous[shown:limit])
        if waiting and not anonymous_held_back(False, waiting, minimum):
            shown = limit
        after_each_close.append(shown)
    return after_each_close


def shuffled(items) -> list:
    """The items in a random order, so that the order gives nothing away (such as who answered first)."""
    items = list(items)
    random.shuffle(items)
    return items


def share(count: int, total: int) -> float:
    return count / total if total else 0.0


def percent(value: float | None) -> str:
    """A share as a whole percentage for people to read ("67%"), or "–" when there is none."""
    return "–" if value is None else f"{round_half_up(value * 100)}%"


def one_decimal(value: float | None) -> str:
    return "–" if value is None else f"{round_half_up(value, 1)}"
