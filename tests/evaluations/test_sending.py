"""Sending a form to an event: links by email to those who attended, more links later, reminders, closing."""

from datetime import timedelta

from sqlmodel import select

from tests.evaluations.conftest import links_in
from tests.pages import banners, error_summary, page_text, soup, table_rows
from tracker.core.models import AuditEvent
from tracker.core.timeutil import format_date, today_london
from tracker.core.types import utcnow
from tracker.evaluations.models import EventEvaluation, InvitationLink
from tracker.training.models import CourseKind


def _boxes(day) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _forum(factory, attended=3, absent=1):
    event = factory.event(factory.course(CourseKind.CPD), title="Chairs' Forum, March")
    people = [factory.attendee(event) for _ in range(attended)]
    for _ in range(absent):
        factory.enrolment(event)
    return event, people


def test_sending_the_default_form_emails_a_one_time_link_to_each_attendee(
    client_as, factory, session, outbox
):
    event, people = _forum(factory)
    client = client_as("TRSG")
    page = client.get(f"/evaluations/events/{event.id}/attach")
    assert "Each of the 3 people who attended gets a link" in page_text(page)
    default = factory.default_form()
    closes = today_london() + timedelta(days=10)
    response = client.post(
        f"/evaluations/events/{event.id}/attach",
        data={"form_id": str(default.id), "closes_on": _boxes(closes)},
        follow_redirects=True,
    )
    assert banners(response) == ["Links sent to 3 attendees."]
    evaluation = session.exec(select(EventEvaluation).where(EventEvaluation.event_id == event.id)).one()
    assert (evaluation.form_id, evaluation.closes_on, evaluation.always_anonymous) == (
        default.id,
        closes,
        False,
    )
    # Only those who attended, one email each, each with its own link.
    assert sorted(m["To"] for m in outbox) == sorted(p.trainee.email for p in people)
    assert outbox[0]["Subject"] == "Tell us about Chairs' Forum, March"
    links = links_in(outbox)
    assert len(set(links.values())) == 3
    # Only hashes are kept.
    stored = session.exec(select(InvitationLink.token_hash)).all()
    assert not any(link.rsplit("/", 1)[1] in stored for link in links.values())
    assert client.get(next(iter(links.values()))).status_code == 200
    rows = table_rows(response, "People sent a link")
    assert [row[1] for row in rows] == ["Not answered"] * 3


def test_the_link_and_the_reminder_name_the_course_and_the_event(client_as, factory, outbox):
    """"Thank you for coming to Cohort A December 2026" left people to guess what it was: the email names
    the course too (and the event alone when its title already names the course)."""
    course = factory.course(CourseKind.CHAIR_COURSE, title="MAPPA Chair Training")
    event = factory.event(course, title="Cohort A December 2026")
    factory.attendee(event)
    client = client_as("TRSG")
    closes = today_london() + timedelta(days=10)
    form = {"form_id": str(factory.default_form().id), "closes_on": _boxes(closes)}
    assert client.post(f"/evaluations/events/{event.id}/attach", data=form).status_code == 302
    named = factory.evaluation(factory.event(course, title="MAPPA Chair Training: Cohort B"))
    factory.evaluation_invitation(named)
    assert client.post(f"/evaluations/{named.id}/remind").status_code == 302
    link, reminder = (" ".join(m.get_content().split()) for m in outbox)
    assert "Thank you for coming to MAPPA Chair Training, Cohort A December 2026." in link
    assert "what you thought of MAPPA Chair Training: Cohort B." in reminder


def test_the_closing_date_must_not_be_in_the_past_and_the_form_must_be_chosen(client_as, factory, session):
    event, _ = _forum(factory)
    yesterday = today_london() - timedelta(days=1)
    response = client_as("TRSG").post(
        f"/evaluations/events/{event.id}/attach",
        data={"closes_on": _boxes(yesterday)},
    )
    assert error_summary(response) == [
        "Select the evaluation form",
        "Closing date must be today or in the future",
    ]
    assert session.exec(select(EventEvaluation).where(EventEvaluation.event_id == event.id)).first() is None


def test_an_event_already_evaluated_goes_to_its_evaluation(client_as, factory):
    evaluation = factory.evaluation()
    response = client_as("TRSG").get(f"/evaluations/events/{evaluation.event_id}/attach")
    assert response.headers["Location"].endswith(f"/evaluations/{evaluation.id}")


def test_people_marked_as_attending_later_are_sent_their_links(client_as, factory, session, outbox):
    event, _ = _forum(factory, attended=0, absent=0)
    evaluation = factory.evaluation(event)
    late = factory.attendee(event)
    client = client_as("TRSG")
    page = client.get(f"/evaluations/{evaluation.id}")
    assert soup(page).find("button", string="Send links to 1 attendee without one")
    response = client.post(f"/evaluations/{evaluation.id}/send-links", follow_redirects=True)
    assert banners(response) == ["Links sent to 1 attendee."]
    assert [m["To"] for m in outbox] == [late.trainee.email]
    client.post(f"/evaluations/{evaluation.id}/send-links")
    assert len(outbox) == 1  # nobody gets a second first link


def test_reminders_go_to_those_who_have_not_answered_with_a_new_working_link(
    client_as, factory, session, outbox
):
    evaluation = factory.evaluation()
    waiting, old_token = factory.evaluation_invitation(evaluation)
    done, _ = factory.evaluation_invitation(evaluation, answered=True)
    client = client_as("TRSG")
    response = client.post(f"/evaluations/{evaluation.id}/remind", follow_redirects=True)
    assert banners(response) == ["Reminder sent to 1 person."]
    assert [m["Subject"] for m in outbox] == [f"Reminder: Tell us about {evaluation.event.title}"]
    new_link = links_in(outbox)[outbox[0]["To"]]
    session.refresh(waiting)
    assert waiting.reminders == 1
    # Both the first link and the reminder's work (until the person answers).
    assert client.get(new_link).status_code == 200
    assert client.get(f"/evaluations/answer/{old_token}").status_code == 200
    # Too soon for another.
    response = client.post(f"/evaluations/{evaluation.id}/remind", follow_redirects=True)
    assert "A reminder went out recently" in banners(response)[0]
    assert len(outbox) == 1


def test_no_links_or_reminders_once_closed(client_as, factory, outbox):
    evaluation = factory.evaluation(closes_on=today_london() - timedelta(days=1))
    factory.evaluation_invitation(evaluation)
    factory.attendee(evaluation.event)
    client = client_as("TRSG")
    assert (
        "has closed" in banners(client.post(f"/evaluations/{evaluation.id}/remind", follow_redirects=True))[0]
    )
    assert (
        "has closed"
        in banners(client.post(f"/evaluations/{evaluation.id}/send-links", follow_redirects=True))[0]
    )
    assert list(outbox) == []


def test_the_closing_date_changes_and_a_stale_change_is_refused(client_as, factory, session):
    evaluation = factory.evaluation()
    day = today_london() + timedelta(days=30)
    data = {"closes_on": _boxes(day)}
    client = client_as("TRSG")
    response = client.post(f"/evaluations/{evaluation.id}/closing-date", data={**data, "version": "0"})
    assert "Someone else changed this evaluation" in error_summary(response)[0]
    response = client.post(
        f"/evaluations/{evaluation.id}/closing-date",
        data={**data, "version": str(evaluation.version)},
        follow_redirects=True,
    )
    assert banners(response) == ["Closing date saved."]
    session.refresh(evaluation)
    assert evaluation.closes_on == day


def test_the_closing_date_may_close_early_but_never_before_an_answer_given(client_as, factory, session):
    evaluation = factory.evaluation()
    answer = factory.response(evaluation, {})
    answer.submitted_on = today_london() - timedelta(days=2)
    factory.save(answer)
    client = client_as("TRSG")
    url = f"/evaluations/{evaluation.id}/closing-date"
    refused = client.post(url, data={"closes_on": _boxes(today_london() - timedelta(days=3)), "version": "1"})
    assert error_summary(refused) == [
        f"The closing date must be on or after {format_date(today_london() - timedelta(days=2))}, when the "
        "last answer was given"
    ]
    session.refresh(evaluation)
    assert evaluation.closes_on > today_london()
    early = client.post(url, data={"closes_on": _boxes(today_london() - timedelta(days=2)), "version": "1"})
    assert early.status_code == 302


def test_an_evaluation_answered_today_is_closed_tonight_by_todays_date(client_as, factory, session):
    evaluation = factory.evaluation()
    factory.response(evaluation, {})  # answered today
    client = client_as("TRSG")
    url = f"/evaluations/{evaluation.id}/closing-date"
    assert "if someone has answered today, today's: it closes tonight" in " ".join(
        client.get(url).get_data(as_text=True).split()
    )
    refused = client.post(url, data={"closes_on": _boxes(today_london() - timedelta(days=1)), "version": "1"})
    assert error_summary(refused) == [
        f"The closing date must be on or after {format_date(today_london())}, when the last answer was given: "
        "enter today's date to close it tonight"
    ]
    assert client.post(url, data={"closes_on": _boxes(today_london()), "version": "1"}).status_code == 302


def test_the_evaluation_page_shows_who_has_answered_but_not_what(client_as, factory):
    evaluation = factory.evaluation()
    factory.evaluation_invitation(evaluation, answered=True)
    factory.evaluation_invitation(evaluation)
    response = client_as("TRSG").get(f"/evaluations/{evaluation.id}")
    rows = table_rows(response, "People sent a link")
    assert sorted(row[1] for row in rows) == ["Answered", "Not answered"]
    assert "0 of 2 people sent a link" in page_text(response)
    assert "None sent" in page_text(response)


def test_the_evaluation_page_links_to_its_form_version(client_as, factory):
    evaluation = factory.evaluation()
    response = client_as("TRSG").get(f"/evaluations/{evaluation.id}")
    row = soup(response).find("dt", string=lambda text: text and text.strip() == "Form").find_next("dd")
    link = row.find("a")
    assert link is not None, row.get_text()
    assert link["href"] == f"/evaluations/forms/{evaluation.form.id}"
    assert link.get_text(strip=True) == evaluation.form.label
    assert "<a" not in row.get_text()


def test_the_anonymity_choice_explains_itself_before_the_box(client_as, factory):
    event, _people = _forum(factory)
    response = client_as("TRSG").get(f"/evaluations/events/{event.id}/attach")
    hint = soup(response).select_one("#always_anonymous-hint").get_text(" ", strip=True)
    assert hint == (
        "If you leave this unticked, each person chooses whether to keep their name with their answers"
    )


def test_the_daily_command_reminds_once_the_gap_has_passed_since_the_link_or_last_reminder(
    app, factory, session, outbox
):
    gap = timedelta(days=7)  # the default "Days between evaluation reminders"
    now = utcnow()
    linked_long_ago = factory.evaluation()
    waiting, _ = factory.evaluation_invitation(linked_long_ago, sent_at=now - gap - timedelta(hours=1))
    factory.evaluation_invitation(linked_long_ago, sent_at=now - gap - timedelta(hours=1), answered=True)
    linked_yesterday = factory.evaluation()
    factory.evaluation_invitation(linked_yesterday, sent_at=now - timedelta(days=1))
    reminded_recently = factory.evaluation(last_reminded_at=now - timedelta(days=2))
    factory.evaluation_invitation(reminded_recently, sent_at=now - gap * 3)
    closed = factory.evaluation(closes_on=today_london() - timedelta(days=1))
    factory.evaluation_invitation(closed, sent_at=now - gap * 3)
    everyone_answered = factory.evaluation()
    factory.evaluation_invitation(everyone_answered, sent_at=now - gap * 3, answered=True)

    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"{linked_long_ago.event.title}: reminded 1 person."
    assert [m["To"] for m in outbox] == [waiting.enrolment.trainee.email]
    assert app.config["BASE_URL"] + "/evaluations/answer/" in outbox[0].get_content()
    session.refresh(linked_long_ago)
    assert linked_long_ago.last_reminded_at is not None
    trail = session.exec(select(AuditEvent).where(AuditEvent.object_type == "EventEvaluation")).all()
    changes = [e for e in trail if e.object_id == str(linked_long_ago.id) and e.action != "create"]
    assert changes and {e.actor for e in changes} == {"system (send-reminders)"}
    # The next day, nothing more is due.
    assert app.test_cli_runner().invoke(args=["send-reminders"]).output.strip() == "No reminders are due."


def test_the_reminder_button_counts_one_person_in_the_singular(client_as, factory):
    evaluation = factory.evaluation()
    factory.evaluation_invitation(evaluation)
    factory.evaluation_invitation(evaluation, answered=True)
    factory.response(evaluation, {})
    client = client_as("TRSG")
    buttons = [
        b.get_text(" ", strip=True)
        for b in soup(client.get(f"/evaluations/{evaluation.id}")).select("button")
    ]
    assert "Remind the 1 person who has not answered" in buttons
    factory.evaluation_invitation(evaluation)
    buttons = [
        b.get_text(" ", strip=True)
        for b in soup(client.get(f"/evaluations/{evaluation.id}")).select("button")
    ]
    assert "Remind the 2 people who have not answered" in buttons
