"""Minutes for an agency without accounts: the distribution sends its secure group mailbox a one-time link,
which opens the PDF once after the recipient confirms a code emailed to the same mailbox; each link sent and
each opening is in the audit trail, and a link dies on use, on expiry, after wrong codes, or when revoked."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from sqlmodel import select

from tests.justify import disclosed
from tests.minutes.conftest import page, text_of
from tracker.auth.models import AgencySector
from tracker.core.models import AuditEvent
from tracker.core.types import utcnow
from tracker.minutes.models import MinutesDisclosure, MinutesStatus

LINK = re.compile(r"http://tracker\.test(/minutes/shared/[\w-]+)")
CODE = re.compile(r"^(\d{6})\s*$", re.MULTILINE)


def distribute_to_housing(client_as, factory, meeting, people, smtp_server):
    housing = factory.agency("Shared Housing", AgencySector.HOUSING, secure_mailbox="mappa@housing.gov.example")
    minutes = factory.minutes(meeting, MinutesStatus.APPROVED)
    chair = client_as(people["chair"])
    response = chair.post(
        f"/meetings/{meeting.id}/minutes/distribute",
        data={"version": minutes.version, "recipients": [f"{housing.id}:"]},
    )
    assert response.status_code == 302
    (notice,) = smtp_server.to("mappa@housing.gov.example")
    assert notice.message["Subject"] == f"Approved minutes of MAPPA meeting {meeting.reference}"
    body = notice.message.get_content()
    assert meeting.agenda_items[0].case.name not in body
    return chair, LINK.search(body).group(1)


def ask_for_code(client, link, smtp_server) -> str:
    page_ = client.get(link)
    assert "mappa@housing.gov.example" in text_of(page_)
    sent = client.post(f"{link}/code")
    assert sent.status_code == 302, sent.data[:3000]
    received = smtp_server.to("mappa@housing.gov.example")[-1]
    assert received.message["Subject"].startswith("Your code"), received.message["Subject"]
    return CODE.search(received.message.get_content()).group(1)


def test_an_agency_mailbox_opens_the_minutes_once_after_confirming_the_emailed_code(
    client_as, client, factory, session, meeting, people, smtp_server
):
    chair, link = distribute_to_housing(client_as, factory, meeting, people, smtp_server)
    code = ask_for_code(client, link, smtp_server)
    wrong = client.post(link, data={"code": "000000" if code != "000000" else "111111"})
    assert "The code is not right" in text_of(wrong)
    opened = client.post(link, data={"code": code})
    assert opened.status_code == 200 and opened.headers["Content-Type"] == "application/pdf"
    assert opened.data.startswith(b"%PDF")
    # Single use: the link is dead now.
    assert client.get(link).status_code == 410
    assert client.post(link, data={"code": code}).status_code == 410
    trail = {e.action: e.summary for e in session.exec(select(AuditEvent).where(AuditEvent.action.like("minutes %")))}
    assert trail["minutes link sent"].startswith(f"by {people['chair'].email} to mappa@housing.gov.example")
    assert "reason: distribution of approved minutes" in trail["minutes link sent"]
    disclosed = trail["minutes disclosed"]
    assert f"sent by {people['chair'].email} to mappa@housing.gov.example (Shared Housing)" in disclosed
    assert "reason: distribution of approved minutes" in disclosed
    # The file handed over is logged as a disclosure naming the mailbox and the reason.
    export = session.exec(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert export.recipient == "mappa@housing.gov.example (Shared Housing)"
    assert export.reason.startswith("distribution of approved minutes") and export.justified_by == "disclosure"
    listed = page(chair.get(f"/meetings/{meeting.id}/minutes")).select_one("#minutes-links").get_text(" ", strip=True)
    assert "mappa@housing.gov.example" in listed and "opened" in listed


def test_the_link_sent_names_its_mailbox_and_reason_on_the_audit_trail_and_in_its_csv(
    client_as, factory, meeting, people, smtp_server
):
    """Sending the link is a disclosure: the trail's page says to whom and why, a search by the reason
    finds it, and the CSV has the mailbox and the reason in their own columns."""
    distribute_to_housing(client_as, factory, meeting, people, smtp_server)
    reviewer = client_as(people["coordinator"])
    search = "/admin/audit?action=minutes+link+sent&reason=distribution+of+approved+minutes"
    (row,) = [" ".join(tr.get_text(" ").split()) for tr in page(reviewer.get(search)).select("tbody tr")]
    assert "Disclosure: distribution of approved minutes to a MAPPA agency" in row
    assert "To: mappa@housing.gov.example (Shared Housing)" in row
    exported = reviewer.get(disclosed(search.replace("/audit?", "/audit.csv?")))
    (entry,) = csv.DictReader(io.StringIO(exported.data.decode("utf-8-sig")))
    assert (entry["Operation"], entry["Justified by"], entry["Recipient"]) == (
        "minutes link sent",
        "disclosure",
        "mappa@housing.gov.example (Shared Housing)",
    )
    assert entry["Reason"].startswith("distribution of approved minutes to a MAPPA agency")


def test_a_link_dies_when_revoked_when_it_expires_and_after_too_many_wrong_codes(
    client_as, client, factory, session, meeting, people, smtp_server
):
    chair, link = distribute_to_housing(client_as, factory, meeting, people, smtp_server)
    disclosure = session.exec(select(MinutesDisclosure)).one()
    response = chair.post(f"/meetings/{meeting.id}/minutes/shared/{disclosure.id}/revoke")
    assert response.status_code == 302
    assert client.get(link).status_code == 410
    assert "This link no longer works" in text_of(client.get(link))

    # Expired.
    session.refresh(disclosure)
    assert disclosure.revoked_at is not None and disclosure.revoked_by_id == people["chair"].id
    disclosure.revoked_at = None
    disclosure.expires_at = utcnow() - timedelta(minutes=1)
    session.add(disclosure)
    session.commit()
    assert client.get(link).status_code == 410

    # Five wrong codes.
    disclosure.expires_at = utcnow() + timedelta(days=1)
    session.add(disclosure)
    session.commit()
    code = ask_for_code(client, link, smtp_server)
    bad = "123456" if code != "123456" else "654321"
    for _ in range(5):
        client.post(link, data={"code": bad})
    assert client.post(link, data={"code": code}).status_code == 410


def test_a_distributor_sends_a_new_link_once_the_last_one_no_longer_works(
    client_as, client, factory, session, meeting, people, smtp_server
):
    """The dead link's page tells the agency to ask the MAPPA unit: the minutes page offers a new link to
    the agency's mailbox, not while a link to it still works; the new one opens the minutes."""
    chair, link = distribute_to_housing(client_as, factory, meeting, people, smtp_server)
    disclosure = session.exec(select(MinutesDisclosure)).one()
    minutes_url = f"/meetings/{meeting.id}/minutes"
    again = f"/meetings/{meeting.id}/minutes/shared/{disclosure.id}/send-again"
    assert "Send a new link" not in text_of(chair.get(minutes_url))
    refused = chair.post(again, follow_redirects=True)
    assert "A link to Shared Housing still works: revoke it first to send a new one" in text_of(refused)
    assert len(smtp_server.to("mappa@housing.gov.example")) == 1

    code = ask_for_code(client, link, smtp_server)
    bad = "123456" if code != "123456" else "654321"
    for _ in range(5):
        client.post(link, data={"code": bad})
    assert "Send a new link" in text_of(chair.get(minutes_url))
    sent = chair.post(again, follow_redirects=True)
    assert "A new link to the minutes has been sent to mappa@housing.gov.example." in text_of(sent)
    notice = smtp_server.to("mappa@housing.gov.example")[-1]
    new_link = LINK.search(notice.message.get_content()).group(1)
    assert new_link != link and client.get(link).status_code == 410
    opened = client.post(new_link, data={"code": ask_for_code(client, new_link, smtp_server)})
    assert opened.headers["Content-Type"] == "application/pdf"
    session.expire_all()
    links = session.exec(select(MinutesDisclosure).order_by(MinutesDisclosure.id)).all()
    assert [link.state(utcnow()) for link in links] == ["Revoked", "Opened"]
    trail = session.exec(select(AuditEvent).where(AuditEvent.action == "minutes link sent")).all()
    assert len(trail) == 2
    # Only the last link to an agency is offered again.
    page_ = page(chair.get(minutes_url))
    assert len(page_.select("#minutes-links form")) == 1
    # Never to an agency that no longer takes minutes.
    from tracker.auth.models import Agency

    newest = links[-1]
    housing = session.get(Agency, newest.agency_id)
    housing.active = False
    factory.save(housing)
    refused = chair.post(f"/meetings/{meeting.id}/minutes/shared/{newest.id}/send-again", follow_redirects=True)
    assert "Shared Housing no longer takes minutes: it is inactive, or holds no case records" in text_of(refused)
    assert len(session.exec(select(AuditEvent).where(AuditEvent.action == "minutes link sent")).all()) == 2


def test_an_agency_without_a_mailbox_is_recorded_as_before_and_sent_nothing(
    client_as, factory, session, meeting, people, smtp_server
):
    children = factory.agency("Shared Children", AgencySector.CHILDRENS_SOCIAL_CARE)
    minutes = factory.minutes(meeting, MinutesStatus.APPROVED)
    response = client_as(people["chair"]).post(
        f"/meetings/{meeting.id}/minutes/distribute",
        data={"version": minutes.version, "recipients": [f"{children.id}:"]},
        follow_redirects=True,
    )
    assert smtp_server.received == []
    assert session.exec(select(MinutesDisclosure)).all() == []
    # The person distributing is told that the minutes reach that agency only if sent another way.
    assert (
        "Nothing was sent to Shared Children: no one there is named and the agency has no secure mailbox"
        in text_of(response)
    )


def test_the_lay_advisers_mailbox_is_never_offered_or_sent_minutes(
    client_as, factory, session, meeting, people, smtp_server
):
    """Lay advisers see aggregate figures, never case records: their group is not among the recipients the
    distribution offers (invited or not), a post naming it is refused and nothing is sent, and it is not
    offered as an action's owner, a case's lead agency, or an agency to invite or record at a meeting."""
    lay = factory.agency("Board Lay Advisers", AgencySector.LAY_ADVISERS, secure_mailbox="lay@board.example")
    factory.invitation(meeting, agency=lay)
    minutes = factory.minutes(meeting, MinutesStatus.APPROVED)
    chair = client_as(people["chair"])
    url = f"/meetings/{meeting.id}/minutes/distribute"
    offered = [box["value"] for box in page(chair.get(url)).select("input[name=recipients]")]
    assert offered and not [value for value in offered if value.startswith(f"{lay.id}:")]
    response = chair.post(url, data={"version": minutes.version, "recipients": [f"{lay.id}:"]})
    assert response.status_code == 200
    assert smtp_server.to("lay@board.example") == []
    assert session.exec(select(MinutesDisclosure)).all() == []
    held = factory.held_meeting(chair=people["chair"])
    for form_url, field in (
        (f"/meetings/{held.id}/agenda/{held.agenda_items[0].id}/actions/new", "owner_agency_id"),
        (f"/meetings/{factory.meeting(chair=people['chair']).id}/invitations/new", "agency_id"),
        (f"/meetings/{held.id}/attendance/walk-in", "agency_id"),
        ("/cases/new", "lead_agency_id"),
    ):
        options = [o["value"] for o in page(chair.get(form_url)).select(f"select[name={field}] option")]
        assert options and str(lay.id) not in options, form_url


def test_every_sector_that_holds_no_case_records_is_left_out_of_the_agency_choices():
    from tracker.core.forms import NO_CASE_RECORDS

    assert {sector.name for sector in AgencySector if not sector.holds_case_records} == set(NO_CASE_RECORDS)


def test_the_chair_sees_the_secure_mailbox_each_agency_s_minutes_go_to(client_as, factory, meeting, people):
    """The mailbox is set by an admin: the person distributing sees where the minutes will go before
    sending them (a mailbox changed to somewhere else shows)."""
    housing = factory.agency("Shared Housing", AgencySector.HOUSING, secure_mailbox="mappa@housing.gov.example")
    factory.agency("Shared Children", AgencySector.CHILDRENS_SOCIAL_CARE)
    factory.minutes(meeting, MinutesStatus.APPROVED)
    shown = page(client_as(people["chair"]).get(f"/meetings/{meeting.id}/minutes/distribute"))
    labels = {box["value"]: shown.find("label", {"for": box["id"]}).get_text(" ", strip=True)
              for box in shown.select("input[name=recipients]")}
    assert labels[f"{housing.id}:"] == "Shared Housing: a link to its secure mailbox, mappa@housing.gov.example"
    children = next(value for value, label in labels.items() if label.startswith("Shared Children"))
    assert labels[children] == "Shared Children: no secure mailbox, so nothing is sent (send them another way)"


def test_corrected_minutes_are_sent_as_a_correction_that_replaces_the_version_before(
    client_as, factory, session, meeting, people, smtp_server
):
    from tests.meetings.conftest import approve_correction

    housing = factory.agency("Shared Housing", AgencySector.HOUSING, secure_mailbox="mappa@housing.gov.example")
    minutes = factory.minutes(meeting, MinutesStatus.APPROVED)
    chair = client_as(people["chair"])
    corrected = chair.post(
        f"/meetings/{meeting.id}/minutes/correct",
        data={"version": minutes.version, "reason": "The review date was mistyped"},
    )
    assert corrected.status_code == 302
    assert approve_correction(chair, session, meeting).status_code == 302
    session.expire_all()
    response = chair.post(
        f"/meetings/{meeting.id}/minutes/distribute",
        data={"version": session.get(type(minutes), minutes.id).version, "recipients": [f"{housing.id}:"]},
    )
    assert response.status_code == 302
    (notice,) = smtp_server.to("mappa@housing.gov.example")
    assert notice.message["Subject"] == f"Corrected minutes (version 2) of MAPPA meeting {meeting.reference}"
    body = " ".join(notice.message.get_content().split())
    assert "This is version 2, approved as a correction: it replaces version 1, which your agency may" in body
    assert "The review date was mistyped" not in body  # the reason may name people: it stays in the app


def test_people_sent_corrected_minutes_are_told_they_replace_the_version_before(
    client_as, factory, session, meeting, people, delivered
):
    from tests.meetings.conftest import approve_correction

    minutes = factory.minutes(meeting, MinutesStatus.APPROVED)
    chair = client_as(people["chair"])
    chair.post(f"/meetings/{meeting.id}/minutes/correct", data={"version": minutes.version, "reason": "Typo"})
    assert approve_correction(chair, session, meeting).status_code == 302
    session.expire_all()
    officer = meeting.invitations[0].user
    response = chair.post(
        f"/meetings/{meeting.id}/minutes/distribute",
        data={
            "version": session.get(type(minutes), minutes.id).version,
            "recipients": [f"{meeting.invitations[0].agency_id}:{officer.id}"],
        },
    )
    assert response.status_code == 302
    (sent,) = [message for message in delivered if message["To"] == officer.email]
    assert sent["Subject"] == f"Corrected minutes (version 2) of MAPPA meeting {meeting.reference}"
    assert "it replaces version 1, which you may have had before" in " ".join(sent.get_content().split())
