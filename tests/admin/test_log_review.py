"""The log review: searching the audit trail by case, reason and operation, exporting the result as CSV,
and the unusual patterns; consulting the log is logged too, and Category 4 stays with those cleared."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from bs4 import BeautifulSoup
from sqlmodel import select

from tests.justify import OVERSIGHT, disclosed, give_reason
from tracker.core import settings
from tracker.core.db import db
from tracker.core.models import AuditEvent
from tracker.core.types import utcnow
from tracker.meetings.models import Category


def _settings(**values) -> None:
    for key, value in values.items():
        settings.set_value(key, value, None)
    db.session.commit()


def rows(response) -> list[str]:
    page = BeautifulSoup(response.data, "html.parser")
    return [" ".join(tr.get_text(" ").split()) for tr in page.select("tbody tr")]


def test_the_log_is_searched_by_case_reference_reason_and_operation(client_as, factory, session):
    case, other = factory.case(reference="LOG-0001"), factory.case(reference="LOG-0002")
    opener = factory.user("COORDINATOR", name="Olu Opener")
    client = client_as(opener)
    for each in (case, other):
        give_reason(client, each.id)
        client.get(f"/cases/{each.id}")
    give_reason(client, case.id, "Preparing a referral or meeting")
    reviewer = client_as(factory.user("COORDINATOR"))
    found = rows(reviewer.get("/admin/audit?case=log-0001&action=view"))
    assert len(found) == 1 and "Olu" not in found[0] and "Reason: " + OVERSIGHT in found[0]
    by_reason = rows(reviewer.get("/admin/audit?reason=Preparing+a+referral+or+meeting"))
    assert len(by_reason) == 1 and "reason given" in by_reason[0]
    typed = rows(reviewer.get("/admin/audit?reason=oversight&case=LOG-0002"))
    assert {row.split(" reason given ")[0] != row for row in typed} == {
        True,
        False,
    }  # the reason and the view
    assert rows(reviewer.get("/admin/audit?case=NO-SUCH-CASE")) == ["Nothing matches this search."]


def test_searching_and_exporting_the_log_are_logged_and_the_csv_names_the_why(client_as, factory, session):
    case = factory.case(reference="LOG-0003")
    coordinator = factory.user("COORDINATOR")
    client = client_as(coordinator)
    give_reason(client, case.id)
    client.get(f"/cases/{case.id}")
    client.get("/admin/audit?case=LOG-0003")
    asked = client.get("/admin/audit.csv?case=LOG-0003")
    assert b"Before you download this file" in asked.data
    response = client.get(
        disclosed(
            "/admin/audit.csv?case=LOG-0003",
            recipient="someone",
            recipient_name="The data protection officer",
            reason="Responding to a request for information or a data protection request",
        )
    )
    assert response.headers["Content-Disposition"].startswith('attachment; filename="audit-trail-')
    table = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    consulted = [row for row in table if row["Operation"] in ("reason given", "view")]
    assert {(row["Operation"], row["Case"], row["Justified by"], row["Reason"]) for row in consulted} == {
        ("reason given", "LOG-0003", "reason", OVERSIGHT),
        ("view", "LOG-0003", "reason", OVERSIGHT),
        # The search by the case's reference is itself about the case (only those who see it read it).
        ("view", "LOG-0003", "role", "reviewing the audit trail"),
    }
    logged = session.exec(select(AuditEvent).where(AuditEvent.object_type == "AuditTrail")).all()
    assert [(e.action, e.summary) for e in logged] == [
        ("view", "searched the audit trail: case reference LOG-0003"),
        ("export", f"CSV of {len(table)} audit entries: case reference LOG-0003"),
    ]
    assert logged[1].recipient == "The data protection officer"


def test_category_4_entries_are_found_only_by_those_cleared(client_as, factory):
    secret = factory.case(reference="LOG-0004", category=Category.CATEGORY_4)
    cleared = client_as(factory.user("COORDINATOR", terrorism_cleared=True))
    give_reason(cleared, secret.id)
    assert any("reason given" in row for row in rows(cleared.get("/admin/audit?case=LOG-0004")))
    uncleared = client_as(factory.user("COORDINATOR"))
    assert rows(uncleared.get("/admin/audit?case=LOG-0004")) == ["Nothing matches this search."]
    assert b"LOG-0004" not in uncleared.get(disclosed("/admin/audit.csv?case=LOG-0004")).data
    # The system admin reads the trail but no case data: no entry about a case at all.
    admin = client_as("SYSTEM_ADMIN")
    assert rows(admin.get("/admin/audit?action=reason+given")) == ["Nothing matches this search."]


def test_unusual_patterns_flag_many_cases_without_a_part_and_bulk_exports_out_of_hours(
    app_context, client_as, factory, session
):
    browser = factory.user("COORDINATOR", email="browsing@example.org")
    night = utcnow().replace(hour=23, minute=0, second=0, microsecond=0) - timedelta(days=1)
    for case_id in range(900_001, 900_004):
        session.add(
            AuditEvent(
                user_id=browser.id,
                actor=browser.email,
                action="view",
                case_id=case_id,
                justified_by="reason",
                reason=OVERSIGHT,
            )
        )
    for minute in range(3):
        session.add(
            AuditEvent(
                user_id=browser.id,
                actor=browser.email,
                action="export",
                at=night + timedelta(minutes=minute),
                justified_by="disclosure",
                reason="Reporting",
                recipient="someone",
            )
        )
    session.commit()
    admin = factory.user("SYSTEM_ADMIN")
    _settings(unusual_cases_opened=3, out_of_hours_exports=3)
    page = BeautifulSoup(client_as(admin).get("/admin/audit/patterns").data, "html.parser")
    # The made-up case ids belong to no case: entries about a case are for those who may see it, and
    # the system admin sees none; the exports are about no case, so he sees them.
    assert " ".join(page.select_one("#many-cases").get_text(" ").split()).endswith("Nobody.")
    bulk = " ".join(page.select_one("#bulk-exports").get_text(" ").split())
    assert "browsing@example.org" in bulk and bulk.endswith("3")
    assert session.exec(
        select(AuditEvent).where(AuditEvent.summary == "reviewed unusual patterns in the audit trail")
    ).one()


def test_the_co_ordinator_sees_someone_opening_many_cases_they_are_not_on(app_context, client_as, factory):
    browser = factory.user("COORDINATOR", email="many.cases@example.org")
    client = client_as(browser)
    for _ in range(3):
        case = factory.case()
        give_reason(client, case.id)
        client.get(f"/cases/{case.id}")
    _settings(unusual_cases_opened=3)
    page = BeautifulSoup(
        client_as(factory.user("COORDINATOR")).get("/admin/audit/patterns").data, "html.parser"
    )
    many = " ".join(page.select_one("#many-cases").get_text(" ").split())
    assert "many.cases@example.org 3" in many


def test_a_search_by_case_finds_its_meetings_entries_and_is_itself_the_case_s(client_as, factory, session):
    """A request about a person finds the entries about the meetings that discussed their case (its agenda
    sent on, its meeting page read), not only those about the case; and the log's entry about a search by a
    Category 4 case's reference is read only by those cleared for it (the system admin, and an uncleared
    co-ordinator, never see the reference)."""
    meeting = factory.meeting(chair=factory.user("CHAIR"))
    factory.agenda_item(meeting, factory.case(reference="LOG-0005"))
    elsewhere = factory.meeting(chair=factory.user("CHAIR"))
    factory.agenda_item(elsewhere, factory.case(reference="LOG-0006"))
    coordinator = client_as(factory.user("COORDINATOR", terrorism_cleared=True))
    for each in (meeting, elsewhere):
        coordinator.get(disclosed(f"/meetings/{each.id}/agenda/pdf"))
    found = rows(coordinator.get("/admin/audit?case=LOG-0005&action=export"))
    assert len(found) == 1 and f"PDF agenda of {meeting.reference}" in found[0]

    factory.case(reference="LOG-0007", category=Category.CATEGORY_4)
    coordinator.get("/admin/audit?case=LOG-0007")
    coordinator.get(disclosed("/admin/audit.csv?case=LOG-0007"))
    for reader in (client_as("SYSTEM_ADMIN"), client_as(factory.user("COORDINATOR"))):
        assert "LOG-0007" not in reader.get("/admin/audit").get_data(as_text=True)
    seen = coordinator.get("/admin/audit?action=view").get_data(as_text=True)
    assert "searched the audit trail: case reference LOG-0007" in seen


def test_the_senders_entries_about_a_category_4_meeting_reach_only_those_cleared(
    app_context, client_as, factory, session, smtp_server
):
    """The sender writes "email sent" after the request that queued the email: the entry still belongs to
    the meeting, so that it stays with those cleared when a Category 4 case is on its agenda."""
    from tracker.core import mail, sending

    meeting = factory.meeting(factory.user("CHAIR", terrorism_cleared=True), reference="M-2026-0944")
    factory.agenda_item(meeting, factory.case(category=Category.CATEGORY_4))
    message = mail.new_message("invitee@example.org", "Updated: MAPPA meeting")
    message.set_content("The meeting has moved.")
    mail.queue(message, about=meeting, summary=f"calendar update for {meeting.reference}")
    session.commit()
    sending.send_all_due()
    entry = session.exec(select(AuditEvent).where(AuditEvent.action == "email sent")).one()
    assert entry.meeting_id == meeting.id
    for reader in ("SYSTEM_ADMIN", "COORDINATOR"):
        assert "M-2026-0944" not in " ".join(rows(client_as(reader).get("/admin/audit?action=email+sent")))
    cleared = client_as(factory.user("COORDINATOR", terrorism_cleared=True))
    assert "M-2026-0944" in " ".join(rows(cleared.get("/admin/audit?action=email+sent")))


def test_entries_about_a_minutes_link_belong_to_its_meeting(app_context, factory):
    from tracker.core import audit
    from tracker.minutes.models import MinutesDisclosure, MinutesStatus

    meeting = factory.meeting(factory.user("CHAIR"))
    minutes = factory.minutes(meeting, MinutesStatus.APPROVED)
    link = MinutesDisclosure(version_id=minutes.current.id, recipient_id=0, agency_id=0, mailbox="x@example.org")
    assert audit.scope(link) == (None, meeting.id)


def test_the_system_admin_reads_no_entry_about_a_case_s_record_even_one_written_without_the_case(
    client_as, session
):
    """Entries about a case's records (a disclosure pack erased before its entry named the case, an email
    sent about a pack since deleted) and the one saying a case's names left the trail tell the admin, who
    sees no case data, that a case was there: he reads none of them, on the page or in the CSV, and still
    reads the entries about no case (a trainee's record disposed of, a change of a setting)."""
    kept = [
        AuditEvent(actor="system", action="erase", object_type="Trainee", object_id="7", summary="rule 7"),
        AuditEvent(
            actor="system (audit erasure)",
            action="erase",
            object_type="AuditEvent",
            summary='names and identifiers of the person replaced with "[disposed of]" in 2 entries on '
            "disposal of trainee 7",
        ),
        AuditEvent(actor="admin", action="update", object_type="Setting", object_id="x", summary="kept 8"),
    ]
    hidden = [
        AuditEvent(actor="system", action="erase", object_type="DisclosurePack", object_id="1", summary="rule 1"),
        AuditEvent(actor="system", action="email sent", object_type="MinutesDisclosure", object_id="2"),
        AuditEvent(
            actor="system (audit erasure)",
            action="erase",
            object_type="AuditEvent",
            summary='names and identifiers of the person replaced with "[disposed of]" in 3 entries on '
            "disposal of case 894",
        ),
    ]
    session.add_all(kept + hidden)
    session.commit()
    admin = client_as("SYSTEM_ADMIN")
    shown = " ".join(rows(admin.get("/admin/audit")))
    exported = admin.get(disclosed("/admin/audit.csv")).get_data(as_text=True)
    for text in (shown, exported):
        assert "rule 7" in text and "disposal of trainee 7" in text and "kept 8" in text
        assert "DisclosurePack" not in text and "MinutesDisclosure" not in text and "case 894" not in text
    # Those who see case data read them as before (an entry about no case named stays theirs).
    coordinator = " ".join(rows(client_as("COORDINATOR").get("/admin/audit")))
    assert "DisclosurePack 1" in coordinator and "disposal of case 894" in coordinator


def test_a_category_4_case_named_only_in_an_entrys_words_stays_with_those_cleared(
    client_as, factory, session
):
    """The log of a case's names taken out of the trail names the case by its id alone, and an erasure of
    a disclosure pack written before such entries named the case names only the pack: for a Category 4
    case, neither is read by a co-ordinator not cleared for it, who still reads those of other cases."""
    from tracker.disclosure.models import DisclosurePack, PackPurpose

    secret, local = factory.case(category=Category.CATEGORY_4), factory.case()
    author = factory.user("COORDINATOR", terrorism_cleared=True)
    packs = [
        factory.save(
            DisclosurePack(
                case_id=case.id,
                requester="Solicitor",
                purpose=PackPurpose.COURT,
                request_received_on=case.referred_on,
                created_by_id=author.id,
            )
        )
        for case in (secret, local)
    ]

    def entries(case, pack) -> list[AuditEvent]:
        return [
            AuditEvent(
                actor="system",
                action="erase",
                object_type="DisclosurePack",
                object_id=str(pack.id),
                summary=f"pack of case {case.id} erased",
            ),
            AuditEvent(
                actor="system (audit erasure)",
                action="erase",
                object_type="AuditEvent",
                summary=f"names replaced in 2 entries on disposal of case {case.id}",
            ),
        ]

    session.add_all(entries(secret, packs[0]) + entries(local, packs[1]))
    session.commit()
    uncleared = " ".join(rows(client_as("COORDINATOR").get("/admin/audit?action=erase")))
    assert f"pack of case {local.id} erased" in uncleared and f"disposal of case {local.id}" in uncleared
    assert (
        f"pack of case {secret.id} erased" not in uncleared
        and f"disposal of case {secret.id}" not in uncleared
    )
    cleared = " ".join(rows(client_as(author).get("/admin/audit?action=erase")))
    assert f"pack of case {secret.id} erased" in cleared and f"disposal of case {secret.id}" in cleared
