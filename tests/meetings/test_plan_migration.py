"""Migration 0009 carries existing meetings into the living plan: every agenda item gets its plan parts,
and a review not yet held opens with the plan of the case's latest held meeting."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from tracker.core import migrate

BEFORE = "0016"  # the revision 0009 follows in this tree


def _row(table: sa.Table, **values) -> dict:
    """Values for every column the database requires, with these overrides."""
    row = {}
    for column in table.columns:
        if column.name in values or column.primary_key or column.nullable or column.server_default is not None:
            continue
        kind = column.type
        if isinstance(kind, sa.Boolean):
            row[column.name] = False
        elif isinstance(kind, sa.Integer):
            row[column.name] = 1
        elif isinstance(kind, sa.DateTime) or "DateTime" in type(kind).__name__:
            row[column.name] = datetime(2026, 1, 1)
        elif isinstance(kind, sa.Date):
            row[column.name] = date(2026, 1, 1)
        elif isinstance(kind, sa.JSON):
            row[column.name] = {}
        else:
            row[column.name] = "x"
    row.update(values)
    return row


def test_existing_cases_get_their_plan_from_the_latest_held_meeting(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrate.upgrade(url, BEFORE)
    engine = sa.create_engine(url)
    meta = sa.MetaData()
    meta.reflect(engine)
    t = meta.tables
    with engine.begin() as db:
        agency = db.execute(t["agency"].insert().values(_row(t["agency"], name="Probation"))).inserted_primary_key[0]
        user = db.execute(
            t["user"].insert().values(_row(t["user"], email="chair@example.org", agency_id=agency))
        ).inserted_primary_key[0]
        case = db.execute(
            t["mappa_case"].insert().values(
                _row(t["mappa_case"], reference="OLD-1", category="CATEGORY_2", level="LEVEL_2", lead_agency_id=agency)
            )
        ).inserted_primary_key[0]
        items = []
        for number, (day, status) in enumerate(
            [(date(2026, 1, 10), "HELD"), (date(2026, 3, 10), "HELD"), (date(2026, 5, 10), "SCHEDULED")], start=1
        ):
            meeting = db.execute(
                t["meeting"].insert().values(
                    _row(
                        t["meeting"],
                        reference=f"M-OLD-{number}",
                        level="LEVEL_2",
                        meeting_type="REVIEW",
                        starts_at=datetime.combine(day, datetime.min.time()),
                        ends_at=datetime.combine(day, datetime.min.time()),
                        chair_id=user,
                        status=status,
                    )
                )
            ).inserted_primary_key[0]
            held = status == "HELD"
            item = db.execute(
                t["agenda_item"].insert().values(
                    _row(
                        t["agenda_item"],
                        meeting_id=meeting,
                        case_id=case,
                        purpose="REVIEW",
                        level_considered="LEVEL_2",
                        risk_to_public="HIGH" if held else None,
                        contingency_plan=f"Contingency {number}" if held else "",
                        risk_notes="",
                        licence_conditions="",
                        level_decision_reason="",
                    )
                )
            ).inserted_primary_key[0]
            items.append(item)
            for pillar in ("SUPERVISION", "MONITORING_AND_CONTROL", "INTERVENTIONS_AND_TREATMENT", "VICTIM_SAFETY_PLANNING"):
                summary = ""
                if held:
                    summary = "Monthly visits" if pillar != "MONITORING_AND_CONTROL" else f"Tag, meeting {number}"
                db.execute(
                    t["pillar_entry"].insert().values(
                        _row(
                            t["pillar_entry"],
                            agenda_item_id=item,
                            pillar=pillar,
                            status="ADDRESSED" if held else "OUTSTANDING",
                            summary=summary,
                            not_applicable_reason="",
                        )
                    )
                )

    migrate.upgrade(url)

    with engine.connect() as db:
        parts = {
            (row.agenda_item_id, row.part): (row.outcome, row.carried_from_id)
            for row in db.execute(sa.text("SELECT * FROM plan_part"))
        }
        first, second, upcoming = items
        assert parts[(first, "SUPERVISION")] == ("NEW", None)
        assert parts[(second, "SUPERVISION")] == ("CONFIRMED", first)
        assert parts[(second, "MONITORING_AND_CONTROL")] == ("CHANGED", first)
        assert parts[(second, "CONTINGENCY")] == ("CHANGED", first)
        assert parts[(upcoming, "MONITORING_AND_CONTROL")] == ("PENDING", second)
        # The review to come opens with the plan as the latest held meeting agreed it.
        carried = db.execute(
            sa.text("SELECT summary FROM pillar_entry WHERE agenda_item_id = :id AND pillar = 'MONITORING_AND_CONTROL'"),
            {"id": upcoming},
        ).scalar_one()
        assert carried == "Tag, meeting 2"
        item = db.execute(sa.text("SELECT * FROM agenda_item WHERE id = :id"), {"id": upcoming}).one()
        assert (item.risk_to_public, item.contingency_plan) == ("HIGH", "Contingency 2")
    engine.dispose()
