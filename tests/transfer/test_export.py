"""The whole-area export: every table as CSV with a schema and a manifest, logged as a disclosure, and a
round trip (export, import into a new installation, export again) that gives the same records."""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from email import message_from_bytes
from email import policy as email_policy

import pytest
from sqlmodel import select

from tests.pages import page_text, soup
from tests.transfer.archive import export_through_the_page, new_installation, tables_of
from tracker.auth import rules
from tracker.auth.models import User
from tracker.core import mail
from tracker.core.db import db
from tracker.core.models import AuditEvent, OutboxMessage, OutboxStatus
from tracker.transfer import export


def test_the_export_asks_who_it_is_for_and_why_and_is_only_for_the_system_admin(client_as, factory):
    admin = client_as(factory.user("SYSTEM_ADMIN", terrorism_cleared=True))
    response = admin.post("/admin/export", data={"recipient": "", "reason": ""})
    assert response.status_code == 200
    assert "Enter who the export is for" in response.data.decode()
    assert client_as("COORDINATOR").get("/admin/export").status_code == 403


def test_a_system_admin_not_cleared_for_category_4_is_told_and_given_nothing(client_as, session):
    """The file holds every case, Category 4 included: an admin who may not see those cases is told why on
    the page, which offers no form to fill in and no button to press, and no file is made or logged."""
    admin = client_as("SYSTEM_ADMIN")
    told = (
        "The export holds every case, Category 4 included: only someone cleared for terrorism cases may "
        "make it. Ask a system admin who is cleared."
    )
    page = soup(admin.get("/admin/export"))
    assert told in page.select_one(".govuk-warning-text").get_text(" ", strip=True)
    assert page.select("main form") == [] and page.select("main button") == []
    response = admin.post("/admin/export", data={"recipient": "The new supplier", "reason": "Moving"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert told in page_text(response)
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "export")).all() == []


@pytest.fixture
def cleared_admin(client_as, factory):
    """A system admin cleared for terrorism cases: the export holds Category 4 cases too."""
    return client_as(factory.user("SYSTEM_ADMIN", terrorism_cleared=True))


def _emails(data: bytes) -> list[str]:
    """The text of every stored email in the file (kept in base64)."""
    outbox = tables_of(data)["outbox_message"]
    column = outbox[0].index("message")
    texts = []
    for row in outbox[1:]:
        stored = message_from_bytes(base64.b64decode(row[column]), policy=email_policy.default)
        texts += [part.get_content() for part in stored.walk() if part.get_content_maintype() == "text"]
    return texts


def _readable(data: bytes) -> str:
    """Everything a reader of the file can read in it: every file's text and every stored email's."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    return "\n".join([archive.read(name).decode("utf-8-sig") for name in archive.namelist()] + _emails(data))


def test_nothing_in_the_export_signs_anyone_in_or_opens_a_link(
    app, client, client_as, factory, session, cleared_admin, delivered
):
    """The export goes to another organisation: no password, account, minutes or evaluation link in it may
    work on this installation, nor anything that stands for one (a token's or code's hash), nor a password
    hash or two-factor key. Stored emails go without their one-time links: one sent (kept without it), one
    sent before sent emails were kept so (stored whole), and one still waiting to go (which keeps it)."""
    asker = client_as(factory.user("SYSTEM_ADMIN"))
    made = {"name": "Nia Brooks", "email": "nia.brooks@example.org", "agency_id": str(factory.agency().id),
            "job_title": "", "roles": ["COORDINATOR"]}
    assert asker.post("/admin/users/new", data=made).status_code == 200
    (emailed,) = [m for m in delivered if m["To"] == "nia.brooks@example.org"]
    sent_link = re.search(r"http://tracker\.test(/reset-password/\S+)", emailed.get_content()).group(1)

    grace = factory.user("PRACTITIONER", email="grace@example.org", totp_secret="JBSWY3DPEHPK3PXPJBSWY3DP")
    stored_whole = factory.reset_link(grace)
    invited = factory.account_invitation(factory.trainee())
    waiting = [
        f"http://tracker.test/reset-password/{stored_whole}",
        f"http://tracker.test/create-account/{invited}",
        "http://tracker.test/minutes/shared/MiNuTeS-tOkEn-ToBeSeNt",
        "http://tracker.test/evaluations/answer/EvAlUaTiOn-ToKeN-tObEsEnT",
    ]
    with app.test_request_context():
        for status, link in [(OutboxStatus.SENT, waiting[0])] + [(OutboxStatus.QUEUED, w) for w in waiting[1:]]:
            message = mail.new_message("grace@example.org", "A link")
            message.set_content(f"Hello Grace Adéyemi,\n\n{link}\n\nIt works once.\n", cte="base64")
            factory.save(OutboxMessage(sender="tracker@example.org", recipients="grace@example.org",
                                       subject="A link", message=mail.as_bytes(message), status=status))
    assert client.get(sent_link).status_code == 200  # live links, on this installation

    data = export_through_the_page(cleared_admin)
    readable = _readable(data)
    tokens = [sent_link.rsplit("/", 1)[1], stored_whole, invited, "MiNuTeS-tOkEn", "EvAlUaTiOn-ToKeN"]
    hashes = [rules.token_hash(token) for token in (stored_whole, invited)]
    nia = session.exec(select(User).where(User.email == "nia.brooks@example.org")).one()
    secrets = [*tokens, *hashes, "JBSWY3DPEHPK3PXPJBSWY3DP", grace.password_hash]
    assert [secret for secret in secrets if secret in readable] == []
    emails = _emails(data)
    assert sum(text.count(mail.LINK_REMOVED) for text in emails) == 5
    assert sum("Hello Grace Adéyemi" in text for text in emails) == 4
    tables = tables_of(data)
    assert "token_hash" not in tables["account_invitation"][0]
    assert not {"token_hash", "code_hash"} & set(tables["minutes_disclosure"][0])
    assert str(nia.id) in [row[0] for row in tables["user"][1:]]
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    assert {"account_invitation.token_hash", "minutes_disclosure.token_hash", "minutes_disclosure.code_hash",
            "user.password_hash", "user.totp_secret"} <= set(manifest["withheld_columns"])
    assert mail.LINK_REMOVED in manifest["redacted_columns"]["outbox_message.message"]
    assert "account_invitation.token_hash" in zipfile.ZipFile(io.BytesIO(data)).read("README.txt").decode()


TRICKY = {
    "name": '=HYPERLINK("http://evil.example","Click")',
    "borough": "-Camden",
    "visor_reference": "@SUM(A1)",
    "ndelius_reference": "'=quoted already",
    "pnc_reference": "+44 cmd|' /C calc'!A0",
}


def test_exported_text_never_runs_as_a_formula_and_imports_back_as_it_was(
    cleared_admin, database_url, tmp_path_factory, factory, session
):
    """A cell that Excel would run (=, +, -, @ at the start) is behind an apostrophe in the file (OWASP's
    advice), a number is left a number, and the import takes the apostrophe off: the same records."""
    from tracker.meetings.models import Case

    case = factory.case(reference="LDN-2024-0666", **TRICKY)
    data = export_through_the_page(cleared_admin)
    header, *rows = tables_of(data)["mappa_case"]
    (cells,) = [dict(zip(header, row, strict=True)) for row in rows if row[header.index("id")] == str(case.id)]
    assert {name: cells[name] for name in TRICKY} == {name: "'" + value for name, value in TRICKY.items()}
    assert cells["reference"] == "LDN-2024-0666" and cells["id"] == str(case.id)
    with new_installation(database_url, tmp_path_factory):
        export.load(data)
        db.session.commit()
        loaded = db.session.exec(select(Case).where(Case.reference == "LDN-2024-0666")).one()
        assert {name: getattr(loaded, name) for name in TRICKY} == TRICKY
