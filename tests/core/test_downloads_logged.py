"""Section 62 of the Data Protection Act 2018: every download is logged as a disclosure with its recipient
and reason. The routes come from the app's URL map (through the access cases, which cover every route), so
a new export is tested too, or this test fails until it is."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.conftest import sign_in
from tests.justify import OVERSIGHT, disclosed, is_disclosure_form
from tests.test_access import CASES
from tracker.core.models import AuditEvent

# Roles tried in turn until one is allowed the page.
ORDER = ["COORDINATOR", "SYSTEM_ADMIN", "CHAIR", "ADMINISTRATOR", "TRSG", "PRACTITIONER"]
# Downloads whose view knows who receives the file and why, so nobody is asked.
# Downloads whose recipient and reason the view names, so nobody is asked: blank templates, a pack being
# checked, and calendar files, which the person downloading adds to their own calendar.
# (A disclosure pack's PDF is named by the view while a draft, for the person checking it; the issued copy,
# downloaded again, is asked about like any file.)
NAMED_BY_THE_VIEW = {
    "transfer.caseload_template",
    "transfer.history_template",
    "meetings.meeting_calendar",
    "training.event_calendar",
    "training.session_calendar",
}




@pytest.fixture(scope="module")
def app(access_app):
    """The app on the database that holds the world the cases point at (tests/access_world.py)."""
    return access_app


def _exports(session, **where) -> list[AuditEvent]:
    statement = select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id)
    for name, value in where.items():
        statement = statement.where(getattr(AuditEvent, name) == value)
    return list(session.exec(statement).all())


def _open_as_first_allowed(app, session, world, case):
    role = next(role for role in ORDER if role in case.allowed)
    client = sign_in(app.test_client(), session, world.users[role])
    url = case.resolve_url(world)
    response = client.get(url)
    if response.status_code == 302 and "/reason?" in response.headers["Location"]:
        # The question of a case, or of a meeting's minutes read by oversight.
        assert client.post(response.headers["Location"], data={"reason": OVERSIGHT}).status_code == 302
        response = client.get(url)
    return client, url, role, response


def test_every_download_route_logs_a_disclosure_with_recipient_and_reason(app, session, world):
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    downloads, asked = set(), set()
    for case in CASES:
        if case.method != "GET" or case.public or case.endpoint not in routes:
            continue
        if not any(role in case.allowed for role in ORDER):
            continue  # a case that proves a refusal
        exports = len(_exports(session))
        client, url, role, response = _open_as_first_allowed(app, session, world, case)
        if is_disclosure_form(response):
            asked.add(case.endpoint)
            assert "attachment" not in response.headers.get("Content-Disposition", "")
            assert len(_exports(session)) == exports  # nothing handed over
            response = client.get(
                disclosed(
                    url,
                    recipient="someone",
                    recipient_name="Probation Service, secure mailbox",
                    reason="other",
                    other_reason="Court order 4471",
                )
            )
        if "attachment" not in response.headers.get("Content-Disposition", ""):
            continue
        downloads.add(case.endpoint)
        entry = _exports(session, user_id=world.users[role].id)[-1]
        assert entry.recipient and entry.reason and entry.justified_by == "disclosure", case.id
        if case.endpoint in asked:
            assert (entry.recipient, entry.reason) == (
                "Probation Service, secure mailbox",
                "Other: Court order 4471",
            )
    assert downloads - asked == NAMED_BY_THE_VIEW
    # The downloads the tracker had when this test was written are all among those found.
    assert {
        "meetings.meeting_calendar",
        "minutes.agenda_pdf",
        "reports.annual_report_pdf",
        "reports.annual_report_csv",
        "training.overview_csv",
        "evaluations.results_csv",
        "admin.audit_csv",
    } <= downloads
