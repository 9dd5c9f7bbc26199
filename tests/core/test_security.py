"""Headers, CSRF and error pages that protect every page."""

import re

import pytest
from bs4 import BeautifulSoup

from tracker import create_app


def test_pages_carry_a_strict_content_security_policy_and_no_store(client_as):
    response = client_as("CHAIR").get("/home")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_only_inline_script_runs_under_the_per_request_nonce(client):
    response = client.get("/sign-in")
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    scripts = BeautifulSoup(response.data, "html.parser").find_all("script")
    inline = [script for script in scripts if not script.get("src")]
    assert len(inline) == 1
    assert inline[0]["nonce"] == nonce
    assert (
        client.get("/sign-in").headers["Content-Security-Policy"]
        != response.headers["Content-Security-Policy"]
    )


def test_static_assets_are_served_at_assets_and_may_be_cached(client):
    response = client.get("/assets/tracker.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_a_missing_page_is_a_friendly_404_that_reveals_nothing(client_as):
    response = client_as("CHAIR").get("/no-such-page")
    assert response.status_code == 404
    text = BeautifulSoup(response.data, "html.parser").get_text(" ", strip=True)
    assert "Page not found" in text
    assert "Traceback" not in text


def test_a_refused_page_is_a_friendly_403(client_as):
    response = client_as("CHAIR").get("/admin/users")
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.get_data(as_text=True)


@pytest.fixture
def csrf_app(database_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "csrf-tests",
            "WTF_CSRF_ENABLED": True,
            "MAIL_FOLDER": str(tmp_path),
        }
    )
    yield app
    app.extensions["db_engine"].dispose()


def test_every_state_changing_route_refuses_a_post_without_a_csrf_token(csrf_app):
    client = csrf_app.test_client()
    posts = [rule for rule in csrf_app.url_map.iter_rules() if "POST" in rule.methods]
    assert posts, "the app has POST routes"
    for rule in posts:
        url = re.sub(r"<int:\w+>", "1", rule.rule)
        url = re.sub(r"<any\((\w+)[^)]*\):\w+>", r"\1", url)  # the first of the choices
        url = re.sub(r"<\w+>", "x", url)
        response = client.post(url, data={})
        assert response.status_code == 400, f"{rule.rule} accepted a POST without a CSRF token"
        assert "Your form was not sent" in response.get_data(as_text=True)


def test_the_page_refusing_a_form_runs_its_inline_script_under_the_nonce_too(csrf_app):
    # The CSRF check stops a request before other before-request functions run.
    response = csrf_app.test_client().post("/sign-in", data={})
    assert response.status_code == 400
    nonce = response.headers["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert nonce
    (inline,) = [
        s for s in BeautifulSoup(response.data, "html.parser").find_all("script") if not s.get("src")
    ]
    assert inline["nonce"] == nonce


def test_every_route_that_changes_something_accepts_only_post(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        methods = rule.methods - {"HEAD", "OPTIONS"}
        assert methods in ({"GET"}, {"POST"}, {"GET", "POST"}), rule.rule
