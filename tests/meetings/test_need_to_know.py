"""The two ways round need-to-know found by the security probe (issue 13, findings 1 and 2): an auditor
reads the meeting he audits but changes nothing on it, and putting a case on an agenda never gives a chair
a case he could not already see."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from tests.justify import give_reason
from tests.meetings.conftest import post_confirming_warnings
from tests.pages import error_summary
from tests.posted import case_form, date_parts
from tracker.core.timeutil import today_london
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Case,
    CaseEvent,
    CaseEventKind,
    Category,
)


def _audited(factory):
    """A held meeting chaired by someone else, with a Category 3 case and an open action, and a chair
    named to audit it (audit still open)."""
    meeting = factory.held_meeting(chair=factory.user("CHAIR"))
    item = meeting.agenda_items[0]
    item.case.category = Category.CATEGORY_3
    factory.save(item.case)
    auditor = factory.user("CHAIR", name="Audrey Auditor")
    factory.meeting_audit(meeting, auditor)
    action = factory.session.exec(select(Action).where(Action.agenda_item_id == item.id)).first()
    return meeting, item.case, action, auditor


def test_an_auditor_reads_the_meeting_he_audits_and_its_cases(client_as, factory):
    meeting, case, _action, auditor = _audited(factory)
    client = client_as(auditor)
    assert client.get(f"/meetings/{meeting.id}").status_code == 200
    assert client.get(f"/cases/{case.id}").status_code == 200


def test_an_auditor_cannot_change_a_case_of_the_meeting_he_audits(client_as, factory, session):
    meeting, case, _action, auditor = _audited(factory)
    client = client_as(auditor)
    response = client.post(f"/cases/{case.id}/edit", data=case_form(case, category="CATEGORY_1"))
    assert response.status_code in (403, 404)
    session.refresh(case)
    assert case.category is Category.CATEGORY_3
    events_before = len(session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id)).all())
    response = client.post(
        f"/cases/{case.id}/events/new",
        data={"kind": "RECALLED", "occurred_on": ["1", "1", "2026"], "reason": "Recalled"},
    )
    assert response.status_code in (403, 404)
    assert len(session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()) == events_before


def test_an_auditor_cannot_drop_or_complete_an_action_of_the_meeting_he_audits(client_as, factory, session):
    _meeting, _case, action, auditor = _audited(factory)
    client = client_as(auditor)
    dropped = client.post(
        f"/actions/{action.id}/drop", data={"outcome": "DROPPED", "reason": "Not needed", "version": str(action.version)}
    )
    completed = client.post(f"/actions/{action.id}/complete", data={})
    assert dropped.status_code in (403, 404)
    assert completed.status_code in (403, 404)
    session.refresh(action)
    assert action.status is ActionStatus.OPEN


def test_a_chair_cannot_put_a_case_he_may_not_see_on_his_agenda(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    hidden = factory.case(reference="NTK-HIDDEN")
    client = client_as(chair)
    assert client.get(f"/cases/{hidden.id}").status_code == 404
    url = f"/meetings/{meeting.id}/agenda/new"
    missing = client.post(url, data={"case_reference": "NTK-NO-SUCH-CASE", "purpose": "REVIEW"})
    refused = client.post(url, data={"case_reference": "NTK-HIDDEN", "purpose": "REVIEW"})
    # The same answer as for a reference that does not exist: the form does not tell him it does.
    assert error_summary(refused) == error_summary(missing) == ["There is no case with this MAPPA reference"]
    assert refused.status_code == missing.status_code
    assert session.exec(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)).all() == []
    assert client.get(f"/cases/{hidden.id}").status_code == 404


def test_a_chair_puts_a_case_he_leads_or_already_sees_on_his_agenda(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.meeting(chair=chair)
    factory.case(reference="NTK-LED", lead_officer_id=chair.id)
    # Another day: a case is never on two meetings starting at the same moment.
    earlier = factory.meeting(chair=chair, day=today_london() + timedelta(days=3))
    factory.agenda_item(earlier, factory.case(reference="NTK-SEEN"))
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/agenda/new"
    for reference in ("NTK-LED", "NTK-SEEN"):
        data = {"case_reference": reference, "purpose": "INITIAL"}
        response = post_confirming_warnings(client, url, data)  # NTK-SEEN is on another meeting
        assert response.status_code == 302, error_summary(response)
    items = session.exec(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)).all()
    assert len(items) == 2


def test_a_chair_cannot_put_a_case_he_only_audits_on_his_agenda(client_as, factory, session):
    _audited_meeting, case, _action, auditor = _audited(factory)
    own = factory.meeting(chair=auditor)
    response = client_as(auditor).post(
        f"/meetings/{own.id}/agenda/new", data={"case_reference": case.reference, "purpose": "REVIEW"}
    )
    assert error_summary(response) == ["There is no case with this MAPPA reference"]
    assert session.exec(select(AgendaItem).where(AgendaItem.meeting_id == own.id)).all() == []


def test_the_administrator_and_coordinator_still_put_any_case_on_an_agenda(client_as, factory, session):
    administrator = factory.user("ADMINISTRATOR")
    meeting = factory.meeting(administrator=administrator)
    factory.case(reference="NTK-ANY-1")
    factory.case(reference="NTK-ANY-2")
    url = f"/meetings/{meeting.id}/agenda/new"
    for who, reference in ((administrator, "NTK-ANY-1"), ("COORDINATOR", "NTK-ANY-2")):
        data = {"case_reference": reference, "purpose": "REVIEW"}  # never discussed: confirmed
        response = post_confirming_warnings(client_as(who), url, data)
        assert response.status_code == 302, error_summary(response)
    assert len(session.exec(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)).all()) == 2


def test_asking_of_one_case_gives_the_answer_the_lists_give(app, factory, session):
    """`case_visible`, `action_visible` and `can_change_case` ask the rule of one case by its id (fast on a
    record page); for every person and case here they agree with the lists the same rule gives."""
    from tracker.meetings import access

    chair, administrator, invited, practitioner = (
        factory.user("CHAIR"),
        factory.user("ADMINISTRATOR"),
        factory.user("PRACTITIONER"),
        factory.user("PRACTITIONER"),
    )
    cleared = factory.user("CHAIR", terrorism_cleared=True)
    meeting = factory.meeting(chair=chair, administrator=administrator)
    factory.invitation(meeting, invited)
    on_agenda, category_4 = factory.case(), factory.case(category=Category.CATEGORY_4)
    led, referred, owned, elsewhere = (
        factory.case(lead_officer_id=practitioner.id),
        factory.case(created_by_id=practitioner.id),
        factory.case(),
        factory.case(),
    )
    for case in (on_agenda, category_4):
        factory.agenda_item(meeting, case)
    factory.action(factory.agenda_item(factory.meeting(chair=cleared), owned), owner=practitioner)
    factory.action(factory.agenda_item(factory.meeting(), category_4), owner=cleared)
    audited, _case, _action, auditor = _audited(factory)
    people = [chair, administrator, invited, practitioner, cleared, auditor, factory.user("COORDINATOR")]
    cases = [on_agenda, category_4, led, referred, owned, elsewhere, *(i.case for i in audited.agenda_items)]
    actions = session.exec(select(Action)).all()
    with app.test_request_context():
        for person in people:
            seen = set(session.exec(access.visible_case_ids(person)).all())
            managed = set(session.exec(select(Case.id).where(access.managed_case_condition(person))).all())
            assert [access.case_visible(case, person) for case in cases] == [c.id in seen for c in cases]
            assert [access.can_change_case(person, case) for case in cases] == [c.id in managed for c in cases]
            assert [access.action_visible(a, person) for a in actions] == [a.case_id in seen for a in actions]
        # The auditor sees the audited meeting's cases but changes none of them; the coordinator sees all.
        assert access.case_visible(cases[-1], auditor) and not access.can_change_case(auditor, cases[-1])


def _seen_but_not_run(factory, how: str):
    """A case on another chair's meeting with an open action owned by someone else, and a chair who sees
    it only by being invited to that meeting by name, or only by owning one of its actions."""
    meeting = factory.held_meeting(chair=factory.user("CHAIR"))
    item = meeting.agenda_items[0]
    others = factory.session.exec(select(Action).where(Action.agenda_item_id == item.id)).first()
    outsider = factory.user("CHAIR", name="Owen Outsider")
    if how == "invited":
        factory.invitation(meeting, outsider)
    else:
        factory.action(item, owner=outsider)
    return item.case, others, outsider


@pytest.mark.parametrize("how", ["invited", "owns an action"])
def test_a_chair_who_only_sees_a_case_cannot_change_it(client_as, factory, session, how):
    """Being invited to another chair's meeting, or owning one of a case's actions, lets a chair see the
    case: never edit it, record a level change or exit, close someone else's action on it, or put it on
    his own agenda (which would then make it his to change)."""
    case, others, outsider = _seen_but_not_run(factory, how)
    level, version = case.level, case.version
    client = client_as(outsider)
    assert client.get(f"/cases/{case.id}").status_code == 200
    for url in (f"/cases/{case.id}/edit", f"/cases/{case.id}/events/new", f"/actions/{others.id}/drop"):
        assert client.get(url).status_code in (403, 404), url
    assert client.post(f"/cases/{case.id}/edit", data=case_form(case, name="Changed")).status_code in (403, 404)
    for kind in ("LEVEL_CHANGED", "EXITED"):
        data = {"kind": kind, "new_level": "LEVEL_1", "occurred_on": date_parts(date.today()), "reason": "Why"}
        assert client.post(f"/cases/{case.id}/events/new", data=data).status_code in (403, 404)
    data = {"outcome": "DROPPED", "reason": "Not needed", "version": str(others.version)}
    assert client.post(f"/actions/{others.id}/drop", data=data).status_code in (403, 404)
    own = factory.meeting(chair=outsider)
    response = client.post(
        f"/meetings/{own.id}/agenda/new", data={"case_reference": case.reference, "purpose": "REVIEW"}
    )
    assert error_summary(response) == ["There is no case with this MAPPA reference"]
    session.expire_all()
    assert (case.level, case.version, case.name) == (level, version, session.get(Case, case.id).name)
    events = select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind != CaseEventKind.REFERRED)
    assert session.exec(events).all() == []
    assert session.get(Action, others.id).status is ActionStatus.OPEN
    assert session.exec(select(AgendaItem).where(AgendaItem.meeting_id == own.id)).all() == []


def test_a_chair_still_changes_the_cases_of_the_meetings_he_runs(client_as, factory, session):
    chair = factory.user("CHAIR")
    meeting = factory.held_meeting(chair=chair)
    case = meeting.agenda_items[0].case
    client = client_as(chair)
    assert client.get(f"/cases/{case.id}/edit").status_code == 200
    assert client.get(f"/cases/{case.id}/events/new").status_code == 200


def test_a_case_form_does_not_say_a_hidden_case_exists(client_as, factory, session):
    """A chair referring a case under a reference another chair's case or a Category 4 case already has is
    told only that it cannot be used (the same for both, and no case named), and the attempt is in that
    case's audit trail; a reference of a case he sees is "already a case", as before."""
    from tests.posted import referral
    from tracker.core.models import AuditEvent

    chair = factory.user("CHAIR")
    others = factory.case(reference="NTK-OTHERS")
    secret = factory.case(reference="NTK-CAT4", category=Category.CATEGORY_4)
    own = factory.meeting(chair=chair)
    factory.agenda_item(own, factory.case(reference="NTK-MINE"))
    agency = factory.agency("Probation for references")
    client = client_as(chair)
    answers = {
        reference: error_summary(client.post("/cases/new", data=referral(agency, reference=reference)))
        for reference in ("ntk-others", "NTK-CAT4", "NTK-MINE")
    }
    hidden = "This MAPPA reference cannot be used: check it, or ask the MAPPA co-ordinator"
    assert answers == {
        "ntk-others": [hidden],
        "NTK-CAT4": [hidden],
        "NTK-MINE": ["There is already a case with this MAPPA reference"],
    }
    logged = session.exec(select(AuditEvent).where(AuditEvent.action == "case reference refused")).all()
    assert sorted((event.case_id, event.user_id) for event in logged) == sorted(
        [(others.id, chair.id), (secret.id, chair.id)]
    )
    assert len(session.exec(select(Case).where(Case.reference.in_(["NTK-OTHERS", "NTK-CAT4"]))).all()) == 2


def test_a_disposed_case_is_changed_by_no_one(client_as, factory, session):
    """Once its personal data is disposed of, a case is a record that none remains: the co-ordinator cannot
    edit it (putting a name back), record an event on it or put it on an agenda, and its page offers none
    of that; the service refuses it too, whoever calls it."""
    from datetime import UTC, datetime

    from tracker.meetings import services

    coordinator = factory.user("COORDINATOR")
    case = factory.case(reference="DISPOSED-1", name="Disposed of")
    # As the disposal writes it: with a statement, not through the session (whose guard refuses the case).
    session.execute(
        sa.update(Case.__table__).where(Case.id == case.id).values(disposed_at=datetime(2026, 1, 5, tzinfo=UTC))
    )
    session.commit()
    session.refresh(case)
    client = client_as(coordinator)
    give_reason(client, case.id)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Change details" not in page and "Record a change of level" not in page
    for url in (f"/cases/{case.id}/edit", f"/cases/{case.id}/events/new"):
        assert client.get(url).status_code == 403
    assert client.post(f"/cases/{case.id}/edit", data=case_form(case, name="Edward Barlow")).status_code == 403
    meeting = factory.meeting(administrator=factory.user("ADMINISTRATOR"))
    for who in (coordinator, meeting.administrator):
        response = client_as(who).post(
            f"/meetings/{meeting.id}/agenda/new", data={"case_reference": "DISPOSED-1", "purpose": "REVIEW"}
        )
        assert error_summary(response) == ["There is no case with this MAPPA reference"]
    with pytest.raises(services.Refused, match="disposed of under the retention rules on 5 January 2026"):
        services.edit_case(case, {"name": "Edward Barlow"}, case.version, coordinator)
    session.expire_all()
    assert session.get(Case, case.id).name == "Disposed of"


def test_nothing_is_recorded_on_a_disposed_case_through_its_meetings_either(client_as, factory, session):
    """The tester's way round: a held meeting (no minutes yet) had the case on its agenda. A pillar, a
    decision or an action recorded there, a disclosure pack for the case, or any row of the case written
    through the session, would put personal data back: each is refused, whatever route tries."""
    from datetime import UTC, datetime

    from tracker.disclosure.models import DisclosurePack
    from tracker.meetings import disposed
    from tracker.meetings.models import PillarEntry

    chair = factory.user("CHAIR")
    meeting = factory.held_meeting(chair=chair)
    item = meeting.agenda_items[0]
    session.execute(
        sa.update(Case.__table__).where(Case.id == item.case_id).values(disposed_at=datetime(2026, 1, 5, tzinfo=UTC))
    )
    session.commit()
    client = client_as(chair)
    url = f"/meetings/{meeting.id}/agenda/{item.id}/pillars/supervision"
    response = client.post(url, data={"version": "1", "status": "ADDRESSED", "summary": "Named person again"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/cases/{item.case_id}"
    assert "Named person again" not in str(session.exec(select(PillarEntry.summary)).all())
    actions_before = len(session.exec(select(Action)).all())
    factory.session.add(Action(case_id=item.case_id, agenda_item_id=item.id, description="Visit", owner_agency_id=chair.agency_id))
    with pytest.raises(disposed.CaseDisposed):
        factory.session.flush()
    factory.session.rollback()
    factory.session.add(DisclosurePack(case_id=item.case_id, requester="Solicitor", created_by_id=chair.id))
    with pytest.raises(disposed.CaseDisposed):
        factory.session.flush()
    factory.session.rollback()
    assert len(session.exec(select(Action)).all()) == actions_before
