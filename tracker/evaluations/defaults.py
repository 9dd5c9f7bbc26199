"""The default post-event evaluation form, as plain data.

Migration 0006 adds it to every new database (so a fresh installation has it before anyone signs
in); the demo and the tests find it by `EvaluationForm.is_default`. Lineage keys are fixed so that
every installation's default questions are the same questions, whatever version they reach.
"""

from __future__ import annotations

QUALITY = ["Very poor", "Poor", "Fair", "Good", "Excellent"]
RELEVANCE = [
    "Not at all relevant",
    "Slightly relevant",
    "Fairly relevant",
    "Very relevant",
    "Extremely relevant",
]
CONFIDENCE = [
    "Not at all confident",
    "Slightly confident",
    "Fairly confident",
    "Very confident",
    "Extremely confident",
]

DEFAULT_FORM = {
    "name": "Post-event evaluation",
    "description": (
        "Thank you for coming. Your answers help the Training and Research Sub-Group improve its "
        "training and are reported, as totals, to the Strategic Management Board."
    ),
    "sections": [
        {
            "title": "The event",
            "description": "",
            "questions": [
                {
                    "lineage": "default-overall",
                    "kind": "RATING",
                    "text": "Overall, how would you rate the event?",
                    "hint": "",
                    "required": True,
                    "options": QUALITY,
                },
                {
                    "lineage": "default-relevance",
                    "kind": "RATING",
                    "text": "How relevant was the event to your practice?",
                    "hint": "",
                    "required": True,
                    "options": RELEVANCE,
                },
            ],
        },
        {
            "title": "Your confidence",
            "description": "About the subject of the event.",
            "questions": [
                {
                    "lineage": "default-confidence-before",
                    "kind": "RATING",
                    "text": "How confident did you feel before the event?",
                    "hint": "",
                    "required": True,
                    "options": CONFIDENCE,
                },
                {
                    "lineage": "default-confidence-after",
                    "kind": "RATING",
                    "text": "How confident do you feel now?",
                    "hint": "",
                    "required": True,
                    "options": CONFIDENCE,
                },
            ],
        },
        {
            "title": "Your comments",
            "description": "",
            "questions": [
                {
                    "lineage": "default-most-useful",
                    "kind": "FREE_TEXT",
                    "text": "What was most useful?",
                    "hint": "",
                    "required": False,
                    "options": [],
                },
                {
                    "lineage": "default-change",
                    "kind": "FREE_TEXT",
                    "text": "What should change?",
                    "hint": "For example, the content, the speakers, the length or the venue.",
                    "required": False,
                    "options": [],
                },
                {
                    "lineage": "default-recommend",
                    "kind": "YES_NO",
                    "text": "Would you recommend the event to a colleague?",
                    "hint": "",
                    "required": True,
                    "options": [],
                },
            ],
        },
    ],
}
