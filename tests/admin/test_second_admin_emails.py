"""The other system admins are emailed when something waits for their confirmation (a role, clearance or
new email address, or an agency's new secure mailbox): each who could confirm it, once, with a link to it;
never the admin who asked."""

from email import message_from_bytes
from email import policy as email_policy

from sqlmodel import col, select

from tracker.auth.models import AccessGrant, AgencySector
from tracker.core.models import OutboxMessage
from tracker.meetings.follow_up import SECOND_ADMIN_REQUESTS
from tracker.meetings.models import EmailOptOut

SUBJECTS = ("A MAPPA Tracker request waits for your confirmation", "MAPPA Tracker requests wait for your confirmation")


def waiting_notices(session) -> dict[str, list[str]]:
    """The notices in the outbox, by address: the text of each."""
    session.expire_all()
    found: dict[str, list[str]] = {}
    for row in session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))):
        message = message_from_bytes(row.message, policy=email_policy.default)
        if message["Subject"] in SUBJECTS:
            found.setdefault(message["To"], []).append(" ".join(message.get_content().split()))
    return found


def account_form(person, **fields) -> dict:
    roles = [role.name for role in person.roles]
    data = {"name": person.name, "email": person.email, "agency_id": str(person.agency_id), "roles": roles}
    return {**data, "active": "y", **fields}


def test_a_role_asked_for_is_emailed_to_every_other_admin_once(client_as, factory, session):
    person = factory.user("PRACTITIONER", name="Ada Lane", email="ada@example.org")
    sam = client_as(factory.user("SYSTEM_ADMIN", name="Sam Admin", email="sam@example.org"))
    factory.user("SYSTEM_ADMIN", name="Bea Second", email="bea@example.org")
    factory.user("SYSTEM_ADMIN", name="Cleo Cleared", email="cleo@example.org", terrorism_cleared=True)
    factory.user("SYSTEM_ADMIN", name="Dan Gone", email="dan@example.org", active=False)
    factory.user("COORDINATOR", name="Col Coordinator", email="col@example.org")

    form = account_form(person, roles=["PRACTITIONER", "COORDINATOR"])
    assert sam.post(f"/admin/users/{person.id}/edit", data=form).status_code == 302
    grant = session.exec(select(AccessGrant).where(AccessGrant.user_id == person.id)).one()
    notices = waiting_notices(session)
    assert sorted(notices) == ["bea@example.org", "cleo@example.org"]  # not Sam, who asked; not Dan
    [text] = notices["bea@example.org"]
    assert text.startswith(
        "Hello Bea Second, Sam Admin, a system admin of MAPPA Tracker, has asked for this, which will take "
        "effect only once another system admin confirms it: - the MAPPA co-ordinator role for Ada Lane: "
        f"http://tracker.test/admin/grants/{grant.id}"
    )
    assert "You can turn these emails off under Your account" in text

    # Saving the form again asks for nothing new, and tells nobody again.
    assert sam.post(f"/admin/users/{person.id}/edit", data=form).status_code == 302
    assert {address: len(texts) for address, texts in waiting_notices(session).items()} == {
        "bea@example.org": 1,
        "cleo@example.org": 1,
    }


def test_a_clearance_is_emailed_only_to_admins_cleared_to_confirm_it(client_as, factory, session):
    person = factory.user("PRACTITIONER", name="Ada Lane", email="ada@example.org")
    cleo = client_as(factory.user("SYSTEM_ADMIN", name="Cleo Cleared", email="cleo@example.org", terrorism_cleared=True))
    factory.user("SYSTEM_ADMIN", name="Bea Second", email="bea@example.org")
    factory.user("SYSTEM_ADMIN", name="Eve Cleared", email="eve@example.org", terrorism_cleared=True)
    form = account_form(person, terrorism_cleared="y")
    assert cleo.post(f"/admin/users/{person.id}/edit", data=form).status_code == 302
    notices = waiting_notices(session)
    assert list(notices) == ["eve@example.org"]
    assert "- the Category 4 clearance for Ada Lane: http://tracker.test/admin/grants/" in notices["eve@example.org"][0]


def test_an_agency_s_new_mailbox_is_emailed_to_the_other_admins(client_as, factory, session):
    agency = factory.agency("Borough Housing", AgencySector.HOUSING)
    sam = client_as(factory.user("SYSTEM_ADMIN", name="Sam Admin", email="sam@example.org"))
    factory.user("SYSTEM_ADMIN", name="Bea Second", email="bea@example.org")
    form = {"name": agency.name, "sector": "HOUSING", "secure_mailbox": "mappa@housing.example", "active": "y"}
    assert sam.post(f"/admin/agencies/{agency.id}/edit", data=form).status_code == 302
    notices = waiting_notices(session)
    assert list(notices) == ["bea@example.org"]
    assert (
        "- the new secure mailbox (mappa@housing.example) for Borough Housing: "
        f"http://tracker.test/admin/agencies/{agency.id}/edit" in notices["bea@example.org"][0]
    )
    new = {"name": "Kent Community Health", "sector": "HEALTH", "secure_mailbox": "mappa@kch.nhs.example"}
    assert sam.post("/admin/agencies/new", data=new).status_code == 302
    assert len(waiting_notices(session)["bea@example.org"]) == 2


def test_an_admin_who_turned_these_emails_off_is_not_sent_them(client_as, factory, session):
    person = factory.user("PRACTITIONER", email="ada@example.org")
    sam = client_as(factory.user("SYSTEM_ADMIN"))
    bea = client_as(factory.user("SYSTEM_ADMIN", email="bea@example.org"))
    page = bea.get("/account/emails").get_data(as_text=True)
    assert "Access and secure mailboxes another admin asked for, waiting for you to confirm" in page
    assert bea.post("/account/emails", data={"kinds": []}).status_code == 302  # a system admin's only one, off
    assert session.exec(select(EmailOptOut).where(EmailOptOut.kind == SECOND_ADMIN_REQUESTS)).one()
    form = account_form(person, roles=["PRACTITIONER", "COORDINATOR"])
    assert sam.post(f"/admin/users/{person.id}/edit", data=form).status_code == 302
    assert waiting_notices(session) == {}
