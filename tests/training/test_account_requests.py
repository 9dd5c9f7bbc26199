"""What the TRSG reads of a chair's account it asked for, and what a system admin reads of it: waiting,
refused (with the admin's reason), or approved with the link sent; and no account offered for someone who
may not hold the chair role (the Board's lay advisers)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from tests.training.helpers import page_text, table_rows
from tracker.auth.models import AccountInvitation, AgencySector
from tracker.core.timeutil import today_london
from tracker.training.models import EnrolmentStatus, Trainee, TraineeRole


def _trained_chair(factory, **fields) -> Trainee:
    """A chair who completed chair training a month ago and has no account."""
    trainee = factory.trainee(**fields)
    day = today_london() - timedelta(days=30)
    event = factory.event(days=[day - timedelta(days=1), day])
    factory.enrolment(
        event, trainee, EnrolmentStatus.COMPLETED, TraineeRole.CHAIR, completed_on=day, sessions_attended=2
    )
    return trainee


def _register_cell(client, name: str) -> str:
    """The first cell (name, agency, account) of the chair's row on the chairs' register."""
    rows = table_rows(client.get(f"/training/chairs?q={name}"), "Chairs")
    assert len(rows) == 1, rows
    return rows[0][0]


def test_the_register_offers_no_chairs_account_for_a_lay_adviser_and_the_server_refuses_one(
    client_as, factory, session
):
    """A lay adviser who sat chair training is on the register, but lay advisers are not chairs: the
    register says no chair's account can be made and offers none to ask for; one asked for anyway is
    refused with that reason, in the TRSG's terms (not the admin's account form's)."""
    lay = factory.agency("Lay Advisers", AgencySector.LAY_ADVISERS)
    closed = factory.agency("Closed Probation", AgencySector.PROBATION, active=False)
    lee = _trained_chair(factory, name="Lee Layton", email="lee.layton@example.org", agency_id=lay.id)
    cal = _trained_chair(factory, name="Cal Closed", email="cal.closed@example.org", agency_id=closed.id)
    _trained_chair(factory, name="Nia Okafor", email="nia.okafor@example.org")
    trsg = client_as("TRSG")

    lay_cell = _register_cell(trsg, "Layton")
    assert "Ask for an account" not in lay_cell
    assert (
        "No chair's account can be made: Lay Advisers holds no case records, and a chair's account reads "
        "them (lay advisers are not chairs)" in lay_cell
    )
    closed_cell = _register_cell(trsg, "Cal Closed")
    assert "Ask for an account" not in closed_cell
    assert "Closed Probation is no longer active" in closed_cell
    assert "Ask for an account : Nia Okafor" in _register_cell(trsg, "Okafor")

    for trainee in (lee, cal):
        refused = trsg.post(f"/training/chairs/{trainee.id}/invite", data={})
        assert refused.status_code == 409
        text = page_text(refused)
        assert f"{trainee.name} cannot have a chair's account" in text
        assert "choose roles" not in text and "Ask a system admin" not in text
    assert session.exec(select(AccountInvitation)).all() == []

    # A request made before (before the agency changed): the admin reads the same reason, and cannot approve.
    from tracker.auth import rules
    from tracker.core.types import utcnow

    asked = factory.save(
        AccountInvitation(
            trainee_id=lee.id,
            email=lee.email,
            token_hash=rules.new_token()[1],
            expires_at=utcnow() + timedelta(days=7),
        )
    )
    admin = client_as("SYSTEM_ADMIN")
    request_page = page_text(admin.get(f"/admin/account-requests/{asked.id}"))
    assert "Lee Layton cannot have a chair's account: Lay Advisers holds no case records" in request_page
    assert "choose roles" not in request_page and "Approve and send the link" not in request_page
    approved = page_text(admin.post(f"/admin/account-requests/{asked.id}/approve", follow_redirects=True))
    assert "Lee Layton cannot have a chair's account" in approved
