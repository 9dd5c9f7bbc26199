"""Extending the time to reply to a subject access request (UK GDPR Article 12(3)): by two further months,
where the request is complex or numerous and the requester is told within the first month, with the
reasons. Recorded once, on a pack not yet issued, with the day the requester was told and why; the pack's
pages then count the reply as due three calendar months after receipt, and say it was extended."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.disclosure.conftest import page, text_of
from tests.disclosure.test_packs import _agree_all, _documents, _issue, _parts, _start, _url
from tracker.core.db import db
from tracker.core.models import AuditEvent
from tracker.core.timeutil import format_date, today_london
from tracker.disclosure import rules, services
from tracker.disclosure.models import DisclosurePack

REASON = "The request covers eight years of minutes and four agencies must each be asked"
ACTION = "Extend the time to reply"


def _late_pack(client, factory, world, session, days: int = 40) -> DisclosurePack:
    """A subject access request received `days` ago (its first month passed), the case referred before."""
    world.case.referred_on = today_london() - timedelta(days=120)
    factory.save(world.case)
    return _start(client, world, session, request_received_on=_parts(today_london() - timedelta(days=days)))


def _extend(client, world, pack, **data):
    told = pack.request_received_on + timedelta(days=3)
    return client.post(_url(world, pack, "/reply-extension"), data={"told_on": _parts(told), "reason": REASON, **data})


def _updates(session, pack) -> list[AuditEvent]:
    return session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "update",
            AuditEvent.object_type == "DisclosurePack",
            AuditEvent.object_id == str(pack.id),
        )
    ).all()


def _offered(response) -> bool:
    return any(link.get_text(strip=True) == ACTION for link in page(response).select("a"))


def test_the_time_to_reply_is_extended_and_the_pack_counts_from_the_extended_date(
    client, factory, world, session
):
    pack = _late_pack(client, factory, world, session)
    received = pack.request_received_on
    first, extended = rules.reply_due(received), rules.extended_reply_due(received)
    before = client.get(_url(world, pack))
    assert f"was due by {format_date(first)}: that date has passed" in text_of(before)
    assert _offered(before)

    form = client.get(_url(world, pack, "/reply-extension"))
    shown = text_of(form)
    assert form.status_code == 200 and "Extend the time to reply" in shown
    assert f"the reply is due by {format_date(first)}" in shown
    assert f"the reply will be due by {format_date(extended)}" in shown
    assert "When was the requester told?" in shown and "Why is the time to reply extended?" in shown
    assert len(page(form).select("input[name=told_on]")) == 3

    version = pack.version
    told = received + timedelta(days=5)
    response = _extend(client, world, pack, told_on=_parts(told))
    assert response.status_code == 302 and response.headers["Location"].endswith(_url(world, pack))
    session.refresh(pack)
    assert (pack.reply_extension_told_on, pack.reply_extension_reason) == (told, REASON)
    assert pack.reply_extended and pack.version == version + 1

    after = client.get(_url(world, pack))
    shown = text_of(after)
    assert f"The time to reply has been extended: the reply is now due by {format_date(extended)}" in shown
    assert f"Reply due by {format_date(extended)} (Not passed yet:" in shown
    assert "that date has passed" not in shown
    assert (
        f"Time to reply extended From {format_date(first)} by two further months; the requester was told on "
        f"{format_date(told)}" in shown
    )
    assert f"Why it was extended {REASON}" in shown
    assert not _offered(after)
    check = text_of(client.get(_url(world, pack, "/check")))
    assert f"Reply due by {format_date(extended)}" in check and f"Why it was extended {REASON}" in check

    [entry] = _updates(session, pack)
    assert "reply_extension_reason" in entry.summary and "reply_extension_told_on" in entry.summary
    assert entry.case_id == world.case.id


def test_an_extended_reply_still_warns_once_its_extended_date_has_passed(client, factory, world, session):
    pack = _late_pack(client, factory, world, session, days=100)
    assert _extend(client, world, pack).status_code == 302
    extended = rules.extended_reply_due(pack.request_received_on)
    assert extended < today_london()
    shown = text_of(client.get(_url(world, pack)))
    assert f"was due by {format_date(extended)}: that date has passed" in shown
    assert f"Reply due by {format_date(extended)} (This date has passed" in shown


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": ""}, "Enter why the time to reply is extended"),
        ({"reason": "   "}, "Enter why the time to reply is extended"),
        ({"reason": "x" * 1_001}, "The reason must be 1000 characters or fewer"),
        ({"told_on": ["", "", ""]}, "Enter the date the requester was told"),
        ({"told_on": None}, "Enter the date the requester was told"),
        ({"told_on": ["31", "2", "2026"]}, "The date the requester was told must be a real date"),
        ({"told_on": ["3", "", "2026"]}, "The date the requester was told must include a month"),
        ({"told_on": "tomorrow"}, "The date the requester was told must be today or in the past"),
        ({"told_on": "before receipt"}, "The date the requester was told must be on or after {received}, "
         "when the request was received"),
        ({"told_on": "after the first month"}, "The date the requester was told must be on or before {first}, "
         "the day the reply was first due: the requester must be told within one month of receiving the request"),
    ],
)
def test_an_extension_that_is_not_right_changes_nothing_and_says_why(
    client, factory, world, session, data, message
):
    pack = _late_pack(client, factory, world, session)
    received, first = pack.request_received_on, rules.reply_due(pack.request_received_on)
    days = {
        "tomorrow": today_london() + timedelta(days=1),
        "before receipt": received - timedelta(days=1),
        "after the first month": first + timedelta(days=1),
    }
    told = data.get("told_on", _parts(received))
    posted = {"told_on": _parts(days[told]) if isinstance(told, str) else told, "reason": data.get("reason", REASON)}
    if posted["told_on"] is None:
        del posted["told_on"]
    version = pack.version
    response = client.post(_url(world, pack, "/reply-extension"), data=posted)
    assert response.status_code == 200
    assert message.format(received=format_date(received), first=format_date(first)) in text_of(response)
    assert page(response).select_one(".govuk-error-summary")
    session.refresh(pack)
    assert (pack.reply_extension_told_on, pack.reply_extension_reason, pack.version) == (None, "", version)
    assert not pack.reply_extended and _updates(session, pack) == []


def test_the_time_can_be_extended_only_once(client, factory, world, session):
    pack = _late_pack(client, factory, world, session)
    assert _extend(client, world, pack).status_code == 302
    session.refresh(pack)
    told, version = pack.reply_extension_told_on, pack.version
    refused = "The time to reply to this request has already been extended: it can be extended only once"
    shown = client.get(_url(world, pack, "/reply-extension"), follow_redirects=True)
    assert refused in text_of(shown) and "When was the requester told?" not in text_of(shown)
    again = _extend(client, world, pack, reason="Another reason", told_on=_parts(pack.request_received_on))
    assert again.status_code == 302
    assert refused in text_of(client.get(again.headers["Location"]))
    session.refresh(pack)
    assert (pack.reply_extension_told_on, pack.reply_extension_reason, pack.version) == (told, REASON, version)
    assert len(_updates(session, pack)) == 1


def test_a_pack_for_another_purpose_is_not_offered_an_extension_and_is_refused_one(
    client, factory, world, session
):
    world.case.referred_on = today_london() - timedelta(days=120)
    factory.save(world.case)
    received = today_london() - timedelta(days=40)
    pack = _start(client, world, session, purpose="COURT", request_received_on=_parts(received))
    assert not _offered(client.get(_url(world, pack)))
    refused = "Only the time to reply to a subject access request can be extended"
    assert refused in text_of(client.get(_url(world, pack, "/reply-extension"), follow_redirects=True))
    response = _extend(client, world, pack)
    assert response.status_code == 302 and refused in text_of(client.get(response.headers["Location"]))
    session.refresh(pack)
    assert (pack.reply_extension_told_on, pack.reply_extension_reason) == (None, "")


def test_an_issued_pack_is_not_offered_an_extension_and_is_refused_one(client, factory, world, session):
    pack = _late_pack(client, factory, world, session)
    _documents(client, world, session, pack)
    _agree_all(client, world, session, pack)
    assert _issue(client, world, session, pack).status_code == 302
    shown = client.get(_url(world, pack))
    assert not _offered(shown)
    assert f"Reply due by {format_date(rules.reply_due(pack.request_received_on))}" in text_of(shown)
    refused = "This pack has been issued: an issued pack cannot be changed"
    assert refused in text_of(client.get(_url(world, pack, "/reply-extension"), follow_redirects=True))
    response = _extend(client, world, pack)
    assert response.status_code == 302 and refused in text_of(client.get(response.headers["Location"]))
    session.refresh(pack)
    assert pack.reply_extension_told_on is None


def test_an_issued_pack_keeps_its_extension_on_its_page(client, factory, world, session):
    pack = _late_pack(client, factory, world, session)
    told = pack.request_received_on + timedelta(days=3)
    assert _extend(client, world, pack).status_code == 302
    _documents(client, world, session, pack)
    _agree_all(client, world, session, pack)
    assert _issue(client, world, session, pack).status_code == 302
    shown = text_of(client.get(_url(world, pack)))
    assert f"Reply due by {format_date(rules.extended_reply_due(pack.request_received_on))}" in shown
    assert f"the requester was told on {format_date(told)}" in shown and f"Why it was extended {REASON}" in shown
    assert "that date has passed" not in shown and "Not passed yet" not in shown


@pytest.mark.parametrize("role", ["CHAIR", "PRACTITIONER"])
def test_nobody_but_the_coordinator_extends_the_time(client, client_as, factory, world, session, role):
    """The chair of the case's meeting, and a practitioner invited to it, see the case but not its packs."""
    pack = _late_pack(client, factory, world, session)
    person = world.meeting.chair if role == "CHAIR" else factory.user(role)
    other = client_as(person)
    assert other.get(_url(world, pack, "/reply-extension")).status_code == 403
    assert _extend(other, world, pack).status_code == 403
    session.refresh(pack)
    assert pack.reply_extension_told_on is None and _updates(session, pack) == []


def test_the_service_itself_refuses_what_the_form_refuses(client, factory, world, session, app_context):
    pack = db.session.get(DisclosurePack, _late_pack(client, factory, world, session).id)
    received = pack.request_received_on
    first = rules.reply_due(received)
    refusals = [
        (first + timedelta(days=1), REASON, "must be on or before"),
        (received - timedelta(days=1), REASON, "must be on or after"),
        (today_london() + timedelta(days=1), REASON, "today or in the past"),
        (received, "  ", "Enter why the time to reply is extended"),
    ]
    for told, reason, message in refusals:
        with pytest.raises(services.Refused, match=message):
            services.extend_reply(pack, told, reason)
    assert pack.reply_extension_told_on is None
    services.extend_reply(pack, first, REASON)
    assert (pack.reply_extension_told_on, pack.reply_extended) == (first, True)
    with pytest.raises(services.Refused, match="already been extended"):
        services.extend_reply(pack, first, "Again")


def test_once_extended_the_received_date_keeps_the_requester_told_within_the_first_month(
    client, factory, world, session, app_context
):
    pack = _late_pack(client, factory, world, session)
    received = pack.request_received_on
    told = received + timedelta(days=3)
    assert _extend(client, world, pack).status_code == 302
    data = {"requester": "Jordan Avery (data subject)", "purpose": "SUBJECT_ACCESS"}
    later = client.post(
        _url(world, pack, "/request"), data={**data, "request_received_on": _parts(told + timedelta(days=1))}
    )
    assert later.status_code == 200
    assert (
        f"The date the request was received must be on or before {format_date(told)}, when the requester was "
        "told the time to reply was extended" in text_of(later)
    )
    too_early = told - timedelta(days=40)
    earlier = client.post(_url(world, pack, "/request"), data={**data, "request_received_on": _parts(too_early)})
    assert earlier.status_code == 200 and "no more than one calendar month before" in text_of(earlier)
    session.refresh(pack)
    assert pack.request_received_on == received
    with pytest.raises(services.Refused, match="no more than one calendar month before"):
        services.change_request(db.session.get(DisclosurePack, pack.id), "Jordan Avery", pack.purpose, "", too_early)
    db.session.rollback()
    moved = received - timedelta(days=2)
    assert client.post(
        _url(world, pack, "/request"), data={**data, "request_received_on": _parts(moved)}
    ).status_code == 302
    session.refresh(pack)
    assert pack.request_received_on == moved
    shown = text_of(client.get(_url(world, pack)))
    assert f"Reply due by {format_date(rules.extended_reply_due(moved))}" in shown
