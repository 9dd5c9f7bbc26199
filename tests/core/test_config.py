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


def _start(tmp_path):
    return create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/config.db", "SECRET_KEY": "x"})


@pytest.mark.parametrize(
    ("value", "meant"),
    [("1", True), ("TRUE", True), ("Yes", True), ("on", True), ("0", False), ("False", False), ("NO", False),
     ("off", False)],
)
def test_true_or_false_takes_the_usual_spellings_in_any_case(monkeypatch, tmp_path, value, meant):
    monkeypatch.setenv("TRUST_PROXY", value)
    assert _start(tmp_path).config["TRUST_PROXY"] is meant


@pytest.mark.parametrize("value", ["y", "n", "ture", "enabled", "2"])
def test_an_unrecognised_true_or_false_stops_the_app_naming_it(monkeypatch, tmp_path, value):
    # SESSION_COOKIE_SECURE=y once quietly meant false: session cookies sent over plain http.
    monkeypatch.setenv("SESSION_COOKIE_SECURE", value)
    with pytest.raises(SystemExit, match="SESSION_COOKIE_SECURE must be true or false") as stopped:
        _start(tmp_path)
    assert repr(value) in str(stopped.value)


def test_imap_security_other_than_tls_or_starttls_stops_the_app_at_start(monkeypatch, tmp_path):
    monkeypatch.setenv("IMAP_SECURITY", "ssl")
    with pytest.raises(SystemExit, match="IMAP_SECURITY must be tls or starttls \\(it is set to 'ssl'\\)"):
        _start(tmp_path)
    monkeypatch.setenv("IMAP_SECURITY", "STARTTLS")
    assert _start(tmp_path).config["IMAP_SECURITY"] == "starttls"


def test_an_unknown_log_level_stops_the_app_with_a_message_not_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    with pytest.raises(SystemExit, match="LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL"):
        _start(tmp_path)
    monkeypatch.setenv("LOG_LEVEL", "warning")
    assert _start(tmp_path).config["LOG_LEVEL"] == "WARNING"


def test_a_bad_setting_read_from_instance_config_is_refused_too(tmp_path):
    with pytest.raises(SystemExit, match="IMAP_SECURITY must be tls or starttls"):
        create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/c.db", "SECRET_KEY": "x",
                    "IMAP_SECURITY": "ssl"})
