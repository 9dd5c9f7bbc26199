"""A second system admin refusing a new email address another admin asked for: a reason is required, the
admin who asked is emailed who refused it and why, and the refusal shows with its reason on the request's
page, the account's page, the asking admin's home page and in the audit trail. The person whose address it
is is not told (nothing changed for them)."""

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tracker.admin import grants
from tracker.auth.models import AccessGrant, GrantOutcome, User
from tracker.core.models import AuditEvent, OutboxMessage

REASON = "Ada's manager says she has not moved team: check with her first"


def _soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def _text(response) -> str:
    return _soup(response).get_text(" ", strip=True)


def _grant(session, person) -> AccessGrant:
    session.expire_all()
    return session.exec(select(AccessGrant).where(AccessGrant.user_id == person.id)).one()


@pytest.fixture
def asked(client_as, factory):
    """Sam asked for a co-ordinator's new email address; Bea is a second admin."""
    person = factory.user("COORDINATOR", name="Ada Moved", email="ada@example.org")
    sam = factory.user("SYSTEM_ADMIN", name="Sam Admin", email="sam@example.org")
    bea = factory.user("SYSTEM_ADMIN", name="Bea Second", email="bea@example.org")
    as_sam = client_as(sam)
    data = {"name": person.name, "email": "ada.new@example.org", "agency_id": str(person.agency_id),
            "roles": ["COORDINATOR"], "active": "y"}
    assert as_sam.post(f"/admin/users/{person.id}/edit", data=data).status_code == 302
    return person, sam, as_sam, client_as(bea)


def _messages(session) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_refusing_without_a_reason_is_told_to_give_one_and_changes_nothing(asked, session):
    person, _sam, _as_sam, as_bea = asked
    grant = _grant(session, person)
    before = len(_messages(session))

    for reason in ("", "   "):
        response = as_bea.post(f"/admin/grants/{grant.id}/refuse", data={"reason": reason})
        assert response.status_code == 200
        page = _soup(response)
        assert "Enter why you are refusing the request" in page.select_one(".govuk-error-summary").get_text()
        assert "Enter why you are refusing the request" in page.select_one("#reason-error").get_text()

    assert _grant(session, person).outcome is GrantOutcome.WAITING
    assert session.get(User, person.id).email == "ada@example.org"
    assert len(_messages(session)) == before


def test_the_admin_who_asked_is_emailed_who_refused_it_and_why(asked, session, smtp_server):
    person, _sam, _as_sam, as_bea = asked
    grant = _grant(session, person)

    done = _text(as_bea.post(f"/admin/grants/{grant.id}/refuse", data={"reason": REASON}, follow_redirects=True))
    assert "The new email address (ada.new@example.org) for Ada Moved: refused." in done
    assert "Sam Admin, who asked for it, has been emailed your reason." in done
    assert _grant(session, person).outcome is GrantOutcome.REFUSED
    assert session.get(User, person.id).email == "ada@example.org"

    # Only Sam is told: not Ada, at either address (nothing changed for her).
    [message] = [received.message for received in smtp_server.received]
    assert message["To"] == "sam@example.org"
    assert message["Subject"] == "The new email address you asked for was refused"
    said = " ".join(message.get_content().split())
    assert "You asked for the new email address (ada.new@example.org) for Ada Moved's account" in said
    assert "Bea Second, a second system admin, refused it" in said
    assert REASON in said
    assert "its email address is still ada@example.org" in said
    assert f"/admin/grants/{grant.id}" in said


def test_the_refusal_shows_with_its_reason_where_admins_look(asked, session):
    person, _sam, as_sam, as_bea = asked
    grant = _grant(session, person)
    as_bea.post(f"/admin/grants/{grant.id}/refuse", data={"reason": REASON})

    request_page = _text(as_sam.get(f"/admin/grants/{grant.id}"))
    assert "Outcome Refused by Bea Second on" in request_page
    assert f"Why it was refused {REASON}" in request_page
    assert "Refuse it" not in request_page  # decided: nothing more to do

    account = _soup(as_bea.get(f"/admin/users/{person.id}"))
    assert account.select_one("#waiting-grants") is None
    refused = account.select_one("#refused-grants + table tbody").get_text(" ", strip=True)
    assert "New email address (ada.new@example.org) Sam Admin Bea Second" in refused
    assert REASON in refused

    home = _soup(as_sam.get("/home")).select_one("#refused-grants-panel").get_text(" ", strip=True)
    assert "Ada Moved : new email address (ada.new@example.org), refused by Bea Second on" in home
    assert REASON in home
    # Bea's own home page has nothing waiting and nothing of hers refused.
    assert _soup(as_bea.get("/home")).select_one("#refused-grants-panel") is None


def test_the_audit_trail_keeps_the_refusal_and_its_reason(asked, session, client_as):
    person, _sam, _as_sam, as_bea = asked
    grant = _grant(session, person)
    as_bea.post(f"/admin/grants/{grant.id}/refuse", data={"reason": f"  {REASON}  "})

    entry = session.exec(select(AuditEvent).where(AuditEvent.action == "access refused")).one()
    assert (entry.object_type, entry.object_id, entry.actor) == ("AccessGrant", str(grant.id), "bea@example.org")
    assert entry.reason == REASON
    trail = _text(as_bea.get("/admin/audit", query_string={"operation": "", "object_id": str(grant.id)}))
    assert f"access refused AccessGrant {grant.id}" in trail
    assert f"Refusal: {REASON}" in trail


def test_the_refuse_form_is_on_the_request_page_reached_from_the_account(asked, session):
    person, _sam, _as_sam, as_bea = asked
    grant = _grant(session, person)
    account = _soup(as_bea.get(f"/admin/users/{person.id}"))
    refuse = account.select_one('#waiting-grants ~ table a[aria-label="Refuse the new email address for Ada Moved"]')
    assert refuse["href"] == f"/admin/grants/{grant.id}#refuse"

    page = _soup(as_bea.get(refuse["href"]))
    form = page.select_one(f'form[action="/admin/grants/{grant.id}/refuse"]')
    assert form.select_one("textarea[name=reason]") is not None
    said = page.get_text(" ", strip=True)
    assert "Sam Admin, who asked, is emailed that you refused it and why." in said
    assert "Ada Moved is not told: nothing changes for them." in said


def test_the_admin_who_asked_withdraws_it_without_a_reason(asked, session, smtp_server):
    person, _sam, as_sam, _as_bea = asked
    grant = _grant(session, person)
    account = _soup(as_sam.get(f"/admin/users/{person.id}"))
    assert account.select_one('#waiting-grants ~ table button[aria-label="Withdraw the new email address for Ada Moved"]')

    done = _text(as_sam.post(f"/admin/grants/{grant.id}/refuse", follow_redirects=True))
    assert "The new email address (ada.new@example.org) for Ada Moved: withdrawn." in done
    assert _grant(session, person).outcome is GrantOutcome.WITHDRAWN
    assert smtp_server.received == []


def test_an_asker_whose_account_is_deactivated_is_not_emailed(asked, session, factory):
    person, sam, _as_sam, as_bea = asked
    grant = _grant(session, person)
    asker = session.get(User, sam.id)
    asker.active = False
    factory.save(asker)
    before = len(_messages(session))

    done = _text(as_bea.post(f"/admin/grants/{grant.id}/refuse", data={"reason": REASON}, follow_redirects=True))
    assert "The new email address (ada.new@example.org) for Ada Moved: refused." in done
    assert "has been emailed" not in done
    assert len(_messages(session)) == before
    assert f"Why it was refused {REASON}" in _text(as_bea.get(f"/admin/grants/{grant.id}"))


def test_a_refusal_needs_a_reason_and_a_waiting_request(app, asked, session):
    """The service refuses what the form would: no reason, the admin who asked, a request decided already."""
    from tracker.admin import grant_refusals

    person, sam, _as_sam, _as_bea = asked
    bea = session.exec(select(User).where(User.email == "bea@example.org")).one()
    grant = _grant(session, person)
    with app.test_request_context():
        with pytest.raises(grants.Refused, match="Enter why you are refusing the request"):
            grant_refusals.refuse(bea, grant, " ")
        with pytest.raises(grants.Refused, match="You asked for this: withdraw it instead"):
            grant_refusals.refuse(session.get(User, sam.id), grant, REASON)
        assert grant.outcome is GrantOutcome.WAITING
        grant_refusals.refuse(bea, grant, REASON)
        with pytest.raises(grants.Refused, match="This request was refused already"):
            grant_refusals.refuse(bea, grant, REASON)
