"""When a disclosure request was received: asked when a pack is started (and corrected while a draft), shown
on the pack's pages and its PDF's cover, logged, the lower bound of the agencies' answers, and for a subject
access request the day its reply is due (one calendar month on) and whether that day has passed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.disclosure.conftest import page, pdf_text, text_of
from tests.disclosure.test_packs import (
    _agree,
    _agree_all,
    _documents,
    _issue,
    _parts,
    _start,
    _url,
)
from tests.justify import disclosed
from tracker.core.models import AuditEvent
from tracker.core.timeutil import format_date, today_london
from tracker.disclosure import rules
from tracker.disclosure.models import AgencyAgreement, DisclosurePack

LAW = "within one calendar month of the day it was received (UK GDPR Article 12(3)"


def _packs(session, world) -> list[DisclosurePack]:
    return session.exec(select(DisclosurePack).where(DisclosurePack.case_id == world.case.id)).all()


def _referred_long_ago(factory, world, days: int = 120):
    world.case.referred_on = today_london() - timedelta(days=days)
    factory.save(world.case)


def test_the_new_pack_form_asks_when_the_request_was_received_and_keeps_it(client, world, session):
    form = client.get(_url(world, path="/new"))
    assert "When was the request received?" in text_of(form)
    assert len(page(form).select("input[name=request_received_on]")) == 3  # day, month and year
    received = today_london() - timedelta(days=2)
    pack = _start(client, world, session, purpose="COURT", request_received_on=_parts(received))
    assert pack.request_received_on == received
    shown = format_date(received)
    assert f"Request received {shown}" in text_of(client.get(_url(world, pack)))
    assert f"Court {shown}" in text_of(client.get(_url(world)))  # the list of the case's packs
    assert f"Request received {shown}" in text_of(client.get(_url(world, pack, "/check")))
    entry = session.exec(
        select(AuditEvent).where(AuditEvent.action == "create", AuditEvent.object_type == "DisclosurePack")
    ).one()
    assert f"request received {shown}" in entry.summary


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (None, "Enter the date the request was received"),
        (["", "", ""], "Enter the date the request was received"),
        ("tomorrow", "The date the request was received must be today or in the past"),
        ("before referral", "The date the request was received must be on or after {referred}, when the case "
         "was referred to MAPPA"),
        (["31", "2", "2026"], "The date the request was received must be a real date"),
    ],
)
def test_a_received_date_missing_in_the_future_or_before_the_referral_is_refused(
    client, world, session, when, message
):
    referred = world.case.referred_on
    days = {"tomorrow": today_london() + timedelta(days=1), "before referral": referred - timedelta(days=1)}
    data = {"requester": "Jordan Avery (data subject)", "purpose": "SUBJECT_ACCESS"}
    if when is not None:
        data["request_received_on"] = _parts(days[when]) if isinstance(when, str) else when
    response = client.post(_url(world, path="/new"), data=data)
    assert response.status_code == 200
    assert message.format(referred=format_date(referred)) in text_of(response)
    assert page(response).select_one(".govuk-error-summary")
    assert _packs(session, world) == []


def test_a_subject_access_request_shows_the_day_its_reply_is_due_and_whether_it_has_passed(
    client, factory, world, session
):
    _referred_long_ago(factory, world)
    received = today_london() - timedelta(days=40)
    due = rules.reply_due(received)
    late = _start(client, world, session, request_received_on=_parts(received))
    shown = text_of(client.get(_url(world, late)))
    assert f"Reply due by {format_date(due)} (This date has passed: the reply is" in shown
    assert f"was due by {format_date(due)}: that date has passed" in shown
    assert LAW in shown and "the time to be extended by up to two further months" in shown
    assert f"Reply due by {format_date(due)}" in text_of(client.get(_url(world, late, "/check")))

    recent = _start(client, world, session, request_received_on=_parts(today_london()))
    shown = text_of(client.get(_url(world, recent)))
    assert f"Reply due by {format_date(rules.reply_due(today_london()))} (Not passed yet:" in shown
    assert "that date has passed" not in shown

    court = _start(client, world, session, purpose="COURT", request_received_on=_parts(received))
    shown = text_of(client.get(_url(world, court)))
    assert "Reply due by" not in shown and LAW not in shown


def test_an_issued_subject_access_pack_shows_its_due_date_without_saying_whether_it_passed(
    client, factory, world, session
):
    _referred_long_ago(factory, world)
    received = today_london() - timedelta(days=40)
    pack = _start(client, world, session, request_received_on=_parts(received))
    _documents(client, world, session, pack)
    _agree_all(client, world, session, pack)
    assert _issue(client, world, session, pack).status_code == 302
    shown = text_of(client.get(_url(world, pack)))
    due = format_date(rules.reply_due(received))
    assert f"Request received {format_date(received)}" in shown
    assert f"Reply due by {due}" in shown
    assert "that date has passed" not in shown and "Not passed yet" not in shown


def test_an_agency_may_answer_from_the_day_the_request_was_received_not_from_the_referral(
    client, factory, world, session
):
    _referred_long_ago(factory, world)
    received = today_london() - timedelta(days=10)
    pack = _start(client, world, session, request_received_on=_parts(received))
    _documents(client, world, session, pack)
    after_referral = received - timedelta(days=5)
    refused = _agree(client, world, pack, world.housing.id, agreed_on=_parts(after_referral))
    assert refused.status_code == 200
    assert (
        f"The date of the answer must be on or after {format_date(received)}, when the request was received"
        in text_of(refused)
    )
    assert session.exec(select(AgencyAgreement).where(AgencyAgreement.pack_id == pack.id)).all() == []
    assert _agree(client, world, pack, world.housing.id, agreed_on=_parts(received)).status_code == 302


def test_the_received_date_is_corrected_while_a_draft_but_not_past_an_answer_already_recorded(
    client, factory, world, session
):
    _referred_long_ago(factory, world)
    received = today_london() - timedelta(days=10)
    pack = _start(client, world, session, request_received_on=_parts(received))
    _documents(client, world, session, pack)
    form = page(client.get(_url(world, pack, "/request")))
    assert [box["value"] for box in form.select("input[name=request_received_on]")] == _parts(received)
    answered = received + timedelta(days=2)
    assert _agree(client, world, pack, world.housing.id, agreed_on=_parts(answered)).status_code == 302
    data = {"requester": "Jordan Avery (data subject)", "purpose": "SUBJECT_ACCESS"}
    later = client.post(
        _url(world, pack, "/request"), data={**data, "request_received_on": _parts(answered + timedelta(days=1))}
    )
    assert later.status_code == 200
    assert (
        f"The date the request was received must be on or before {format_date(answered)}, the date of an "
        "agency's answer to it" in text_of(later)
    )
    session.refresh(pack)
    assert pack.request_received_on == received
    earlier = received - timedelta(days=3)
    response = client.post(_url(world, pack, "/request"), data={**data, "request_received_on": _parts(earlier)})
    assert response.status_code == 302
    session.refresh(pack)
    assert pack.request_received_on == earlier


def test_the_pdf_cover_and_the_issue_entry_give_the_day_the_request_was_received(client, world, session):
    received = today_london() - timedelta(days=1)
    pack = _start(client, world, session, request_received_on=_parts(received))
    _documents(client, world, session, pack)
    _agree_all(client, world, session, pack)
    preview = pdf_text(client.get(_url(world, pack, "/pdf")).data)
    assert f"Request received {format_date(received)}" in preview
    assert _issue(client, world, session, pack).status_code == 302
    issued = client.get(disclosed(_url(world, pack, "/pdf")))
    assert f"Request received {format_date(received)}" in pdf_text(issued.data)
    entry = session.exec(select(AuditEvent).where(AuditEvent.action == "disclosure")).one()
    assert f"request received {format_date(received)}" in entry.summary


def test_each_question_asked_with_boxes_or_options_is_the_legend_of_its_fieldset(client, world, session):
    """A legend given only its size (as the request, agreement and redaction pages gave theirs) is dropped
    by the form library, leaving the options unlabelled."""
    pack = _start(client, world, session)
    minutes = _documents(client, world, session, pack)["MINUTES"]
    pages = {
        _url(world, path="/new"): ["When was the request received?", "What is it for?"],
        _url(world, pack, "/request"): ["When was the request received?", "What is it for?"],
        _url(world, pack, f"/agencies/{world.housing.id}"): [
            "Did the agency agree to its information being disclosed?",
            "When?",
        ],
        _url(world, pack, f"/documents/{minutes.id}/paragraphs/0/redact"): ["Why is it withheld?"],
    }
    for url, questions in pages.items():
        legends = [legend.get_text(" ", strip=True) for legend in page(client.get(url)).select("fieldset legend")]
        assert all(question in legends for question in questions), (url, legends)
