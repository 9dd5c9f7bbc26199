"""The Board's figures about meetings (minutes on time, attendance by agency, the quality audits) leave
out a meeting held only for Category 4 cases, as its figures about people leave those cases out: such a
meeting's date and running would otherwise show in the Board's figures. A meeting with any other case on
its agenda, or none, still counts. The counts kept as the data changes follow an agenda and a case's
category (every test here also ends with the kept counts equal to a full recount: tests/kept_counts.py)."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup

from tests.kept_counts import assert_counts_kept
from tracker.auth.models import AgencySector
from tracker.core.timeutil import today_london
from tracker.meetings.models import AttendanceStatus, Category
from tracker.reports import rules
from tracker.reports.models import AuditCriterion, AuditStatus

DAYS_AGO = 30  # held a month ago: its minutes, not yet sent, are overdue and count as late


def _dashboard(client) -> BeautifulSoup:
    """The dashboard of the year of the meetings held a month ago."""
    year = rules.reporting_year_of(today_london() - timedelta(days=DAYS_AGO))
    return BeautifulSoup(client.get(f"/reports/?year={year.start_year}").data, "html.parser")


def _figures(soup: BeautifulSoup) -> dict[str, list[list[str]]]:
    """Every table of the dashboard, as its rows of cells read."""
    return {
        table.get("id") or table.find_parent(id=True)["id"]: [
            [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])] for row in table.select("tr")
        ]
        for table in soup.select("table")
    }


def _trend(soup: BeautifulSoup, key: str) -> str:
    """A measure's figure over the year."""
    return soup.find(id=f"trend-{key}").parent.find_all(["th", "td"])[-1].get_text(" ", strip=True)


def _agencies(soup: BeautifulSoup) -> dict[str, list[str]]:
    """Each agency's invitations and how many were represented."""
    return {row[0]: row[2:4] for row in _figures(soup)["agency-table"][1:]}


def _audits_completed(soup: BeautifulSoup) -> int:
    return sum(int(row[1]) for row in _figures(soup)["audit-quarters"][1:])


def _run_badly(factory, meeting) -> None:
    """Minutes not sent (overdue), agencies absent, and a completed audit scoring it poorly."""
    housing = factory.agency("Test Housing", AgencySector.HOUSING)
    factory.invitation(meeting, agency=housing, attendance=AttendanceStatus.ABSENT)
    factory.invitation(
        meeting, agency=factory.agency("Test Probation", AgencySector.PROBATION), attendance=AttendanceStatus.ABSENT
    )
    factory.meeting_audit(
        meeting, factory.user("COORDINATOR"), AuditStatus.COMPLETED, dict.fromkeys(AuditCriterion, 1)
    )


def _local_business(factory):
    """A held meeting of a Category 2 case, with a history long enough for last year's dashboard; its
    chair (who chairs the other meetings too, so that the chairs' figures stay as they are)."""
    case = factory.case(referred_on=today_london() - timedelta(days=400))
    meeting = factory.held_meeting(days_ago=DAYS_AGO, cases=0)
    factory.agenda_item(meeting, case)
    return meeting.chair


def test_a_meeting_held_only_for_category_4_changes_none_of_the_boards_figures(factory, client_as, connection):
    chair = _local_business(factory)
    board = client_as("SMB")
    before = _figures(_dashboard(board))
    assert _trend(_dashboard(board), "minutes") == "0% (0 of 1)"

    meeting = factory.held_meeting(chair=chair, days_ago=DAYS_AGO, cases=0)
    factory.agenda_item(meeting, factory.case(category=Category.CATEGORY_4))
    factory.agenda_item(meeting, factory.case(category=Category.CATEGORY_4))
    _run_badly(factory, meeting)

    assert_counts_kept(connection)
    assert _figures(_dashboard(board)) == before
    assert _figures(_dashboard(client_as("LAY_ADVISER"))) == before


def test_a_meeting_with_category_4_and_other_cases_still_counts(factory, client_as, connection):
    _local_business(factory)
    board = client_as("SMB")
    meeting = factory.held_meeting(days_ago=DAYS_AGO, cases=1)
    factory.agenda_item(meeting, factory.case(category=Category.CATEGORY_4))
    _run_badly(factory, meeting)

    assert_counts_kept(connection)
    soup = _dashboard(board)
    assert _trend(soup, "minutes") == "0% (0 of 2)"
    assert _agencies(soup)["Test Housing"] == ["1", "0"]
    assert _audits_completed(soup) == 1
    # Its Category 4 case's discussion is still left out of the figures about people.
    assert _trend(soup, "pillars").endswith(" of 2)")


def test_a_meeting_with_no_case_on_its_agenda_still_counts(factory, client_as, connection):
    _local_business(factory)
    _run_badly(factory, factory.held_meeting(days_ago=DAYS_AGO, cases=0))

    soup = _dashboard(client_as("SMB"))
    assert _trend(soup, "minutes") == "0% (0 of 2)"
    assert _agencies(soup)["Test Housing"] == ["1", "0"]
    assert _audits_completed(soup) == 1


def test_the_kept_counts_follow_the_agenda_and_the_categories_of_its_cases(factory, client_as, connection):
    _local_business(factory)
    board = client_as("SMB")
    meeting = factory.held_meeting(days_ago=DAYS_AGO, cases=0)
    _run_badly(factory, meeting)
    local = factory.agenda_item(meeting, factory.case())
    terrorism = factory.agenda_item(meeting, factory.case(category=Category.CATEGORY_4))
    assert_counts_kept(connection)
    soup = _dashboard(board)
    assert (_trend(soup, "minutes"), _agencies(soup)["Test Housing"], _audits_completed(soup)) == (
        "0% (0 of 2)",
        ["1", "0"],
        1,
    )

    local.case.category = Category.CATEGORY_4  # now held only for Category 4 cases: left out
    factory.save(local.case)
    assert_counts_kept(connection)
    soup = _dashboard(board)
    assert (_trend(soup, "minutes"), "Test Housing" in _agencies(soup), _audits_completed(soup)) == (
        "0% (0 of 1)",
        False,
        0,
    )

    # A case Category 4 at the meeting and moved out of it since: the meeting was still held for it.
    terrorism.case.category = Category.CATEGORY_3
    factory.save(terrorism.case)
    assert_counts_kept(connection)
    assert _trend(_dashboard(board), "minutes") == "0% (0 of 1)"

    local.case.category = Category.CATEGORY_2  # local business again
    factory.save(local.case)
    assert_counts_kept(connection)
    assert _trend(_dashboard(board), "minutes") == "0% (0 of 2)"

    # The local case moves to another meeting held for a Category 4 case: that one counts, this one not.
    other = factory.held_meeting(days_ago=DAYS_AGO, cases=0)
    factory.agenda_item(other, factory.case(category=Category.CATEGORY_4))
    assert _trend(_dashboard(board), "minutes") == "0% (0 of 2)"
    local.meeting_id = other.id
    factory.save(local)
    assert_counts_kept(connection)
    soup = _dashboard(board)
    assert (_trend(soup, "minutes"), "Test Housing" in _agencies(soup)) == ("0% (0 of 2)", False)

    factory.session.delete(local)  # that one is held only for its Category 4 case again
    factory.session.commit()
    assert_counts_kept(connection)
    assert _trend(_dashboard(board), "minutes") == "0% (0 of 1)"


def test_how_each_measure_is_counted_says_meetings_held_only_for_category_4_are_left_out(client_as):
    soup = _dashboard(client_as("LAY_ADVISER"))
    details = next(d for d in soup.select(".govuk-details") if "How each measure is counted" in d.get_text())
    note = " ".join(details.get_text(" ").split())
    assert (
        "Meetings held only for Category 4 cases (in Category 4 at the meeting or since) are left out of the "
        "figures about meetings (minutes, attendance, quality audits)"
    ) in note


def test_a_meeting_held_only_for_category_4_is_not_offered_for_the_quality_audit_sample(factory, client_as):
    """The audit figures leave such a meeting out, so the quarter's sample never offers it (nor accepts it):
    an audit of it would be work that never reaches the Board's figures."""
    current = rules.quarter_of(today_london())
    days_ago = (today_london() - (current.first_day - timedelta(days=10))).days
    chair = factory.user("CHAIR")
    local = factory.held_meeting(chair=chair, days_ago=days_ago, cases=0)
    factory.agenda_item(local, factory.case())
    factory.agenda_item(local, factory.case(category=Category.CATEGORY_4))
    only_4 = factory.held_meeting(chair=chair, days_ago=days_ago + 1, cases=0)
    factory.agenda_item(only_4, factory.case(category=Category.CATEGORY_4))
    client = client_as("COORDINATOR")

    page = BeautifulSoup(client.get("/reports/audits/sample").data, "html.parser")
    offered = {box["value"] for box in page.select("input[name=meetings]")}
    assert str(local.id) in offered and str(only_4.id) not in offered
    auditor = factory.user("CHAIR", name="Another Chair")
    refused = client.post("/reports/audits/sample", data={"meetings": [str(only_4.id)], "auditor": str(auditor.id)})
    assert refused.status_code == 200 and "govuk-error-summary" in refused.get_data(as_text=True)
