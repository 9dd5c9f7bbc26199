"""A case brought in with no next review date is due its initial meeting, counted from its referral, and one
brought in with a next review date is due then: the preview warns, row by row, of each one that would be
overdue the day it arrives."""

from __future__ import annotations

import io
from datetime import date, timedelta

from bs4 import BeautifulSoup

from tracker.core.timeutil import today_london
from tracker.meetings.models import CaseStatus, Level
from tracker.transfer import caseload

HEADER = "reference,name,date_of_birth,category,level,lead_agency,referred_on,next_review_due,status,borough"


def _preview(client, *rows: str) -> BeautifulSoup:
    data = ("\n".join([HEADER, *rows]) + "\n").encode()
    posted = client.post(
        "/cases/import", data={"file": (io.BytesIO(data), "caseload.csv")}, content_type="multipart/form-data"
    )
    return BeautifulSoup(client.get(posted.location).data, "html.parser")


def _said(element) -> str:
    return " ".join(element.get_text(" ").split())


def test_a_case_overdue_on_arrival_is_told_only_when_it_has_no_review_date_and_its_deadline_has_passed():
    today = date(2025, 6, 2)
    warn = caseload.overdue_on_arrival
    said = warn("LDN-2024-0071", Level.LEVEL_2, CaseStatus.ACTIVE, date(2024, 9, 2), None, 20, today)
    assert said == (
        "LDN-2024-0071 will show as overdue for its initial meeting when imported: with no next review date it "
        "counts as never discussed, so its initial meeting was due 20 working days after the referral, on 30 "
        "September 2024. If it has been reviewed, add its next review date."
    )
    passed = warn("LDN-2024-0074", Level.LEVEL_2, CaseStatus.ACTIVE, date(2024, 9, 2), date(2025, 5, 30), 20, today)
    assert passed == (
        "LDN-2024-0074 will show as overdue for review when imported: its next review date, 30 May 2025, has "
        "passed. If it has been reviewed since, give the date of its next review."
    )
    assert warn("LDN-2024-0071", Level.LEVEL_3, CaseStatus.IN_CUSTODY, date(2024, 9, 2), None, 5, today)
    assert warn("LDN-2024-0071", Level.LEVEL_2, CaseStatus.ACTIVE, date(2024, 9, 2), date(2025, 7, 1), 20, today) is None
    assert warn("LDN-2025-0072", Level.LEVEL_2, CaseStatus.ACTIVE, date(2025, 5, 27), None, 20, today) is None


def test_the_preview_warns_of_each_level_2_case_that_would_arrive_overdue_naming_it(client_as, factory, session):
    factory.agency("Probation Service (London)")
    coordinator = client_as("COORDINATOR")
    soon, past = today_london() + timedelta(weeks=4), today_london() - timedelta(days=6)
    page = _preview(
        coordinator,
        "LDN-2024-0071,Al Example,1980-05-31,2,2,Probation Service (London),2024-01-02,,,",
        f"LDN-2024-0072,Bea Example,1980-05-31,2,2,Probation Service (London),2024-01-02,{soon:%Y-%m-%d},,",
        f"LDN-2024-0073,Cy Example,1980-05-31,2,2,Probation Service (London),{today_london():%Y-%m-%d},,,",
        f"LDN-2024-0074,Di Example,1980-05-31,2,2,Probation Service (London),2024-01-02,{past:%Y-%m-%d},,",
    )
    assert "every row is ready" in _said(page)
    assert "2 cases will show as overdue when imported" in _said(page.select_one(".govuk-warning-text"))
    overdue = _said(page.select_one("#row-2"))
    assert "Ready" in overdue
    assert (
        "Warning: LDN-2024-0071 will show as overdue for its initial meeting when imported: with no next review "
        "date it counts as never discussed, so its initial meeting was due 20 working days after the referral, "
        "on 30 January 2024. If it has been reviewed, add its next review date."
    ) in overdue
    assert "Warning" not in _said(page.select_one("#row-3")) + _said(page.select_one("#row-4"))
    assert f"LDN-2024-0074 will show as overdue for review when imported: its next review date, {past:%-d %B %Y}" in (
        _said(page.select_one("#row-5"))
    )
