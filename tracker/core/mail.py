"""Email: messages are written to the outbox in the transaction of the change that causes them, and the
sender (`tracker send-mail`, tracker.core.sending) delivers them through SMTP when SMTP_HOST is set,
otherwise into a folder of .eml files.

The folder (MAIL_FOLDER, by default instance/mail) lets a developer open every message the tracker
would have sent. Messages are built by the caller as `email.message.EmailMessage`; nothing is sent from
inside a request, so a slow or broken mail server never holds up a change or loses its email.
"""

from __future__ import annotations

import re
import smtplib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid
from pathlib import Path
from typing import Any

from flask import current_app

from tracker.core.models import OutboxMessage


def is_configured() -> bool:
    """Whether real mail goes out (SMTP), rather than into the local folder."""
    return bool(current_app.config.get("SMTP_HOST"))


def queue(message: EmailMessage, *, about: Any = None, summary: str = "") -> OutboxMessage:
    """Put this message in the outbox, in the current transaction: it goes if and only if the change
    that causes it is saved. `about` (a model instance) and `summary` label the audit entry written
    when it is sent."""
    from tracker.core import audit
    from tracker.core.db import db

    recipients = _recipients(message)
    about_type, about_id, _label = audit.describe(about) if about is not None else (None, None, "")
    row = OutboxMessage(
        sender=_address(str(message["From"])),
        recipients=", ".join(recipients),
        subject=str(message["Subject"] or ""),
        message=as_bytes(message),
        about_type=about_type,
        about_id=about_id,
        summary=summary or f"{message['Subject']} to {', '.join(recipients)}",
    )
    db.session.add(row)
    return row


# Messages queued before the outbox said "send after commit"; the name stays for them.
send_after_commit = queue


def as_bytes(message: EmailMessage) -> bytes:
    """The message as it goes over SMTP: lines ending in CRLF, as the standard asks. Headers are folded
    only past the standard's hard limit of 998 characters: Python's folding at 78 splits a subject with
    accents or dashes into encoded words and can lose the space at the split ("Forum –Victims’")."""
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n", max_line_length=998))


# What stands in for a one-time link in the copy of an email kept once it is sent, and in an export.
LINK_REMOVED = "[one-time link removed]"
# Marks of a body that only decoding can read (a link may be split or encoded there).
_ENCODED = (b"quoted-printable", b"base64")
_TOKEN = re.compile(r"<(?:[^:<>]+:)?token>")


def without_one_time_links(raw: bytes) -> bytes:
    """The email with every one-time link in its text replaced by LINK_REMOVED (the same bytes when it
    has none). A one-time link is the address of any page a token in its path opens, found from the app's
    own routes (`<token>`): password and account links, agencies' minutes links, evaluation links,
    calendar feeds, and any such page added later. Whoever holds the link can use it, so it does not stay
    in a copy that others can read (the database, a backup, the whole-area export)."""
    prefixes = _token_route_prefixes()
    if not any(prefix.encode() in raw for prefix in prefixes) and not any(m in raw.lower() for m in _ENCODED):
        return raw
    pattern = re.compile(r"[^\s<>\"']*(?:" + "|".join(map(re.escape, prefixes)) + r")[^\s<>\"']+")
    message = message_from_bytes(raw, policy=email_policy.default)
    changed = False
    for part in message.walk():
        if part.get_content_maintype() != "text" or part.is_attachment():
            continue
        try:
            text = part.get_content()
        except (LookupError, ValueError):
            continue
        kept = pattern.sub(LINK_REMOVED, text)
        if kept != text:
            params = {key: value for key, value in part.get_params()[1:] if key != "charset"}
            part.set_content(kept, subtype=part.get_content_subtype(), params=params)
            changed = True
    return as_bytes(message) if changed else raw


def _token_route_prefixes() -> list[str]:
    """The start of each route's path up to its token ("/reset-password/", "/minutes/shared/")."""
    rules = current_app.url_map.iter_rules()
    return sorted({_TOKEN.split(rule.rule)[0] for rule in rules if "token" in rule.arguments})


def _recipients(message: EmailMessage) -> list[str]:
    headers = [str(value) for value in message.get_all("To", []) + message.get_all("Cc", [])]
    return [address for _name, address in getaddresses(headers) if address]


def _address(header: str) -> str:
    found = getaddresses([header])
    return found[0][1] if found else header


def new_message(to: list[str] | str, subject: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to if isinstance(to, str) else ", ".join(to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=current_app.config["MAIL_FROM"].split("@")[-1])
    return message


@dataclass(frozen=True)
class Envelope:
    """One message as the transport sees it: who it is from, to whom, and its bytes."""

    sender: str
    recipients: tuple[str, ...]
    data: bytes


class Refused(Exception):
    """The mail server refused this message. `permanent` (a 5xx answer) means trying again is no use."""

    def __init__(self, text: str, *, permanent: bool):
        super().__init__(text)
        self.permanent = permanent


def send(message: EmailMessage) -> None:
    """Send one message at once (tests and tools; the app queues)."""
    failures = send_all([message])
    if failures:
        raise failures[0][1]


def send_all(messages: Sequence[EmailMessage]) -> list[tuple[EmailMessage, Exception]]:
    """Send several messages at once over one connection; those not sent, each with its error."""
    envelopes = [
        Envelope(
            _address(str(m["From"])),
            tuple(_recipients(m)),
            as_bytes(m),
        )
        for m in messages
    ]
    results = deliver(envelopes)
    return [(m, error) for m, error in zip(messages, results, strict=True) if error is not None]


def deliver(envelopes: Sequence[Envelope]) -> list[Exception | None]:
    """Deliver envelopes over one connection (or into MAIL_FOLDER). For each, None when it was accepted,
    otherwise the error: a refusal (`Refused`) fails its own message only; a server that cannot be
    reached, or that drops the connection, fails all that remain."""
    results: list[Exception | None] = [None] * len(envelopes)
    if not envelopes:
        return results
    config = current_app.config
    if not is_configured():
        folder = Path(config["MAIL_FOLDER"])
        folder.mkdir(parents=True, exist_ok=True)
        for envelope in envelopes:
            (folder / f"{uuid.uuid4().hex}.eml").write_bytes(envelope.data)
        return results
    tried = 0
    try:
        with smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=30) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USERNAME"]:
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
            for index, envelope in enumerate(envelopes):
                results[index] = _send_one(smtp, envelope)
                tried += 1
    except (smtplib.SMTPException, OSError) as error:
        for index in range(tried, len(envelopes)):
            results[index] = error
    return results


def _send_one(smtp: smtplib.SMTP, envelope: Envelope) -> Exception | None:
    try:
        refused = smtp.sendmail(envelope.sender, list(envelope.recipients), envelope.data)
    except smtplib.SMTPRecipientsRefused as error:  # (smtplib resets the session after each refusal)
        codes = [code for code, _text in error.recipients.values()]
        text = "; ".join(f"{to}: {code} {_text(reply)}" for to, (code, reply) in error.recipients.items())
        return Refused(text, permanent=all(code >= 500 for code in codes))
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
        return Refused(f"{error.smtp_code} {_text(error.smtp_error)}", permanent=error.smtp_code >= 500)
    if refused:  # accepted for some recipients: the others are noted, the message counts as sent
        current_app.logger.warning("email %s refused by %s", envelope.recipients, ", ".join(refused))
    return None


def _text(reply: bytes | str) -> str:
    return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
