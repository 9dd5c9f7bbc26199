"""Sending email: through SMTP when SMTP_HOST is set, otherwise into a folder of .eml files.

The folder (MAIL_FOLDER, by default instance/mail) lets a developer open every message the tracker
would have sent. Messages are built by the caller as `email.message.EmailMessage`.
"""

from __future__ import annotations

import smtplib
import uuid
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app


def is_configured() -> bool:
    """Whether real mail goes out (SMTP), rather than into the local folder."""
    return bool(current_app.config.get("SMTP_HOST"))


def send_after_commit(message: EmailMessage) -> None:
    """Send this message once the request's changes are saved, with the request's other messages over
    one connection; never for a change that was rolled back. If it cannot be sent the change stays
    saved, the failure is logged, and the person is told whom it did not reach."""
    from flask import g

    from tracker.core.db import db

    if "mail_outbox" not in g:
        g.mail_outbox = []
        db.after_commit(_deliver_outbox)
    g.mail_outbox.append(message)


def _deliver_outbox() -> None:
    from flask import flash, g

    failures = send_all(g.pop("mail_outbox", []))
    if failures:
        addresses = ", ".join(dict.fromkeys(str(message["To"]) for message, _ in failures))
        current_app.logger.warning("email not sent to %s: %s", addresses, failures[0][1])
        flash(
            f"Your change is saved, but the email to {addresses} could not be sent. "
            "Let them know another way.",
            "important",
        )


def new_message(to: list[str] | str, subject: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to if isinstance(to, str) else ", ".join(to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=current_app.config["MAIL_FROM"].split("@")[-1])
    return message


def send(message: EmailMessage) -> None:
    failures = send_all([message])
    if failures:
        raise failures[0][1]


# Refusals of one message; any other error is the server's (down, refusing us) and stops the rest.
_MESSAGE_REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError)


def send_all(messages: Sequence[EmailMessage]) -> list[tuple[EmailMessage, Exception]]:
    """Send several messages over one connection. Returns those not sent, each with its error: a
    refused recipient fails its own message only; a server that cannot be reached fails all that remain."""
    if not messages:
        return []
    config = current_app.config
    failures: list[tuple[EmailMessage, Exception]] = []
    tried = 0
    try:
        if not is_configured():
            folder = Path(config["MAIL_FOLDER"])
            folder.mkdir(parents=True, exist_ok=True)
            for message in messages:
                (folder / f"{uuid.uuid4().hex}.eml").write_bytes(bytes(message))
                tried += 1
            return []
        with smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=30) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USERNAME"]:
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
            for message in messages:
                try:
                    smtp.send_message(message)
                except _MESSAGE_REFUSED as error:
                    failures.append((message, error))
                tried += 1
    except (smtplib.SMTPException, OSError) as error:
        failures.extend((message, error) for message in messages[tried:])
    return failures
