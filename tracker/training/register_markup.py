"""The rows of a session's register, written out once in Python: for each person, GOV.UK Frontend's
radios (present, late, left early, absent) and text input markup, as govukRadios and govukInput render it.

A register holds a few hundred people. Calling a Jinja macro per row (and, before that, the GOV.UK macros
twice per row) took most of the page's time; here the markup that does not change is a format string
made once, and only each person's values are escaped into it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

_ERROR = (
    '<p id="{id}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> '
    "{message}</p>"
)
_RADIO = (
    '<div class="govuk-radios__item"><input class="govuk-radios__input" id="{id}" name="{name}" type="radio" '
    'value="{value}"{checked}><label class="govuk-label govuk-radios__label" for="{id}">{text}</label></div>'
)
_ROW = (
    '<div class="app-register__row"><div class="govuk-form-group{mark_group_error}"><fieldset '
    'class="govuk-fieldset" aria-describedby="{mark_id}-hint{mark_described_by_error}"><legend '
    'class="govuk-fieldset__legend govuk-fieldset__legend--s">{name}</legend><div id="{mark_id}-hint" '
    'class="govuk-hint">{hint}</div>\n'
    "{mark_error}"
    '<div class="govuk-radios govuk-radios--inline govuk-radios--small" data-module="govuk-radios">\n'
    "{radios}</div></fieldset></div>\n"
    '<div class="govuk-form-group app-register__note{note_group_error}"><label class="govuk-label" '
    'for="{note_id}">Note<span class="govuk-visually-hidden"> for {name}</span> (optional)</label>\n'
    "{note_error}"
    '<input class="govuk-input govuk-input--width-30{note_input_error}" id="{note_id}" name="{note_name}" '
    'type="text" value="{note_value}"{note_described_by}></div></div>'
)
PAPER_HINT = " · marked from the paper sign-in sheet"


def _radios(field, choices: Sequence[tuple[str, str]]) -> str:
    field_id, name, data = escape(field.id), escape(field.name), field.data
    return "".join(
        _RADIO.format(
            id=field_id if number == 1 else f"{field_id}-{number}",
            name=name,
            value=escape(value),
            checked=" checked" if data == value else "",
            text=escape(text),
        )
        for number, (value, text) in enumerate(choices, start=1)
    )


def register_rows(form, enrolments: Iterable, choices: Sequence[tuple[str, str]], paper: set[int]) -> Markup:
    """Every person's row of the register form (`forms.register_form`), in the order given."""
    rows = []
    for enrolment in enrolments:
        mark, note = form[f"mark_{enrolment.id}"], form[f"note_{enrolment.id}"]
        trainee = enrolment.trainee
        mark_id, note_id = escape(mark.id), escape(note.id)
        hint = escape(trainee.agency.name) + (PAPER_HINT if enrolment.id in paper else "")
        rows.append(
            _ROW.format(
                mark_group_error=" govuk-form-group--error" if mark.errors else "",
                mark_id=mark_id,
                mark_described_by_error=f" {mark_id}-error" if mark.errors else "",
                name=escape(trainee.name),
                hint=hint,
                mark_error=_ERROR.format(id=mark_id, message=escape(mark.errors[0])) if mark.errors else "",
                radios=_radios(mark, choices),
                note_group_error=" govuk-form-group--error" if note.errors else "",
                note_id=note_id,
                note_error=_ERROR.format(id=note_id, message=escape(note.errors[0])) if note.errors else "",
                note_input_error=" govuk-input--error" if note.errors else "",
                note_name=escape(note.name),
                note_value=escape(note.data or ""),
                note_described_by=f' aria-describedby="{note_id}-error"' if note.errors else "",
            )
        )
    return Markup("\n".join(rows))  # noqa: S704 - every value in it was escaped above
