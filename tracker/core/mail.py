"""Sending email: through SMTP when SMTP_HOST is set, otherwise into a folder of .eml files.

The folder (MAIL_FOLDER, by default instance/mail) lets a developer open every message the tracker
would have sent. Messages are built by the caller as `email.message.EmailMessage`.
"""

from __future__ import annotations

import smtplib
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app


def is_configured() -> bool:
    """Whether real mail goes out (SMTP), rather than into the local folder."""
    return bool(current_app.config.get("SMTP_HOST"))


def new_message(to: list[str] | str, subject: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to if isinstance(to, str) else ", ".join(to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=current_app.config["MAIL_FROM"].split("@")[-1])
    return message


def send(message: EmailMessage) -> None:
    config = current_app.config
    if not is_configured():
        folder = Path(config["MAIL_FOLDER"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{uuid.uuid4().hex}.eml").write_bytes(bytes(message))
        return
    with smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=30) as smtp:
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config["SMTP_USERNAME"]:
            smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"] or "")
        smtp.send_message(message)
