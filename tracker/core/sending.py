"""The sender: delivers the outbox (tracker.core.mail.queue) with retries, for `tracker send-mail`.

Each run claims a batch of due messages, sends them over one connection and marks each sent, due again
later (a refusal the server calls temporary, or a server that cannot be reached: waiting twice as long
after each try), or failed for good (a permanent refusal, or MAIL_MAX_ATTEMPTS tries). A claim is a lease
(MAIL_CLAIM_SECONDS): several senders never hold the same message, and the messages of a sender that
died between claiming and sending are claimed again once its lease runs out. On PostgreSQL the claim
skips rows another sender has locked (SELECT ... FOR UPDATE SKIP LOCKED); on SQLite, which has one
writer at a time, the conditional UPDATE is enough.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlmodel import col, select

from tracker.core import audit, mail
from tracker.core.db import db
from tracker.core.models import OutboxMessage, OutboxStatus
from tracker.core.types import utcnow

# Never wait longer than this between tries, however many there have been.
_LONGEST_WAIT = timedelta(hours=6)


@dataclass
class Run:
    """What one run of the sender did."""

    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return len(self.sent) + len(self.retrying) + len(self.failed)


def backoff(attempts: int, first_wait_seconds: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try: the first wait, doubled after each try."""
    return min(timedelta(seconds=first_wait_seconds * 2 ** max(attempts - 1, 0)), _LONGEST_WAIT)


def claim(limit: int, now: datetime | None = None) -> tuple[str, list[OutboxMessage]]:
    """Claim up to `limit` due messages for this sender, committed so others see the claim."""
    now = now or utcnow()
    token = secrets.token_hex(16)
    lease = timedelta(seconds=int(current_app.config["MAIL_CLAIM_SECONDS"]))
    claimable = sa.and_(
        OutboxMessage.status == OutboxStatus.QUEUED,
        col(OutboxMessage.next_attempt_at) <= now,
        sa.or_(col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now),
    )
    session = db.session
    ids = session.exec(
        select(OutboxMessage.id)
        .where(claimable)
        .order_by(col(OutboxMessage.next_attempt_at), col(OutboxMessage.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if ids:
        # The same conditions again: on SQLite (no row locks) a row another sender claimed meanwhile
        # no longer matches, and is not taken twice.
        session.execute(
            sa.update(OutboxMessage)
            .where(col(OutboxMessage.id).in_(ids), claimable)
            .values(claim_token=token, claimed_until=now + lease)
            .execution_options(synchronize_session=False)
        )
    session.commit()
    if not ids:
        return token, []
    claimed = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.claim_token == token)
        .order_by(col(OutboxMessage.id))
        # The rows as the claim left them, even if this session has met them before (the updates do not
        # walk the session's objects: that cost more than the sending).
        .execution_options(populate_existing=True)
    ).all()
    return token, list(claimed)


def send_due(*, limit: int = 100, now: datetime | None = None) -> Run:
    """Claim and send what is due now (one batch of at most `limit`)."""
    run = Run()
    token, claimed = claim(limit, now)
    if not claimed:
        return run
    envelopes = [mail.Envelope(row.sender, tuple(row.recipient_list), row.message) for row in claimed]
    results = mail.deliver(envelopes)
    for row, error in zip(claimed, results, strict=True):
        _settle(row, token, error, run)
    return run


def send_all_due(*, limit: int = 100, now: datetime | None = None) -> Run:
    """Send batches until nothing is due (for cron, and for tests after each request)."""
    total = Run()
    while True:
        run = send_due(limit=limit, now=now)
        for name in ("sent", "retrying", "failed"):
            getattr(total, name).extend(getattr(run, name))
        if run.handled < limit:
            return total


def _settle(row: OutboxMessage, token: str, error: Exception | None, run: Run) -> None:
    """Record what became of one message, if this sender still holds its claim."""
    config = current_app.config
    now = utcnow()
    attempts = row.attempts + 1
    values: dict = {"attempts": attempts, "claim_token": None, "claimed_until": None}
    if error is None:
        values.update(status=OutboxStatus.SENT, sent_at=now, last_error=None)
        # Delivered, the email is kept as the record of what went to whom, but not its one-time links
        # (a password or account link, an agency's minutes link, an evaluation link): they would work for
        # anyone who reads the database or a backup of it. Only an email not yet sent is sent again
        # ("Send again" is for those), and it keeps its whole text until it goes. The six-digit code
        # emailed for an agency's minutes link is kept: it opens nothing without the link.
        kept = mail.without_one_time_links(row.message)
        if kept != row.message:
            values["message"] = kept
        outcome = run.sent
    else:
        permanent = isinstance(error, mail.Refused) and error.permanent
        values["last_error"] = str(error)[:2000] or type(error).__name__
        if permanent or attempts >= int(config["MAIL_MAX_ATTEMPTS"]):
            values["status"] = OutboxStatus.FAILED
            outcome = run.failed
        else:
            values["next_attempt_at"] = now + backoff(attempts, int(config["MAIL_RETRY_SECONDS"]))
            outcome = run.retrying
    session = db.session
    changed = session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == row.id, OutboxMessage.claim_token == token)
        .values(**values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:  # our lease ran out and another sender took the message over: it settles it
        session.rollback()
        current_app.logger.warning("outbox message %s was claimed by another sender meanwhile", row.id)
        return
    if error is None:
        # A disclosure: the log names the addresses it went to and what it was for.
        audit.record(
            "email sent", audit.described(row.about_type, row.about_id), object_type=row.about_type,
            object_id=row.about_id, summary=row.summary, justified_by="disclosure", recipient=row.recipients,
            reason=row.summary,
        )
    elif outcome is run.failed:
        audit.record(
            "email failed", audit.described(row.about_type, row.about_id), object_type=row.about_type,
            object_id=row.about_id, summary=f"{row.summary} (not sent: {values['last_error']})",
        )
        current_app.logger.warning("email %s to %s failed for good: %s", row.id, row.recipients, error)
    else:
        current_app.logger.info("email %s to %s not sent yet: %s", row.id, row.recipients, error)
    session.commit()
    outcome.append(row.id)


def retry(row: OutboxMessage) -> None:
    """Queue a failed (or waiting) message to go at the sender's next run, with its tries counted afresh."""
    row.status = OutboxStatus.QUEUED
    row.attempts = 0
    row.next_attempt_at = utcnow()
    row.claimed_until = None
    row.claim_token = None
    audit.record(
        "email retried", object_type=row.about_type, object_id=row.about_id, summary=row.summary
    )


def run_forever(stop: threading.Event | None = None, *, interval: float = 5.0) -> None:
    """Send what is due, then wait `interval` seconds, until `stop` is set (or the process is ended)."""
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            send_all_due()
        except Exception:  # a database that went away for a moment: log it and try again next time
            current_app.logger.exception("the sender could not read the outbox")
            db.session.rollback()
        finally:
            db.session.close()
        stop.wait(interval)
