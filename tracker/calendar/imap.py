"""The organiser's mailbox over IMAP (any standard server: Dovecot, Exchange, Microsoft 365), for
`tracker fetch-replies`: each message in IMAP_FOLDER is handed to `replies.handle`, then moved to
IMAP_PROCESSED_FOLDER (applied) or IMAP_NOT_APPLIED_FOLDER (not applied), so none is read twice.

The connection is TLS from the start (IMAP_SECURITY=tls, port 993) or upgraded with STARTTLS
(IMAP_SECURITY=starttls, port 143); the server's certificate is checked, against IMAP_CA_FILE if set.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from dataclasses import dataclass, field

from flask import current_app

from tracker.calendar import replies
from tracker.core.db import db


@dataclass
class Fetched:
    applied: list[int] = field(default_factory=list)
    not_applied: list[int] = field(default_factory=list)


def is_configured() -> bool:
    return bool(current_app.config.get("IMAP_HOST"))


def connect() -> imaplib.IMAP4:
    config = current_app.config
    context = ssl.create_default_context(cafile=config.get("IMAP_CA_FILE") or None)
    host, port, security = config["IMAP_HOST"], int(config["IMAP_PORT"]), str(config["IMAP_SECURITY"]).lower()
    if security == "tls":
        imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=60)
    elif security == "starttls":
        imap = imaplib.IMAP4(host, port, timeout=60)
        imap.starttls(ssl_context=context)
    else:
        raise ValueError(f"IMAP_SECURITY is tls or starttls, not {security!r}")
    imap.login(config["IMAP_USERNAME"], config["IMAP_PASSWORD"] or "")
    return imap


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _ensure(imap: imaplib.IMAP4, folder: str) -> None:
    status, _ = imap.select(_quote(folder), readonly=True)
    if status != "OK":
        status, data = imap.create(_quote(folder))
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot create the folder {folder!r}: {data}")


def fetch(limit: int | None = None) -> Fetched:
    """Read the organiser's mailbox once: record (and apply) each message, then move it away."""
    config = current_app.config
    done = Fetched()
    imap = connect()
    try:
        capabilities = _capabilities(imap)
        for folder in (config["IMAP_PROCESSED_FOLDER"], config["IMAP_NOT_APPLIED_FOLDER"]):
            _ensure(imap, folder)
        status, _ = imap.select(_quote(config["IMAP_FOLDER"]))
        if status != "OK":
            raise imaplib.IMAP4.error(f"cannot open the folder {config['IMAP_FOLDER']!r}")
        status, data = imap.uid("SEARCH", None, "ALL")
        uids = data[0].split() if status == "OK" and data and data[0] else []
        for uid in uids[:limit]:
            status, data = imap.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((item[1] for item in data if isinstance(item, tuple)), None)
            if status != "OK" or raw is None:
                continue  # gone meanwhile (another reader moved it)
            try:
                row = replies.handle(raw)
            except Exception:
                db.session.rollback()
                raise
            (done.applied if row.applied else done.not_applied).append(row.id)
            target = config["IMAP_PROCESSED_FOLDER"] if row.applied else config["IMAP_NOT_APPLIED_FOLDER"]
            _move(imap, uid, target, capabilities)
        if "MOVE" not in capabilities:
            imap.expunge()
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            imap.logout()
    return done


def _capabilities(imap: imaplib.IMAP4) -> set[str]:
    status, data = imap.capability()
    if status != "OK" or not data:
        return set(imap.capabilities)
    return set(re.split(r"\s+", data[0].decode().upper().strip()))


def _move(imap: imaplib.IMAP4, uid: bytes, folder: str, capabilities: set[str]) -> None:
    if "MOVE" in capabilities:
        status, data = imap.uid("MOVE", uid, _quote(folder))
    else:
        status, data = imap.uid("COPY", uid, _quote(folder))
        if status == "OK":
            status, data = imap.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)")
    if status != "OK":
        raise imaplib.IMAP4.error(f"cannot move message {uid!r} to {folder!r}: {data}")
