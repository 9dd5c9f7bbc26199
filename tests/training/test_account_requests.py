"""What the TRSG reads of a chair's account it asked for, and what a system admin reads of it: waiting,
refused (with the admin's reason), or approved with the link sent; and no account offered for someone who
may not hold the chair role (the Board's lay advisers)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import select

from tests.migrating import database_at, insert
from tests.pages import banners, error_summary, page_text, table_rows
from tests.training.helpers import trained_chair
from tracker.auth.models import AccountInvitation, AgencySector
from tracker.core import migrate
from tracker.core.timeutil import format_date
from tracker.core.types import utcnow
from tracker.training import invitations
from tracker.training.invitations import RequestState

PANEL = "Chairs' accounts the TRSG asked for"


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
    lee = trained_chair(factory, name="Lee Layton", email="lee.layton@example.org", agency_id=lay.id)
    cal = trained_chair(factory, name="Cal Closed", email="cal.closed@example.org", agency_id=closed.id)
    trained_chair(factory, name="Nia Okafor", email="nia.okafor@example.org")
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


def test_where_a_request_stands_follows_what_a_system_admin_did_with_it():
    now = utcnow()

    def asked(**fields) -> AccountInvitation:
        values = {"trainee_id": 1, "email": "a@example.org", "token_hash": "x", "expires_at": now + timedelta(1)}
        return AccountInvitation(**(values | fields))

    def state(**fields) -> RequestState:
        return invitations.request_state(asked(**fields), now)

    assert state() is RequestState.WAITING
    assert state(expires_at=now) is RequestState.LAPSED
    assert state(refused_at=now, expires_at=now) is RequestState.REFUSED
    assert state(approved_at=now) is RequestState.LINK_SENT
    assert state(approved_at=now, expires_at=now) is RequestState.LINK_LAPSED
    assert state(approved_at=now, used_at=now) is RequestState.USED
    assert not invitations.request_open(asked(refused_at=now), now)
    # The TRSG may ask again once nothing it asked for is under way.
    again = {s for s in RequestState if invitations.Asked(asked(), s).may_ask_again}
    assert again == {RequestState.LAPSED, RequestState.REFUSED, RequestState.LINK_LAPSED, RequestState.USED}


def _asked_by_the_trsg(client_as, factory, session, name: str):
    """A trained chair, and the TRSG member (Tara Sumner) who asked a system admin for their account: the
    TRSG's client, the request, and the trainee."""
    surname = name.split()[-1].lower()
    trainee = trained_chair(factory, name=name, email=f"{surname}@example.org")
    tara = factory.user("TRSG", name="Tara Sumner", email="tara.sumner@example.org")
    trsg = client_as(tara)
    trsg.post(f"/training/chairs/{trainee.id}/invite", data={})
    asked = session.exec(select(AccountInvitation).where(AccountInvitation.trainee_id == trainee.id)).one()
    return trsg, asked, trainee


def _to_tara(delivered) -> list:
    return [message for message in delivered if message["To"] == "tara.sumner@example.org"]


def test_a_refused_account_shows_on_the_register_with_the_reason_and_the_trsg_member_is_emailed(
    client_as, factory, session, delivered
):
    trsg, asked, trainee = _asked_by_the_trsg(client_as, factory, session, "Ola Bright")
    today = format_date(utcnow())
    waiting = _register_cell(trsg, "Bright")
    assert f"No account yet: asked for on {today}, waiting for a system admin" in waiting
    assert "Ask for an account" not in waiting and "Ask again" not in waiting

    admin = client_as(factory.user("SYSTEM_ADMIN", name="Sam Admin"))
    home = page_text(admin.get("/home"))
    assert PANEL in home and "Ola Bright (bright@example.org): a chair's account, asked for on" in home
    page = page_text(admin.get(f"/admin/account-requests/{asked.id}"))
    assert "Outcome Waiting for a system admin" in page and "Why is the account refused?" in page
    assert "Tara Sumner, who asked, is told by email" in page

    # The reason is required.
    empty = admin.post(f"/admin/account-requests/{asked.id}/refuse", data={"reason": "  "})
    assert empty.status_code == 200
    assert error_summary(empty) == ["Enter why the account is refused"]
    session.refresh(asked)
    assert asked.refused_at is None and invitations.request_open(asked, utcnow())
    assert _to_tara(delivered) == []

    reason = "Not a chair in this area: ask their agency to confirm first"
    refused = admin.post(
        f"/admin/account-requests/{asked.id}/refuse", data={"reason": reason}, follow_redirects=True
    )
    assert banners(refused) == [
        "The account for Ola Bright is refused: no link has been sent. Tara Sumner, who asked for it, has "
        "been emailed the outcome."
    ]
    assert PANEL not in page_text(admin.get("/home"))
    page = page_text(admin.get(f"/admin/account-requests/{asked.id}"))
    assert f"Outcome Refused on {today}: {reason}" in page
    assert "Approve and send the link" not in page and "Why is the account refused?" not in page

    cell = _register_cell(trsg, "Bright")
    assert f"No account yet: asked for on {today}, refused by a system admin on {today}" in cell
    assert f"Reason: {reason}" in cell and "Ask again : Ola Bright" in cell
    invite = page_text(trsg.get(f"/training/chairs/{trainee.id}/invite"))
    assert f"A system admin refused the account asked for on {today}, on {today}, saying: {reason}" in invite

    [email] = _to_tara(delivered)
    assert email["Subject"] == "The chair's account you asked for is refused"
    body = email.get_content()
    assert "Hello Tara Sumner" in body and "a MAPPA Tracker account for Ola Bright" in body
    assert "A system admin has refused it" in body and "/training/chairs" in body
    assert reason not in body and "create-account" not in body
    assert [m for m in delivered if m["To"] == trainee.email] == []

    # Asking again puts a new request before a system admin.
    trsg.post(f"/training/chairs/{trainee.id}/invite", data={})
    assert "waiting for a system admin" in _register_cell(trsg, "Bright")
    assert PANEL in page_text(admin.get("/home"))


def test_an_approved_account_shows_on_the_register_as_waiting_for_the_chair_and_the_trsg_member_is_emailed(
    client_as, factory, session, delivered
):
    trsg, asked, trainee = _asked_by_the_trsg(client_as, factory, session, "Femi Adeyemi")
    today = format_date(utcnow())
    admin = client_as("SYSTEM_ADMIN")
    approved = admin.post(f"/admin/account-requests/{asked.id}/approve", data={}, follow_redirects=True)
    assert "Tara Sumner, who asked for it, has been emailed the outcome." in banners(approved)[0]
    assert approved.request.path == "/home"  # back where any other requests wait
    assert PANEL not in page_text(admin.get("/home"))
    session.refresh(asked)
    expires = format_date(asked.expires_at)
    page = page_text(admin.get(f"/admin/account-requests/{asked.id}"))
    assert (
        f"Outcome Approved on {today}: Femi Adeyemi was emailed a link to set a password, which works until "
        f"{expires}" in page
    )

    cell = _register_cell(trsg, "Adeyemi")
    assert f"No account yet: approved on {today} and a link sent, waiting for the chair to set up the account" in cell
    assert "Ask again" not in cell and "Ask for an account" not in cell

    [email] = _to_tara(delivered)
    assert email["Subject"] == "The chair's account you asked for is approved"
    body = email.get_content()
    assert "a MAPPA Tracker account for Femi Adeyemi" in body and "A system admin has approved it" in body
    assert f"the link works until {expires}" in " ".join(body.split())
    assert "create-account" not in body

    # A link not used lapses: the register says so, and the TRSG may ask again.
    asked.expires_at = utcnow() - timedelta(minutes=1)
    session.add(asked)
    session.commit()
    cell = _register_cell(trsg, "Adeyemi")
    assert f"approved on {today}, but the link sent lapsed on" in cell and "Ask again : Femi Adeyemi" in cell


def test_no_one_is_emailed_the_outcome_when_the_trsg_member_who_asked_has_left(
    client_as, factory, session, delivered
):
    _trsg, asked, _trainee = _asked_by_the_trsg(client_as, factory, session, "Kit Marlowe")
    asked.created_by.active = False
    session.add(asked.created_by)
    session.commit()
    admin = client_as("SYSTEM_ADMIN")
    page = page_text(admin.get(f"/admin/account-requests/{asked.id}"))
    assert "who asked, is told by email" not in page
    refused = admin.post(
        f"/admin/account-requests/{asked.id}/refuse", data={"reason": "Left the area"}, follow_redirects=True
    )
    assert banners(refused) == ["The account for Kit Marlowe is refused: no link has been sent."]
    assert _to_tara(delivered) == []


def test_requests_refused_before_the_migration_show_as_refused_from_the_audit_trail(
    database_url, tmp_path_factory
):
    """Migration 0047: a refusal only ended the request until then; the audit trail says which were
    refused, and when."""
    with database_at(database_url, tmp_path_factory, "0046") as (url, engine, tables):
        with engine.begin() as connection:
            agency = insert(connection, tables["agency"], name="Test Police", sector="POLICE")
            trainee = insert(
                connection, tables["trainee"], name="Old Request", email="old@example.org", agency_id=agency
            )
            refused_on = datetime(2026, 11, 3, 10, 0)
            ids = [
                insert(
                    connection,
                    tables["account_invitation"],
                    trainee_id=trainee,
                    email="old@example.org",
                    token_hash=f"hash{number}",
                    expires_at=refused_on,
                    **fields,
                )
                for number, fields in enumerate([{}, {}, {"approved_at": refused_on}])
            ]
            for object_id, action in [(ids[0], "account refused"), (ids[2], "account approved")]:
                insert(
                    connection,
                    tables["audit_event"],
                    at=refused_on,
                    actor="Sam Admin",
                    action=action,
                    object_type="AccountInvitation",
                    object_id=str(object_id),
                )
        migrate.upgrade(url)
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT refused_at, refusal_reason FROM account_invitation ORDER BY id")
            ).all()
    assert [row[0] is not None for row in rows] == [True, False, False]
    assert str(rows[0][0]).startswith("2026-11-03 10:00") and rows[0][1] is None


def test_once_the_chair_s_agency_is_deactivated_the_register_and_the_link_say_no_account_can_be_made(
    client, client_as, factory, session, delivered
):
    trsg, asked, trainee = _asked_by_the_trsg(client_as, factory, session, "Colin Ellis")
    assert client_as("SYSTEM_ADMIN").post(f"/admin/account-requests/{asked.id}/approve", data={}).status_code == 302
    [invited] = [message for message in delivered if message["To"] == "ellis@example.org"]
    link = re.search(r"https?://\S+(/create-account/\S+)", invited.get_content()).group(1)
    agency = trainee.agency
    agency.active = False
    factory.save(agency)

    cell = _register_cell(trsg, "Ellis")
    assert "No chair's account can be made now (what was asked for cannot be used)" in cell
    page = client.get(link)
    assert page.status_code == 404
    said = page_text(page)
    assert "This link does not work" in said and "No chair's account can be made with it now" in said
    assert "Make your account" not in said
