"""Components and form widgets rendered once for the same parameters: the same markup as GOV.UK Frontend's
macros give, never one person's values in another's field, and text marked safe kept apart from text."""

from flask import render_template_string
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from tracker.core.fields import DateField, data_required

MACRO = '{% from "govuk_frontend_jinja/components/tag/macro.html" import govukTag %}{{ govukTag(params) }}'
ONCE = '{{ govuk_once("tag", params) }}'


class ReviewForm(FlaskForm):
    class Meta:
        csrf = False

    day = DateField("Review date", validators=[data_required("Enter the review date")])


def test_a_tag_rendered_once_is_the_macros_markup_every_time(app):
    with app.test_request_context():
        params = {"text": "Overdue <soon>", "classes": "govuk-tag--red"}
        expected = render_template_string(MACRO, params=params)
        assert render_template_string(ONCE, params=params) == expected
        assert render_template_string(ONCE, params=params) == expected
        assert "Overdue &lt;soon&gt;" in expected


def test_text_marked_safe_and_the_same_plain_text_are_not_confused(app):
    with app.test_request_context():
        plain = render_template_string(ONCE, params={"text": "<b>Held</b>"})
        safe = render_template_string(ONCE, params={"text": Markup("<b>Held</b>")})
        assert "&lt;b&gt;Held&lt;/b&gt;" in plain
        assert "<b>Held</b>" in safe


def test_a_date_widget_shows_each_request_its_own_values_and_errors(app):
    def rendered(data):
        with app.test_request_context(method="POST", data=MultiDict(data)):
            form = ReviewForm()
            form.validate()
            return str(form.day())

    empty = rendered([("day", ""), ("day", ""), ("day", "")])
    filled = rendered([("day", "3"), ("day", "12"), ("day", "2026")])
    assert "Enter the review date" in empty
    assert 'value="2026"' in filled and "Enter the review date" not in filled
    assert rendered([("day", ""), ("day", ""), ("day", "")]) == empty
