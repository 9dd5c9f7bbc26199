"""Property-based fuzzing of every form: whatever is posted, the answer is never a server error.

The routes are every POST route of the app's URL map (their addresses come from the access cases, which
cover every route); each form's fields are read from its page as served (names, how many inputs share a
name, the options offered), or from the access case's data for a route with no page of its own. The
person posting holds every role and is cleared for Category 4, so the forms' own checks are reached
rather than the permission checks. Examples are bounded so that a backend takes well under a minute.
"""

from __future__ import annotations

import io
import os
from collections import defaultdict

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access_cases import ROLES
from tests.conftest import sign_in
from tests.test_access import CASES

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "5"))


@pytest.fixture(scope="module")
def app(access_app):
    """The app on the database that holds the world the cases point at (tests/access_world.py)."""
    return access_app

# Values that have broken parsers before: null characters, huge and odd numbers, other scripts' digits,
# lone line endings, very long text, formula-like text, markup.
AWKWARD = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "NaN",
    "Infinity",
    "1e999",
    "9" * 30,
    "-" + "9" * 20,
    "٣",
    "\x00",
    "a\x00b",
    "\r",
    "\r\n",
    "\t",
    "é" * 300,
    "x" * 20_000,
    "=HYPERLINK(\"http://evil.example\")",
    "<script>alert(1)</script>",
    "'; DROP TABLE case; --",
    "../../etc/passwd",
    "\ud7ff\ufffd\U0001f600",
    "ß",
    "İ",
]
TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
FILES = st.sampled_from(
    [
        b"",
        b"\x00\x01\x02\xff",
        "name,email,agency\nA,a@example.org,Police\n".encode("utf-16"),
        "name,email,agency\nA,a@example.org,Police\n".encode("utf-16-le"),
        b"name,email,agency\r" + b"A" * 140_000 + b",a@example.org,Police\r",
        b"name,email,agency\nA,\"unclosed,Police\n",
        b"\xef\xbb\xbfname,email,agency\nZo\xc3\xab,zoe@example.org,Police\n",
    ]
)


def _value(options: list[str]):
    strategies = [st.sampled_from(AWKWARD), TEXT, st.integers(-(10**40), 10**40).map(str)]
    if options:
        strategies.append(st.sampled_from(options))
    return st.one_of(*strategies)


def _fields(html: bytes) -> tuple[dict[str, list[str]], dict[str, list[str]], set[str]]:
    """What a page's forms post as served (each name's values: a date has three), the options each
    name offers, and the file inputs."""
    soup = BeautifulSoup(html, "html.parser")
    baseline: dict[str, list[str]] = defaultdict(list)
    options: dict[str, list[str]] = defaultdict(list)
    files = set()
    for form in soup.select("form[method=post], form[method=POST]"):
        for element in form.select("input[name], select[name], textarea[name]"):
            name = element["name"]
            if name == "csrf_token":
                continue
            if element.name == "input" and element.get("type") == "file":
                files.add(name)
            elif element.name == "select":
                values = [o.get("value", o.get_text()) for o in element.select("option")]
                options[name] += values
                chosen = element.select_one("option[selected]")
                if name not in baseline:
                    baseline[name] = [chosen.get("value", "") if chosen else next((v for v in values if v), "")]
            elif element.get("type") in ("radio", "checkbox"):
                options[name].append(element.get("value", "y"))
                if element.has_attr("checked") or name not in baseline:
                    baseline[name] = [element.get("value", "y")]
            elif element.name == "textarea":
                baseline[name].append(element.get_text())
            else:
                baseline[name].append(element.get("value", ""))
    return dict(baseline), dict(options), files


def _submissions(baseline: dict[str, list[str]], options: dict[str, list[str]]):
    """The form as served with one to three of its fields changed to something awkward."""
    names = sorted(baseline)
    if not names:
        return st.just({})
    changes = st.dictionaries(
        st.sampled_from(names), st.just(None), min_size=1, max_size=min(3, len(names))
    ).flatmap(
        lambda chosen: st.fixed_dictionaries(
            {
                name: st.lists(_value(options.get(name, [])), min_size=len(baseline[name]), max_size=len(baseline[name]))
                for name in chosen
            }
        )
    )
    return changes.map(lambda changed: {**baseline, **changed})


def _form_routes(app) -> dict[str, str]:
    """Every endpoint that takes a POST, with one address for it."""
    posting = {rule.endpoint for rule in app.url_map.iter_rules() if "POST" in (rule.methods or ())}
    found = {}
    for case in CASES:
        if case.endpoint in posting and case.endpoint not in found and not case.ends_at_sign_in:
            found[case.endpoint] = case
    return found


def test_no_form_answers_with_a_server_error(app, session, factory, world):  # noqa: F811
    person = factory.user(*ROLES, name="Fuzz Everyone", terrorism_cleared=True)
    routes = _form_routes(app)
    assert len(routes) >= 40  # the app has this many forms; fewer means the routes were not found
    for endpoint, case in routes.items():
        url = case.resolve_url(world)
        client = app.test_client() if case.public else sign_in(app.test_client(), session, person)
        page = client.get(url)
        baseline, options, files = _fields(page.data) if page.status_code == 200 else ({}, {}, set())
        for name, value in (case.resolve_data(world) or {}).items():
            values = value if isinstance(value, list) else [str(value)]
            baseline.setdefault(name, values)
            options.setdefault(name, []).extend(values)
        if os.environ.get("FUZZ_VERBOSE"):
            print(endpoint, url, page.status_code, sorted(baseline), sorted(files))
        _fuzz(app, session, None if case.public else person, endpoint, url, _submissions(baseline, options), files)


def _fuzz(app, session, person, endpoint: str, url: str, strategy, files: set[str]) -> None:
    client = app.test_client() if person is None else sign_in(app.test_client(), session, person)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=strategy, upload=FILES)
    def post_anything(data, upload):
        body = {name: values[0] if len(values) == 1 else values for name, values in data.items()}
        for name in files:
            body[name] = (io.BytesIO(upload), "people.csv")
        response = client.post(url, data=body, content_type="multipart/form-data")
        assert response.status_code < 500, (endpoint, body)

    post_anything()
