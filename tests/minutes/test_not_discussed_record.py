"""The minutes' record of a case the meeting did not discuss (deferred): the reason travels in the typed
record and its JSON, and records approved before it was kept read as discussed."""

from __future__ import annotations

from tracker.minutes import record
from tracker.minutes.document import MinutesRecord
from tracker.minutes.pdf.sections import case_section


def test_the_record_keeps_why_a_case_was_not_discussed_and_says_so(app, factory):
    meeting = factory.held_meeting(cases=2)
    deferred = meeting.agenda_items[1]
    deferred.not_discussed_reason = "Key agency absent"
    factory.save(deferred)

    with app.app_context():
        built = record.build_record(record.load_meeting(meeting.id))

    discussed, not_discussed = built.items
    assert discussed.not_discussed == "" and discussed.not_discussed_text == ""
    assert not_discussed.not_discussed_text == "Not discussed at this meeting: Key agency absent"
    stored = MinutesRecord.from_json(built.to_json())
    assert stored.items[1].not_discussed == "Key agency absent"


def test_a_record_approved_before_deferring_was_kept_reads_as_discussed(app, factory):
    meeting = factory.held_meeting()
    with app.app_context():
        data = record.build_record(record.load_meeting(meeting.id)).to_json()
    del data["items"][0]["not_discussed"]
    assert MinutesRecord.from_json(data).items[0].not_discussed == ""


def test_the_pdf_gives_a_case_not_discussed_only_its_facts_and_the_reason(app, factory):
    meeting = factory.held_meeting(cases=2)
    deferred = meeting.agenda_items[1]
    deferred.not_discussed_reason = "Not reached: time ran out"
    factory.save(deferred)
    with app.app_context():
        built = record.build_record(record.load_meeting(meeting.id))

    def words(story) -> str:
        return " ".join(
            getattr(flowable, "text", "") or " ".join(getattr(f, "text", "") for f in getattr(flowable, "_content", []))
            for flowable in story
        )

    with app.app_context():
        shown = words(case_section(2, built.items[1], {}))
        full = words(case_section(1, built.items[0], {}))
    assert "Not discussed at this meeting: Not reached: time ran out" in shown
    assert "Level decision" in full and "Level decision" not in shown
