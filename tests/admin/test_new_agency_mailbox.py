"""A new agency's secure mailbox waits for a second system admin, as a changed one does: whoever reads it
reads the agency's invitations and links to minutes."""

from sqlmodel import select

from tests.pages import banners, page_text
from tracker.auth.models import Agency, GrantOutcome, MailboxChange


def _agency(session, name: str) -> Agency:
    session.expire_all()
    return session.exec(select(Agency).where(Agency.name == name)).one()


def test_a_new_agency_s_mailbox_waits_for_a_second_admin(client_as, factory, session):
    sam = client_as(factory.user("SYSTEM_ADMIN", name="Sam Admin"))
    bea = client_as(factory.user("SYSTEM_ADMIN", name="Bea Second"))
    form = {"name": "Kent Community Health", "sector": "HEALTH", "secure_mailbox": "MAPPA@kch.nhs.example"}
    added = sam.post("/admin/agencies/new", data=form, follow_redirects=True)
    assert banners(added) == [
        "Kent Community Health added. The new secure mailbox (mappa@kch.nhs.example) will take effect once "
        "another system admin confirms it."
    ]
    agency = _agency(session, "Kent Community Health")
    assert agency.secure_mailbox == ""
    [change] = session.exec(select(MailboxChange).where(MailboxChange.agency_id == agency.id)).all()
    assert (change.address, change.requested_by.name) == ("mappa@kch.nhs.example", "Sam Admin")
    assert "no mailbox" in page_text(sam.get(f"/admin/agencies/{agency.id}/edit"))

    home = page_text(bea.get("/", follow_redirects=True))
    assert "Kent Community Health : new secure mailbox (mappa@kch.nhs.example), asked for by Sam Admin" in home
    assert sam.post(f"/admin/mailbox-changes/{change.id}/confirm").status_code == 302
    assert _agency(session, "Kent Community Health").secure_mailbox == ""  # not by the admin who asked
    assert bea.post(f"/admin/mailbox-changes/{change.id}/confirm").status_code == 302
    assert _agency(session, "Kent Community Health").secure_mailbox == "mappa@kch.nhs.example"
    assert session.get(MailboxChange, change.id).outcome is GrantOutcome.CONFIRMED


def test_a_new_agency_without_a_mailbox_asks_for_nothing(client_as, factory, session):
    sam = client_as(factory.user("SYSTEM_ADMIN"))
    added = sam.post("/admin/agencies/new", data={"name": "Borough Housing", "sector": "HOUSING"})
    assert added.status_code == 302
    agency = _agency(session, "Borough Housing")
    assert session.exec(select(MailboxChange).where(MailboxChange.agency_id == agency.id)).all() == []
