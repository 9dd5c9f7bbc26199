"""The shared GOV.UK form fields: dates and times, and the messages people read."""

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict

from tracker.core.fields import DateField, TimeField, data_required, required


class MeetingForm(FlaskForm):
    class Meta:
        csrf = False

    day = DateField("Meeting date", validators=[data_required("Enter the meeting date")])
    starts = TimeField("Start time", validators=[required("Enter the start time")])


def errors_for(app, data: list[tuple[str, str]]) -> dict:
    with app.test_request_context(method="POST", data=MultiDict(data)):
        form = MeetingForm()
        form.validate()
        return {name: field.errors for name, field in form._fields.items() if field.errors}


def test_a_date_that_does_not_exist_says_so_rather_than_asking_for_a_date(app):
    errors = errors_for(app, [("day", "31"), ("day", "2"), ("day", "2027"), ("starts", "09:30")])
    assert errors == {"day": ["Meeting date must be a real date"]}


def test_a_half_filled_date_names_what_is_missing(app):
    errors = errors_for(app, [("day", "3"), ("day", ""), ("day", ""), ("starts", "09:30")])
    assert errors == {"day": ["Meeting date must include a month and year"]}


def test_an_optional_date_half_filled_from_its_first_box_keeps_its_message(app):
    """WTForms' Optional took a date with an empty day box for one left empty and cleared its message."""
    from tracker.core.fields import optional

    class SearchForm(FlaskForm):
        class Meta:
            csrf = False

        since = DateField("From", validators=[optional()])

    def since(*parts):
        with app.test_request_context(method="POST", data=MultiDict([("since", part) for part in parts])):
            form = SearchForm()
            return form.validate(), form.since.errors, form.since.data

    assert since("", "12", "2026") == (False, ["From must include a day"], None)
    assert since("", "", "2026") == (False, ["From must include a day and month"], None)
    assert since("", "", "") == (True, [], None)
    assert since() == (True, [], None)


def test_an_empty_date_or_time_asks_for_it(app):
    errors = errors_for(app, [("day", ""), ("day", ""), ("day", ""), ("starts", "")])
    assert errors == {"day": ["Enter the meeting date"], "starts": ["Enter the start time"]}


def test_a_date_left_out_of_the_post_entirely_is_asked_for_not_a_server_error(app):
    assert errors_for(app, [("starts", "09:30")]) == {"day": ["Enter the meeting date"]}


def test_a_time_that_cannot_be_read_says_how_to_write_it(app):
    errors = errors_for(app, [("day", "3"), ("day", "2"), ("day", "2027"), ("starts", "25:00")])
    assert errors == {"starts": ["Start time must be a time in 24-hour format, like 14:00"]}


def test_a_number_too_large_to_store_gets_the_fields_own_range_message(app):
    """Past what the database stores, a field with a range says its own range (0 to 10,000,000), never
    the storage limit, which would suggest that negative numbers are allowed."""
    from tracker.core.fields import IntegerField, number_range

    class FiguresForm(FlaskForm):
        class Meta:
            csrf = False

        population = IntegerField("Population", validators=[number_range("Population", 0, 10_000_000)])
        untold = IntegerField("Untold")

    for value in ("99999999999999999999", "-3", "10000001"):
        with app.test_request_context(method="POST", data={"population": value, "untold": value}):
            form = FiguresForm()
            form.validate()
            assert form.population.errors == ["Population must be between 0 and 10,000,000"], value
    with app.test_request_context(method="POST", data={"untold": "99999999999999999999"}):
        form = FiguresForm()
        form.validate()
        assert form.untold.errors == ["Untold must be between -2,147,483,648 and 2,147,483,647"]


def test_a_question_asked_with_boxes_or_options_keeps_its_legend_when_the_template_sizes_it(app):
    """The form library sets the legend only when the template gives no fieldset: the minutes'
    distribution and work-left pages, which size theirs, showed their options under an empty legend."""
    from bs4 import BeautifulSoup

    from tracker.core.fields import CheckboxesField, RadioField

    class AskingForm(FlaskForm):
        class Meta:
            csrf = False

        recipients = CheckboxesField("Who should get them?", choices=[("1", "One")])
        outcome = RadioField("What happened?", choices=[("A", "A")])
        day = DateField("When?")

    sized = {"fieldset": {"legend": {"classes": "govuk-fieldset__legend--m"}}}
    with app.test_request_context():
        form = AskingForm()
        html = "".join(str(field(params=sized)) for field in (form.recipients, form.outcome, form.day))
    legends = [legend.get_text(strip=True) for legend in BeautifulSoup(html, "html.parser").select("legend")]
    assert legends == ["Who should get them?", "What happened?", "When?"]
