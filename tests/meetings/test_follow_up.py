"""Follow-through emails: minutes awaiting approval (to the chair), minutes approved (to the administrator),
action reminders before and after the due date (daily command, once per action per threshold), the
co-ordinator's weekly digest; each can be turned off under Your account. Sent to a real SMTP server."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tracker.core.timeutil import today_london
from tracker.meetings.models import Category, EmailOptOut
from tracker.minutes.models import MinutesStatus


def _deliver(app) -> None:
    """Run the outbox's sender, as `tracker send-mail` would beside the daily command."""
    from tracker.core import sending

    with app.app_context():
        sending.send_all_due()


def _to(smtp_server) -> list[tuple[str, str]]:
    return [(r.message["To"], r.message["Subject"]) for r in smtp_server.received]


def test_the_chair_is_told_minutes_await_approval_and_the_administrator_when_approved(
    client_as, factory, smtp_server
):
    chair = factory.user("CHAIR", name="Daniel Price", email="chair@example.org")
    administrator = factory.user("ADMINISTRATOR", name="Aisha Karim", email="admin@example.org")
    meeting = factory.held_meeting(chair=chair, administrator=administrator)
    minutes = factory.minutes(meeting, MinutesStatus.DRAFT)
    response = client_as(administrator).post(
        f"/meetings/{meeting.id}/minutes/submit", data={"version": minutes.version}
    )
    assert response.status_code == 302
    assert _to(smtp_server) == [
        ("chair@example.org", f"Minutes of MAPPA meeting {meeting.reference} await your approval")
    ]
    body = smtp_server.received[0].message.get_content()
    assert f"/meetings/{meeting.id}/minutes" in body
    assert meeting.agenda_items[0].case.reference not in body and meeting.agenda_items[0].case.name not in body

    factory.session.refresh(minutes)
    response = client_as(chair).post(f"/meetings/{meeting.id}/minutes/approve", data={"version": minutes.version})
    assert response.status_code == 302
    assert _to(smtp_server)[1] == ("admin@example.org", f"Minutes of MAPPA meeting {meeting.reference} approved")


def test_a_chair_who_submits_the_minutes_is_not_emailed_that_they_await_his_approval(
    client_as, factory, smtp_server
):
    chair = factory.user("CHAIR", name="Daniel Price", email="chair@example.org")
    meeting = factory.held_meeting(chair=chair)
    minutes = factory.minutes(meeting, MinutesStatus.DRAFT)
    response = client_as(chair).post(f"/meetings/{meeting.id}/minutes/submit", data={"version": minutes.version})
    assert response.status_code == 302
    assert _to(smtp_server) == []


def test_someone_who_turned_an_email_off_does_not_get_it(client_as, factory, smtp_server):
    chair = factory.user("CHAIR", email="quiet-chair@example.org")
    administrator = factory.user("ADMINISTRATOR")
    meeting = factory.held_meeting(chair=chair, administrator=administrator)
    minutes = factory.minutes(meeting, MinutesStatus.DRAFT)
    client = client_as(chair)
    page = client.get("/account/emails")
    assert "Minutes awaiting your approval" in page.get_data(as_text=True)
    kept = ["action_reminders", "action_changes"]  # a chair's other emails, left on
    assert client.post("/account/emails", data={"kinds": kept}).status_code == 302
    client_as(administrator).post(f"/meetings/{meeting.id}/minutes/submit", data={"version": minutes.version})
    assert _to(smtp_server) == []
    # And back on.
    client.post("/account/emails", data={"kinds": [*kept, "minutes_awaiting_approval"]})
    page = client.get("/account/emails").get_data(as_text=True)
    assert 'value="minutes_awaiting_approval" checked' in page or "checked" in page


def _actions(factory):
    owner = factory.user("PRACTITIONER", email="owner@example.org")
    other = factory.user("PRACTITIONER", email="other@example.org")
    meeting = factory.held_meeting(actions_per_case=0)
    item = meeting.agenda_items[0]
    today = today_london()
    soon = factory.action(item, owner=owner, due_on=today + timedelta(days=2), description="Soon")
    late = factory.action(item, owner=owner, due_on=today - timedelta(days=1), description="Late")
    factory.action(item, owner=other, due_on=today + timedelta(days=30), description="Later")
    return meeting, soon, late


def test_action_reminders_are_sent_once_per_action_and_threshold(app, factory, smtp_server):
    meeting, soon, late = _actions(factory)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["send-action-reminders"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Sent 2 action reminders."
    _deliver(app)
    assert sorted(_to(smtp_server)) == [
        ("owner@example.org", f"An action from MAPPA meeting {meeting.reference} is due soon"),
        ("owner@example.org", f"An action from MAPPA meeting {meeting.reference} is overdue"),
    ]
    assert all("Soon" not in r.message.get_content() for r in smtp_server.received)  # references only
    # Running it again sends nothing new.
    assert runner.invoke(args=["send-action-reminders"]).output.strip() == "Sent 0 action reminders."
    _deliver(app)
    assert len(smtp_server.received) == 2
    # Once the due-soon action is overdue, its owner hears once more.
    soon.due_on = today_london() - timedelta(days=1)
    factory.save(soon)
    assert runner.invoke(args=["send-action-reminders"]).output.strip() == "Sent 1 action reminder."
    assert runner.invoke(args=["send-action-reminders"]).output.strip() == "Sent 0 action reminders."


def test_action_reminders_go_to_the_mail_folder_without_smtp(app, factory):
    folder = Path(app.config["MAIL_FOLDER"])
    before = set(folder.glob("*.eml")) if folder.exists() else set()
    _actions(factory)
    assert app.test_cli_runner().invoke(args=["send-action-reminders"]).output.strip() == "Sent 2 action reminders."
    _deliver(app)
    written = set(folder.glob("*.eml")) - before
    assert len(written) == 2
    assert all(b"owner@example.org" in path.read_bytes() for path in written)


def test_the_weekly_digest_counts_overdue_reviews_and_late_minutes_for_the_coordinator(app, factory, smtp_server):
    coordinator = factory.user("COORDINATOR", email="coord@example.org")
    factory.user("COORDINATOR", email="off@example.org")
    late = factory.held_meeting(days_ago=30)
    long_late = factory.held_meeting(days_ago=400)  # as the overdue list has it, however long ago
    being_corrected = factory.held_meeting(days_ago=60)  # distributed once: its minutes went out on time
    corrected = factory.minutes(being_corrected, MinutesStatus.DISTRIBUTED)
    corrected.status = MinutesStatus.DRAFT
    factory.save(corrected)
    factory.case(referred_on=today_london() - timedelta(days=90))  # initial meeting long overdue
    factory.case(referred_on=today_london() - timedelta(days=90), category=Category.CATEGORY_4)
    factory.save(EmailOptOut(user_id=_user_id(factory, "off@example.org"), kind="weekly_digest"))
    result = app.test_cli_runner().invoke(args=["send-weekly-digest"])
    assert result.output.strip() == "Sent the weekly digest to 1 person.", result.output
    _deliver(app)
    [received] = smtp_server.received
    assert received.message["To"] == "coord@example.org"
    body = received.message.get_content()
    assert late.reference in body and long_late.reference in body
    assert being_corrected.reference not in body
    assert "Meetings overdue: 1 (0 reviews, 1 initial meeting)." in body  # the Category 4 case is not counted for someone not cleared
    assert coordinator.email == "coord@example.org"


def test_the_weekly_digest_is_sent_once_per_person_per_week(app, factory, smtp_server):
    from flask import g

    from tracker.core.db import db
    from tracker.meetings import follow_up

    factory.user("COORDINATOR", email="coord@example.org")
    factory.held_meeting(days_ago=30)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["send-weekly-digest"]).output.strip() == "Sent the weekly digest to 1 person."
    # Run again the same week (by mistake, or a timer that fired twice): nothing new.
    assert runner.invoke(args=["send-weekly-digest"]).output.strip() == "Sent the weekly digest to 0 people."
    _deliver(app)
    assert _to(smtp_server) == [("coord@example.org", smtp_server.received[0].message["Subject"])]
    # The next week, the digest comes again, once.
    next_week = today_london() + timedelta(days=7)
    for expected in (1, 0):
        with app.test_request_context(base_url=app.config["BASE_URL"]):
            g.command = "send-weekly-digest"
            assert follow_up.send_weekly_digest(next_week) == expected
            db.session.commit()
            db.run_after_commit()
    _deliver(app)
    assert [r.message["To"] for r in smtp_server.received] == ["coord@example.org", "coord@example.org"]


def _user_id(factory, email: str) -> int:
    from sqlmodel import select

    from tracker.auth.models import User

    return factory.session.exec(select(User.id).where(User.email == email)).one()


def test_an_action_its_owner_moved_to_a_later_date_is_not_reminded_as_overdue(app, factory):
    meeting, soon, late = _actions(factory)
    late.revised_due_on = today_london() + timedelta(days=30)  # the owner's new date, beyond the reminders'
    soon.revised_due_on = today_london() - timedelta(days=1)  # earlier than agreed: now overdue
    factory.save(late, soon)
    with app.app_context():
        from tracker.meetings import follow_up

        due = [(action.description, threshold) for action, threshold in follow_up.reminders_due(today_london())]
    assert due == [("Soon", follow_up.OVERDUE)]
