"""Validators with GOV.UK-style messages: the form states the message for its own field. Forms take them
from `tracker.core.fields`, with the fields."""

from __future__ import annotations

from flask_wtf import file as wtf_file
from wtforms import validators


class _KeepsWhatWasWrong:
    """WTForms' required validators clear earlier errors. When what was typed could not be read (a date
    that does not exist, "25:00"), that message is the useful one, so keep it and stop there."""

    def __call__(self, form, field):
        if field.process_errors:
            raise validators.StopValidation()
        super().__call__(form, field)


class _InputRequired(_KeepsWhatWasWrong, validators.InputRequired):
    pass


class _DataRequired(_KeepsWhatWasWrong, validators.DataRequired):
    pass


def required(message: str) -> validators.InputRequired:
    return _InputRequired(message=message)


def data_required(message: str) -> validators.DataRequired:
    return _DataRequired(message=message)


def length(maximum: int, label: str, minimum: int = -1) -> validators.Length:
    if minimum > 0:
        message = f"{label} must be between {minimum} and {maximum} characters"
    else:
        message = f"{label} must be {maximum} characters or fewer"
    return validators.Length(min=minimum, max=maximum, message=message)


def email(message: str = "Enter an email address in the correct format, like name@example.com"):
    return validators.Email(message=message, granular_message=False, check_deliverability=False)


def number_range(label: str, minimum: int | None = None, maximum: int | None = None):
    if minimum is not None and maximum is not None:
        message = f"{label} must be between {minimum:,} and {maximum:,}"
    elif minimum is not None:
        message = f"{label} must be {minimum:,} or more"
    else:
        message = f"{label} must be {maximum:,} or less"
    return validators.NumberRange(min=minimum, max=maximum, message=message)


def file_required(message: str) -> wtf_file.FileRequired:
    return wtf_file.FileRequired(message=message)


def file_allowed(extensions: list[str], message: str) -> wtf_file.FileAllowed:
    return wtf_file.FileAllowed(extensions, message=message)


class _Optional(validators.Optional):
    """WTForms' Optional takes a field whose first input is empty for one left empty, and clears its
    errors: a date with no day (its first box) would be dropped without a word, as if none were given.
    A field left wholly empty stops the checks as before (its reading errors, such as a stock number
    field's on "", cleared); one with anything typed that could not be read keeps its message."""

    def __call__(self, form, field):
        typed = any(isinstance(part, str) and self.string_check(part) for part in field.raw_data or ())
        if field.process_errors and typed:
            raise validators.StopValidation()
        super().__call__(form, field)


def optional() -> validators.Optional:
    return _Optional()
