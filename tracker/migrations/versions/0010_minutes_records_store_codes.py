"""approved minutes keep codes, not labels, in their frozen record

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

An approved version of the minutes keeps the meeting's records as JSON (minutes_version.record). Until now
it kept the labels people read ("Addressed", "Level 2"); from here it keeps the codes (the enum names,
"ADDRESSED", "LEVEL_2") and the page and PDF put the labels on them, so that renaming a label changes how
old minutes read, never what they say. The labels below are frozen as they were when this ran, so the
conversion does not change if the app's labels do.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEVEL = {"LEVEL_1": "Level 1", "LEVEL_2": "Level 2", "LEVEL_3": "Level 3"}
MEETING_TYPE = {"INITIAL": "Initial", "REVIEW": "Review", "EMERGENCY": "Emergency"}
PURPOSE = {"INITIAL": "Initial", "REVIEW": "Review"}
CATEGORY = {f"CATEGORY_{n}": f"Category {n}" for n in (1, 2, 3, 4)}
ATTENDANCE = {"PRESENT": "Present", "APOLOGIES": "Apologies", "ABSENT": "Absent"}
PILLAR = {
    "SUPERVISION": "Supervision",
    "MONITORING_AND_CONTROL": "Monitoring and control",
    "INTERVENTIONS_AND_TREATMENT": "Interventions and treatment",
    "VICTIM_SAFETY_PLANNING": "Victim safety planning",
}
PILLAR_STATUS = {"ADDRESSED": "Addressed", "NOT_APPLICABLE": "Not applicable", "OUTSTANDING": "Outstanding"}
RISK_LEVEL = {"LOW": "Low", "MEDIUM": "Medium", "HIGH": "High", "VERY_HIGH": "Very high"}
RISK_TO = {
    "CHILDREN": "Children",
    "PUBLIC": "The public",
    "KNOWN_ADULT": "A known adult",
    "STAFF": "Staff",
    "PRISONERS": "Prisoners",
}
IMMINENCE = {
    "NOT_IMMINENT": "Not imminent: unlikely in the near future",
    "IF_CIRCUMSTANCES_CHANGE": "Could happen if circumstances change",
    "IMMINENT": "Imminent: could happen at any time",
}
LEVEL_DECISION = {
    "RETAIN": "Retain at the current level",
    "RAISE": "Raise the level",
    "LOWER": "Lower the level",
    "EXIT": "Exit MAPPA meeting management",
}
LEVEL_AFTER = {**LEVEL, "EXIT": "Exit MAPPA"}
ACTION_STATUS = {"OPEN": "Open", "DONE": "Done", "DROPPED": "Dropped"}
SECTOR = {
    "POLICE": "Police",
    "PROBATION": "Probation",
    "PRISONS": "Prisons",
    "CHILDRENS_SOCIAL_CARE": "Children's social care",
    "ADULT_SOCIAL_CARE": "Adult social care",
    "HEALTH": "Health",
    "YOUTH_JUSTICE": "Youth justice",
    "DWP": "Department for Work and Pensions",
    "HOUSING": "Housing",
    "EDUCATION": "Education",
    "ELECTRONIC_MONITORING": "Electronic monitoring",
    "IMMIGRATION": "UK Visas and Immigration",
    "OTHER": "Other",
}
# What the old records said where there was nothing to name; the new ones keep "".
NONE_SAID = ("", "Not recorded", "Not assessed")


def _converter(to_codes: bool):
    def convert(labels: dict[str, str], value: str, blank: str = "") -> str:
        if to_codes:
            if value in NONE_SAID:
                return ""
            if value in labels:  # already a code
                return value
            return next(code for code, label in labels.items() if label == value)
        return labels[value] if value else blank

    return convert


def _action(action: dict, convert) -> dict:
    return {
        **action,
        "pillar": convert(PILLAR, action["pillar"]),
        "status": convert(ACTION_STATUS, action["status"]),
    }


def _item(item: dict, convert) -> dict:
    return {
        **item,
        "category": convert(CATEGORY, item["category"]),
        "level": convert(LEVEL, item["level"]),
        "purpose": convert(PURPOSE, item["purpose"]),
        "previous_actions": [_action(action, convert) for action in item["previous_actions"]],
        "risks": [
            {"to": convert(RISK_TO, risk["to"]), "level": convert(RISK_LEVEL, risk["level"], "Not assessed")}
            for risk in item["risks"]
        ],
        "imminence": convert(IMMINENCE, item["imminence"], "Not assessed"),
        "pillars": [
            {
                "pillar": convert(PILLAR, pillar["pillar"]),
                "status": convert(PILLAR_STATUS, pillar["status"]),
                "text": pillar["text"],
            }
            for pillar in item["pillars"]
        ],
        "level_decision": convert(LEVEL_DECISION, item["level_decision"], "Not recorded"),
        "level_after": convert(LEVEL_AFTER, item["level_after"]),
        "actions": [_action(action, convert) for action in item["actions"]],
    }


def convert_record(record: dict[str, Any], to_codes: bool = True) -> dict[str, Any]:
    """A frozen record with labels as the same record with codes (or back, for the downgrade). A record
    that already holds codes is returned as it is."""
    convert = _converter(to_codes)
    meeting = record["meeting"]
    return {
        **record,
        "meeting": {
            **meeting,
            "level": convert(LEVEL, meeting["level"]),
            "type": convert(MEETING_TYPE, meeting["type"]),
        },
        "attendance": [
            {**row, "status": convert(ATTENDANCE, row["status"], "Not recorded")} for row in record["attendance"]
        ],
        "ra_not_represented": [convert(SECTOR, sector) for sector in record["ra_not_represented"]],
        "items": [_item(item, convert) for item in record["items"]],
    }


def _convert_all(to_codes: bool) -> None:
    versions = sa.table("minutes_version", sa.column("id", sa.Integer), sa.column("record", sa.JSON))
    connection = op.get_bind()
    rows = connection.execute(sa.select(versions.c.id, versions.c.record).where(versions.c.record.is_not(None)))
    for version_id, record in rows.all():
        if record is None:
            continue
        connection.execute(
            versions.update()
            .where(versions.c.id == version_id)
            .values(record=convert_record(record, to_codes=to_codes))
        )


def upgrade() -> None:
    _convert_all(to_codes=True)


def downgrade() -> None:
    _convert_all(to_codes=False)
