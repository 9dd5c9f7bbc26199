"""Access to the foundation's routes: home, account, administration, audit trail."""

from tests.access_cases import ALL, Case, World, post

ADMIN = frozenset({"SYSTEM_ADMIN"})
AUDITORS = frozenset({"SYSTEM_ADMIN", "COORDINATOR"})


def build(world: World, factory) -> None:
    world.objects["other_user"] = factory.user("PRACTITIONER")
    world.objects["agency"] = factory.agency("Access Test Housing")
    world.objects["email"] = factory.outbox_message()
    world.objects["reset_token"] = factory.reset_link(world.other_user)
    from tracker.auth.models import AccessGrant, Privilege

    asker = factory.user("SYSTEM_ADMIN")
    world.objects["grant"] = factory.save(
        AccessGrant(user_id=world.other_user.id, privilege=Privilege.COORDINATOR, requested_by_id=asker.id)
    )
    from tracker.auth.models import MailboxChange

    world.objects["mailbox_change"] = factory.save(
        MailboxChange(agency_id=world.agency.id, address="new@housing.example.org", requested_by_id=asker.id)
    )


def _user(path: str = ""):
    return lambda w: f"/admin/users/{w.other_user.id}{path}"


CASES = [
    Case("home.dashboard", "/home", ALL),
    Case("auth.account", "/account", ALL),
    Case("auth.change_password", "/account/password", ALL),
    Case("auth.account_two_factor", "/account/two-factor", ALL),
    Case("meetings.email_preferences", "/account/emails", ALL),
    post("auth.turn_off_two_factor", "/account/two-factor/turn-off", ALL),
    post("auth.sign_out", "/sign-out", ALL, ends_at_sign_in=True),
    Case("admin.user_list", "/admin/users", ADMIN),
    Case("admin.user_new", "/admin/users/new", ADMIN),
    Case("admin.user_view", _user(), ADMIN),
    Case("admin.user_edit", _user("/edit"), ADMIN),
    post("admin.user_reset_link", _user("/reset-link"), ADMIN),
    post("admin.user_reset_two_factor", _user("/reset-two-factor"), ADMIN),
    post("admin.user_deactivate", _user("/deactivate"), ADMIN),
    Case("admin.grant_view", lambda w: f"/admin/grants/{w.grant.id}", ADMIN),
    post("admin.grant_confirm", lambda w: f"/admin/grants/{w.grant.id}/confirm", ADMIN),
    post("admin.grant_refuse", lambda w: f"/admin/grants/{w.grant.id}/refuse", ADMIN),
    post("admin.user_end_sessions", _user("/end-sessions"), ADMIN),
    Case("admin.agency_list", "/admin/agencies", ADMIN),
    Case("admin.agency_new", "/admin/agencies/new", ADMIN),
    Case("admin.agency_edit", lambda w: f"/admin/agencies/{w.agency.id}/edit", ADMIN),
    post(
        "admin.mailbox_change_confirm",
        lambda w: f"/admin/mailbox-changes/{w.mailbox_change.id}/confirm",
        ADMIN,
    ),
    Case("admin.mailbox_change_refuse", lambda w: f"/admin/mailbox-changes/{w.mailbox_change.id}/refuse", ADMIN),
    post(
        "admin.mailbox_change_refuse",
        lambda w: f"/admin/mailbox-changes/{w.mailbox_change.id}/refuse",
        ADMIN,
    ),
    Case("admin.settings", "/admin/settings", ADMIN),
    Case("admin.audit_trail", "/admin/audit", AUDITORS),
    Case("admin.audit_csv", "/admin/audit.csv", AUDITORS),
    Case("admin.audit_patterns", "/admin/audit/patterns", AUDITORS),
    Case("admin.outbox", "/admin/outbox", ADMIN),
    Case("admin.email_replies", "/admin/email-replies", ADMIN),
    post("admin.outbox_retry", lambda w: f"/admin/outbox/{w.email.id}/retry", ADMIN),
    # Public pages: anyone may open them.
    Case("home.index", "/", ALL, public=True),
    Case("operations.healthz", "/healthz", ALL, public=True),
    Case("operations.readyz", "/readyz", ALL, public=True),
    Case("operations.metrics", "/metrics", ALL, public=True),
    Case("auth.sign_in", "/sign-in", ALL, public=True),
    Case("auth.two_factor", "/sign-in/two-factor", ALL, public=True),
    Case("auth.set_up_two_factor", "/sign-in/set-up-two-factor", ALL, public=True),
    Case("auth.reset_password", lambda w: f"/reset-password/{w.reset_token}", ALL, public=True),
]
