"""Bringing a caseload's history in: past meetings (date, level, decision per case) and open actions. Each
has a template, a preview per row, all or nothing, references matched without regard to case, Category 4
rows only for someone cleared, an audit entry per record; imported meetings are held, their minutes
approved and frozen, and nobody is invited or emailed."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.justify import disclosed, give_minutes_reason
from tests.posted import decision_form
from tracker.core.models import AuditEvent
from tracker.core.timeutil import format_date, today_london
from tracker.meetings.models import (
    Action,
    AgendaItem,
    Case,
    CaseEvent,
    Category,
    Invitation,
    Level,
    LevelDecision,
    Meeting,
    MeetingStatus,
)
from tracker.minutes.models import Minutes, MinutesStatus, MinutesVersion
from tracker.transfer import history, history_actions

MEETINGS = (
    "meeting_reference,meeting_date,level,case_reference,decision,reason,next_review_due,purpose,chair_email"
)
ACTIONS = "case_reference,description,owner_agency,owner_email,due_on,meeting_reference,pillar"
TODAY = date(2026, 6, 1)


def _file(header: str, *rows: str) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _upload(client, kind: str, data: bytes):
    return client.post(
        f"/cases/import/{kind}",
        data={"file": (io.BytesIO(data), f"{kind}.csv")},
        content_type="multipart/form-data",
    )


def _summary(client, location: str) -> str:
    page = BeautifulSoup(client.get(location).data, "html.parser")
    found = page.select_one(".govuk-error-summary")
    return found.get_text(" ", strip=True) if found else ""


# The rules, over plain values -------------------------------------------------------------------------


def _facts(**fields) -> history.CaseFacts:
    values = {"id": 1, "reference": "LDN-2024-0001", "referred_on": date(2024, 9, 2), "category_4": False}
    return history.CaseFacts(**{**values, **fields})


def _meeting_row(line: int = 2, **fields) -> dict:
    row = {**history.MEETING_EXAMPLE, "case_reference": "ldn-2024-0001", "chair_email": "Chair@Example.org"}
    return {"line": line, **row, **fields}


PEOPLE = {
    "chair@example.org": history.PersonFacts(7, "Daniel Price", 1, cleared=False, chairs=True),
    "cleared@example.org": history.PersonFacts(8, "Cleared Chair", 1, cleared=True, chairs=True),
    "officer@example.org": history.PersonFacts(9, "Olu Officer", 1, cleared=False, chairs=False),
}


def _check_meetings(*rows: dict, cases=None, existing=frozenset()) -> list[history.CheckedRow]:
    cases = {"LDN-2024-0001": _facts()} if cases is None else cases
    return history.check_meetings(
        rows, cases=cases, existing_meetings=set(existing), people=PEOPLE, today=TODAY
    )


def test_a_past_meeting_row_matches_its_case_without_regard_to_case_and_says_what_it_records():
    [row] = _check_meetings(_meeting_row())
    assert row.errors == []
    assert (row.reference, row.name) == ("LDN-2024-0001", "M-2024-0101")
    assert row.summary == (
        "held 5 November 2024, Level 2, Retain at the current level, next review 25 February 2025"
    )
    assert row.values["chair_id"] == 7 and row.values["decision"] is LevelDecision.RETAIN


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"case_reference": "LDN-1999-0001"}, "There is no case LDN-1999-0001 in the tracker"),
        ({"meeting_date": "2026-06-01"}, "The meeting date must be in the past"),
        (
            {"meeting_date": "2024-08-01"},
            "The meeting date must not be before the case's referral (2 September 2024)",
        ),
        ({"meeting_date": "soon"}, "Enter the meeting date as a date"),
        ({"level": "4"}, "The level must be 2 or 3"),
        ({"decision": "maybe"}, "The decision must be Retain, Raise, Lower or Exit"),
        ({"level": "3", "decision": "Raise"}, "A Level 3 case cannot be raised"),
        ({"next_review_due": "2024-11-01"}, "The next review must be after the meeting"),
        ({"decision": "Exit"}, "Leave the next review empty"),
        ({"purpose": "emergency"}, "The purpose must be Initial or Review"),
        ({"chair_email": "nobody@example.org"}, "There is no tracker account with the email address nobody@"),
        ({"meeting_reference": "M-" + "9" * 20}, "The meeting's reference must be 20 characters or fewer"),
    ],
)
def test_a_past_meeting_row_says_what_is_wrong(fields, error):
    [row] = _check_meetings(_meeting_row(**fields))
    assert any(message.startswith(error) for message in row.errors), row.errors
    assert row.summary == ""


def test_a_past_meeting_is_chaired_by_someone_with_the_chair_role():
    [row] = _check_meetings(_meeting_row(chair_email="officer@example.org"))
    assert row.errors == ["Olu Officer does not have the chair role, so cannot chair a meeting"]


def test_a_wrong_level_is_not_also_told_to_leave_the_next_review_empty():
    [row] = _check_meetings(_meeting_row(level="4"))
    assert row.errors == ["The level must be 2 or 3"]


def test_a_past_meeting_gives_the_level_the_case_stood_at_on_its_day():
    """From the case's history in the tracker, or from an earlier meeting in the same file: a Level 3 case
    cannot be lowered from Level 2 (and so skip to Level 1), nor a Level 2 case retained at Level 3."""
    held = date(2024, 11, 5)
    stood_at_3 = {(1, held): Level.LEVEL_3}
    [lowered] = history.check_meetings(
        [_meeting_row(decision="Lower", next_review_due="")], cases={"LDN-2024-0001": _facts()},
        existing_meetings=set(), people=PEOPLE, today=TODAY, levels=stood_at_3,
    )
    assert lowered.errors == [
        "LDN-2024-0001 stood at Level 3 on 5 November 2024: give the level it was managed at"
    ]
    [right] = history.check_meetings(
        [_meeting_row(level="3")], cases={"LDN-2024-0001": _facts()},
        existing_meetings=set(), people=PEOPLE, today=TODAY, levels=stood_at_3,
    )
    assert right.errors == []
    # Raised at the first meeting of the file, the case is at Level 3 for the next one.
    raised, retained = _check_meetings(
        _meeting_row(2, decision="Raise"),
        _meeting_row(3, meeting_reference="M-2025-0102", meeting_date="2025-01-07"),
    )
    assert raised.errors == []
    assert retained.errors == [
        "LDN-2024-0001 stood at Level 3 on 7 January 2025: give the level it was managed at"
    ]


def test_an_earlier_retain_in_the_file_leaves_the_level_to_the_case_history_and_nothing_follows_an_exit():
    """The history in the tracker raised the case to Level 3 between the file's two meetings: the earlier
    meeting's Retain at Level 2 does not say the later one stood at Level 2. After an Exit in the file, a
    later meeting on the case is refused."""
    later = date(2025, 6, 1)
    levels = {(1, date(2024, 11, 5)): Level.LEVEL_2, (1, later): Level.LEVEL_3}
    first, second = history.check_meetings(
        [
            _meeting_row(2),
            _meeting_row(3, meeting_reference="M-2025-0600", meeting_date="2025-06-01", next_review_due=""),
        ],
        cases={"LDN-2024-0001": _facts()}, existing_meetings=set(), people=PEOPLE, today=TODAY, levels=levels,
    )
    assert first.errors == []
    assert second.errors == ["LDN-2024-0001 stood at Level 3 on 1 June 2025: give the level it was managed at"]
    exit_row, after = _check_meetings(
        _meeting_row(2, decision="Exit", next_review_due=""),
        _meeting_row(3, meeting_reference="M-2025-0601", meeting_date="2025-01-07"),
    )
    assert exit_row.errors == []
    assert after.errors == [
        "LDN-2024-0001 left MAPPA meeting management at the meeting on row 2: a later meeting needs the case "
        "referred again first"
    ]


def test_rows_of_one_meeting_must_agree_and_a_meeting_held_already_is_refused():
    rows = _check_meetings(
        _meeting_row(2),
        _meeting_row(3, meeting_date="2024-11-06", case_reference="LDN-2024-0002"),
        _meeting_row(4),
        cases={"LDN-2024-0001": _facts(), "LDN-2024-0002": _facts(id=2, reference="LDN-2024-0002")},
    )
    assert rows[0].errors == []
    assert "Row 2 gives meeting M-2024-0101 another date, level or chair" in rows[1].errors
    assert "LDN-2024-0001 is already on meeting M-2024-0101 (row 2)" in rows[2].errors
    [again] = _check_meetings(_meeting_row(), existing={"M-2024-0101"})
    assert again.errors == ["Meeting M-2024-0101 is already in the tracker"]


@pytest.mark.parametrize("correcting", [False, True], ids=["approved", "being-corrected"])
def test_a_past_meeting_on_or_before_a_level_decision_whose_minutes_are_approved_is_refused(correcting):
    """It would rewrite what that meeting decided (the level the case stood at, and where it left it),
    and a correction to its minutes reopens what it recorded, not its place among the case's meetings."""
    cases = {"LDN-2024-0001": _facts(decided=("M-2024-0200", date(2024, 11, 19), correcting))}
    state = "being corrected" if correcting else "approved"
    for held in ("2024-11-05", "2024-11-19"):
        [refused] = _check_meetings(_meeting_row(meeting_date=held), cases=cases)
        assert refused.errors == [
            "The level of LDN-2024-0001 was decided at M-2024-0200 on 19 November 2024, whose minutes are "
            f"{state}: bring in only meetings held after that"
        ]
    [later] = _check_meetings(
        _meeting_row(meeting_date="2024-11-20", next_review_due="2025-02-25"), cases=cases
    )
    assert later.errors == []


def test_the_chair_of_a_meeting_on_a_category_4_case_must_be_cleared():
    cases = {"LDN-2024-0001": _facts(category_4=True)}
    [refused] = _check_meetings(_meeting_row(), cases=cases)
    assert refused.errors == [
        "Daniel Price is not cleared for Category 4 cases, so cannot be the chair of a meeting discussing this case"
    ]
    [accepted] = _check_meetings(_meeting_row(chair_email="cleared@example.org"), cases=cases)
    assert accepted.errors == []


def _action_row(line: int = 2, **fields) -> dict:
    return {"line": line, **history.ACTION_EXAMPLE, "owner_agency": "test police", **fields}


def _check_actions(*rows: dict, meetings=(("M-2024-0101", 5),), frozen=False, imported=True):
    cases = {"LDN-2024-0001": _facts(meetings=tuple(meetings))}
    facts = {ref: history.MeetingFacts(id_, ref, frozen, imported) for ref, id_ in meetings}
    return history_actions.check_actions(
        rows, cases=cases, meetings=facts, agencies={"test police": 1, "lay advisers": None}, people=PEOPLE
    )


def test_an_open_action_row_belongs_to_the_meeting_named_or_the_case_latest():
    [named] = _check_actions(_action_row())
    assert named.errors == [] and named.values["meeting_id"] == 5
    assert named.summary == "Open, owned by test police, due 31 January 2025, agreed at M-2024-0101"
    [latest] = _check_actions(
        _action_row(meeting_reference="", owner_email="chair@example.org"),
        meetings=(("M-2024-0101", 5), ("M-2025-0007", 9)),
    )
    assert latest.values["meeting_id"] == 9 and latest.values["owner_id"] == 7
    assert latest.values["pillar"].label == "Monitoring and control"


@pytest.mark.parametrize(
    ("fields", "kwargs", "error"),
    [
        (
            {"meeting_reference": "M-2030-0001"},
            {},
            "LDN-2024-0001 was not discussed at a meeting M-2030-0001",
        ),
        ({"meeting_reference": ""}, {"meetings": ()}, "LDN-2024-0001 has no meeting in the tracker"),
        ({}, {"frozen": True, "imported": False}, "The minutes of M-2024-0101 are approved"),
        ({"owner_agency": "Nowhere"}, {}, "There is no agency called ‘Nowhere’"),
        (
            {"owner_agency": "Lay Advisers"},
            {},
            "‘Lay Advisers’ holds no case records, so it cannot be an action's owner",
        ),
        ({"due_on": "next week"}, {}, "Enter the due date as a date"),
        ({"pillar": "luck"}, {}, "The pillar must be Supervision"),
        ({"description": ""}, {}, "Enter what is to be done"),
        ({"case_reference": "LDN-1999-0001"}, {}, "There is no case LDN-1999-0001 in the tracker"),
    ],
)
def test_an_open_action_row_says_what_is_wrong(fields, kwargs, error):
    [row] = _check_actions(_action_row(**fields), **kwargs)
    assert any(message.startswith(error) for message in row.errors), row.errors


# Through the pages ------------------------------------------------------------------------------------


@pytest.fixture
def area(factory):
    chair = factory.user("CHAIR", name="Daniel Price", email="chair@example.org")
    police = factory.user("PRACTITIONER", name="Priya Shah", email="priya@example.org")
    referred = today_london() - timedelta(days=300)
    first = factory.case(reference="LDN-2024-0001", referred_on=referred)
    second = factory.case(reference="LDN-2024-0002", referred_on=referred)
    hidden = factory.case(reference="LDN-2024-0004", referred_on=referred, category=Category.CATEGORY_4)
    return {"chair": chair, "police": police, "first": first, "second": second, "hidden": hidden}


def _past(days: int) -> str:
    return (today_london() - timedelta(days=days)).isoformat()


def test_the_templates_name_every_column(client_as):
    client = client_as("COORDINATOR")
    for kind, columns in (("meetings", history.MEETING_COLUMNS), ("actions", history.ACTION_COLUMNS)):
        response = client.get(f"/cases/import/{kind}/template.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert response.data.decode("utf-8-sig").splitlines()[0].split(",") == [c.name for c in columns]
    page = client.get("/cases/import/meetings").get_data(as_text=True)
    assert "Bring in past meetings" in page and "/cases/import/meetings/template.csv" in page


def test_past_meetings_with_a_faulty_row_add_nothing_then_import_as_frozen_records(
    client_as, factory, session, area
):
    client = client_as("COORDINATOR")
    good = [
        f"m-2025-0901,{_past(100)},2,ldn-2024-0001,Retain,Stable,{_past(20)},Initial,CHAIR@example.org",
        f"M-2025-0901,{_past(100)},2,LDN-2024-0002,Raise,New risk to a partner,{_past(10)},,chair@example.org",
    ]
    faulty = f"M-2025-0902,{_past(50)},2,LDN-2024-0004,Retain,,,,chair@example.org"
    location = _upload(client, "meetings", _file(MEETINGS, *good, faulty)).location
    # The Category 4 case reads as unknown to a co-ordinator not cleared for it.
    assert "Row 4: There is no case LDN-2024-0004 in the tracker" in _summary(client, location)
    assert client.post(location + "/import").status_code == 302
    assert session.exec(select(Meeting).where(Meeting.reference == "M-2025-0901")).first() is None

    location = _upload(client, "meetings", _file(MEETINGS, *good)).location
    preview = client.get(location).get_data(as_text=True)
    assert _summary(client, location) == ""
    assert "every row is ready" in preview and "Add these past meetings" in preview
    done = client.post(location + "/import")
    assert done.status_code == 302 and "/meetings" in done.location
    meeting = session.exec(select(Meeting).where(Meeting.reference == "M-2025-0901")).one()
    assert (meeting.status, meeting.imported, meeting.level) == (MeetingStatus.HELD, True, Level.LEVEL_2)
    assert meeting.chair_id == area["chair"].id
    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).one()
    assert minutes.status is MinutesStatus.APPROVED and minutes.current.record is not None
    decisions = {item["reference"]: item["level_decision"] for item in minutes.current.record["items"]}
    assert decisions == {"LDN-2024-0001": "RETAIN", "LDN-2024-0002": "RAISE"}
    # The cases stand where their history leaves them.
    session.refresh(area["first"])
    session.refresh(area["second"])
    assert area["first"].next_review_on == today_london() - timedelta(days=20)
    assert (area["second"].level, area["second"].next_review_on) == (
        Level.LEVEL_3,
        today_london() - timedelta(days=10),
    )
    # Nobody is invited, and nothing is sent.
    assert session.exec(select(Invitation).where(Invitation.meeting_id == meeting.id)).first() is None
    from tracker.core.models import OutboxMessage

    assert session.exec(select(OutboxMessage)).first() is None
    created = session.exec(select(AuditEvent.object_type).where(AuditEvent.action == "create")).all()
    assert (
        created.count("Meeting") == 1 and created.count("AgendaItem") == 2 and created.count("Minutes") == 1
    )
    # Frozen: its record changes only through a correction to the minutes.
    page = client_as(area["chair"]).get(
        f"/meetings/{meeting.id}/agenda/{meeting.agenda_items[0].id}/decision"
    )
    assert page.status_code == 303


def test_a_category_4_past_meeting_needs_someone_cleared(client_as, factory, session, area):
    cleared_chair = factory.user("CHAIR", email="cleared@example.org", terrorism_cleared=True)
    row = f"M-2025-0950,{_past(30)},2,LDN-2024-0004,Retain,,{_past(5)},,cleared@example.org"
    client = client_as(factory.user("COORDINATOR", terrorism_cleared=True))
    location = _upload(client, "meetings", _file(MEETINGS, row)).location
    assert _summary(client, location) == ""
    assert client.post(location + "/import").status_code == 302
    meeting = session.exec(select(Meeting).where(Meeting.reference == "M-2025-0950")).one()
    assert meeting.chair_id == cleared_chair.id


def test_open_actions_join_their_meeting_and_an_imported_meeting_record_is_built_again(
    client_as, factory, session, area
):
    client = client_as("COORDINATOR")
    meeting_row = f"M-2025-0960,{_past(60)},2,LDN-2024-0001,Retain,,{_past(-30)},,chair@example.org"
    client.post(_upload(client, "meetings", _file(MEETINGS, meeting_row)).location + "/import")
    police = area["police"].agency.name
    rows = [
        f"ldn-2024-0001,Visit the address,{police},PRIYA@example.org,{_past(-7)},,Monitoring and control",
        f"LDN-2024-0002,Refer to housing,{police},,{_past(3)},,",
    ]
    location = _upload(client, "actions", _file(ACTIONS, *rows)).location
    assert "Row 3: LDN-2024-0002 has no meeting in the tracker" in _summary(client, location)
    client.post(location + "/import")
    assert session.exec(select(Action)).first() is None

    location = _upload(client, "actions", _file(ACTIONS, rows[0])).location
    assert client.post(location + "/import").status_code == 302
    action = session.exec(select(Action)).one()
    item = session.get(AgendaItem, action.agenda_item_id)
    assert (item.case_id, action.owner_id, action.due_on) == (
        area["first"].id,
        area["police"].id,
        today_london() + timedelta(days=7),
    )
    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == item.meeting_id)).one()
    session.refresh(minutes)
    assert minutes.status is MinutesStatus.APPROVED
    assert [a["description"] for a in minutes.current.record["items"][0]["actions"]] == ["Visit the address"]
    assert "Visit the address" in client_as(area["police"]).get("/actions").get_data(as_text=True)


@pytest.mark.parametrize("then", ["actions brought in", "distributed", "corrected", "being corrected"])
def test_an_imported_meeting_takes_its_actions_once_and_never_after_its_minutes_went_further(
    client_as, factory, session, area, then
):
    """An imported meeting's record is rebuilt with the actions it agreed when they come in; once it has
    them, or its minutes have been distributed or corrected, version 1 stays as approved: a further action
    is refused, and what was frozen does not change."""
    client = client_as("COORDINATOR")
    meeting_row = f"M-2025-0961,{_past(60)},2,LDN-2024-0001,Retain,,{_past(-30)},,chair@example.org"
    client.post(_upload(client, "meetings", _file(MEETINGS, meeting_row)).location + "/import")
    meeting = session.exec(select(Meeting).where(Meeting.reference == "M-2025-0961")).one()
    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).one()
    police = area["police"].agency.name
    if then == "actions brought in":
        first = f"LDN-2024-0001,Visit the address,{police},,{_past(-7)},M-2025-0961,"
        assert client.post(_upload(client, "actions", _file(ACTIONS, first)).location + "/import").status_code == 302
    elif then == "distributed":
        minutes.status = MinutesStatus.DISTRIBUTED
        session.commit()
    else:  # a correction approved, or still a draft (the minutes are then not approved at all)
        version = MinutesVersion(minutes_id=minutes.id, number=2, sections={}, record={}, created_by_id=minutes.created_by_id)
        session.add(version)
        if then == "being corrected":
            minutes.status = MinutesStatus.DRAFT
        session.commit()
    session.expire_all()
    version_1 = session.exec(
        select(MinutesVersion).where(MinutesVersion.minutes_id == minutes.id, MinutesVersion.number == 1)
    ).one()
    frozen, status = version_1.record, minutes.status

    row = f"LDN-2024-0001,Check in weekly,{police},,{_past(-14)},M-2025-0961,"
    location = _upload(client, "actions", _file(ACTIONS, row)).location
    assert (
        "Row 2: The minutes of M-2025-0961 were brought in and have since taken their actions, been "
        "distributed or been corrected, so an action it agreed is added through a correction to the minutes"
    ) in _summary(client, location)
    client.post(location + "/import")
    session.expire_all()
    assert session.exec(select(Action).where(Action.description == "Check in weekly")).first() is None
    assert session.get(MinutesVersion, version_1.id).record == frozen
    assert session.get(Minutes, minutes.id).status is status


def test_an_action_for_a_meeting_whose_minutes_were_approved_in_the_tracker_is_refused(
    client_as, factory, session, area
):
    held = factory.held_meeting(chair=area["chair"])
    factory.minutes(held, MinutesStatus.APPROVED)
    case = held.agenda_items[0].case
    client = client_as("COORDINATOR")
    row = f"{case.reference.lower()},Extra,{area['police'].agency.name},,{_past(-7)},{held.reference},"
    location = _upload(client, "actions", _file(ACTIONS, row)).location
    assert f"Row 2: The minutes of {held.reference} are approved" in _summary(client, location)


def _refused_before(client_as, session, case, meeting, reference: str, minutes: str) -> None:
    """A past meeting raising `case`, held 25 days ago, before `meeting` (held 15 days ago, its minutes
    `minutes`) decided its level: the upload names the row's problem, and the import brings in nothing."""
    client = client_as("COORDINATOR")
    row = f"{reference},{_past(25)},2,{case.reference},Raise,New risk,{_past(20)},,chair@example.org"
    location = _upload(client, "meetings", _file(MEETINGS, row)).location
    held_on = today_london() - timedelta(days=15)
    assert (
        f"Row 2: The level of {case.reference} was decided at {meeting.reference} on {held_on:%-d %B %Y}, "
        f"whose minutes are {minutes}: bring in only meetings held after that"
    ) in _summary(client, location)
    client.post(location + "/import")
    session.expire_all()
    assert session.exec(select(Meeting).where(Meeting.reference == reference)).first() is None


def test_a_past_meeting_before_a_decision_approved_in_the_tracker_is_refused_and_changes_nothing(
    client_as, factory, session, area
):
    """LDN-2024-0001 was lowered to Level 1 at a meeting 15 days ago whose minutes are distributed: a past
    meeting raising it, held before that, would make the approved decision "Level 3 to Level 2"."""
    case = area["first"]
    meeting = factory.meeting(
        chair=area["chair"], day=today_london() - timedelta(days=15), status=MeetingStatus.HELD
    )
    item = factory.agenda_item(meeting, case)
    response = client_as(area["chair"]).post(
        f"/meetings/{meeting.id}/agenda/{item.id}/decision",
        data=decision_form(item.version, "LOWER", "Risk has reduced", today_london() + timedelta(weeks=8)),
    )
    assert response.status_code == 302
    factory.minutes(meeting, MinutesStatus.DISTRIBUTED)
    session.expire_all()
    before = [
        (e.occurred_on, e.previous_level, e.level)
        for e in session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))
    ]
    assert before[-1][1:] == (Level.LEVEL_2, Level.LEVEL_1)
    _refused_before(client_as, session, case, meeting, "M-2025-0970", "approved")
    after = session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id))
    assert [(e.occurred_on, e.previous_level, e.level) for e in after] == before
    assert session.get(Case, case.id).level is Level.LEVEL_1


def test_a_past_meeting_before_a_meeting_whose_minutes_are_being_corrected_is_refused(
    client_as, factory, session, area
):
    """A correction reopens what the meeting recorded, not its place among the case's meetings: a past
    meeting brought in before it would change the level its record starts from."""
    from tests.meetings.conftest import start_correction

    case = area["first"]
    meeting = factory.meeting(
        chair=area["chair"], day=today_london() - timedelta(days=15), status=MeetingStatus.HELD
    )
    item = factory.agenda_item(meeting, case)
    chair = client_as(area["chair"])
    response = chair.post(
        f"/meetings/{meeting.id}/agenda/{item.id}/decision",
        data=decision_form(item.version, "RETAIN", "Risk is stable", today_london() + timedelta(weeks=8)),
    )
    assert response.status_code == 302
    factory.minutes(meeting, MinutesStatus.APPROVED)
    assert start_correction(chair, session, meeting, "The rationale was recorded wrongly").status_code == 302
    _refused_before(client_as, session, case, meeting, "M-2025-0971", "being corrected")
    assert session.get(Case, case.id).level is Level.LEVEL_2


def test_only_the_coordinator_brings_in_history(client_as):
    for role in ("CHAIR", "ADMINISTRATOR", "PRACTITIONER"):
        assert client_as(role).get("/cases/import/meetings").status_code == 403
        assert client_as(role).get("/cases/import/actions/template.csv").status_code == 403


def test_an_imported_meeting_says_it_was_brought_in_not_approved_by_a_chair(
    client_as, factory, session, area
):
    """The meeting page, its minutes, the version page and the PDF say the meeting was imported, when and
    by whom; none claims a chair approved the minutes in the tracker, and the imported meeting is not
    counted as minutes overdue or warned of agencies missing (the records hold no attendance)."""
    from pypdf import PdfReader

    coordinator = factory.user("COORDINATOR", name="Morgan Imports")
    client = client_as(coordinator)
    row = f"M-2025-0970,{_past(90)},2,LDN-2024-0001,Retain,,{_past(-20)},,chair@example.org"
    assert (
        client.post(_upload(client, "meetings", _file(MEETINGS, row)).location + "/import").status_code == 302
    )
    meeting = session.exec(select(Meeting).where(Meeting.reference == "M-2025-0970")).one()
    note = f"Imported from the area's records on {today_london():%-d %B %Y} by Morgan Imports"

    page = BeautifulSoup(client.get(f"/meetings/{meeting.id}").data, "html.parser")
    assert note in page.find(id="imported").get_text(" ", strip=True)
    text = page.get_text(" ", strip=True)
    assert "Minutes due out by" not in text and "not represented" not in text
    assert "Time Not recorded" in text and "Venue Not recorded" in text

    give_minutes_reason(client, meeting.id)  # the co-ordinator has no part in the meeting: says why
    page = BeautifulSoup(client.get(f"/meetings/{meeting.id}/minutes").data, "html.parser")
    assert note in page.find(id="imported").get_text(" ", strip=True)
    rows = {
        row.select_one(".govuk-summary-list__key").get_text(strip=True): row.select_one(
            ".govuk-summary-list__value"
        ).get_text(" ", strip=True)
        for row in page.select(".govuk-summary-list__row")
    }
    assert rows["Status"] == "Imported" and rows["Brought in"] == note
    assert "Approved" not in rows and "Distribute by" not in rows
    version = BeautifulSoup(client.get(f"/meetings/{meeting.id}/minutes/versions/1").data, "html.parser")
    version_text = version.get_text(" ", strip=True)
    assert f"Brought in {note}" in version_text and "Approved by" not in version_text
    assert "Not recorded: the meeting was brought in from the area's records." in version_text
    assert "No agencies were invited" not in version_text

    response = client.get(disclosed(f"/meetings/{meeting.id}/minutes/versions/1/pdf"))
    assert response.status_code == 200
    assert "imported" in response.headers["Content-Disposition"]
    words = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.data)).pages)
    assert note in words and "Approved by" not in words and "time not recorded" in words
    assert "Responsible Authority agencies not represented" not in words
    assert "Not recorded: the meeting was brought in from the area's records." in words

    minutes = client.get("/minutes?show=overdue").get_data(as_text=True)
    assert "M-2025-0970" not in minutes
    # Nor in the co-ordinator's counts, kept per day, which agree with the list.
    with client.application.test_request_context():
        from tracker.minutes import queries

        assert queries.counts(coordinator)[queries.Show.OVERDUE] == 0
    assert "Overdue (0)" in BeautifulSoup(minutes, "html.parser").get_text(" ", strip=True)
    everything = BeautifulSoup(client.get("/minutes?show=all").data, "html.parser").get_text(" ", strip=True)
    assert "Imported, not sent through the tracker" in everything


def test_a_past_meeting_brought_in_leaves_the_plan_a_review_still_to_come_starts_from(
    client_as, factory, session, area
):
    """A meeting brought in held, dated before a review already on the diary, brings a decision and
    actions but no plan: the review keeps the plan it started from rather than a blank one."""
    from tests.meetings.conftest import post_confirming_warnings
    from tracker.meetings.models import PlanPart

    review = factory.meeting(chair=area["chair"], day=today_london() + timedelta(days=7))
    client = client_as("COORDINATOR")
    added = post_confirming_warnings(
        client,
        f"/meetings/{review.id}/agenda/new",
        {"case_reference": "LDN-2024-0001", "purpose": "REVIEW"},
    )
    assert added.status_code == 302
    item = session.exec(select(AgendaItem).where(AgendaItem.meeting_id == review.id)).one()

    row = f"M-2025-0960,{_past(10)},2,LDN-2024-0001,Retain,Stable,{_past(-60)},,chair@example.org"
    location = _upload(client, "meetings", _file(MEETINGS, row)).location
    assert _summary(client, location) == ""
    assert client.post(location + "/import").status_code == 302
    session.expire_all()
    brought_in = session.exec(
        select(AgendaItem).join(Meeting).where(Meeting.reference == "M-2025-0960")
    ).one()
    parts = session.exec(select(PlanPart).where(PlanPart.agenda_item_id == item.id)).all()
    assert parts and all(part.carried_from_id != brought_in.id for part in parts)


def test_a_past_meeting_at_another_level_than_the_case_stood_at_is_refused(client_as, factory, session, area):
    """The level the case stood at on the meeting's day comes from its history in the tracker (here, referred
    at Level 3); the meeting's chair must hold the chair role (a lay adviser does not)."""
    case = factory.case(
        reference="LDN-2024-0005", level=Level.LEVEL_3, referred_on=today_london() - timedelta(days=300)
    )
    client = client_as("COORDINATOR")
    lay = factory.user("LAY_ADVISER", email="lay@example.org")
    rows = [
        f"M-2025-0970,{_past(60)},2,LDN-2024-0005,Lower,,,,chair@example.org",
        f"M-2025-0971,{_past(50)},2,LDN-2024-0002,Retain,,{_past(-30)},,{lay.email}",
    ]
    location = _upload(client, "meetings", _file(MEETINGS, *rows)).location
    summary = _summary(client, location)
    assert f"Row 2: LDN-2024-0005 stood at Level 3 on {format_date(today_london() - timedelta(days=60))}" in summary
    assert f"Row 3: {lay.name} does not have the chair role, so cannot chair a meeting" in summary
    client.post(location + "/import")
    session.expire_all()
    assert session.get(Case, case.id).level is Level.LEVEL_3


def test_past_meetings_brought_in_leave_the_four_pillars_figures_to_the_meetings_that_recorded_them(
    client_as, factory, session, area
):
    """An imported meeting brings its date and decisions, not its plan: its discussions have no pillar
    records, and counted they would read as plans that addressed no pillar. The Four Pillars figures
    count the discussions of meetings held in the tracker only."""
    import sqlalchemy as sa

    from tracker.meetings.models import PillarStatus
    from tracker.reports.models import DiscussionTally, PillarTally

    held = factory.meeting(chair=area["chair"], day=today_london() - timedelta(days=30), status=MeetingStatus.HELD)
    item = factory.agenda_item(held, area["first"])
    for entry in item.pillar_entries:
        entry.status = PillarStatus.ADDRESSED
    factory.save(*item.pillar_entries)
    client = client_as("COORDINATOR")
    rows = [f"M-2025-0911,{_past(100)},2,LDN-2024-0002,Retain,Stable,{_past(20)},,chair@example.org"]
    location = _upload(client, "meetings", _file(MEETINGS, *rows)).location
    assert client.post(location + "/import").status_code == 302
    assert session.exec(select(Meeting).where(Meeting.reference == "M-2025-0911")).one().imported
    counted = dict(
        session.exec(
            select(DiscussionTally.all_pillars, sa.func.sum(DiscussionTally.discussions)).group_by(
                DiscussionTally.all_pillars
            )
        ).all()
    )
    assert counted == {True: 1}  # the tracker's meeting, every pillar addressed; the imported one not in
    entries = session.exec(select(sa.func.sum(PillarTally.entries))).one()
    assert entries == 4


def test_an_open_action_is_due_no_earlier_than_its_meeting_and_names_its_agency_as_listed(
    client_as, factory, session, area
):
    """As on the action form, an action is due on or after the meeting that agreed it; the owning agency is
    matched case and spacing aside, and one left empty is asked for, each by row and column."""
    client = client_as("COORDINATOR")
    meeting = f"M-2025-0921,{_past(100)},2,LDN-2024-0001,Retain,Stable,{_past(20)},,chair@example.org"
    assert client.post(_upload(client, "meetings", _file(MEETINGS, meeting)).location + "/import").status_code == 302
    held = format_date(today_london() - timedelta(days=100))
    rows = [
        f"LDN-2024-0001,Visit the address,  TEST   police ,,{_past(101)},M-2025-0921,",
        f"LDN-2024-0001,Check the licence,,,{_past(10)},M-2025-0921,",
        f"LDN-2024-0001,Confirm the address,test Police,,{_past(100)},M-2025-0921,",
    ]
    location = _upload(client, "actions", _file(ACTIONS, *rows)).location
    summary = _summary(client, location)
    assert (
        "Row 2, due_on: The due date must be on or after the date of the meeting that agreed it "
        f"(M-2025-0921, {held})"
    ) in summary
    assert "Row 2, owner_agency" not in summary
    assert "Row 3, owner_agency: Enter the agency that owns the action, as listed in the tracker" in summary
    assert "Row 4" not in summary  # due on the day of the meeting
    assert client.post(location + "/import").status_code == 302
    assert session.exec(select(Action)).all() == []
