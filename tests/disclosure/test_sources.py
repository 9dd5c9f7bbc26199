"""The plan history a pack takes is read from the approved minutes' frozen record: it reads in the same
words as the plan on the agenda item it was frozen from."""

from __future__ import annotations

from tracker.core.pillars import Pillar
from tracker.meetings import plan
from tracker.meetings.models import PillarStatus, PlanPartKind
from tracker.minutes import record


def test_the_frozen_record_words_each_part_of_the_plan_as_the_agenda_item_does(app, factory, session):
    meeting = factory.held_meeting(cases=2)
    full, bare = meeting.agenda_items
    full.risk_notes, full.contingency_plan = "Drinks when stressed. ", "Recall if he contacts the victim"
    full.entry_for(Pillar.INTERVENTIONS_AND_TREATMENT).status = PillarStatus.NOT_APPLICABLE
    full.entry_for(Pillar.INTERVENTIONS_AND_TREATMENT).not_applicable_reason = "Completed the programme"
    full.entry_for(Pillar.VICTIM_SAFETY_PLANNING).status = PillarStatus.OUTSTANDING
    bare.imminence, bare.assessment_tool = None, ""
    for entry in bare.pillar_entries:
        entry.status, entry.summary = PillarStatus.OUTSTANDING, ""
    factory.save(full)
    factory.save(bare)
    with app.app_context():
        frozen = record.build_record(record.load_meeting(meeting.id))
    for item in (full, bare):
        kept = next(i for i in frozen.items if i.id == str(item.id))
        session.refresh(item)
        for kind in PlanPartKind:
            assert kept.plan_wording(kind) == plan.wording(item, kind), kind
    assert kept.plan_wording(PlanPartKind.RISK_ASSESSMENT) == "Not assessed"
