"""The email outbox and its sender, against real SMTP servers on loopback (aiosmtpd): temporary refusals
are tried again with longer waits and then fail for good, permanent ones fail at once, the system admin
sends a failed email again, and several senders (threads, or a sender killed between claiming and
sending) deliver each message exactly once.

The tests of several senders commit for real, so they use a database of their own."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email import policy as email_policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup
from flask import Flask
from sqlmodel import Session, select

from tests.conftest import make_database
from tests.mailbox import Mailbox, free_port
from tracker import create_app
from tracker.core import mail, sending
from tracker.core.models import AuditEvent, OutboxMessage, OutboxStatus
from tracker.core.types import utcnow


class Refusing(Mailbox):
    """A mail server that answers every message with `reply` (a 4xx or 5xx) until told to accept."""

    def __init__(self, reply: str):
        super().__init__()
        self.reply: str | None = reply

    async def handle_DATA(self, server, session, envelope):
        if self.reply:
            return self.reply
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def refusing(app) -> Iterator[Refusing]:
    server = Refusing("451 4.3.0 Try again later")
    controller = Controller(server, hostname="127.0.0.1", port=free_port())
    controller.start()
    saved = {key: app.config[key] for key in ("SMTP_HOST", "SMTP_PORT", "MAIL_MAX_ATTEMPTS")}
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, MAIL_MAX_ATTEMPTS=3)
    try:
        yield server
    finally:
        app.config.update(saved)
        controller.stop()


def table(response) -> list[str]:
    return [
        r.get_text(" ", strip=True)
        for r in BeautifulSoup(response.data, "html.parser").select("#outbox tbody tr")
    ]


def test_a_temporary_refusal_is_tried_again_waiting_longer_each_time_then_fails_for_good(
    app, session, factory, refusing, client_as
):
    email = factory.outbox_message("dana@police.example", subject="Invitation: M-2026-0001")
    start = utcnow()
    waits = []
    with app.app_context():
        for attempt in (1, 2):
            run = sending.send_all_due(now=start + timedelta(days=attempt))
            assert run.retrying == [email.id]
            session.refresh(email)
            assert email.status == OutboxStatus.QUEUED and email.attempts == attempt
            assert email.last_error == "451 4.3.0 Try again later"
            waits.append(email.next_attempt_at)
            # Not due again until the wait is over.
            assert sending.send_all_due(now=email.next_attempt_at - timedelta(seconds=1)).handled == 0
        run = sending.send_all_due(now=start + timedelta(days=3))
    assert run.failed == [email.id]
    session.refresh(email)
    assert email.status == OutboxStatus.FAILED and email.attempts == 3
    assert refusing.received == []
    assert [sending.backoff(n, 60) for n in (1, 2, 3)] == [timedelta(seconds=s) for s in (60, 120, 240)]
    failed = session.exec(select(AuditEvent).where(AuditEvent.action == "email failed")).one()
    assert failed.summary == "Invitation: M-2026-0001 to dana@police.example (not sent: 451 4.3.0 Try again later)"

    # The system admin sees it failed, and sends it again once the server takes mail.
    admin = client_as(factory.user("SYSTEM_ADMIN"))
    (row,) = table(admin.get("/admin/outbox?status=failed"))
    assert "dana@police.example" in row and "Failed" in row and "451 4.3.0 Try again later" in row
    refusing.reply = None
    response = admin.post(f"/admin/outbox/{email.id}/retry", follow_redirects=True)
    assert "will be sent again" in BeautifulSoup(response.data, "html.parser").get_text()
    assert [r.recipients for r in refusing.received] == [["dana@police.example"]]
    session.refresh(email)
    assert email.status == OutboxStatus.SENT
    (row,) = table(admin.get("/admin/outbox?status=sent"))
    assert "dana@police.example" in row and "Sent" in row


def test_a_permanent_refusal_fails_at_once_and_a_sent_email_is_not_sent_again(
    app, session, factory, refusing, client_as
):
    refusing.reply = "554 5.7.1 Message rejected"
    email = factory.outbox_message("nobody@housing.example")
    with app.app_context():
        assert sending.send_all_due().failed == [email.id]
    session.refresh(email)
    assert email.status == OutboxStatus.FAILED and email.attempts == 1
    assert email.last_error == "554 5.7.1 Message rejected"
    refusing.reply = None
    sent = factory.outbox_message("somebody@housing.example")
    with app.app_context():
        assert sending.send_all_due().sent == [sent.id]
    admin = client_as(factory.user("SYSTEM_ADMIN"))
    response = admin.post(f"/admin/outbox/{sent.id}/retry", follow_redirects=True)
    assert "was sent already" in BeautifulSoup(response.data, "html.parser").get_text()
    assert len(refusing.received) == 1


def test_an_email_queued_by_a_change_that_is_rolled_back_is_never_sent(app, connection, smtp_server):
    with app.test_request_context():
        message = mail.new_message("someone@example.org", "Never")
        message.set_content("This change was not saved.")
        mail.queue(message)
        from tracker.core.db import db

        db.session.flush()
        db.session.rollback()
    with app.app_context():
        assert sending.send_all_due().handled == 0
    assert smtp_server.received == []


# Several senders, committing for real -------------------------------------------------------------


@pytest.fixture(scope="module")
def own_database(database_url, tmp_path_factory) -> Iterator[str]:
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    yield from make_database(kind, tmp_path_factory)


@pytest.fixture
def own_app(own_database, tmp_path) -> Iterator[Flask]:
    application = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": own_database,
            "SECRET_KEY": "tests-only-secret",
            "MAIL_FOLDER": str(tmp_path / "mail"),
            "BASE_URL": "http://tracker.test",
        }
    )
    yield application
    with Session(application.extensions["db_engine"]) as s:
        s.execute(sa.delete(OutboxMessage))
        s.commit()
    application.extensions["db_engine"].dispose()


@pytest.fixture
def own_smtp(own_app) -> Iterator[Mailbox]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    own_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    yield mailbox
    controller.stop()


def queue_committed(app: Flask, count: int) -> list[int]:
    with Session(app.extensions["db_engine"]) as s:
        emails = [
            OutboxMessage(
                sender="tracker@example.org",
                recipients=f"person{n}@example.org",
                subject=f"Message {n}",
                message=f"From: tracker@example.org\r\nTo: person{n}@example.org\r\nSubject: Message {n}\r\n\r\n"
                f"Hello {n}.\r\n".encode(),
            )
            for n in range(count)
        ]
        s.add_all(emails)
        s.commit()
        return [e.id for e in emails]


def subjects(mailbox: Mailbox) -> Counter:
    return Counter(str(r.message["Subject"]) for r in mailbox.received)


def test_four_senders_at_once_deliver_each_message_exactly_once(own_app, own_smtp):
    ids = queue_committed(own_app, 120)
    errors = []
    start = threading.Barrier(4)

    def sender():
        try:
            with own_app.app_context():
                start.wait()
                # Small batches, so that the senders really do compete for the same rows.
                while sending.send_due(limit=5).handled:
                    pass
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert subjects(own_smtp) == Counter({f"Message {n}": 1 for n in range(120)})
    with Session(own_app.extensions["db_engine"]) as s:
        statuses = s.exec(select(OutboxMessage.status).where(OutboxMessage.id.in_(ids))).all()
        assert Counter(statuses) == {OutboxStatus.SENT: 120}


_CLAIM_THEN_DIE = """
import os, sys
from tracker import create_app
from tracker.core import sending
app = create_app({"DATABASE_URL": sys.argv[1], "SECRET_KEY": "x", "MAIL_FOLDER": sys.argv[2]})
with app.app_context():
    token, claimed = sending.claim(limit=100)
    print(len(claimed), flush=True)
    os.kill(os.getpid(), 9)  # killed between claiming and sending
"""


def test_a_sender_killed_between_claiming_and_sending_leaves_its_messages_to_the_next_once_its_claim_runs_out(
    own_app, own_smtp, own_database, tmp_path
):
    queue_committed(own_app, 10)
    killed = subprocess.run(
        [sys.executable, "-c", _CLAIM_THEN_DIE, own_database, str(tmp_path / "dead")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    assert killed.returncode == -9 and killed.stdout.strip() == "10", killed.stderr
    with own_app.app_context():
        # Its claim holds for MAIL_CLAIM_SECONDS: nobody else takes the messages meanwhile...
        assert sending.send_all_due().handled == 0
        later = utcnow() + timedelta(seconds=own_app.config["MAIL_CLAIM_SECONDS"] + 1)
        assert len(sending.send_all_due(now=later).sent) == 10
        # ... and once sent, they are not sent again.
        assert sending.send_all_due(now=later + timedelta(hours=1)).handled == 0
    assert subjects(own_smtp) == Counter({f"Message {n}": 1 for n in range(10)})


@pytest.mark.parametrize(
    "subject",
    [
        "Cancelled: Chairs' Forum, Chairs’ Forum – Victims’ Code, café session, 1 April 2027 at 10:00",
        "Invitation: Chairs' Forum, Chairs’ Forum – Victims’ Code, café session, 1 April 2027 at 10:00",
    ],
)
def test_a_subject_with_accents_and_dashes_reads_in_the_mailbox_as_it_was_written(app_context, subject):
    """Folded into encoded words, a space at a fold was lost ("Forum –Victims’"): the subject the
    recipient reads is the one written."""
    from email import message_from_bytes
    from email import policy as email_policy

    message = mail.new_message("someone@example.org", subject)
    message.set_content("Body")
    sent = message_from_bytes(mail.as_bytes(message), policy=email_policy.default)
    assert sent["Subject"] == subject


def test_a_sent_email_is_kept_without_its_one_time_link_and_one_still_to_go_keeps_it(
    app, client, client_as, factory, session, refusing
):
    """A password link emailed to a co-ordinator: while the mail server turns it away the outbox keeps the
    whole email, to send it again; once delivered, the copy kept is the record of what went to whom,
    without the link (anyone who reads the database could use it), and the link still works for the
    person who received it."""
    coordinator = factory.user("COORDINATOR", email="helen.marsh@example.org")
    admin = client_as(factory.user("SYSTEM_ADMIN"))
    assert admin.post(f"/admin/users/{coordinator.id}/reset-link", data={"confirm": "y"}).status_code == 200
    email = session.exec(select(OutboxMessage)).one()
    assert email.status == OutboxStatus.QUEUED and email.attempts == 1  # turned away once
    assert b"/reset-password/" in email.message

    refusing.reply = None
    with app.app_context():
        assert sending.send_all_due(now=utcnow() + timedelta(days=1)).sent == [email.id]
    session.refresh(email)
    assert email.status == OutboxStatus.SENT
    (received,) = refusing.received
    link = re.search(r"http://tracker\.test(/reset-password/\S+)", received.message.get_content()).group(1)
    kept = message_from_bytes(email.message, policy=email_policy.default)
    assert kept["Subject"] == "Set your MAPPA Tracker password" and kept["To"] == "helen.marsh@example.org"
    assert link not in kept.get_content() and "/reset-password/" not in kept.get_content()
    assert f"Hello {coordinator.name}," in kept.get_content() and mail.LINK_REMOVED in kept.get_content()
    assert client.get(link).status_code == 200


def test_every_kind_of_one_time_link_is_taken_out_of_an_email_and_nothing_else(app):
    """However the text is encoded (base64 here, as a long or non-ASCII text may be), every link to a page a token opens is replaced; other links, other parts and an email with no such
    link are left as they were."""
    links = [
        "http://tracker.test/reset-password/pAsSwOrD-tOkEn_1",
        "http://tracker.test/create-account/AcCoUnT-tOkEn_2",
        "http://tracker.test/minutes/shared/MiNuTeS-tOkEn_3",
        "http://tracker.test/evaluations/answer/EvAl-tOkEn_4",
        "http://tracker.test/calendar/feed/FeEd-tOkEn_5.ics",
    ]
    with app.test_request_context():
        message = mail.new_message("zoe@example.org", "Links")
        body = "Hello Zoë,\n\n" + "\n".join(links) + "\n\nhttp://tracker.test/home\n"
        message.set_content(body, cte="base64")
        message.add_attachment(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text", "calendar", filename="a.ics")
        raw = mail.as_bytes(message)
        assert b"pAsSwOrD" not in raw  # encoded: only decoding finds the links
        kept = mail.without_one_time_links(raw)
        plain = mail.new_message("zoe@example.org", "No links")
        plain.set_content("See http://tracker.test/meetings/1\n")
        assert mail.without_one_time_links(mail.as_bytes(plain)) == mail.as_bytes(plain)
        assert mail.without_one_time_links(kept) == kept
    parsed = message_from_bytes(kept, policy=email_policy.default)
    text = parsed.get_body(("plain",)).get_content()
    assert not any(link in text or link.rsplit("/", 1)[1] in text for link in links)
    assert text.count(mail.LINK_REMOVED) == len(links)
    assert "Hello Zoë" in text and "http://tracker.test/home" in text
    (attachment,) = parsed.iter_attachments()
    assert attachment.get_filename() == "a.ics" and "VCALENDAR" in attachment.get_content()
