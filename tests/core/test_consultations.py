"""Every page that shows case data (or a person's training record) leaves a `view` entry in the audit
trail. The pages are walked from the access cases, which cover every route of the app."""

from __future__ import annotations

from sqlmodel import func, select

from tests.access_cases import Case
from tests.conftest import sign_in
from tests.justify import open_page
from tests.test_access import CASES, world  # noqa: F401  (the fixture)
from tracker.core.consultations import is_consultation
from tracker.core.models import AuditEvent

# Roles tried in turn, the most privileged first, until one is allowed the page.
ORDER = ["COORDINATOR", "CHAIR", "ADMINISTRATOR", "TRSG", "PRACTITIONER"]


def _pages(app) -> list[Case]:
    # A case no role here may open (a Category 4 case's page, for the uncleared) has nothing to log.
    return [
        case for case in CASES if case.method == "GET" and case.allowed and is_consultation(app, case.endpoint)
    ]


def test_the_pages_the_issue_named_are_among_those_logged(app):
    endpoints = {case.endpoint for case in _pages(app)}
    assert {
        "meetings.case_edit",
        "meetings.risk_edit",
        "meetings.case_list",
        "meetings.action_list",
        "training.trainee_view",
        "meetings.case_view",
        "minutes.minutes_view",
    } <= endpoints


def _consultations(session) -> int:
    return session.exec(select(func.count()).where(AuditEvent.action.in_(["view", "export"]))).one()


def test_each_case_data_page_is_logged_as_a_consultation(app, session, world):  # noqa: F811
    not_logged = []
    for case in _pages(app):
        role = next(role for role in ORDER if role in case.allowed)
        client = sign_in(app.test_client(), session, world.users[role])
        before = _consultations(session)
        response = open_page(client, case.resolve_url(world))
        assert response.status_code == 200, (case.id, response.status_code)
        if _consultations(session) != before + 1:
            not_logged.append(case.id)
            continue
        entry = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert entry.user_id == world.users[role].id and entry.action in ("view", "export")
        if entry.case_id is not None or entry.action == "export":  # section 62: the why is kept
            assert entry.justified_by and entry.reason, (case.id, entry.justified_by, entry.reason)
    assert not_logged == []
