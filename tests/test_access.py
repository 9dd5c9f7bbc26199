"""Every route asked as every role, and signed out: allowed, refused (403 or 404), or sent to sign in.

Writes too: every route that takes a POST is posted to by every role (a GET case of a route that also
takes POST is posted to as well, with an empty form, unless its module gives an explicit POST case), and
every POST route must declare a permission that allows changing something, not only reading. A meeting's
auditor (a read-only grant) is refused every write on the meeting he audits.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from tests.access_cases import ROLES, Case, World
from tests.access_cases.meetings import AUDITOR_WRITES, NOT_ABOUT_A_MEETING
from tests.access_world import MODULES
from tests.conftest import sign_in
from tracker import create_app
from tracker.core.permissions import READ_PERMISSIONS

DECLARED: list[Case] = [case for module in MODULES for case in module.CASES]


@pytest.fixture(scope="module")
def app(access_app):
    """The app on the database that holds the world the cases point at (tests/access_world.py)."""
    return access_app


def _post_endpoints() -> dict[str, set[str]]:
    """The app's routes that take a POST, by endpoint (read from a throwaway app at collection)."""
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "routes only"})
    return {rule.endpoint: rule.methods for rule in app.url_map.iter_rules() if "POST" in rule.methods}


POST_ENDPOINTS = _post_endpoints()
_POSTED = {case.endpoint for case in DECLARED if case.method == "POST"}
# Writes generated from the routes: a route's GET case posted to with an empty form, by the same roles.
GENERATED_WRITES = [
    dataclasses.replace(case, method="POST", data=case.data or {})
    for case in DECLARED
    if case.method == "GET" and case.endpoint in POST_ENDPOINTS and case.endpoint not in _POSTED
]
CASES: list[Case] = DECLARED + GENERATED_WRITES


def _ask(client, case: Case, world: World):
    url = case.resolve_url(world)
    if case.method == "POST":
        return client.post(url, data=case.resolve_data(world) or {})
    return client.get(url)


def _refused(response) -> bool:
    return response.status_code in (403, 404)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_each_role_gets_the_answer_its_permissions_allow(app, session, world, case):
    for role in ROLES:
        client = sign_in(app.test_client(), session, world.users[role])
        response = _ask(client, case, world)
        if role in case.allowed:
            assert not _refused(response), f"{role} was refused {case.id}: {response.status_code}"
            assert response.status_code != 500, f"{role} broke {case.id}"
            _assert_marked_if_it_shows_a_case(response, case, role)
            assert (
                "/sign-in" not in response.headers.get("Location", "") or case.public or case.ends_at_sign_in
            ), f"{role} was sent to sign in by {case.id}"
        else:
            assert _refused(response), f"{role} was let into {case.id}: {response.status_code}"


# A case's name or reference as the factory makes them.
CASE_DATA = re.compile(r"Case Person \d+|TST-\d{5}")


def _assert_marked_if_it_shows_a_case(response, case: Case, role: str) -> None:
    """A page that shows a case's name or reference carries the OFFICIAL-SENSITIVE marking (the banner,
    not the footer's standing note)."""
    if response.status_code != 200 or response.mimetype != "text/html":
        return
    body = response.get_data(as_text=True)
    if CASE_DATA.search(body):
        assert 'aria-label="Protective marking">OFFICIAL-SENSITIVE' in body, f"{case.id}: unmarked for {role}"


@pytest.mark.parametrize("case", [c for c in CASES if not c.public], ids=lambda case: case.id)
def test_signed_out_people_are_sent_to_sign_in(app, world, case):
    response = _ask(app.test_client(), case, world)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in")


def test_every_route_has_an_access_case(app):
    covered = {case.endpoint for case in CASES}
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert routes - covered == set(), "routes with no access case"


def test_every_view_declares_who_may_use_it(app):
    undeclared = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not hasattr(view, "required_permissions")
    ]
    assert undeclared == []


def test_every_post_route_is_posted_to_by_every_role():
    posted = {case.endpoint for case in CASES if case.method == "POST"}
    assert set(POST_ENDPOINTS) - posted == set(), "POST routes with no write case"


def test_every_post_route_declares_a_write_permission(app):
    """A route that changes something names a permission that allows a change, not only VIEW_*: the check
    of what the person may change must not rest on the view remembering a flag. Public routes and those
    that change only the signed-in person's own account (declaring no permission) are their own case."""
    read_only = {
        endpoint
        for endpoint in POST_ENDPOINTS
        if (needed := app.view_functions[endpoint].required_permissions)
        and set(needed) <= READ_PERMISSIONS
    }
    assert read_only == set()


def test_every_meeting_write_has_an_auditor_case():
    meetings = {endpoint for endpoint in POST_ENDPOINTS if endpoint.startswith("meetings.")}
    covered = {case.endpoint for case in AUDITOR_WRITES}
    assert meetings - NOT_ABOUT_A_MEETING - covered == set()


def test_an_auditor_reads_the_meeting_he_audits(app, session, world):
    client = sign_in(app.test_client(), session, world.auditor)
    assert client.get(f"/meetings/{world.audited.id}").status_code == 200
    assert client.get(f"/meetings/{world.audited.id}/agenda/{world.audited_item.id}").status_code == 200
    assert client.get(f"/cases/{world.audited_item.case_id}").status_code == 200


@pytest.mark.parametrize("case", AUDITOR_WRITES, ids=lambda case: case.endpoint)
def test_an_auditor_changes_nothing_on_the_meeting_he_audits(app, session, world, case):
    client = sign_in(app.test_client(), session, world.auditor)
    response = _ask(client, case, world)
    assert _refused(response), f"the auditor was let into {case.endpoint}: {response.status_code}"
