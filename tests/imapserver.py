"""A real IMAP server for the tests of replies by email: Debian's Dovecot (dovecot-imapd), started on
loopback as a foreground process with a throwaway configuration, certificate, mail folder and password
file (scripts/test installs it with apt when /usr/sbin/dovecot is missing). It offers STARTTLS on one
port and TLS on another; the tests trust its certificate through IMAP_CA_FILE, as a site with a private
certificate authority would."""

from __future__ import annotations

import imaplib
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from tests.mailbox import free_port

DOVECOT = Path("/usr/sbin/dovecot")
USERS = 200  # mailboxes made ready for a test session, one per test


@dataclass
class Dovecot:
    folder: Path
    imap_port: int
    imaps_port: int
    process: subprocess.Popen

    @property
    def ca_file(self) -> str:
        return str(self.folder / "cert.pem")

    users: list[tuple[str, str]]

    def new_user(self) -> tuple[str, str]:
        """A mailbox of its own for one test: (username, password). The password file is written once,
        before the server starts (Dovecot rereads a changed file, but not reliably within a second)."""
        return self.users.pop()

    def login(self, user: str, password: str) -> imaplib.IMAP4:
        imap = imaplib.IMAP4("127.0.0.1", self.imap_port, timeout=30)
        imap.starttls(ssl_context=ssl.create_default_context(cafile=self.ca_file))
        imap.login(user, password)
        return imap

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start(folder: Path) -> Dovecot:
    if not DOVECOT.exists():
        raise RuntimeError("Dovecot is not installed: run scripts/test, or apt-get install dovecot-imapd")
    folder.mkdir(parents=True, exist_ok=True)
    for sub in ("run", "state", "mail"):
        (folder / sub).mkdir(exist_ok=True)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    users = [(f"replies-{uuid.uuid4().hex[:8]}@tracker.test", uuid.uuid4().hex) for _ in range(USERS)]
    (folder / "passwd").write_text("".join(f"{name}:{{PLAIN}}{password}\n" for name, password in users))
    if os.getuid() == 0:
        # Dovecot will not run its login and mail processes as root: use the users the package made.
        internal, login, mail_user = "dovecot", "dovenull", "dovecot"
        shutil.chown(folder / "mail", mail_user, mail_user)
        folder.chmod(0o755)
    else:
        internal = login = mail_user = pwd.getpwuid(os.getuid()).pw_name
    group = internal
    imap_port, imaps_port = free_port(), free_port()
    (folder / "dovecot.conf").write_text(
        f"""
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{folder}/cert.pem
ssl_key = <{folder}/key.pem
disable_plaintext_auth = yes
auth_mechanisms = plain
default_internal_user = {internal}
default_internal_group = {group}
default_login_user = {login}
first_valid_uid = 0
mail_location = maildir:{folder}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_user} home={folder}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""
    )
    process = subprocess.Popen(
        [str(DOVECOT), "-F", "-c", str(folder / "dovecot.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Dovecot(folder, imap_port, imaps_port, process, users)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", imap_port), timeout=1) as probe:
                if probe.recv(100).startswith(b"* OK"):
                    return server
        except OSError:
            time.sleep(0.1)
    server.stop()
    log = (folder / "dovecot.log").read_text() if (folder / "dovecot.log").exists() else ""
    raise RuntimeError(f"Dovecot did not start: {log[-2000:]}")
