"""Section 62 of the Data Protection Act 2018: a consultation is logged with its justification, every
disclosure with its recipient and reason, and the log cannot be changed or deleted by the app. (Every
download route, from the app's URL map: tests/core/test_downloads_logged.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.conftest import TRAIL_REFUSES
from tests.justify import OVERSIGHT, disclosed
from tracker.core import audit
from tracker.core.models import AuditEvent


def text(response) -> str:
    return " ".join(BeautifulSoup(response.data, "html.parser").get_text(" ").split())


def _entries(session, **where) -> list[AuditEvent]:
    statement = select(AuditEvent).order_by(AuditEvent.id)
    for name, value in where.items():
        statement = statement.where(getattr(AuditEvent, name) == value)
    return list(session.exec(statement).all())


def test_only_the_one_download_helper_hands_over_files():
    root = Path(__file__).parents[2] / "tracker"
    senders = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "Content-Disposition" in path.read_text()
    )
    assert senders == ["core/downloads.py"]


def test_the_way_back_from_a_file_is_the_page_it_copies_which_those_allowed_it_may_read(client_as, factory):
    """The Board sees an evaluation's results and their PDF, not the evaluation's own page above them."""
    evaluation = factory.evaluation()
    client = client_as("SMB")
    asked = client.get(f"/evaluations/{evaluation.id}/results.pdf")
    back = BeautifulSoup(asked.data, "html.parser").find("a", string="return to the page you were on")
    assert back["href"] == f"/evaluations/{evaluation.id}/results"
    assert client.get(back["href"]).status_code == 200


def test_the_disclosure_form_says_what_is_missing_and_hands_nothing_over(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/agenda/pdf"
    asked = client.get(url)
    assert "Before you download this file" in text(asked) and "Error" not in text(asked)
    back = BeautifulSoup(asked.data, "html.parser").find("a", string="return to the page you were on")
    assert back["href"] == f"/meetings/{meeting.id}"  # the nearest page above the file's address
    wrong = client.get(f"{url}?disclosure-recipient=someone&disclosure-reason=other")
    assert "Enter who the file is for" in text(wrong) and "Enter your reason" in text(wrong)
    assert "Content-Disposition" not in wrong.headers
    assert not _entries(session, action="export")
    mine = client.get(disclosed(url))
    assert mine.headers["Content-Disposition"].startswith("attachment")
    entry = _entries(session, action="export")[-1]
    assert entry.recipient == f"{chair.name} <{chair.email}> (themselves)"
    assert entry.reason == "For my own use at or before the meeting"


def test_a_calendar_file_is_logged_as_the_person_s_own_without_asking(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    response = client_as(chair).get(f"/meetings/{meeting.id}/calendar.ics")
    assert response.headers["Content-Disposition"].startswith("attachment")
    entry = _entries(session, action="export")[-1]
    assert (entry.recipient, entry.reason, entry.justified_by) == (
        f"{chair.name} <{chair.email}> (themselves)",
        "For my own calendar",
        "disclosure",
    )


def test_the_whole_area_export_logs_the_recipient_and_reason_typed_on_its_form(client_as, factory, session):
    response = client_as(factory.user("SYSTEM_ADMIN", terrorism_cleared=True)).post(
        "/admin/export", data={"recipient": "New system supplier", "reason": "Moving to a new case system"}
    )
    assert response.headers["Content-Disposition"].startswith("attachment")
    entry = _entries(session, action="export")[-1]
    assert (entry.recipient, entry.reason) == ("New system supplier", "Moving to a new case system")


def test_a_case_is_refused_until_a_reason_is_given_and_is_logged_with_it(app, client_as, factory, session):
    case = factory.case(reference="WHY-0001")
    meeting = factory.meeting()
    item = factory.agenda_item(meeting, case)
    coordinator = factory.user("COORDINATOR")
    client = client_as(coordinator)
    for page in (f"/cases/{case.id}", f"/meetings/{meeting.id}/agenda/{item.id}"):
        refused = client.get(page)
        assert refused.status_code == 302
        assert refused.headers["Location"].startswith(f"/cases/{case.id}/reason?next=")
    assert not _entries(session, action="view", case_id=case.id)
    form = client.get(f"/cases/{case.id}/reason?next=/meetings/{meeting.id}/agenda/{item.id}")
    assert "Why do you need to open this case?" in text(form) and OVERSIGHT in text(form)
    nothing = client.post(f"/cases/{case.id}/reason", data={})
    assert "Select a reason" in text(nothing)
    blank_other = client.post(f"/cases/{case.id}/reason", data={"reason": "other"})
    assert "Enter your reason" in text(blank_other)
    assert not _entries(session, action=audit.REASON_GIVEN)
    given = client.post(
        f"/cases/{case.id}/reason",
        data={
            "reason": "other",
            "other_reason": "Checking a victim contact",
            "next": f"/meetings/{meeting.id}",
        },
    )
    assert given.headers["Location"] == f"/meetings/{meeting.id}"
    assert client.get(f"/cases/{case.id}").status_code == 200
    assert client.get(f"/meetings/{meeting.id}/agenda/{item.id}").status_code == 200
    reason = _entries(session, action=audit.REASON_GIVEN)
    assert [(e.case_id, e.user_id, e.reason) for e in reason] == [
        (case.id, coordinator.id, "Other: Checking a victim contact")
    ]
    views = _entries(session, action="view", case_id=case.id)
    assert len(views) == 2
    assert {(e.justified_by, e.reason) for e in views} == {("reason", "Other: Checking a victim contact")}
    # Once per case per session: signed in afresh, the question is asked again.
    assert client_as(coordinator).get(f"/cases/{case.id}").status_code == 302


def test_people_on_the_current_meeting_are_justified_by_their_part(client_as, factory, session):
    chair, officer, invitee = (
        factory.user("CHAIR"),
        factory.user("PRACTITIONER"),
        factory.user("PRACTITIONER"),
    )
    case = factory.case(reference="WHY-0002", lead_officer_id=officer.id)
    meeting = factory.meeting(chair=chair, reference="M-2026-0962")
    factory.agenda_item(meeting, case)
    factory.invitation(meeting, invitee)
    for person, part in (
        (chair, "chair of M-2026-0962"),
        (officer, "lead officer of the case"),
        (invitee, "invited to M-2026-0962"),
    ):
        assert client_as(person).get(f"/cases/{case.id}").status_code == 200
        entry = _entries(session, action="view", case_id=case.id, user_id=person.id)[-1]
        assert (entry.justified_by, entry.reason) == ("role", part)
    # A later meeting becomes the current one: the first meeting's invitee now gives a reason.
    factory.agenda_item(factory.meeting(reference="M-2026-0990"), case)
    assert client_as(invitee).get(f"/cases/{case.id}").status_code == 302


def test_the_reason_form_sends_people_only_to_pages_of_this_site(client_as, factory):
    case = factory.case()
    client = client_as("COORDINATOR")
    response = client.post(f"/cases/{case.id}/reason", data={"reason": OVERSIGHT, "next": "//evil.example"})
    assert response.headers["Location"] == f"/cases/{case.id}"


def test_a_case_the_person_may_not_see_is_not_asked_about_but_not_found(client_as, factory):
    from tracker.meetings.models import Category

    secret = factory.case(category=Category.CATEGORY_4)
    client = client_as("COORDINATOR")
    assert client.get(f"/cases/{secret.id}").status_code == 404
    assert client.get(f"/cases/{secret.id}/reason").status_code == 404


def test_an_erasure_entry_records_type_id_and_rule_but_no_content(app_context, session):
    from tracker.core.db import db

    audit.record_erasure("Case", 41, "case exited MAPPA 7 years ago (default rule)")
    db.session.flush()
    entry = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "erase")).one()
    assert (entry.object_type, entry.object_id, entry.reason) == (
        "Case",
        "41",
        "case exited MAPPA 7 years ago (default rule)",
    )
    # The details say what the reason is; the reason is the rule alone (the page puts "Retention rule: "
    # before it, once).
    assert entry.summary == "retention rule: case exited MAPPA 7 years ago (default rule)"
    assert (entry.justified_by, entry.case_id, entry.recipient) == ("retention rule", 41, "")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET reason = 'changed', recipient = 'someone else'",
        "UPDATE audit_event SET justified_by = ''",
        "DELETE FROM audit_event",
    ],
)
def test_the_apps_database_user_cannot_change_or_delete_the_log(app, statement):
    engine = app.extensions[
        "db_engine"
    ]  # the application's own user (on PostgreSQL, its least-privilege role)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO audit_event (at, actor, action, summary, justified_by, reason, recipient) "
                "VALUES (:at, 'log test', 'append-only test', '', 'disclosure', 'a reason', 'a recipient')"
            ),
            {"at": "2026-12-01 10:00:00"},
        )
    with engine.connect() as connection, pytest.raises(sa.exc.DatabaseError) as refused:
        connection.execute(sa.text(statement))
    assert re.search(TRAIL_REFUSES, str(refused.value.orig))


def test_a_meeting_page_logs_the_part_in_the_meeting_without_asking(client_as, factory, session):
    chair, coordinator = factory.user("CHAIR"), factory.user("COORDINATOR")
    meeting = factory.meeting(chair=chair, reference="M-2026-0977")
    factory.agenda_item(meeting)
    for person, part in (
        (chair, "chair of M-2026-0977"),
        (coordinator, "oversight of every meeting (MAPPA co-ordinator)"),
    ):
        assert client_as(person).get(f"/meetings/{meeting.id}").status_code == 200
        entry = _entries(session, action="view", meeting_id=meeting.id, user_id=person.id)[-1]
        assert (entry.justified_by, entry.reason) == ("role", part)
