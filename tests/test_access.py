"""Every route asked as every role, and signed out: allowed, refused (403 or 404), or sent to sign in."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests.access_cases as access_cases
from tests.access_cases import ROLES, Case, World
from tests.conftest import sign_in

MODULES = [
    importlib.import_module(f"tests.access_cases.{info.name}")
    for info in pkgutil.iter_modules(access_cases.__path__)
]
CASES: list[Case] = [case for module in MODULES for case in module.CASES]


@pytest.fixture
def world(factory) -> World:
    world = World()
    for role in ROLES:
        world.users[role] = factory.user(role, name=f"Access {role.title()}")
    for module in MODULES:
        module.build(world, factory)
    return world


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
            assert (
                "/sign-in" not in response.headers.get("Location", "") or case.public or case.ends_at_sign_in
            ), f"{role} was sent to sign in by {case.id}"
        else:
            assert _refused(response), f"{role} was let into {case.id}: {response.status_code}"


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
