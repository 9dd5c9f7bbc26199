"""Benchmark: email through the outbox, and replies through fetch-replies.

    .venv/bin/python bench/mail.py [--messages 2000] [--senders 1] [--replies 500] [--postgresql SERVER_URL]

(a) `--messages` calendar invitations (text, HTML and a text/calendar part, about 5 kB each) are queued in
the outbox and delivered by `tracker send-mail`'s code to a local aiosmtpd server, by `--senders` senders
at once (threads, each claiming its own batches); it reports messages per second.
(b) `--replies` Outlook-style Accept/Decline replies to one meeting are put in the organiser's mailbox on
a throwaway Dovecot (as the tests start it) and read by `tracker fetch-replies`' code over IMAP with
STARTTLS; it reports replies per second, each recorded, audited and moved to the processed folder.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import argparse  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402

from aiosmtpd.controller import Controller  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from bench.common import bench_app  # noqa: E402
from tests import imapserver  # noqa: E402
from tests.calendar.test_replies import outlook_reply  # noqa: E402
from tests.mailbox import Mailbox, free_port  # noqa: E402
from tracker.auth.models import Agency, AgencySector, User  # noqa: E402
from tracker.calendar import imap  # noqa: E402
from tracker.calendar import mail as calendar_mail  # noqa: E402
from tracker.calendar.events import Attendee, meeting_event  # noqa: E402
from tracker.core import mail, sending  # noqa: E402
from tracker.core.db import db  # noqa: E402
from tracker.core.models import OutboxMessage, OutboxStatus  # noqa: E402
from tracker.core.permissions import Role  # noqa: E402
from tracker.core.types import utcnow  # noqa: E402
from tracker.meetings.models import Invitation, Level, Meeting, MeetingType, Rsvp  # noqa: E402


def queue_invitations(app, count: int) -> int:
    """Queue `count` invitations as the meetings area does (one per person); their average size."""
    with app.test_request_context():
        start = utcnow() + timedelta(days=14)
        size = 0
        for n in range(count):
            person = Attendee(f"person{n}@agency.example", f"Person {n}")
            event = meeting_event(
                meeting_id=n + 1, reference=f"M-2026-{n + 1:04d}", level=2, start=start,
                end=start + timedelta(hours=2), path=f"/meetings/{n + 1}", venue="Room 4",
                join_url="https://teams.example/l/meetup-join/abc", attendees=(person,),
            )  # fmt: skip
            ((_person, message),) = calendar_mail.compose("invitation", event, [person])
            mail.queue(message)
            size += len(mail.as_bytes(message))
            if n % 500 == 499:
                db.session.commit()
        db.session.commit()
        return size // max(count, 1)


def bench_outbox(app, messages: int, senders: int) -> None:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    size = queue_invitations(app, messages)

    def sender():
        with app.app_context():
            while sending.send_due(limit=50).handled:
                pass

    began = time.perf_counter()
    threads = [threading.Thread(target=sender) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - began
    controller.stop()
    with Session(app.extensions["db_engine"]) as s:
        sent = len(s.exec(select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.SENT)).all())
    assert sent == messages == len(mailbox.received), (sent, messages, len(mailbox.received))
    print(f"outbox: {messages} invitations (~{size / 1024:.1f} kB each), {senders} sender(s): "
          f"{took:.2f} s, {messages / took:.0f} messages/s")  # fmt: skip


def bench_replies(app, replies: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="tracker-bench-dovecot-"))
    folder.chmod(0o755)
    server = imapserver.start(folder)
    try:
        user, password = server.new_user()
        app.config.update(
            IMAP_HOST="127.0.0.1", IMAP_PORT=server.imap_port, IMAP_SECURITY="starttls",
            IMAP_USERNAME=user, IMAP_PASSWORD=password, IMAP_CA_FILE=server.ca_file,
            BASE_URL="http://tracker.test",
        )  # fmt: skip
        with Session(app.extensions["db_engine"]) as s:
            agency = Agency(name="Bench Probation", sector=AgencySector.PROBATION)
            chair = User(name="Bench Chair", email="chair@example.org", agency=agency, password_hash="x")
            chair.set_roles({Role.CHAIR})
            s.add_all([agency, chair])
            s.flush()
            start = utcnow() + timedelta(days=14)
            meeting = Meeting(
                reference="M-2026-9999", level=Level.LEVEL_2, chair_id=chair.id, starts_at=start,
                ends_at=start + timedelta(hours=2), venue="Room 4",
                meeting_type=MeetingType.REVIEW,
            )  # fmt: skip
            s.add(meeting)
            s.flush()
            for n in range(replies):
                person = User(name=f"Person {n}", email=f"person{n}@probation.example", agency_id=agency.id,
                              password_hash="x")  # fmt: skip
                person.set_roles({Role.PRACTITIONER})
                s.add(person)
                s.flush()
                s.add(Invitation(meeting_id=meeting.id, agency_id=agency.id, user_id=person.id))
            s.commit()
            meeting_id = meeting.id
        client = server.login(user, password)
        for n in range(replies):
            answer = "ACCEPTED" if n % 3 else "DECLINED"
            uid, address = f"meeting-{meeting_id}@tracker.test", f"person{n}@probation.example"
            reply = outlook_reply(uid, address, answer)
            client.append("INBOX", None, None, reply)
        client.logout()
        with app.app_context():
            began = time.perf_counter()
            fetched = imap.fetch()
            took = time.perf_counter() - began
        assert len(fetched.applied) == replies, (len(fetched.applied), len(fetched.not_applied))
        with Session(app.extensions["db_engine"]) as s:
            waiting = s.exec(select(Invitation).where(Invitation.rsvp == Rsvp.AWAITING)).all()
            assert waiting == []
        rate = replies / took
        print(f"fetch-replies: {replies} Outlook replies over IMAP (STARTTLS): {took:.2f} s, {rate:.0f}/s")
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--senders", type=int, default=1)
    parser.add_argument("--replies", type=int, default=500)
    parser.add_argument("--postgresql", metavar="SERVER_URL", help="postgresql://postgres@127.0.0.1/postgres")
    args = parser.parse_args()
    mail = {"BASE_URL": "http://tracker.test", "MAIL_FROM": "mappa-tracker@tracker.test"}
    with bench_app(args.postgresql, **mail) as app:
        print(f"database: {app.extensions['db_engine'].dialect.name}")
        bench_outbox(app, args.messages, args.senders)
        bench_replies(app, args.replies)


if __name__ == "__main__":
    main()
