"""Input that no person would type, or a forged form would send, gets a clear message on the form and
changes nothing: never a server error, never garbage saved."""

from __future__ import annotations

import codecs
import io
from datetime import date

import pytest
from sqlmodel import func, select

from tests.pages import error_summary
from tests.posted import action_form, referral
from tracker.core.timeutil import today_london
from tracker.meetings.models import Action, Case, Invitation
from tracker.reports.models import AnnualFigures
from tracker.reports.rules import reporting_year_of
from tracker.training import rules as training_rules
from tracker.training.models import Course, EnrolmentImport


def _cases(session) -> int:
    return session.exec(select(func.count()).select_from(Case)).one()


def test_a_huge_year_is_not_a_real_date(client_as, factory, session):
    agency = factory.agency("Probation for dates")
    response = client_as("COORDINATOR").post(
        "/cases/new", data=referral(agency, date_of_birth=["1", "1", "9" * 30])
    )
    assert response.status_code == 200
    assert error_summary(response) == ["Date of birth must be a real date"]
    assert _cases(session) == 0


@pytest.mark.parametrize("field", ["name", "borough", "reference"])
def test_a_null_character_in_text_is_a_message_and_nothing_is_saved(field, client_as, factory, session):
    agency = factory.agency("Probation for nulls")
    response = client_as("COORDINATOR").post("/cases/new", data=referral(agency, **{field: "Al\x00an"}))
    assert response.status_code == 200
    assert any("null character" in message for message in error_summary(response))
    assert _cases(session) == 0


def test_a_null_character_in_an_address_is_refused_before_any_search(client_as):
    response = client_as("COORDINATOR").get("/cases", query_string={"q": "a\x00b"})
    assert response.status_code == 400
    assert "Your request could not be read" in response.get_data(as_text=True)


def test_a_forged_person_in_a_select_is_a_message_not_a_server_error(client_as, factory, session):
    administrator = factory.user("ADMINISTRATOR")
    meeting = factory.meeting(administrator=administrator)
    item = factory.agenda_item(meeting)
    agency = factory.agency("Select Housing")
    client = client_as(administrator)
    for value in ("abc", "1e3", "9" * 40, "-1"):
        invited = client.post(
            f"/meetings/{meeting.id}/invitations/new", data={"agency_id": str(agency.id), "user_id": value}
        )
        assert invited.status_code == 200, value
        assert error_summary(invited) == ["Select one of the options given"], value
        action = client.post(
            f"/meetings/{meeting.id}/agenda/{item.id}/actions/new",
            data=action_form(
                agency.id, value, date(today_london().year + 1, 1, 1), pillar="MONITORING_AND_CONTROL"
            ),
        )
        assert action.status_code == 200, value
        assert "Select one of the options given" in error_summary(action), value
    assert session.exec(select(Invitation).where(Invitation.meeting_id == meeting.id)).all() == []
    assert session.exec(select(Action)).all() == []


def test_an_agency_name_differing_only_in_accented_capitals_is_a_duplicate(client_as, factory):
    factory.agency("Évry Police")
    client = client_as("SYSTEM_ADMIN")
    for name in ("Évry Police", "ÉVRY POLICE", "évry police"):
        response = client.post("/admin/agencies/new", data={"name": name, "sector": "POLICE"})
        assert response.status_code == 200, name
        assert error_summary(response) == ["There is already an agency with this name"], name


def test_numbers_too_large_to_store_are_a_message(client_as, session):
    year = reporting_year_of(today_london()).start_year
    client = client_as("COORDINATOR")
    for field, value in (("level_1_category_1", "9" * 20), ("population", "-" + "9" * 30)):
        response = client.post(f"/reports/annual-report/{year}/figures", data={"version": "0", field: value})
        assert response.status_code == 200, (field, value)
        assert error_summary(response), (field, value)
    assert session.exec(select(AnnualFigures)).all() == []
    trsg = client_as("TRSG")
    for hours in ("NaN", "Infinity", "-Infinity", "1E+999999"):
        response = trsg.post(
            "/training/courses/new",
            data={
                "title": "Odd hours",
                "kind": "CPD",
                "days": "1",
                "cpd_hours": hours,
                "active": "y",
                "completion_marks": ["PRESENT", "LATE"],
            },
        )
        assert response.status_code == 200, hours
        assert error_summary(response) == ["Enter a number"], hours
    assert session.exec(select(Course)).all() == []


def _upload(client, event, data: bytes):
    return client.post(
        f"/training/events/{event.id}/upload",
        data={"file": (io.BytesIO(data), "people.csv")},
        content_type="multipart/form-data",
    )


def test_uploads_that_cannot_be_read_are_refused_with_a_message(client_as, factory, session):
    event = factory.event(capacity=30)
    client = client_as("TRSG")
    huge_cell = b"name,email,agency\n" + b"A" * 200_000 + b",a@example.org,Police\n"
    utf16_without_mark = "name,email,agency\nAmélie,a@example.org,Police\n".encode("utf-16-le")
    for data, message in (
        (huge_cell, "Each cell of the selected file must be 200 characters or fewer"),
        (utf16_without_mark, "The selected file must be a CSV saved as text (CSV UTF-8 in Excel)"),
        (b"\x00\x01\x02PK", "The selected file must be a CSV saved as text (CSV UTF-8 in Excel)"),
    ):
        response = _upload(client, event, data)
        assert response.status_code == 200
        assert error_summary(response) == [message]
    assert session.exec(select(EnrolmentImport)).all() == []


def test_uploads_with_old_mac_line_endings_or_in_utf16_are_read_as_meant():
    text = "name,email,agency\rAmélie Dubois,amelie@example.org,Police\rZoë Lee,zoe@example.org,Police\r"
    for data in (
        text.encode("utf-8"),
        codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
        text.encode("utf-16"),
    ):
        rows = training_rules.read_upload(data)
        assert [(row["name"], row["email"]) for row in rows] == [
            ("Amélie Dubois", "amelie@example.org"),
            ("Zoë Lee", "zoe@example.org"),
        ]
