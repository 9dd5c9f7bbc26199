"""Results of evaluations: counted in SQL (GROUP BY), in a fixed number of queries whatever the answers.

`results` is one event's results page, `comparison` puts events side by side measure by measure (across
forms and their versions), and `evaluation_summary` gives the figures other areas quote (the annual
report's evaluation highlights).

A module per page: `event_results` (one event's results), `text_answers` (its free-text answers to one
question), `side_by_side` (events side by side) and `summaries` (what other areas show of an event's
evaluation); `openings` says which anonymous answers show, opening by opening, for all of them.
"""

from tracker.evaluations.queries.event_results import (
    TEXTS_SHOWN,
    Bar,
    Figures,
    QuestionResult,
    Rate,
    Results,
    TextAnswer,
    load_evaluation,
    question_result,
    rates,
    responses_needed,
    results,
)
from tracker.evaluations.queries.openings import Anonymity, Held, anonymity, anonymous_held_back, still_open
from tracker.evaluations.queries.side_by_side import (
    ComparedQuestion,
    Comparison,
    comparable_evaluations,
    comparison,
    held_until,
    load_evaluations,
    measures_of,
)
from tracker.evaluations.queries.summaries import EventSummary, QuestionSummary, evaluation_summary
from tracker.evaluations.queries.text_answers import (
    text_answers_held_back,
    text_answers_statement,
    text_answers_withheld,
)

__all__ = [
    "Anonymity",
    "Bar",
    "ComparedQuestion",
    "Comparison",
    "EventSummary",
    "Figures",
    "Held",
    "QuestionResult",
    "QuestionSummary",
    "Rate",
    "Results",
    "TEXTS_SHOWN",
    "TextAnswer",
    "anonymity",
    "anonymous_held_back",
    "still_open",
    "comparable_evaluations",
    "comparison",
    "evaluation_summary",
    "held_until",
    "load_evaluation",
    "load_evaluations",
    "measures_of",
    "question_result",
    "rates",
    "responses_needed",
    "results",
    "text_answers_held_back",
    "text_answers_statement",
    "text_answers_withheld",
]
