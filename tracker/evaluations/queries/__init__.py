"""Results of evaluations: counted in SQL (GROUP BY), in a fixed number of queries whatever the answers.

`results` is one event's results page, `comparison` puts events side by side measure by measure (across
forms and their versions), and `evaluation_summary` gives the figures other areas quote (the annual
report's evaluation highlights).

A module per page: `event_results` (one event's results), `side_by_side` (events side by side) and `summaries`
(what other areas show of an event's evaluation).
"""

from tracker.evaluations.queries.event_results import (
    TEXTS_SHOWN,
    Bar,
    Figures,
    QuestionResult,
    Rate,
    Results,
    TextAnswer,
    anonymous_held_back,
    load_evaluation,
    question_result,
    rates,
    responses_needed,
    results,
    still_open,
    text_answers_held_back,
    text_answers_statement,
    text_answers_withheld,
)
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

__all__ = [
    "Bar",
    "ComparedQuestion",
    "Comparison",
    "EventSummary",
    "Figures",
    "QuestionResult",
    "QuestionSummary",
    "Rate",
    "Results",
    "TEXTS_SHOWN",
    "TextAnswer",
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
