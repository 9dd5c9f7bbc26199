"""Access to training: the TRSG manages it; people see their own record; the Board sees the overview."""

from datetime import UTC, date, datetime, timedelta

from tests.access_cases import ALL, Case, World, get_and_post, post
from tracker.training.models import CourseKind, EnrolmentStatus

TRSG = frozenset({"TRSG"})
OVERVIEW = frozenset({"TRSG", "SMB", "LAY_ADVISER", "COORDINATOR"})
ADMIN = frozenset({"SYSTEM_ADMIN"})
OWN_RECORD = frozenset({"TRSG", "COORDINATOR", "CHAIR", "ADMINISTRATOR", "PRACTITIONER"})


def build(world: World, factory) -> None:
    course = factory.course(CourseKind.CHAIR_COURSE, title="Access chair course")
    event = factory.event(course, days=[date(2024, 5, 13), date(2024, 5, 14)])
    world.objects["course"] = course
    world.objects["event"] = event
    world.objects["training_session"] = event.sessions[0]
    world.objects["cancel_session"] = event.sessions[1]
    # The chair's own completed course: theirs to download, nobody else's but the TRSG's.
    trainee = factory.trainee(world.users["CHAIR"])
    world.objects["trainee"] = trainee
    world.objects["completed"] = factory.completed(event, trainee, date(2024, 5, 14), sessions_attended=2)
    world.objects["enrolled"] = factory.enrolment(event)
    # An event whose outcomes are set: its outcomes may be overridden.
    closed = factory.event(course, days=[date(2024, 9, 9)], closed_at=datetime(2024, 9, 10, tzinfo=UTC))
    world.objects["closed_place"] = factory.enrolment(closed, status=EnrolmentStatus.NOT_COMPLETED)
    # A trained chair with no account: the TRSG may invite them to make one, and their link is public.
    no_account = factory.trainee(name="Nadia Noaccount")
    factory.completed(event, no_account, date(2024, 5, 14), sessions_attended=2)
    world.objects["no_account"] = no_account
    world.objects["invitation_token"] = factory.account_invitation(no_account)
    # A chair's account the TRSG asked for, waiting for a system admin.
    from tracker.auth import rules
    from tracker.auth.models import AccountInvitation
    from tracker.core.types import utcnow

    asked_for = factory.trainee(name="Rhea Request")
    world.objects["account_request"] = factory.save(
        AccountInvitation(
            trainee_id=asked_for.id,
            email=asked_for.email,
            token_hash=rules.new_token()[1],
            expires_at=utcnow() + timedelta(days=7),
        )
    )
    world.objects["upload"] = factory.upload(
        event,
        world.users["TRSG"],
        [
            {
                "line": 1,
                "name": "Uma Access",
                "email": "uma.access@example.org",
                "agency": "Test Police",
                "role": "",
            }
        ],
    )


def _event(path: str = ""):
    return lambda w: f"/training/events/{w.event.id}{path}"


CASES = [
    Case("training.index", "/training/", TRSG),
    Case("training.course_list", "/training/courses", TRSG),
    Case("training.course_new", "/training/courses/new", TRSG),
    Case("training.course_edit", lambda w: f"/training/courses/{w.course.id}/edit", TRSG),
    Case("training.event_list", "/training/events", TRSG),
    Case("training.event_new", lambda w: f"/training/courses/{w.course.id}/events/new", TRSG),
    Case("training.event_view", _event(), TRSG),
    Case("training.event_edit", _event("/edit"), TRSG),
    Case("training.session_new", _event("/sessions/new"), TRSG),
    Case("training.session_edit", lambda w: f"/training/sessions/{w.training_session.id}/edit", TRSG),
    *get_and_post(
        "training.session_cancel", lambda w: f"/training/sessions/{w.cancel_session.id}/cancel", TRSG
    ),
    Case("training.register", lambda w: f"/training/sessions/{w.training_session.id}/register", TRSG),
    Case("training.enrol", _event("/enrol"), TRSG),
    *get_and_post("training.withdraw", lambda w: f"/training/enrolments/{w.enrolled.id}/withdraw", TRSG),
    Case("training.upload", _event("/upload"), TRSG),
    Case("training.upload_preview", lambda w: f"/training/uploads/{w.upload.id}", TRSG),
    post("training.upload_confirm", lambda w: f"/training/uploads/{w.upload.id}/confirm", TRSG),
    Case("training.trainee_list", "/training/people", TRSG),
    Case("training.trainee_view", lambda w: f"/training/people/{w.trainee.id}", TRSG),
    Case("training.chairs_register", "/training/chairs", TRSG),
    *get_and_post("training.chair_invite", lambda w: f"/training/chairs/{w.no_account.id}/invite", TRSG),
    Case("auth.create_account", lambda w: f"/create-account/{w.invitation_token}", ALL, public=True),
    Case("admin.account_request", lambda w: f"/admin/account-requests/{w.account_request.id}", ADMIN),
    post(
        "admin.account_request_approve",
        lambda w: f"/admin/account-requests/{w.account_request.id}/approve",
        ADMIN,
    ),
    post(
        "admin.account_request_refuse",
        lambda w: f"/admin/account-requests/{w.account_request.id}/refuse",
        ADMIN,
    ),
    Case("training.event_certificates", _event("/certificates.pdf"), TRSG),
    Case(
        "training.certificate",
        lambda w: f"/training/enrolments/{w.completed.id}/certificate.pdf",
        frozenset({"TRSG", "CHAIR"}),
    ),
    # Calendar files: the TRSG's, and those of people with a place (the chair completed the course).
    Case("training.event_calendar", _event("/calendar.ics"), frozenset({"TRSG", "CHAIR"})),
    Case(
        "training.session_calendar",
        lambda w: f"/training/sessions/{w.training_session.id}/calendar.ics",
        frozenset({"TRSG", "CHAIR"}),
    ),
    Case("training.overview", "/training/overview", OVERVIEW),
    Case("training.overview_csv", "/training/overview.csv", OVERVIEW),
    Case("training.my_record", "/training/my-record", OWN_RECORD),
    # Outcomes, registers on paper and as files, and emails to an event's people: the TRSG's.
    post("training.event_close", _event("/close"), TRSG),
    Case("training.outcome", lambda w: f"/training/enrolments/{w.closed_place.id}/outcome", TRSG),
    Case("training.event_email", _event("/email"), TRSG),
    post(
        "training.event_email_send",
        _event("/email/send"),
        TRSG,
        data={"audience": "PLACE", "subject": "Parking", "body": "Use the rear car park."},
    ),
    Case(
        "training.sign_in_sheet",
        lambda w: f"/training/sessions/{w.training_session.id}/sign-in-sheet.pdf",
        TRSG,
    ),
    Case("training.register_csv", lambda w: f"/training/sessions/{w.training_session.id}/register.csv", TRSG),
    # Checking a certificate's code: anyone, signed in or not.
    Case("certificates.check", "/certificates/check", ALL, public=True),
]
