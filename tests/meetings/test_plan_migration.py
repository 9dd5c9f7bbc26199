"""Migration 0009 carries existing meetings into the living plan: every agenda item gets its plan parts,
and a review not yet held opens with the plan of the case's latest held meeting."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from tests.migrating import database_at, discussed_at, insert, old_case
from tracker.core import migrate

BEFORE = "0016"  # the revision 0009 follows in this tree


def test_existing_cases_get_their_plan_from_the_latest_held_meeting(database_url, tmp_path_factory):
    with database_at(database_url, tmp_path_factory, BEFORE) as (url, engine, t):
        with engine.begin() as db:
            chair, case = old_case(db, t)
            items = []
            for number, (day, status) in enumerate(
                [(date(2026, 1, 10), "HELD"), (date(2026, 3, 10), "HELD"), (date(2026, 5, 10), "SCHEDULED")], start=1
            ):
                held = status == "HELD"
                _meeting, item = discussed_at(
                    db,
                    t,
                    case,
                    chair,
                    number,
                    datetime.combine(day, datetime.min.time()),
                    status,
                    risk_to_public="HIGH" if held else None,
                    contingency_plan=f"Contingency {number}" if held else "",
                )
                items.append(item)
                for pillar in (
                    "SUPERVISION",
                    "MONITORING_AND_CONTROL",
                    "INTERVENTIONS_AND_TREATMENT",
                    "VICTIM_SAFETY_PLANNING",
                ):
                    summary = ""
                    if held:
                        summary = "Monthly visits" if pillar != "MONITORING_AND_CONTROL" else f"Tag, meeting {number}"
                    insert(
                        db,
                        t["pillar_entry"],
                        agenda_item_id=item,
                        pillar=pillar,
                        status="ADDRESSED" if held else "OUTSTANDING",
                        summary=summary,
                        not_applicable_reason="",
                    )

        migrate.upgrade(url)

        with engine.connect() as db:
            parts = {
                (row.agenda_item_id, row.part): (row.outcome, row.carried_from_id)
                for row in db.execute(sa.text("SELECT * FROM plan_part"))
            }
            # The review to come opens with the plan as the latest held meeting agreed it.
            carried = db.execute(
                sa.text(
                    "SELECT summary FROM pillar_entry WHERE agenda_item_id = :id AND pillar = 'MONITORING_AND_CONTROL'"
                ),
                {"id": items[2]},
            ).scalar_one()
            item = db.execute(sa.text("SELECT * FROM agenda_item WHERE id = :id"), {"id": items[2]}).one()
    first, second, upcoming = items
    assert parts[(first, "SUPERVISION")] == ("NEW", None)
    assert parts[(second, "SUPERVISION")] == ("CONFIRMED", first)
    assert parts[(second, "MONITORING_AND_CONTROL")] == ("CHANGED", first)
    assert parts[(second, "CONTINGENCY")] == ("CHANGED", first)
    assert parts[(upcoming, "MONITORING_AND_CONTROL")] == ("PENDING", second)
    assert carried == "Tag, meeting 2"
    assert (item.risk_to_public, item.contingency_plan) == ("HIGH", "Contingency 2")
