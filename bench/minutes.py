"""Benchmark: render the minutes PDF of a long meeting (20 cases, 200 actions) and report the time.

Run: .venv/bin/python bench/minutes.py [--cases 20] [--actions 200] [--repeat 5]
The record is built as the tracker builds it for an approved version, with realistic lengths of text.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader  # noqa: E402

from tracker.minutes import pdf  # noqa: E402
from tracker.minutes.sections import ITEM_KEYS, STATEMENT_READ  # noqa: E402

PILLARS = ["Supervision", "Monitoring and control", "Interventions and treatment", "Victim safety planning"]
PARAGRAPH = (
    "The probation officer reported that the person has kept every appointment since the last meeting and "
    "has engaged with the accommodation officer. Police confirmed two unannounced home visits, both without "
    "concern. Children's social care noted a new partner with two children, and a strategy discussion is "
    "arranged. "
)


def long_record(cases: int, actions: int) -> tuple[dict, dict]:
    per_case = max(1, actions // cases)
    items, texts = [], {}
    for number in range(1, cases + 1):
        item_id = str(number)
        action_rows = [
            {
                "description": f"Action {n} for case {number}: " + PARAGRAPH[: 60 + (n * 37) % 200],
                "pillar": PILLARS[n % 4],
                "agency": "Metropolitan Police Service",
                "owner": "Grace Adeyemi",
                "due": "14 April 2026",
                "status": "Open",
            }
            for n in range(1, per_case + 1)
        ]
        items.append(
            {
                "id": item_id,
                "case_id": number,
                "reference": f"C-2026-{number:04d}",
                "name": f"Łukasz Wiśniewski {number}",
                "category": "Category 2",
                "category_4": False,
                "level": "Level 3" if number % 3 == 0 else "Level 2",
                "purpose": "Review",
                "presenting_officer": "Marcus Reid",
                "previous_actions": action_rows[:3],
                "risks": [{"to": to, "level": "High"} for to in ("Children", "The public", "A known adult")],
                "imminence": "Could happen if circumstances change",
                "risk_notes": PARAGRAPH,
                "pillars": [{"pillar": p, "status": "Addressed", "text": PARAGRAPH} for p in PILLARS],
                "contingency_plan": PARAGRAPH,
                "licence_conditions": "1. Reside at approved premises.\n2. No contact with the victim.",
                "level_decision": "Retain at the current level",
                "level_decision_reason": PARAGRAPH,
                "level_after": "Level 2",
                "actions": action_rows,
                "next_review": "30 June 2026",
            }
        )
        texts[item_id] = {key: PARAGRAPH * 2 for key in ITEM_KEYS} | {STATEMENT_READ: True}
    attendance = [
        {"agency": f"Agency {n}", "name": f"Person {n}", "status": "Present", "deputy": ""} for n in range(12)
    ]
    record = {
        "meeting": {
            "reference": "M-2026-0143",
            "level": "Level 2",
            "type": "Review",
            "date": "Tuesday 3 March 2026",
            "time": "09:30 to 16:30",
            "place": "Room 4, Civic Centre",
            "chair": "Daniel Price",
            "administrator": "Aisha Karim",
        },
        "statement": "This meeting is held under the Multi-Agency Public Protection Arrangements. " * 5,
        "area": "London",
        "attendance": attendance,
        "absent_agencies": [],
        "ra_not_represented": [],
        "items": items,
    }
    return record, {"meeting": {"introductions": PARAGRAPH}, "items": texts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument("--actions", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    record, sections = long_record(args.cases, args.actions)
    version = pdf.VersionInfo(number=1, status="Approved", draft=False, approved="Daniel Price")
    pdf.register_fonts()
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        data = pdf.minutes_pdf(record, sections, version)
        timings.append(time.perf_counter() - started)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    print(
        f"minutes PDF: {args.cases} cases, {args.actions} actions, {pages} pages, {len(data) / 1024:.0f} KiB"
    )
    print(
        f"render time over {args.repeat} runs: median {statistics.median(timings):.2f} s, "
        f"best {min(timings):.2f} s, worst {max(timings):.2f} s"
    )


if __name__ == "__main__":
    main()
