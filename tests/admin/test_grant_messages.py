"""What admins read, and what the person is told, of access that waits for a second system admin."""

from bs4 import BeautifulSoup
from sqlmodel import select

from tracker.auth.models import AccessGrant, GrantOutcome


def _text(response) -> str:
    return BeautifulSoup(response.data, "html.parser").get_text(" ", strip=True)


def _waiting(session, person) -> AccessGrant:
    session.expire_all()
    return session.exec(
        select(AccessGrant).where(AccessGrant.user_id == person.id, AccessGrant.outcome == GrantOutcome.WAITING)
    ).one()


def _ask_for_new_address(admin, person, address: str):
    data = {
        "name": person.name,
        "email": address,
        "agency_id": str(person.agency_id),
        "roles": ["COORDINATOR"],
        "active": "y",
    }
    return admin.post(f"/admin/users/{person.id}/edit", data=data, follow_redirects=True)


def test_a_new_email_address_reads_in_lower_case_inside_a_sentence(client_as, factory, session):
    """The label opens the table cell on the account's page ("New email address (...)"); inside the
    sentences an admin reads, asking, confirming and refusing, it is "the new email address"."""
    person = factory.user("COORDINATOR", name="Ada Moved", email="ada@example.org")
    sam = client_as(factory.user("SYSTEM_ADMIN", name="Sam Admin"))
    bea = client_as(factory.user("SYSTEM_ADMIN", name="Bea Second"))

    saved = _text(_ask_for_new_address(sam, person, "ada.new@example.org"))
    assert "The new email address (ada.new@example.org) will take effect once another system admin" in saved
    assert "The New email address" not in saved
    listed = _text(bea.get("/admin/users"))
    assert "Ada Moved : new email address (ada.new@example.org), asked for by Sam Admin" in listed
    page = BeautifulSoup(bea.get(f"/admin/users/{person.id}").data, "html.parser")
    assert page.select_one("#waiting-grants + p + table td").get_text(strip=True) == (
        "New email address (ada.new@example.org)"
    )
    labels = [button["aria-label"] for button in page.select("table button[aria-label]")]
    assert labels == ["Confirm the new email address for Ada Moved", "Refuse the new email address for Ada Moved"]

    refused = _text(bea.post(f"/admin/grants/{_waiting(session, person).id}/refuse", follow_redirects=True))
    assert "The new email address (ada.new@example.org) for Ada Moved: refused." in refused

    _ask_for_new_address(sam, person, "ada.other@example.org")
    confirmed = _text(bea.post(f"/admin/grants/{_waiting(session, person).id}/confirm", follow_redirects=True))
    assert "Ada Moved has the new email address (ada.other@example.org) from now." in confirmed
