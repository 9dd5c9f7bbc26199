"""Every page that shows case data (or a person's training record) leaves a `view` entry in the audit
trail. The pages are walked from the access cases, which cover every route of the app."""

from __future__ import annotations

import pytest
from sqlmodel import func, select

from tests.access_cases import Case
from tests.conftest import sign_in
from tests.justify import open_page
from tests.test_access import CASES
from tracker.core.consultations import is_consultation
from tracker.core.models import AuditEvent

# Roles tried in turn, the most privileged first, until one is allowed the page.
ORDER = ["COORDINATOR", "CHAIR", "ADMINISTRATOR", "TRSG", "PRACTITIONER"]


@pytest.fixture(scope="module")
def app(access_app):
    """The app on the database that holds the world the cases point at (tests/access_world.py)."""
    return access_app


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


def test_each_page_about_a_case_or_meeting_is_logged_as_about_it(app, session, world):  # noqa: F811
    """A page whose address names a case, agenda item or action is logged with its case, and one naming a
    meeting or an audit with its meeting: so a search of the trail by case finds it, and an entry about a
    Category 4 case is read only by those cleared for it."""
    unscoped = []
    adapter = app.url_map.bind("tracker.test")
    for case in _pages(app):
        url = case.resolve_url(world)
        _endpoint, arguments = adapter.match(url.split("?")[0])
        about_case = {"case_id", "item_id", "action_id"} & set(arguments)
        about_meeting = {"meeting_id", "audit_id"} & set(arguments)
        if not (about_case or about_meeting):
            continue
        role = next(role for role in ORDER if role in case.allowed)
        client = sign_in(app.test_client(), session, world.users[role])
        assert open_page(client, url).status_code == 200, case.id
        entry = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        if (about_case and entry.case_id is None) or (not about_case and entry.meeting_id is None):
            unscoped.append((case.id, entry.object_type, entry.summary))
    assert unscoped == []


def test_a_list_page_entry_says_a_search_was_made_not_what_for(app, session, world):  # noqa: F811
    """Words typed into a list's search (a name, a reference) are not copied into the trail: an entry about
    no one case is read by the system admin and by those not cleared for Category 4."""
    client = sign_in(app.test_client(), session, world.users["COORDINATOR"])
    assert open_page(client, "/cases?q=Thomas+Aldridge&status=ACTIVE").status_code == 200
    entry = session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert entry.summary == "page /cases?q=[search]&status=ACTIVE"
    assert "Aldridge" not in str(session.exec(select(AuditEvent.summary)).all())
