"""Approved minutes for agencies without accounts: a notice to the agency's secure group mailbox with a
single-use, expiring link that opens the minutes PDF after the recipient confirms a code emailed to the
same mailbox. Every link sent and every opening is in the audit trail, naming who sent it, the mailbox,
when and why; a distributor can revoke a link that has not been used."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app, render_template, url_for

from tracker.auth import rules as auth_rules
from tracker.auth.models import User
from tracker.core import audit, mail
from tracker.core.db import db
from tracker.core.types import utcnow
from tracker.meetings.models import Meeting
from tracker.minutes import rules
from tracker.minutes.models import MinutesDisclosure, MinutesRecipient, MinutesVersion

LINK_DAYS = 7
CODE_MINUTES = 15
MOST_WRONG_CODES = 5
REASON = "distribution of approved minutes to a MAPPA agency (MAPPA Guidance, information sharing)"


def send_link(meeting: Meeting, version: MinutesVersion, recipient: MinutesRecipient, user: User) -> None:
    """Send the agency's secure mailbox a notice with a new one-time link (in this transaction)."""
    agency = recipient.agency
    token, token_hash = auth_rules.new_token()
    disclosure = MinutesDisclosure(
        version_id=version.id,
        recipient_id=recipient.id,
        agency_id=agency.id,
        mailbox=agency.secure_mailbox,
        reason=REASON,
        token_hash=token_hash,
        created_by_id=user.id,
        expires_at=utcnow() + timedelta(days=LINK_DAYS),
    )
    db.session.add(disclosure)
    db.session.flush()
    link = current_app.config["BASE_URL"].rstrip("/") + url_for("minutes.shared_minutes", token=token)
    subject = rules.sent_minutes_subject(meeting.reference, version.number)
    message = mail.new_message(agency.secure_mailbox, subject)
    message.set_content(
        render_template(
            "minutes/email/shared_link.txt",
            meeting=meeting,
            version=version,
            agency=agency,
            link=link,
            days=LINK_DAYS,
            sender=user,
            replaces=rules.replaces_note(version.number, you="your agency"),
        )
    )
    summary = f"minutes link for {meeting.reference} to {agency.secure_mailbox}"
    mail.queue(message, about=disclosure, summary=summary)
    audit.record(
        "minutes link sent",
        disclosure,
        summary=f"by {user.email} to {agency.secure_mailbox} ({agency.name}), minutes of {meeting.reference} "
        f"version {version.number}, expires {disclosure.expires_at:%Y-%m-%d %H:%M} UTC; reason: {REASON}",
        # A disclosure, like the opening it allows: the mailbox and the reason in their own columns too.
        justified_by="disclosure",
        recipient=f"{disclosure.mailbox} ({agency.name})",
        reason=disclosure.reason,
    )


def for_token(token: str) -> MinutesDisclosure | None:
    """The link's disclosure if it can still be used (not opened, revoked or expired)."""
    if not token or len(token) > 100:
        return None
    from sqlmodel import select

    disclosure = db.session.exec(
        select(MinutesDisclosure).where(MinutesDisclosure.token_hash == auth_rules.token_hash(token))
    ).first()
    if disclosure is None or disclosure.state(utcnow()) != "Waiting":
        return None
    return disclosure


def _code_hash(disclosure: MinutesDisclosure, code: str) -> str:
    return hashlib.sha256(f"{disclosure.token_hash}:{code}".encode()).hexdigest()


def send_code(disclosure: MinutesDisclosure, meeting: Meeting) -> None:
    """Email a new six-digit code to the mailbox the link went to (replacing any earlier code)."""
    code = f"{secrets.randbelow(10**6):06d}"
    disclosure.code_hash = _code_hash(disclosure, code)
    disclosure.code_sent_at = utcnow()
    subject = f"Your code for the minutes of MAPPA meeting {meeting.reference}"
    message = mail.new_message(disclosure.mailbox, subject)
    message.set_content(
        render_template("minutes/email/shared_code.txt", meeting=meeting, code=code, minutes=CODE_MINUTES)
    )
    summary = f"minutes code for {meeting.reference} to {disclosure.mailbox}"
    mail.queue(message, about=disclosure, summary=summary)


def check_code(disclosure: MinutesDisclosure, code: str) -> str | None:
    """None if the code is right (the link is used up at once), else what is wrong. Too many wrong codes
    revoke the link."""
    now = utcnow()
    if not disclosure.code_hash or not disclosure.code_sent_at:
        return "Ask for a code first"
    if disclosure.code_sent_at + timedelta(minutes=CODE_MINUTES) < now:
        return "The code has expired: ask for a new one"
    if not hmac.compare_digest(disclosure.code_hash, _code_hash(disclosure, code.strip())):
        disclosure.wrong_codes += 1
        if disclosure.wrong_codes >= MOST_WRONG_CODES:
            disclosure.revoked_at = now
            audit.record("minutes link revoked", disclosure, summary="too many wrong codes")
            return "Too many wrong codes: this link no longer works. Ask the MAPPA unit for a new one"
        return "The code is not right: check the latest email and try again"
    disclosure.opened_at = now
    return None


def record_opening(disclosure: MinutesDisclosure, meeting: Meeting) -> None:
    audit.record(
        "minutes disclosed",
        disclosure,
        summary=f"minutes of {meeting.reference} version {disclosure.version.number} opened through the link "
        f"sent by {disclosure.created_by.email} to {disclosure.mailbox} ({disclosure.agency.name}) on "
        f"{disclosure.created_at:%Y-%m-%d %H:%M} UTC; reason: {disclosure.reason}",
        justified_by="disclosure",
        recipient=f"{disclosure.mailbox} ({disclosure.agency.name})",
        reason=disclosure.reason,
    )


class NotSentAgain(ValueError):
    """Why a new link is not sent in place of this one."""


def send_again(meeting: Meeting, disclosure: MinutesDisclosure, user: User) -> None:
    """Send the agency's mailbox a new link in place of one that no longer works (used, expired, revoked
    or killed by wrong codes), for the minutes as they now stand. Refused (NotSentAgain) while it or a
    later link to the agency still works, once a later version replaced these minutes, or when the agency
    has no secure mailbox any more."""
    from sqlmodel import select

    now = utcnow()
    version = disclosure.version
    if version.minutes.latest_approved.id != version.id:
        raise NotSentAgain(
            f"These are the links for version {version.number}, which a later version replaced: distribute "
            "that one instead"
        )
    sent = db.session.exec(
        select(MinutesDisclosure).where(
            MinutesDisclosure.version_id == version.id, MinutesDisclosure.agency_id == disclosure.agency_id
        )
    ).all()
    if any(link.state(now) == "Waiting" for link in sent):
        agency = disclosure.agency.name
        raise NotSentAgain(f"A link to {agency} still works: revoke it first to send a new one")
    agency = disclosure.agency
    if not agency.active or not agency.sector.holds_case_records:
        raise NotSentAgain(f"{agency.name} no longer takes minutes: it is inactive, or holds no case records")
    if not agency.secure_mailbox:
        raise NotSentAgain(f"{agency.name} has no secure mailbox now: add one to send a link")
    send_link(meeting, version, db.session.get(MinutesRecipient, disclosure.recipient_id), user)


def revoke(disclosure: MinutesDisclosure, user: User) -> None:
    disclosure.revoked_at = utcnow()
    disclosure.revoked_by_id = user.id
    audit.record("minutes link revoked", disclosure, summary=f"by {user.email}, link to {disclosure.mailbox}")
