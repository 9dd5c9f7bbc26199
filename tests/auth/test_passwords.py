"""Choosing a new password: guessable ones are refused, and a change ends one's other sessions."""

from bs4 import BeautifulSoup

from tests.factories.core import PASSWORD
from tests.pages import error_summary
from tracker.auth import rules

NEW = "tidal orchard compass lantern"


def test_a_sequence_of_digits_is_refused_as_too_easy_to_guess():
    problem = rules.password_problem("123456789012")
    assert problem == (
        "Password is too easy to guess: it is like passwords found in data breaches. "
        "Try a longer phrase of three or four unrelated words"
    )
    assert rules.password_problem("qwertyuiopas")
    assert rules.password_problem("iloveyou2026")


def test_a_guessable_new_password_is_refused_on_the_form_and_the_old_one_still_works(client_as, factory):
    user = factory.user("CHAIR")
    browser = client_as(user)
    response = browser.post(
        "/account/password",
        data={"current": PASSWORD, "password": "123456789012", "confirm": "123456789012"},
    )
    assert response.status_code == 200
    assert error_summary(response) == [
        "Password is too easy to guess: it is like passwords found in data breaches. "
        "Try a longer phrase of three or four unrelated words"
    ]
    assert rules.verify_password(user.password_hash, PASSWORD)


def test_changing_your_password_signs_you_out_everywhere_else(app, client_as, factory, session):
    user = factory.user("CHAIR")
    here = client_as(user)
    elsewhere = client_as(user)
    assert elsewhere.get("/home").status_code == 200
    response = here.post("/account/password", data={"current": PASSWORD, "password": NEW, "confirm": NEW})
    assert response.headers["Location"] == "/account"
    page = BeautifulSoup(here.get("/account").data, "html.parser").get_text(" ", strip=True)
    assert "Your password has been changed. You have been signed out in 1 other browser." in page
    assert here.get("/home").status_code == 200  # this browser stays signed in
    assert elsewhere.get("/home").headers["Location"].endswith("/sign-in")
    told = BeautifulSoup(elsewhere.get("/sign-in").data, "html.parser").get_text(" ", strip=True)
    assert "Your password was changed in another browser. Sign in with your new password." in told
