"""Disclosure packs through their pages: starting one, choosing documents, redacting, the agencies'
agreement, checking and issuing, and the PDF. The redaction test is here: text marked for redaction is in
neither the PDF's extracted text nor any of its decoded streams, in the draft preview and the issued copy."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from sqlmodel import select

from tests.disclosure.conftest import (
    AGENCY_SECRET,
    NEW_INFORMATION,
    SUMMARY,
    THIRD_PARTY,
    forms_of,
    page,
    pdf_text,
    stream_bytes,
    text_of,
)
from tests.justify import disclosed, give_reason
from tests.meetings.conftest import start_correction
from tracker.core.models import AuditEvent
from tracker.core.pillars import Pillar
from tracker.core.timeutil import format_date, london, today_london
from tracker.core.types import utcnow
from tracker.disclosure import services
from tracker.disclosure.models import (
    AgencyAgreement,
    DisclosureCopy,
    DisclosurePack,
    PackDocument,
    Redaction,
)
from tracker.meetings.models import Category, MeetingStatus, PillarStatus
from tracker.minutes.models import Minutes, MinutesStatus, MinutesVersion


def _url(world, pack=None, path=""):
    base = f"/cases/{world.case.id}/disclosure-packs"
    return f"{base}/{pack.id}{path}" if pack else f"{base}{path}"


def _start(client, world, session, **data) -> DisclosurePack:
    data = {
        "requester": "Jordan Avery (data subject)",
        "purpose": "SUBJECT_ACCESS",
        "request_received_on": _parts(today_london()),
        **data,
    }
    response = client.post(_url(world, path="/new"), data=data)
    assert response.status_code == 302
    return session.exec(select(DisclosurePack).where(DisclosurePack.case_id == world.case.id)).all()[-1]


def _documents(client, world, session, pack, keys=None) -> dict[str, PackDocument]:
    offered = [box["value"] for box in page(client.get(_url(world, pack, "/documents"))).select("input[name=documents]")]
    response = client.post(_url(world, pack, "/documents"), data={"documents": keys or offered})
    assert response.status_code == 302
    documents = session.exec(select(PackDocument).where(PackDocument.pack_id == pack.id)).all()
    return {document.kind.name: document for document in documents}


def _paragraph(document: PackDocument, heading: str) -> int:
    return next(n for n, p in enumerate(document.paragraphs) if p["heading"] == heading)


def _redact(client, world, pack, document, number, **data):
    data = {"reason": "THIRD_PARTY", **data}
    return client.post(_url(world, pack, f"/documents/{document.id}/paragraphs/{number}/redact"), data=data)


def _parts(day) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _agree(client, world, pack, agency_id, **data):
    # Answered the day the pack was started: an answer is never dated before its request.
    data = {"agreed": "yes", "agreed_by": "Sam Lee, information governance", "agreed_on": _parts(today_london()), **data}
    return client.post(_url(world, pack, f"/agencies/{agency_id}"), data=data)


def _agree_all(client, world, session, pack):
    for agency_id in sorted({a for d in _held(session, pack) for a in d.agency_ids}):
        assert _agree(client, world, pack, agency_id).status_code == 302


def _held(session, pack):
    return session.exec(select(PackDocument).where(PackDocument.pack_id == pack.id)).all()


def _issue(client, world, session, pack):
    session.refresh(pack)
    return client.post(_url(world, pack, "/issue"), data={"version": str(pack.version)})


def test_the_case_page_links_the_coordinator_to_its_packs(client, client_as, world):
    assert "Disclosure packs for this case" in text_of(client.get(f"/cases/{world.case.id}"))
    assert "Disclosure packs for this case" not in text_of(client_as(world.meeting.chair).get(f"/cases/{world.case.id}"))


def test_a_pack_starts_with_a_named_requester_and_purpose(client, world, session):
    assert "No disclosure packs have been started" in text_of(client.get(_url(world)))
    pack = _start(client, world, session, purpose="COURT", purpose_detail="Snaresbrook Crown Court, T2026 0042")
    assert (pack.requester, pack.purpose.name, pack.is_issued) == ("Jordan Avery (data subject)", "COURT", False)
    listing = text_of(client.get(_url(world)))
    assert f"Pack {pack.id} Jordan Avery (data subject) Court" in listing
    assert "Draft" in listing
    assert "Court: Snaresbrook Crown Court" in pack.purpose_text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"requester": "", "purpose": "COURT"}, "Enter who the pack is for"),
        ({"requester": "A court"}, "Select what the pack is for"),
        ({"requester": "Someone", "purpose": "OTHER", "purpose_detail": " "}, "Enter what the disclosure is for"),
        ({"requester": "Someone", "purpose": "NOT_A_PURPOSE"}, "Select one of the options given"),
    ],
)
def test_a_request_without_what_it_needs_is_refused_with_a_message(client, world, session, data, message):
    response = client.post(_url(world, path="/new"), data=data)
    assert response.status_code == 200
    assert message in text_of(response)
    assert page(response).select_one(".govuk-error-summary")
    assert session.exec(select(DisclosurePack).where(DisclosurePack.case_id == world.case.id)).all() == []


def test_the_request_can_be_changed_while_a_draft(client, world, session):
    pack = _start(client, world, session)
    form = page(client.get(_url(world, pack, "/request")))
    assert form.select_one("input[name=requester]")["value"] == "Jordan Avery (data subject)"
    received = _parts(pack.request_received_on)
    data = {"requester": "Parole Board", "purpose": "PAROLE_BOARD", "request_received_on": received}
    response = client.post(_url(world, pack, "/request"), data=data)
    assert response.status_code == 302
    session.refresh(pack)
    assert (pack.requester, pack.purpose.name) == ("Parole Board", "PAROLE_BOARD")


def test_the_documents_are_the_approved_minutes_their_summary_and_the_plan_history(client, world, session):
    pack = _start(client, world, session)
    offered = text_of(client.get(_url(world, pack, "/documents")))
    reference = world.meeting.reference
    assert f"Executive summary: {reference}" in offered
    assert f"Minutes (this case): {reference}" in offered
    assert "Risk management plan history" in offered
    documents = _documents(client, world, session, pack)
    assert set(documents) == {"EXECUTIVE_SUMMARY", "MINUTES", "PLAN_HISTORY"}
    summary = documents["EXECUTIVE_SUMMARY"].paragraphs
    assert {"heading": "Summary", "text": SUMMARY} in summary
    assert {"heading": "New information from each agency", "text": NEW_INFORMATION} in documents["MINUTES"].paragraphs
    task_list = text_of(client.get(_url(world, pack)))
    assert "Nothing redacted" in task_list
    assert "Camden Housing Not yet recorded" in task_list


def _plan_history(client, world, session) -> list[str]:
    """The plan history a new pack takes for the case, a line a paragraph ("heading: text")."""
    pack = _start(client, world, session)
    documents = _documents(client, world, session, pack, keys=["plan"])
    return [f"{p['heading']}: {p['text']}" for p in documents["PLAN_HISTORY"].paragraphs]


def _on(meeting) -> str:
    return format_date(london(meeting.starts_at).date())


def test_the_plan_history_leaves_out_a_meeting_whose_minutes_are_a_draft(client, client_as, factory, world, session):
    later = factory.meeting(chair=world.meeting.chair, day=today_london() - timedelta(days=1), status=MeetingStatus.HELD)
    item = factory.agenda_item(later, case=world.case, contingency_plan="DRAFT-ONLY contingency")
    for entry in item.pillar_entries:
        entry.status, entry.summary = PillarStatus.ADDRESSED, f"DRAFT-ONLY {entry.pillar.label.lower()}"
    factory.save(item)
    factory.minutes(later, MinutesStatus.DRAFT)

    history = _plan_history(client, world, session)
    assert not any(later.reference in line or "DRAFT-ONLY" in line for line in history)
    approved = f"{world.meeting.reference}, {_on(world.meeting)}: "
    assert history[0] == (
        "About this history: The risk management plan as the approved minutes of each meeting record it, newest "
        "first. A meeting whose minutes are not approved yet is not included."
    )
    assert any(line.startswith(f"Supervision: {approved}") and line.endswith(". Addressed: Plan for supervision") for line in history)
    assert any(line.startswith(f"Contingency plan: {approved}") and line.endswith(". None recorded") for line in history)
    # Staff still see the working plan on the case's page: only what is disclosed is approved-only.
    assert "DRAFT-ONLY supervision" in text_of(client_as(world.meeting.chair).get(f"/cases/{world.case.id}"))


def test_while_minutes_are_corrected_the_plan_history_keeps_the_approved_wording(client, client_as, world, session):
    chair = client_as(world.meeting.chair)
    assert start_correction(chair, session, world.meeting, "The supervision plan was misrecorded").status_code == 302
    item = world.meeting.agenda_items[0]
    entry = session.get(type(item), item.id).entry_for(Pillar.SUPERVISION)
    assert chair.post(
        f"/meetings/{world.meeting.id}/agenda/{item.id}/pillars/supervision",
        data={"version": str(entry.version), "status": "ADDRESSED", "summary": "CORRECTION-DRAFT supervision"},
    ).status_code == 302

    history = _plan_history(client, world, session)
    approved = f"Supervision: {world.meeting.reference}, {_on(world.meeting)}: "
    assert any(line.startswith(approved) and line.endswith(". Addressed: Plan for supervision") for line in history)
    assert not any("CORRECTION-DRAFT" in line for line in history)
    # The draft is the chair's to work on in the meeting; the case keeps the approved plan until it is approved.
    assert "CORRECTION-DRAFT supervision" not in text_of(chair.get(f"/cases/{world.case.id}"))
    assert "CORRECTION-DRAFT supervision" in text_of(
        chair.get(f"/meetings/{world.meeting.id}/agenda/{item.id}")
    )


def test_documents_from_minutes_corrected_since_are_flagged_before_issue(client, world, session):
    """A correction approved after the documents were chosen supersedes them: the pack and its check page
    say so (a request may want what was recorded then, so it is a warning), and the documents page marks
    the earlier version in its title."""
    pack = _start(client, world, session)
    chosen = _documents(client, world, session, pack)
    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == world.meeting.id)).one()
    first = minutes.current
    session.add(
        MinutesVersion(
            minutes_id=minutes.id, number=2, sections=first.sections, record=first.record,
            submitted_at=utcnow(), approved_at=utcnow(), approved_by_id=first.approved_by_id,
        )
    )  # fmt: skip
    session.commit()

    title = chosen["MINUTES"].title
    said = f"{title} has been superseded: version 2 of those minutes has been approved since (a correction)"
    assert said in text_of(client.get(_url(world, pack)))
    assert said in text_of(client.get(_url(world, pack, "/check")))
    offered = text_of(client.get(_url(world, pack, "/documents")))
    assert "version 1 of the minutes (superseded: version 2 has been approved since)" in offered
    assert "version 2 of the minutes" in offered


def test_choosing_nothing_is_refused_and_a_document_dropped_takes_its_redactions(client, world, session):
    pack = _start(client, world, session)
    response = client.post(_url(world, pack, "/documents"), data={})
    assert "Select at least one document" in text_of(response)
    documents = _documents(client, world, session, pack)
    summary = documents["EXECUTIVE_SUMMARY"]
    assert _redact(client, world, pack, summary, _paragraph(summary, "Summary"), passage=THIRD_PARTY).status_code == 302
    kept = _documents(client, world, session, pack, keys=[documents["MINUTES"].source])
    assert set(kept) == {"MINUTES"}
    assert session.exec(select(Redaction).where(Redaction.pack_id == pack.id)).all() == []


def test_a_passage_is_redacted_and_the_document_shows_a_box_in_its_place(client, world, session):
    pack = _start(client, world, session)
    summary = _documents(client, world, session, pack)["EXECUTIVE_SUMMARY"]
    number = _paragraph(summary, "Summary")
    form = text_of(client.get(_url(world, pack, f"/documents/{summary.id}/paragraphs/{number}/redact")))
    assert SUMMARY in form  # the co-ordinator sees what they are redacting
    response = _redact(client, world, pack, summary, number, passage=THIRD_PARTY)
    assert response.status_code == 302
    shown = client.get(response.headers["Location"])
    assert "1 passage redacted" in text_of(shown)
    paragraph = page(shown).select_one(f"#paragraph-{number}")
    assert THIRD_PARTY not in paragraph.get_text()
    assert paragraph.select_one(".app-redaction").get_text(" ", strip=True) == "Withheld, code R1"
    assert "Lives with" in paragraph.get_text() and "whose children visit" in paragraph.get_text()
    redaction = session.exec(select(Redaction).where(Redaction.pack_id == pack.id)).one()
    assert summary.paragraphs[number]["text"][redaction.start : redaction.end] == THIRD_PARTY


def test_a_passage_not_in_the_paragraph_or_missing_is_refused(client, world, session):
    pack = _start(client, world, session)
    summary = _documents(client, world, session, pack)["EXECUTIVE_SUMMARY"]
    number = _paragraph(summary, "Summary")
    for data, message in [
        ({"passage": "Not there at all"}, "The passage to redact is not in this paragraph"),
        ({"passage": ""}, "Enter the text to redact, or choose to redact the whole paragraph"),
        ({"passage": THIRD_PARTY, "reason": "OTHER"}, "Enter why the text is withheld"),
        ({"passage": THIRD_PARTY, "reason": ""}, "Select why the text is withheld"),
    ]:
        response = _redact(client, world, pack, summary, number, **data)
        assert response.status_code == 200
        assert message in text_of(response)
    assert session.exec(select(Redaction).where(Redaction.pack_id == pack.id)).all() == []
    assert client.get(_url(world, pack, f"/documents/{summary.id}/paragraphs/999/redact")).status_code == 404


def test_a_whole_paragraph_and_a_passage_everywhere_in_the_pack(client, world, session):
    pack = _start(client, world, session)
    documents = _documents(client, world, session, pack)
    minutes = documents["MINUTES"]
    number = _paragraph(minutes, "New information from each agency")
    assert _redact(client, world, pack, minutes, number, whole_paragraph="y", reason="AGENCY_NOT_AGREED").status_code == 302
    case_line = _paragraph(minutes, "Case")
    response = _redact(client, world, pack, minutes, case_line, passage=world.case.reference, everywhere="y")
    assert response.status_code == 302
    redactions = session.exec(select(Redaction).where(Redaction.pack_id == pack.id)).all()
    whole = next(r for r in redactions if r.paragraph == number and r.document_id == minutes.id)
    assert (whole.start, whole.end, whole.reason.name) == (0, len(NEW_INFORMATION), "AGENCY_NOT_AGREED")
    # The case reference is in the case line of both the minutes and the summary.
    assert {r.document_id for r in redactions if r.reason.name == "THIRD_PARTY"} == {
        minutes.id,
        documents["EXECUTIVE_SUMMARY"].id,
    }


def test_a_passage_redacted_everywhere_is_redacted_in_capitals_or_not(client, world, session):
    """'victim' marked everywhere must not leave 'Victim' at the start of a sentence elsewhere in the pack."""
    pack = _start(client, world, session)
    documents = _documents(client, world, session, pack)
    minutes, summary = documents["MINUTES"], documents["EXECUTIVE_SUMMARY"]
    number = _paragraph(summary, "Summary")
    paragraphs = [dict(p) for p in summary.paragraphs]
    paragraphs[number]["text"] = f"{world.case.reference.lower()} was discussed. " + paragraphs[number]["text"]
    summary.paragraphs = paragraphs
    session.add(summary)
    session.commit()
    case_line = _paragraph(minutes, "Case")
    response = _redact(client, world, pack, minutes, case_line, passage=world.case.reference, everywhere="y")
    assert response.status_code == 302
    redactions = session.exec(select(Redaction).where(Redaction.document_id == summary.id)).all()
    assert (number, 0, len(world.case.reference)) in {(r.paragraph, r.start, r.end) for r in redactions}
    # Only this paragraph: exactly as typed (it must be there so, to say which words are meant).
    lower = _redact(client, world, pack, minutes, case_line, passage=world.case.reference.lower())
    assert "The passage to redact is not in this paragraph" in text_of(lower)


def test_overlapping_redactions_count_as_the_one_passage_the_pdf_withholds(client, world, session):
    pack = _start(client, world, session)
    minutes = _documents(client, world, session, pack)["MINUTES"]
    number = _paragraph(minutes, "New information from each agency")
    _redact(client, world, pack, minutes, number, passage=AGENCY_SECRET, reason="AGENCY_NOT_AGREED")
    _redact(client, world, pack, minutes, number, whole_paragraph="y", reason="THIRD_PARTY")
    assert len(session.exec(select(Redaction).where(Redaction.pack_id == pack.id)).all()) == 2
    assert "1 passage redacted" in text_of(client.get(_url(world, pack)))
    _agree_all(client, world, session, pack)
    assert _issue(client, world, session, pack).status_code == 302
    session.refresh(pack)
    in_the_key = {code: count for code, _reason, count in services.key(pack)}
    assert in_the_key["R1"] == in_the_key["R2"] == 1  # one box carrying both codes
    issued = page(client.get(_url(world, pack)))
    row = next(r for r in issued.select(".govuk-summary-list__row") if "Passages redacted" in r.get_text())
    assert row.select_one(".govuk-summary-list__value").get_text(strip=True) == "1"
    entry = session.exec(select(AuditEvent).where(AuditEvent.action == "disclosure")).one()
    assert "2 redactions withholding 1 passage;" in entry.summary


def test_a_redaction_can_be_removed_while_a_draft(client, world, session):
    pack = _start(client, world, session)
    summary = _documents(client, world, session, pack)["EXECUTIVE_SUMMARY"]
    _redact(client, world, pack, summary, _paragraph(summary, "Summary"), passage=THIRD_PARTY)
    redaction = session.exec(select(Redaction).where(Redaction.pack_id == pack.id)).one()
    assert "Remove redaction 1" in text_of(client.get(_url(world, pack, f"/documents/{summary.id}")))
    response = client.post(_url(world, pack, f"/redactions/{redaction.id}/remove"))
    assert response.status_code == 302
    assert "Redaction removed" in text_of(client.get(response.headers["Location"]))
    assert session.exec(select(Redaction).where(Redaction.pack_id == pack.id)).all() == []


def test_each_agency_agreement_is_recorded_and_a_refusal_holds_the_pack_until_overridden(client, world, session):
    pack = _start(client, world, session)
    _documents(client, world, session, pack)
    housing = world.housing.id
    response = _agree(client, world, pack, housing, agreed="no")
    assert response.status_code == 302
    assert "Camden Housing Not agreed" in text_of(client.get(_url(world, pack)))
    assert "Camden Housing has not agreed" in text_of(client.get(_url(world, pack)))
    _agree(client, world, pack, housing, agreed="no", override_reason="Court order of 1 December 2026 requires it")
    agreement = session.exec(select(AgencyAgreement).where(AgencyAgreement.agency_id == housing)).one()
    session.refresh(agreement)
    assert (agreement.agreed, agreement.agreed_by, str(agreement.agreed_on)) == (
        False,
        "Sam Lee, information governance",
        str(today_london()),
    )
    assert "Not agreed: going ahead" in text_of(client.get(_url(world, pack)))
    missing = client.post(_url(world, pack, f"/agencies/{housing}"), data={"agreed": "yes", "agreed_by": "", "agreed_on": ["", "", ""]})
    assert "Enter who gave the agency's answer" in text_of(missing)
    assert "Enter the date of the answer" in text_of(missing)
    tomorrow = today_london() + timedelta(days=1)
    future = _agree(client, world, pack, housing, agreed_on=[str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)])
    assert future.status_code == 200
    assert "The date of the answer must be today or in the past" in text_of(future)
    session.refresh(agreement)
    assert (agreement.agreed, str(agreement.agreed_on)) == (False, str(today_london()))
    assert client.get(_url(world, pack, "/agencies/999999")).status_code == 404


def test_an_agreement_is_dated_from_the_day_the_request_was_received_and_its_messages_read_naturally(
    client, world, session
):
    """Agencies are often asked when the request arrives, before the pack is started: an answer dated
    between the request's arrival and the pack is recorded, one dated before the request was received (a
    slip, even if after the case was referred to MAPPA) is not; and the date's messages name it ("The date
    of the answer"), not by its question ("When? must be a real date")."""
    referred = world.case.referred_on
    received = referred + timedelta(days=1)
    pack = _start(client, world, session, request_received_on=_parts(received))
    _documents(client, world, session, pack)
    housing = world.housing.id
    started = london(pack.created_at).date()
    assert received < started - timedelta(days=1)
    expected = f"The date of the answer must be on or after {format_date(received)}, when the request was received"
    for day in (["1", "1", "1990"], _parts(referred), _parts(received - timedelta(days=1))):
        too_early = _agree(client, world, pack, housing, agreed_on=day)
        assert too_early.status_code == 200 and expected in text_of(too_early)
    assert "When? The day the agency answered, even if before this pack was started" in text_of(too_early)
    impossible = text_of(_agree(client, world, pack, housing, agreed_on=["31", "2", str(started.year)]))
    assert "The date of the answer must be a real date" in impossible and "When? must" not in impossible
    no_day = text_of(_agree(client, world, pack, housing, agreed_on=["", "2", str(started.year)]))
    assert "The date of the answer must include a day" in no_day
    assert session.exec(select(AgencyAgreement).where(AgencyAgreement.pack_id == pack.id)).all() == []
    the_day_before = started - timedelta(days=1)
    assert _agree(client, world, pack, housing, agreed_on=_parts(the_day_before)).status_code == 302
    agreement = session.exec(select(AgencyAgreement).where(AgencyAgreement.pack_id == pack.id)).one()
    assert agreement.agreed_on == the_day_before
    check = text_of(client.get(_url(world, pack, "/check")))
    assert f"Agreed: Sam Lee, information governance, {format_date(the_day_before)}" in check
    assert _agree(client, world, pack, housing, agreed_on=_parts(received)).status_code == 302


def test_the_service_itself_refuses_an_answer_dated_before_the_request_or_in_the_future(
    client, world, session, app_context
):
    """The form's date rule holds wherever an answer is recorded from, not only on the page."""
    received = world.case.referred_on + timedelta(days=1)
    pack = _start(client, world, session, request_received_on=_parts(received))
    _documents(client, world, session, pack)
    session.refresh(pack)
    for day in (world.case.referred_on, received - timedelta(days=1), today_london() + timedelta(days=1)):
        with pytest.raises(services.Refused, match="The date of the answer must"):
            services.record_agreement(pack, world.housing, True, "Sam Lee", day, "", world.coordinator)
    assert session.exec(select(AgencyAgreement).where(AgencyAgreement.pack_id == pack.id)).all() == []


def test_the_pack_cannot_be_issued_while_an_agency_has_not_agreed(client, world, session):
    pack = _start(client, world, session)
    _documents(client, world, session, pack)
    check = text_of(client.get(_url(world, pack, "/check")))
    assert "Record whether Camden Housing agreed to the disclosure" in check
    assert "Issue the pack" not in check
    response = _issue(client, world, session, pack)
    assert response.status_code == 409
    assert "Record whether Camden Housing agreed" in text_of(response)
    assert session.exec(select(DisclosureCopy).where(DisclosureCopy.pack_id == pack.id)).all() == []


def test_a_pack_checked_before_a_later_change_is_not_issued(client, world, session):
    pack = _start(client, world, session)
    _documents(client, world, session, pack)
    _agree_all(client, world, session, pack)
    session.refresh(pack)
    seen = pack.version
    received = _parts(pack.request_received_on)
    data = {"requester": "Someone else", "purpose": "COURT", "request_received_on": received}
    assert client.post(_url(world, pack, "/request"), data=data).status_code == 302
    response = client.post(_url(world, pack, "/issue"), data={"version": str(seen)})
    assert response.status_code == 409
    assert "Someone else changed this" in text_of(response)
    session.refresh(pack)
    assert not pack.is_issued


def _build_and_issue(client, world, session):
    pack = _start(client, world, session, purpose="PAROLE_BOARD", requester="The Parole Board")
    documents = _documents(client, world, session, pack)
    summary, minutes = documents["EXECUTIVE_SUMMARY"], documents["MINUTES"]
    assert _redact(client, world, pack, summary, _paragraph(summary, "Summary"), passage=THIRD_PARTY, everywhere="y").status_code == 302
    number = _paragraph(minutes, "New information from each agency")
    assert _redact(client, world, pack, minutes, number, passage=AGENCY_SECRET, reason="AGENCY_NOT_AGREED").status_code == 302
    _agree_all(client, world, session, pack)
    check = client.get(_url(world, pack, "/check"))
    assert "Check the pack before you issue it" in text_of(check)
    assert "The Parole Board" in text_of(check)
    preview = client.get(_url(world, pack, "/pdf"))
    response = _issue(client, world, session, pack)
    assert response.status_code == 302
    session.refresh(pack)
    return pack, preview


def _assert_redacted(data: bytes) -> None:
    text = pdf_text(data)
    streams = stream_bytes(data)
    assert len(streams) >= 4
    for secret in (THIRD_PARTY, AGENCY_SECRET):
        for word in secret.split():
            assert word not in text
            assert word.lower() not in text.lower()
            for form in forms_of(word):
                assert form not in data
                assert all(form not in stream for stream in streams), f"{word} is in a stream"
    # What was not redacted is there, so the checks above look where the text would be.
    assert "whose children visit at weekends" in text
    assert "police had no new intelligence" in text
    assert any(b"whose children visit at weekends" in stream for stream in streams)
    assert "R1" in text and "R2" in text


def test_redacted_text_is_absent_from_the_pdf_text_and_every_stream(client, world, session):
    pack, preview = _build_and_issue(client, world, session)
    assert preview.status_code == 200 and preview.headers["Content-Type"] == "application/pdf"
    _assert_redacted(preview.data)
    assert "DRAFT" in pdf_text(preview.data)
    issued = client.get(disclosed(_url(world, pack, "/pdf")))
    assert issued.status_code == 200
    _assert_redacted(issued.data)
    text = pdf_text(issued.data)
    assert "DRAFT" not in text
    for expected in ("OFFICIAL-SENSITIVE", "Requester The Parole Board", "Purpose Parole Board", "Redaction key"):
        assert expected in text
    assert "R1 Third-party information" in text
    assert "R2 Agency information whose owner has not agreed to its disclosure" in text
    assert "Page 1 of" in text
    metadata = PdfReader(io.BytesIO(issued.data)).metadata
    assert metadata.subject == "OFFICIAL-SENSITIVE: disclosure pack (Parole Board)"
    assert metadata["/Keywords"] == "OFFICIAL-SENSITIVE, MAPPA, disclosure"


def test_the_issued_copy_is_kept_byte_for_byte_logged_and_closed_to_change(client, world, session):
    pack, _preview = _build_and_issue(client, world, session)
    copy = session.exec(select(DisclosureCopy).where(DisclosureCopy.pack_id == pack.id)).one()
    # Downloading the issued copy again asks who it is for and why (it went to the requester when issued).
    asked = client.get(_url(world, pack, "/pdf"))
    assert asked.status_code == 200 and asked.headers["Content-Type"].startswith("text/html")
    assert "Who is this file for?" in text_of(asked)
    downloaded = client.get(disclosed(_url(world, pack, "/pdf"))).data
    assert downloaded == copy.pdf
    assert copy.sha256 == hashlib.sha256(downloaded).hexdigest()
    shown = text_of(client.get(_url(world, pack)))
    assert "issued" in shown and copy.sha256 in shown and "Helen Marsh" in shown
    assert "Documents as disclosed" in shown and "Executive summary" in shown
    document_page = text_of(client.get(_url(world, pack, f"/documents/{_held(session, pack)[0].id}")))
    assert THIRD_PARTY not in document_page and "Redact text" not in document_page
    entry = session.exec(select(AuditEvent).where(AuditEvent.action == "disclosure")).one()
    assert entry.case_id == world.case.id and entry.user_id == world.coordinator.id
    export = session.exec(
        select(AuditEvent).where(AuditEvent.action == "export", AuditEvent.summary.contains("downloaded again"))
    ).one()
    assert export.recipient != "The Parole Board" and "Helen Marsh" in export.recipient
    for said in ("to The Parole Board", "purpose: Parole Board", "issued by Helen Marsh", copy.sha256):
        assert said in entry.summary
    assert THIRD_PARTY not in entry.summary
    redaction_entries = session.exec(select(AuditEvent).where(AuditEvent.object_type == "Redaction")).all()
    assert redaction_entries and all(THIRD_PARTY not in e.summary for e in redaction_entries)
    # Every page that would change it says it was issued; a change is refused.
    for path in ("/request", "/documents", "/check"):
        response = client.get(_url(world, pack, path))
        assert response.status_code == 302
        assert "an issued pack cannot be changed" in text_of(client.get(response.headers["Location"]))
    document = _held(session, pack)[0]
    response = _redact(client, world, pack, document, 0, whole_paragraph="y")
    assert response.status_code == 302
    assert session.exec(select(Redaction).where(Redaction.document_id == document.id, Redaction.start == 0)).all() == []
    assert _issue(client, world, session, pack).status_code == 302
    assert len(session.exec(select(DisclosureCopy).where(DisclosureCopy.pack_id == pack.id)).all()) == 1


def test_the_database_refuses_to_change_an_issued_pack_or_its_copy(client, world, session):
    pack, _preview = _build_and_issue(client, world, session)
    refused = "cannot be changed|kept as sent|permission denied"
    statements = [
        sa.update(DisclosurePack).where(DisclosurePack.id == pack.id).values(requester="Someone else"),
        sa.delete(Redaction).where(Redaction.pack_id == pack.id),
        sa.update(PackDocument).where(PackDocument.pack_id == pack.id).values(title="Changed"),
        sa.update(AgencyAgreement).where(AgencyAgreement.pack_id == pack.id).values(agreed=False),
        sa.update(DisclosureCopy).where(DisclosureCopy.pack_id == pack.id).values(sha256="0" * 64),
        sa.delete(DisclosureCopy).where(DisclosureCopy.pack_id == pack.id),
    ]
    for statement in statements:
        with pytest.raises(sa.exc.DatabaseError, match=refused), session.begin_nested():
            session.execute(statement)


def test_a_category_4_case_pack_is_only_for_a_cleared_coordinator(client_as, factory, world, session):
    world.case.category = Category.CATEGORY_4
    factory.save(world.case)
    uncleared = client_as(world.coordinator)
    assert uncleared.get(_url(world)).status_code == 404
    assert uncleared.post(_url(world, path="/new"), data={"requester": "x", "purpose": "COURT"}).status_code == 404
    cleared = client_as(factory.user("COORDINATOR", terrorism_cleared=True))
    give_reason(cleared, world.case.id)
    assert cleared.get(_url(world)).status_code == 200
    pack = _start(cleared, world, session)
    assert cleared.get(_url(world, pack)).status_code == 200
    assert uncleared.get(_url(world, pack)).status_code == 404


def test_a_pack_is_only_found_under_its_own_case(client, factory, world, session):
    pack = _start(client, world, session)
    other = factory.case()
    give_reason(client, other.id)
    assert client.get(f"/cases/{other.id}/disclosure-packs/{pack.id}").status_code == 404


def test_opening_a_pack_is_logged_as_a_consultation_of_the_case(client, world, session):
    pack = _start(client, world, session)
    client.get(_url(world, pack))
    entry = session.exec(
        select(AuditEvent).where(AuditEvent.action == "view", AuditEvent.object_type == "DisclosurePack")
    ).first()
    assert entry is not None and entry.case_id == world.case.id



def test_a_passage_across_lines_is_found_though_the_form_posts_crlf(client, world, session, factory):
    pack = _start(client, world, session)
    minutes = _documents(client, world, session, pack)["MINUTES"]
    lines = "Line one of a note.\nLine two of it."
    minutes.paragraphs = [{"heading": "Note", "text": f"Before. {lines} After."}]
    factory.save(minutes)
    response = _redact(client, world, pack, minutes, 0, passage=lines.replace("\n", "\r\n"))
    assert response.status_code == 302
    redaction = session.exec(select(Redaction).where(Redaction.document_id == minutes.id)).one()
    assert (redaction.start, redaction.end) == (8, 8 + len(lines))
