"""Jinja set-up: our templates, the GOV.UK Frontend macros and widgets, MOJ Frontend components, filters."""

from __future__ import annotations

import json
import re
from pathlib import Path

from flask import Flask, current_app, g
from flask_wtf.csrf import generate_csrf
from govuk_frontend_wtf.gov_form_base import GovFormBase
from govuk_frontend_wtf.main import WTFormsHelpers, wtforms_errors
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from jinja2.filters import do_indent
from markupsafe import Markup, escape

from tracker.core import timeutil
from tracker.core.pagination import this_page_with


class NunjucksLoader(FileSystemLoader):
    """Loads Nunjucks component templates, adapting the two places where Nunjucks and Jinja differ.

    Nunjucks reads `params.items` as a key and loops over a dict's pairs with `for k, v in dict`;
    Jinja reads `.items` as the dict method and needs `.items()` to loop over pairs.
    """

    _ITEMS = re.compile(r"\.items\b(?!\()")
    # The MOJ header inlines a 40-odd KB crest on every page; the same crest as a static file is cached once.
    _CREST = re.compile(r'<svg[^>]*class="moj-header__logotype-crest".*?</svg>', re.DOTALL)
    _CREST_IMAGE = (
        '<img class="moj-header__logotype-crest app-header__crest" alt="" width="40" height="40" '
        "src=\"{{ url_for('static', filename='images/moj-logotype-crest-2024.svg') }}\">"
    )
    _PAIRS = re.compile(r"for (\w+), (\w+) in ([\w.]+) ?%}")

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        source = self._ITEMS.sub('["items"]', source)
        source = self._PAIRS.sub(r"for \1, \2 in (\3 or {}).items() %}", source)
        source = self._CREST.sub(self._CREST_IMAGE, source)
        return source, filename, uptodate


def init_app(app: Flask) -> None:
    root = Path(app.root_path).parent
    # MOJ Frontend publishes Nunjucks templates only; the few components we use (header, navigation,
    # badge) render with Jinja straight from the pinned npm package once two Nunjucks habits are adapted.
    moj_components = root / "node_modules" / "@ministryofjustice" / "frontend" / "moj" / "components"
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(root / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                    "moj": NunjucksLoader(str(moj_components)),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    WTFormsHelpers(app)
    GovFormBase.render = _render_widget
    app.add_template_filter(timeutil.format_date, "date")
    app.add_template_filter(timeutil.format_datetime, "datetime")
    app.add_template_filter(timeutil.format_time, "time")
    app.add_template_filter(lambda value: f"{value:,}" if isinstance(value, int) else value, "thousands")
    app.add_template_global(error_summary)
    app.add_template_global(select_items)
    app.add_template_global(govuk_once)
    app.add_template_global(once)
    app.add_template_global(govuk_button)
    app.add_template_global(csrf_field)
    app.add_template_global(this_page_with)
    app.add_template_global(CSRF_SLOT, "csrf_slot")
    app.add_template_filter(plural, "plural")
    app.add_template_filter(tidy, "tidy")


def error_summary(form) -> dict:
    """govukErrorSummary's parameters for the form's errors (govuk-frontend-wtf's), each linking to the
    field's first box: a date's day box rather than the group around the three (which takes no focus)."""
    params = wtforms_errors(form)
    dates = {f"#{field.id}" for field in form if isinstance(field.widget, GovDateInput)}
    for error in params["errorList"]:
        if error.get("href") in dates:
            error["href"] += "-day"
    return params


_BETWEEN_TAGS = re.compile(r">\s+<")


def tidy(markup: str) -> Markup:
    """Markup without the whitespace between tags (the GOV.UK macros' indentation), for a page of tables
    where it is a tenth of the weight. Only for markup where no space between two tags shows: not text
    with inline elements side by side, nor pre or textarea."""
    return Markup(_BETWEEN_TAGS.sub("><", str(markup)))  # noqa: S704 - markup in, markup out


def _render_widget(self, params: dict) -> Markup:
    """A govuk-frontend-wtf widget's markup, from its template alone, and rendered once for the same
    parameters: the library renders each widget with `render_template`, which runs the app's context
    processors and signals for every field on the page, although a widget's template uses nothing but its
    own parameters. An empty filter or form (the usual case) is the same markup every time; a date input
    alone is three GOV.UK inputs with their labels and attributes."""
    environment = current_app.jinja_env
    return _once(
        (environment, "widget", self.template),
        params,
        lambda: environment.get_template(self.template).render(params=params),
    )


def govuk_once(component: str, params: dict) -> Markup:
    """A GOV.UK Frontend component (govuk-frontend-jinja's macro, e.g. "tag" for govukTag), rendered once
    for the same parameters: for the components a page repeats row after row with a few different values,
    such as a status tag."""
    environment = current_app.jinja_env
    template = f"govuk_frontend_jinja/components/{component}/macro.html"

    def render() -> str:
        name = "govuk" + "".join(part.title() for part in component.split("-"))
        return getattr(environment.get_template(template).module, name)(params)

    return _once((environment, "component", template), params, render)


# Where a block kept by `once` shows the request's CSRF token (filled in on every use): a token is not the
# same from one request to the next, so the markup around it can be kept only without it.
CSRF_SLOT = Markup("\ue000csrf-token\ue000")


def once(*key, caller, csrf: bool = False) -> Markup:
    """The markup of a `{% call once(name, ...) %}...{% endcall %}` block, rendered once for the same key:
    for what every page repeats with the same few values, such as the header for this person on this
    section and the footer. The key must hold everything the block shows (it renders with the page's
    context, so anything it reads and the key does not name would be kept from the first page that showed
    it). With csrf=True, `csrf_slot` in the block becomes this request's token."""
    markup = _once((current_app.jinja_env, "block"), list(key), caller)
    return markup.replace(CSRF_SLOT, generate_csrf()) if csrf else markup


_LABEL_SLOT = "\ue000label\ue000"


def govuk_button(params: dict) -> Markup:
    """govukButton's markup, rendered once for everything but its label and the label then put in as the
    macro puts it (html trimmed and indented, text escaped): a list's rows have a button each that differs
    only in what it says."""
    key = "html" if params.get("html") else "text" if "text" in params else None
    if key is None:
        return govuk_once("button", params)
    shell = govuk_once("button", {**params, key: _LABEL_SLOT})
    label = params[key]
    # The macro's `params.html | safe | trim | indent(2)`, or its escaped `params.text`.
    label = do_indent(Markup(label).strip(), 2) if key == "html" else escape(label)  # noqa: S704
    return Markup(str(shell).replace(_LABEL_SLOT, str(label)))  # noqa: S704 - escaped, or markup given as html


def csrf_field(form) -> Markup:
    """The form's CSRF token field, rendered once a request (a list's rows each post a form with it)."""
    field = getattr(form, "csrf_token", None)
    if field is None:  # a form without CSRF protection (tests may turn it off)
        return Markup("")
    kept = g.setdefault("_csrf_fields", {})
    if field.id not in kept:
        kept[field.id] = Markup(field())  # noqa: S704 - WTForms' markup
    return kept[field.id]


_RENDERED: dict[tuple, Markup] = {}
_RENDERED_KEPT = 2048


def _once(what: tuple, params: dict, render) -> Markup:
    """Markup rendered once for the same thing and parameters (a bounded cache, cleared when full)."""
    environment, *rest = what
    try:
        key = (id(environment), *rest, json.dumps(_keyable(params), sort_keys=True, default=_value_key))
    except TypeError:  # a value that cannot stand for itself in a key: render it every time
        return Markup(render())  # noqa: S704
    markup = _RENDERED.get(key)
    if markup is None:
        if len(_RENDERED) >= _RENDERED_KEPT:
            _RENDERED.clear()
        # GOV.UK's templates autoescape what they are given: their output is markup.
        markup = Markup(render())  # noqa: S704
        _RENDERED[key] = markup
    return markup


def _value_key(value) -> str:
    """A value that is not JSON (a date, an enumeration member) by its repr, which names its value; an
    object whose repr is only its address would not."""
    if type(value).__repr__ is object.__repr__:
        raise TypeError(f"no key for {type(value).__name__}")
    return f"{type(value).__qualname__}:{value!r}"


def _keyable(value):
    """The parameters as plain JSON values, keeping apart text already marked safe (rendered as is)
    from plain text (escaped)."""
    if isinstance(value, Markup):
        return {"__markup__": str(value)}
    if isinstance(value, dict):
        return {str(key): _keyable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_keyable(item) for item in value]
    return value


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """ "1 case", "2 cases": a count with its noun, in the right number."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def select_items(choices, selected: str | None = None, blank: str | None = None) -> list[dict]:
    """Items for govukSelect from (value, text) pairs, marking the selected one."""
    items = [{"value": "", "text": blank}] if blank is not None else []
    for value, text in choices:
        items.append({"value": value, "text": text, "selected": str(value) == str(selected or "")})
    return items
