"""WTForms fields rendered with GOV.UK Frontend widgets, with GOV.UK-style messages.

Forms import their fields from here so that every form looks and speaks the same. The date and time
fields fix two things the stock fields get wrong: a POST that leaves a date out entirely, and messages
like "Not a valid date value."
"""

from __future__ import annotations

import re
from datetime import date, time

from flask_wtf import file as wtf_file
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovFileInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import fields, validators
from wtforms.validators import ValidationError

from tracker.core.validators import (
    data_required,
    email,
    file_allowed,
    file_required,
    length,
    number_range,
    optional,
    required,
)


class TextInput(GovTextInput):
    """A text input that keeps a width class given as `render_kw={"class": ...}`.

    The GOV.UK macro writes its own class attribute before the extra attributes, so a second `class`
    among them is dropped by the browser: it has to go in the component's `classes` instead.
    """

    def map_gov_params(self, field, **kwargs):
        extra = " ".join(filter(None, (kwargs.pop("class", None), kwargs.pop("class_", None))))
        params = super().map_gov_params(field, **kwargs)
        if extra:
            params["classes"] = " ".join(filter(None, (params.get("classes"), extra)))
        return params


NUL_MESSAGE = "{label} contains a character that cannot be saved (a null character): remove it"
# PostgreSQL refuses integers beyond these; a number typed larger is a message, not a server error.
SMALLEST_INTEGER, LARGEST_INTEGER = -(2**31), 2**31 - 1


class _Text:
    """Text with a null character cannot be stored by PostgreSQL (and is never typed by a person): the
    field says so instead of the database failing. Every text field of the tracker comes from here."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, str) and "\x00" in self.data:
            raise ValueError(NUL_MESSAGE.format(label=self.label.text))


class _Choices:
    """A value that is not among the choices (a changed or forged form) stops the field's validation
    with a GOV.UK-style message, so no later check tries to read it as, say, an id."""

    def pre_validate(self, form):
        if self.process_errors:
            raise validators.StopValidation()
        try:
            super().pre_validate(form)
        except ValidationError as error:
            if self.data in (None, "", []):
                raise  # nothing chosen: the field's own "Select ..." message follows
            message = self.invalid_choice_message if isinstance(self.invalid_choice_message, str) else None
            raise validators.StopValidation(message or "Select one of the options given") from error


class StringField(_Text, fields.StringField):
    widget = TextInput()

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = self.data.strip()


class ReferenceField(StringField):
    """A reference such as a MAPPA reference: compared and kept in capitals, so "ldn-2026-0101" and
    "LDN-2026-0101" are one reference."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = self.data.upper()


class EmailField(StringField):
    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = self.data.lower()


class PasswordField(_Text, fields.PasswordField):
    widget = GovPasswordInput()


class TextAreaField(_Text, fields.TextAreaField):
    widget = GovTextArea()


class _Legend:
    """The field's label as its fieldset's legend even where the template sizes the legend: the library
    sets the legend only when the template gives no fieldset, so one given only its classes lost its text
    (and the question its name, for a screen reader)."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        fieldset = params.get("fieldset") or {}
        legend = fieldset.get("legend")
        if isinstance(legend, dict) and not legend.get("text") and not legend.get("html"):
            params["fieldset"] = {**fieldset, "legend": {**legend, "text": field.label.text}}
        return params


class _Radios(_Legend, GovRadioInput):
    pass


class _Checkboxes(_Legend, GovCheckboxesInput):
    pass


class _DateBoxes(_Legend, GovDateInput):
    pass


class SelectField(_Choices, fields.SelectField):
    widget = GovSelect()


class RadioField(_Choices, fields.RadioField):
    widget = _Radios()


class CheckboxesField(_Choices, fields.SelectMultipleField):
    widget = _Checkboxes()


class BooleanField(fields.BooleanField):
    widget = GovCheckboxInput()


class FileField(wtf_file.FileField):
    widget = GovFileInput()


class HiddenField(_Text, fields.HiddenField):
    """A value the page carries through a POST, such as the version of a record being edited."""


class SubmitField(fields.SubmitField):
    widget = GovSubmitInput()


class IntegerField(fields.IntegerField):
    widget = TextInput()

    def __init__(self, label=None, validators=None, message: str = "Enter a whole number", **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "numeric", "spellcheck": "false"})
        super().__init__(label, validators, **kwargs)
        self.message = message

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip().replace(",", ""))
        except ValueError:
            self.data = None
            raise ValueError(self.message) from None
        if not SMALLEST_INTEGER <= self.data <= LARGEST_INTEGER and not self._ranged_within_storage():
            self.data = None
            raise ValueError(
                f"{self.label.text} must be between {SMALLEST_INTEGER:,} and {LARGEST_INTEGER:,}"
            )

    def _ranged_within_storage(self) -> bool:
        """Whether the field's own range (a NumberRange) lies within what the database stores: then that
        range refuses a number too large to store, with its own message (the storage limit's would
        suggest, for one, that negative numbers are allowed)."""
        return any(
            isinstance(v, validators.NumberRange)
            and v.min is not None
            and v.max is not None
            and v.min >= SMALLEST_INTEGER
            and v.max <= LARGEST_INTEGER
            for v in self.validators
        )


class DecimalField(fields.DecimalField):
    widget = TextInput()

    def __init__(self, label=None, validators=None, message: str = "Enter a number", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.message = message

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.message) from None
        # "NaN", "Infinity" and "1E+999999" are decimals to Python, but not numbers anyone means.
        if self.data is not None and (not self.data.is_finite() or abs(self.data) >= 10**12):
            self.data = None
            raise ValueError(self.message)


class DateField(fields.DateField):
    """Day, month and year boxes. A date left out entirely, or half filled, gets a clear message, which
    names the date as `named` (its label by default: a label asked as a question, "When?", needs one)."""

    widget = _DateBoxes()

    def __init__(self, label=None, validators=None, named: str | None = None, **kwargs):
        super().__init__(label, validators, format="%d %m %Y", **kwargs)
        self.named = named

    def process_formdata(self, valuelist):
        if not valuelist:
            # Left out of the POST entirely: the widget must not try to unpack an empty list.
            self.raw_data = None
            self.data = None
            return
        parts = [(part or "").strip() for part in valuelist[:3]]
        parts += [""] * (3 - len(parts))
        self.raw_data = parts
        if not any(parts):
            self.data = None
            return
        missing = [name for name, part in zip(("day", "month", "year"), parts, strict=True) if not part]
        if missing:
            self.data = None
            raise ValueError(f"{self.named or self.label.text} must include a {' and '.join(missing)}")
        try:
            day, month, year = (int(part) for part in parts)
            if year < 1000:
                raise ValueError
            self.data = date(year, month, day)
        except (ValueError, OverflowError):  # a year of 30 digits overflows rather than being wrong
            self.data = None
            raise ValueError(f"{self.named or self.label.text} must be a real date") from None

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.strftime("%d %m %Y") if self.data else ""


_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


class TimeField(StringField):
    """A 24-hour time such as 09:30, in one box."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("description", "For example, 09:30 or 14:00")
        kwargs.setdefault("render_kw", {"class": "govuk-input--width-5"})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        raw = (valuelist[0] if valuelist else "").strip()
        self.raw_data = [raw]
        if not raw:
            self.data = None
            return
        match = _TIME.match(raw)
        try:
            if not match:
                raise ValueError
            self.data = time(int(match.group(1)), int(match.group(2)))
        except (ValueError, OverflowError):
            self.data = None
            raise ValueError(f"{self.label.text} must be a time in 24-hour format, like 14:00") from None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%H:%M") if self.data else ""


def _limited(label: str, limit: int, missing: str | None, named: str | None) -> list:
    return [data_required(missing) if missing else optional(), length(limit, named or label)]


def short_text(label: str, *, limit: int, missing: str | None = None, named: str | None = None, **kwargs):
    """A one-line text input for a person's own words: required with the message `missing` (optional
    without one) and no longer than `limit`, the message naming it as `named` (its label by default)."""
    return StringField(label, validators=_limited(label, limit, missing, named), **kwargs)


def free_text(
    label: str,
    *,
    limit: int,
    missing: str | None = None,
    named: str | None = None,
    rows: int | None = None,
    **kwargs,
):
    """A text area for a person's own words, `rows` high (the GOV.UK default of 5 without): required or
    optional and limited as `short_text` is."""
    if rows:
        kwargs["render_kw"] = {"rows": rows}
    return TextAreaField(label, validators=_limited(label, limit, missing, named), **kwargs)


def reason_text(question: str, *, missing: str, named: str = "The reason", limit: int = 2000, **kwargs):
    """A required text area for the reason a person gives for what they do, asked as a question ("Why is
    the hold lifted?"): its messages name it as `named`."""
    return free_text(question, limit=limit, missing=missing, named=named, **kwargs)


def choose_one(label: str, choices=None, *, missing: str, **kwargs) -> RadioField:
    """Radios of which one must be chosen, with the message `missing` when none is (the choices may be
    given later, by the form)."""
    return RadioField(label, choices=choices, validators=[data_required(missing)], **kwargs)


__all__ = [
    "BooleanField",
    "CheckboxesField",
    "DateField",
    "DecimalField",
    "EmailField",
    "FileField",
    "HiddenField",
    "IntegerField",
    "PasswordField",
    "RadioField",
    "SelectField",
    "StringField",
    "SubmitField",
    "TextAreaField",
    "TimeField",
    "ValidationError",
    "choose_one",
    "data_required",
    "email",
    "file_allowed",
    "file_required",
    "length",
    "number_range",
    "optional",
    "reason_text",
    "required",
]
