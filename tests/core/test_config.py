"""Configuration from the environment: every variable the README lists is read, whole numbers are checked."""

from pathlib import Path

import pytest

from tracker import create_app
from tracker.config import ENVIRONMENT

README = (Path(__file__).parents[2] / "README.md").read_text()


def test_the_sign_in_limits_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("LOGIN_MAX_FAILURES_PER_ADDRESS", "40")
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "15")
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/config.db", "SECRET_KEY": "x"})
    assert app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] == 40
    assert app.config["SESSION_IDLE_MINUTES"] == 15
    assert app.config["SESSION_MAX_HOURS"] == 12


@pytest.mark.parametrize("value", ["ten", "-3", "2.5", "0"])
def test_a_whole_number_that_is_not_one_stops_the_app_naming_it(monkeypatch, tmp_path, value):
    # 0 failures allowed, or a session of 0 minutes, would stop everyone signing in.
    monkeypatch.setenv("LOGIN_MAX_FAILURES_PER_ADDRESS", value)
    with pytest.raises(SystemExit, match="LOGIN_MAX_FAILURES_PER_ADDRESS must be a whole number of 1 or more"):
        create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/config.db", "SECRET_KEY": "x"})


def test_an_empty_variable_gives_the_default_and_other_numbers_may_be_0(monkeypatch, tmp_path):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "")
    monkeypatch.setenv("MAIL_RETRY_SECONDS", "0")
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/config.db", "SECRET_KEY": "x"})
    assert (app.config["SESSION_IDLE_MINUTES"], app.config["MAIL_RETRY_SECONDS"]) == (30, 0)


def test_the_readme_lists_every_environment_variable():
    assert [key for key in ENVIRONMENT if f"`{key}`" not in README] == []
