"""The way back in for an admin who cannot sign in, at the server: `tracker reset-two-factor EMAIL` and
`tracker password-link EMAIL`, each in the audit trail as done at the command line by the operating-system
user who ran it (server access is the trust boundary: a cleared admin's account is reset too)."""

import pyotp
from sqlmodel import select

from tests.conftest import sign_in
from tracker.auth.commands import os_user
from tracker.auth.models import PasswordReset, User, UserSession
from tracker.core.models import AuditEvent

CHOSEN = {"password": "tidal orchard compass", "confirm": "tidal orchard compass"}


def _entries(session, user, action):
    session.expire_all()
    return session.exec(
        select(AuditEvent).where(AuditEvent.object_type == "User", AuditEvent.object_id == str(user.id),
                                 AuditEvent.action == action)
    ).all()


def test_an_admin_who_lost_their_phone_has_two_factor_reset_at_the_command_line(app, factory, session):
    admin = factory.user("SYSTEM_ADMIN", email="only.admin@example.org", terrorism_cleared=True,
                         totp_secret=pyotp.random_base32())
    signed_in = sign_in(app.test_client(), session, admin)
    assert signed_in.get("/home").status_code == 200

    result = app.test_cli_runner().invoke(args=["reset-two-factor", "Only.Admin@example.org"])
    assert result.exit_code == 0, result.output
    assert "Two-factor sign-in reset for" in result.output and admin.name in result.output
    session.expire_all()
    user = session.get(User, admin.id)
    assert user.totp_secret is None and user.totp_last_counter is None
    assert session.exec(select(UserSession).where(UserSession.user_id == admin.id,
                                                  UserSession.ended_at.is_(None))).all() == []
    assert signed_in.get("/home").status_code == 302  # signed out everywhere
    [entry] = _entries(session, admin, "two-factor reset")
    assert entry.user_id is None
    assert "reset-two-factor at the command line" in entry.actor and f"OS user {os_user()}" in entry.actor


def test_a_password_link_is_printed_at_the_command_line_and_sets_the_password(app, factory, session):
    admin = factory.user("SYSTEM_ADMIN", email="locked.out@example.org", terrorism_cleared=True)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["password-link", "locked.out@example.org"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["password-link", "locked.out@example.org"])
    link = second.output.split()[-1]
    assert link.startswith("http://tracker.test/reset-password/") and link != first.output.split()[-1]

    [made, _] = sorted(session.exec(select(PasswordReset).where(PasswordReset.user_id == admin.id)).all(),
                       key=lambda reset: reset.id, reverse=True)
    assert made.shown_to_admin and made.created_by_id is None
    client = app.test_client()
    assert client.get(first.output.split()[-1].removeprefix("http://tracker.test")).status_code in (404, 410)
    path = link.removeprefix("http://tracker.test")
    assert client.get(path).status_code == 200
    assert client.post(path, data=CHOSEN).status_code == 302
    entries = _entries(session, admin, "password link made")
    assert len(entries) == 2 and all(f"OS user {os_user()}" in entry.actor for entry in entries)
    assert all("password-link at the command line" in entry.actor for entry in entries)


def test_the_commands_name_an_unknown_address_and_refuse_a_deactivated_account(app, factory):
    factory.user("SYSTEM_ADMIN", email="gone@example.org", active=False)
    runner = app.test_cli_runner()
    for command in ("reset-two-factor", "password-link"):
        unknown = runner.invoke(args=[command, "nobody@example.org"])
        assert unknown.exit_code != 0
        assert "There is no account with the email address 'nobody@example.org'" in unknown.output
    refused = runner.invoke(args=["password-link", "gone@example.org"])
    assert refused.exit_code != 0 and "account is deactivated" in refused.output
    assert "Traceback" not in refused.output


def test_a_two_factor_reset_at_the_command_line_tells_the_person(app, factory, session):
    from email import message_from_bytes, policy

    from tracker.core.models import OutboxMessage

    user = factory.user("COORDINATOR", email="cora.reset@example.org", totp_secret=pyotp.random_base32())
    result = app.test_cli_runner().invoke(args=["reset-two-factor", "cora.reset@example.org"])
    assert result.exit_code == 0, result.output
    session.expire_all()
    notices = [m for m in session.exec(select(OutboxMessage)) if "two-factor sign-in was reset" in m.subject]
    assert len(notices) == 1
    body = message_from_bytes(notices[0].message, policy=policy.default).get_body(("plain",)).get_content()
    assert "An administrator of MAPPA Tracker, at the server's command line, reset" in " ".join(body.split())
    assert session.get(type(user), user.id).totp_secret is None
