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
    labels = [control["aria-label"] for control in page.select("table [aria-label]")]
    assert labels == ["Confirm the new email address for Ada Moved", "Refuse the new email address for Ada Moved"]

    refusing = {"reason": "Not her work address"}
    grant_id = _waiting(session, person).id
    refused = _text(bea.post(f"/admin/grants/{grant_id}/refuse", data=refusing, follow_redirects=True))
    assert "The new email address (ada.new@example.org) for Ada Moved: refused." in refused

    _ask_for_new_address(sam, person, "ada.other@example.org")
    confirmed = _text(bea.post(f"/admin/grants/{_waiting(session, person).id}/confirm", follow_redirects=True))
    assert "Ada Moved has the new email address (ada.other@example.org) from now." in confirmed


def test_the_old_address_is_told_who_asked_for_the_new_one(client_as, factory, session, smtp_server):
    """A co-ordinator's new address waits for a second admin: the notice to the old address names the admin
    who asked for the change (the one to ask about it), and the one who confirmed it as the second."""
    person = factory.user("COORDINATOR", name="Ada Moved", email="ada@example.org")
    sam = client_as(factory.user("SYSTEM_ADMIN", name="Sam Admin"))
    bea = client_as(factory.user("SYSTEM_ADMIN", name="Bea Second"))
    _ask_for_new_address(sam, person, "ada.new@example.org")
    assert bea.post(f"/admin/grants/{_waiting(session, person).id}/confirm").status_code == 302

    # Bea was emailed that the change waited for her; the notice to the old address is the other one.
    received = [each.message for each in smtp_server.received]
    [message] = [each for each in received if each["To"] == "ada@example.org"]
    said = " ".join(message.get_content().split())
    assert (
        "Sam Admin, an administrator of MAPPA Tracker, asked for the email address of your account to be "
        "changed to ada.new@example.org, and Bea Second, a second administrator, confirmed it." in said
    )


def test_an_address_one_admin_changes_alone_names_that_admin(client_as, factory, session, smtp_server):
    """A TRSG member's account reads no case data: one admin changes its address, and is the one named."""
    person = factory.user("TRSG", name="Olu Trainer", email="olu@example.org")
    sam = client_as(factory.user("SYSTEM_ADMIN", name="Sam Admin"))
    data = {"name": person.name, "email": "olu.new@example.org", "agency_id": str(person.agency_id),
            "roles": ["TRSG"], "active": "y"}
    assert sam.post(f"/admin/users/{person.id}/edit", data=data).status_code == 302

    [message] = [received.message for received in smtp_server.received]
    said = " ".join(message.get_content().split())
    assert message["To"] == "olu@example.org"
    assert "Sam Admin, an administrator of MAPPA Tracker, has changed the email address of your account to " \
        "olu.new@example.org." in said
