"""Sign-in under concurrent requests: real threads, each request on its own database connection.

These tests use an app and a database of their own (not the rolled-back connection the other tests
share), so that the requests really run at the same time and commit as in production.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pyotp
import pytest
from bs4 import BeautifulSoup
from sqlmodel import Session, select

from tests.conftest import BACKENDS, make_app, make_database
from tests.factories.core import PASSWORD, CoreFactory
from tracker.auth.models import LoginAttempt


@pytest.fixture(scope="module", params=BACKENDS)
def live_app(request, tmp_path_factory):
    databases = make_database(request.param, tmp_path_factory)
    url = next(databases)
    app = make_app(
        url,
        tmp_path_factory.mktemp("mail"),
        LOGIN_MAX_FAILURES_PER_ACCOUNT=5,
        LOGIN_MAX_FAILURES_PER_ADDRESS=5,
    )
    yield app
    app.extensions["db_engine"].dispose()
    databases.close()


def make_user(app, **fields):
    with Session(app.extensions["db_engine"], expire_on_commit=False) as session:
        return CoreFactory(session).user("CHAIR", **fields)


def all_at_once(count: int, request: Callable[[int], object]) -> list:
    """Run request(0..count-1) in threads released together by a barrier; their results in order."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(number: int) -> None:
        barrier.wait()
        results[number] = request(number)

    threads = [threading.Thread(target=run, args=(number,)) for number in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def errors(response) -> list[str]:
    summary = BeautifulSoup(response.data, "html.parser").select_one(".govuk-error-summary")
    return [a.get_text(strip=True) for a in summary.select("a")] if summary else []


def test_one_security_code_sent_by_four_browsers_at_once_signs_in_only_one(live_app):
    secret = pyotp.random_base32()
    user = make_user(live_app, totp_secret=secret)
    browsers = [live_app.test_client() for _ in range(4)]
    for browser in browsers:
        response = browser.post("/sign-in", data={"email": user.email, "password": PASSWORD})
        assert response.headers["Location"] == "/sign-in/two-factor"
    code = pyotp.TOTP(secret).now()
    responses = all_at_once(4, lambda n: browsers[n].post("/sign-in/two-factor", data={"code": code}))
    signed_in = [r for r in responses if r.status_code == 302 and r.headers["Location"] == "/home"]
    assert len(signed_in) == 1
    refused = [errors(r) for r in responses if r.status_code == 200]
    assert refused == [["The security code is wrong or has been used. Enter the latest code"]] * 3


def test_thirty_wrong_passwords_at_once_are_checked_no_more_than_the_limit(live_app):
    user = make_user(live_app)
    browsers = [live_app.test_client() for _ in range(30)]
    for number, browser in enumerate(browsers):
        browser.environ_base["REMOTE_ADDR"] = f"198.51.100.{number}"  # spread over many addresses
    responses = all_at_once(
        30, lambda n: browsers[n].post("/sign-in", data={"email": user.email, "password": f"wrong {n}"})
    )
    checked = [r for r in responses if errors(r) == ["Enter a correct email address and password"]]
    refused = [r for r in responses if errors(r) and errors(r)[0].startswith("There have been too many")]
    assert 1 <= len(checked) <= 5
    assert len(checked) + len(refused) == 30
    with Session(live_app.extensions["db_engine"]) as session:
        outcomes = session.exec(select(LoginAttempt.outcome).where(LoginAttempt.email == user.email)).all()
    assert sorted(set(outcomes)) == ["failed", "refused"]
    assert outcomes.count("failed") == len(checked)
