"""Configuration: defaults, then instance/config.py, then the environment, then the caller's overrides."""

import os
import secrets
import time
from pathlib import Path

from flask import Flask

# Settings read from the environment, with their defaults. The README lists them.
ENVIRONMENT = {
    "SECRET_KEY": None,
    "DATABASE_URL": None,
    "MIGRATION_DATABASE_URL": None,
    "BASE_URL": "http://127.0.0.1:5000",
    "SMTP_HOST": None,
    "SMTP_PORT": 25,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "SMTP_STARTTLS": False,
    "MAIL_FROM": "mappa-tracker@localhost",
    "MAIL_FOLDER": None,
    "MAIL_REPLY_TO": None,
    "IMAP_HOST": None,
    "IMAP_PORT": 993,
    "IMAP_SECURITY": "tls",
    "IMAP_USERNAME": None,
    "IMAP_PASSWORD": None,
    "IMAP_CA_FILE": None,
    "IMAP_FOLDER": "INBOX",
    "IMAP_PROCESSED_FOLDER": "Processed by MAPPA Tracker",
    "IMAP_NOT_APPLIED_FOLDER": "Not applied by MAPPA Tracker",
    "MAIL_MAX_ATTEMPTS": 8,
    "MAIL_RETRY_SECONDS": 60,
    "MAIL_CLAIM_SECONDS": 300,
    "TRUST_PROXY": False,
    "SESSION_COOKIE_SECURE": True,
    "METRICS_TOKEN": None,
    "LOG_LEVEL": "INFO",
    # Sign-in and sessions (tracker.auth): how long a session lasts idle and at most; failed sign-ins
    # allowed in the window (tracker.auth.throttle) from a browser that has signed in to the account
    # before, from one network address, and to one account from browsers it has not used; how long a
    # password reset link and a trained chair's invitation to make an account (from the chairs'
    # register) work.
    "SESSION_IDLE_MINUTES": 30,
    "SESSION_MAX_HOURS": 12,
    "LOGIN_WINDOW_MINUTES": 15,
    "LOGIN_MAX_FAILURES_PER_DEVICE": 5,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 10,
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": 20,
    "PASSWORD_RESET_HOURS": 24,
    "ACCOUNT_INVITATION_DAYS": 7,
}


class Defaults:
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "tracker_session"
    WTF_CSRF_TIME_LIMIT = None  # the CSRF token lives as long as the signed-in session
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    PAGE_SIZE = 25


# Whole-number settings that must be 1 or more (a limit of 0 failures, or a session of 0 minutes, would
# stop everyone signing in); the others may be 0.
AT_LEAST_ONE = {key for key in ENVIRONMENT if key.startswith(("SESSION_", "LOGIN_", "PASSWORD_", "ACCOUNT_"))}


# The spellings of true and false a setting may use (any case); anything else stops the app, so that a
# slip (SESSION_COOKIE_SECURE=y) never quietly turns a protection off.
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}
# Settings with a fixed set of values, checked at start rather than when first used.
CHOICES = {
    "IMAP_SECURITY": ("tls", "starttls"),
    "LOG_LEVEL": ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"),
}


def _coerce(key: str, value: str, default):
    if isinstance(default, bool):
        word = value.strip().lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            raise SystemExit(
                f"{key} must be true or false (1/0, true/false, yes/no or on/off; it is set to {value!r})"
            )
        return word in TRUE_WORDS
    if isinstance(default, int):
        lowest = 1 if key in AT_LEAST_ONE else 0
        try:
            number = int(value)
        except ValueError:
            number = -1
        if number < lowest:
            raise SystemExit(f"{key} must be a whole number of {lowest} or more (it is set to {value!r})")
        return number
    return value


def load_config(app: Flask, overrides: dict | None) -> None:
    app.config.from_object(Defaults)
    for key, default in ENVIRONMENT.items():
        app.config[key] = default
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_pyfile("config.py", silent=True)
    for key, default in ENVIRONMENT.items():
        if os.environ.get(key, "").strip():  # set and not empty (empty: the default)
            app.config[key] = _coerce(key, os.environ[key], default)
    app.config.update(overrides or {})
    _check_choices(app.config)

    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{Path(app.instance_path) / 'tracker.db'}"
    if not app.config["MIGRATION_DATABASE_URL"]:
        app.config["MIGRATION_DATABASE_URL"] = app.config["DATABASE_URL"]
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")
    if not app.config["MAIL_FOLDER"]:
        app.config["MAIL_FOLDER"] = str(Path(app.instance_path) / "mail")
    if app.debug or app.testing:
        app.config["SESSION_COOKIE_SECURE"] = False


def _check_choices(config) -> None:
    """Stop the app at start, naming the setting, when one with a fixed set of values has another (from
    the environment or instance/config.py); the value is kept in the case its users expect."""
    for key, allowed in CHOICES.items():
        value = str(config.get(key) or ENVIRONMENT[key]).strip()
        matched = next((choice for choice in allowed if choice.lower() == value.lower()), None)
        if matched is None:
            listed = ", ".join(allowed[:-1]) + " or " + allowed[-1]
            raise SystemExit(f"{key} must be {listed} (it is set to {value!r})")
        config[key] = matched


def _instance_secret(path: Path) -> str:
    """Read the instance's secret key, creating it once (safely when several workers start together)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another worker may have created the file a moment ago and not yet written it.
        for _ in range(50):
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.1)
        raise RuntimeError(f"{path} is empty: delete it and start again") from None
    with os.fdopen(fd, "w") as handle:
        key = secrets.token_hex(32)
        handle.write(key)
    return key
