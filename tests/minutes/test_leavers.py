"""When a chair leaves: the admin is shown what they leave behind before deactivating them and after; the
co-ordinator is shown their scheduled meetings (and the meeting form asks plainly for another chair), and
hands the approval of the minutes waiting for them to another chair, who is emailed, approves them, and is
recorded as approving them for the chair who left; the meeting still names its own chair."""

from __future__ import annotations

from email import message_from_bytes, policy

from sqlmodel import select

from tests.minutes.conftest import page, text_of
from tests.posted import date_parts, meeting_form
from tracker.core.models import AuditEvent, OutboxMessage
from tracker.core.timeutil import london
from tracker.meetings.models import Category, ChairProfile, Level, Meeting
from tracker.minutes.models import Minutes, MinutesStatus, MinutesVersion


def _outbox(session, to: str) -> list[OutboxMessage]:
    session.expire_all()
    return list(session.exec(select(OutboxMessage).where(OutboxMessage.recipients == to).order_by(OutboxMessage.id)))


def _body(message: OutboxMessage) -> str:
    return message_from_bytes(message.message, policy=policy.default).get_content()


def _plain(element) -> str:
    """An element's text as a person reads it (spacing aside)."""
    return " ".join(element.get_text().split())


def _minutes(session, meeting) -> Minutes | None:
    session.expire_all()
    return session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).first()


def _leave(factory, person) -> None:
    """The person's account deactivated (as an admin does it: the admin pages are tested below)."""
    person.active = False
    factory.save(person)


def _left_behind(factory, people, status: MinutesStatus | None):
    """A meeting held by the chair who then left, with its minutes at `status` (None: not begun)."""
    chair, administrator = people["chair"], people["administrator"]
    meeting = factory.held_meeting(chair=chair, administrator=administrator)
    minutes = factory.minutes(meeting, status) if status is not None else None
    _leave(factory, chair)
    return chair, administrator, meeting, minutes


def _approving(client, meeting, version) -> int:
    """The status of the chair's Approve button pressed for the minutes at `version`."""
    return client.post(f"/meetings/{meeting.id}/minutes/approve", data={"version": version}).status_code


def _hand_over(client, person, meetings, approver):
    return client.post(
        f"/people/{person.id}/work-left",
        data={"meetings": [str(m.id) for m in meetings], "approver_id": str(approver.id) if approver else ""},
    )


def test_deactivating_a_chair_shows_what_they_leave_behind_before_and_after(
    client_as, factory, session, people
):
    chair = people["chair"]
    scheduled = factory.meeting(chair=chair)
    held = factory.held_meeting(chair=chair, administrator=people["administrator"])
    factory.minutes(held, MinutesStatus.SUBMITTED)
    audited = factory.held_meeting(chair=factory.user("CHAIR"))
    factory.meeting_audit(audited, chair)
    factory.action(held.agenda_items[0], owner=chair, description="Visit the address")
    admin = client_as(factory.user("SYSTEM_ADMIN"))

    before = admin.get(f"/admin/users/{chair.id}/edit")
    shown = _plain(page(before).select_one("#left-behind"))
    assert "If you deactivate Daniel Price's account, they leave behind" in shown
    for reference in (scheduled.reference, held.reference, audited.reference):
        assert reference in shown
    assert "1 open action" in shown
    # The admin sees no case data: the action is counted, its text and case are not shown.
    assert "Visit the address" not in shown and held.agenda_items[0].case.reference not in shown

    data = {
        "name": chair.name,
        "email": chair.email,
        "agency_id": str(chair.agency_id),
        "job_title": "",
        "roles": ["CHAIR"],
    }  # "active" unticked
    saved = admin.post(f"/admin/users/{chair.id}/edit", data=data, follow_redirects=True)
    said = text_of(saved)
    assert (
        f"Daniel Price leaves behind 1 scheduled meeting they chair ({scheduled.reference}); the minutes of "
        f"1 meeting awaiting their approval ({held.reference}); 1 meeting audit not done ({audited.reference}); "
        "1 open action they own. The MAPPA co-ordinator is shown this on their home page, and hands it on."
    ) in said
    after = _plain(page(saved).select_one("#left-behind"))
    assert (
        "What Daniel Price left behind" in after and scheduled.reference in after and held.reference in after
    )


def test_a_cleared_chair_deactivated_with_the_button_is_shown_what_they_leave_behind(
    client_as, factory, session
):
    chair = factory.user("CHAIR", name="Priya Shah", terrorism_cleared=True)
    scheduled = factory.meeting(chair=chair)
    admin = client_as(factory.user("SYSTEM_ADMIN"))  # not cleared: may only deactivate the account
    before = _plain(page(admin.get(f"/admin/users/{chair.id}")).select_one("#left-behind"))
    assert "If you deactivate Priya Shah's account" in before and scheduled.reference in before
    done = admin.post(f"/admin/users/{chair.id}/deactivate", data={"confirm": "y"}, follow_redirects=True)
    assert f"Priya Shah leaves behind 1 scheduled meeting they chair ({scheduled.reference})" in text_of(done)
    assert "What Priya Shah left behind" in text_of(done)


def test_the_coordinator_is_shown_a_scheduled_meeting_whose_chair_left_and_the_form_asks_for_another(
    client_as, factory, session, people
):
    chair = people["chair"]
    meeting = factory.meeting(chair=chair)
    _leave(factory, chair)
    coordinator = client_as(people["coordinator"])

    home = page(coordinator.get("/home"))
    flagged = _plain(home.select_one("#meetings-without-a-chair"))
    assert (
        meeting.reference in flagged
        and "Daniel Price's account is deactivated: choose another chair" in flagged
    )
    assert _plain(home.select_one("#leavers")) == "Daniel Price: 1 scheduled meeting to chair"
    listed = page(coordinator.get("/meetings")).find("a", string=meeting.reference).find_parent("tr")
    assert "Chair has left" in _plain(listed)
    assert "Daniel Price's account is deactivated: choose another chair" in text_of(
        coordinator.get(f"/meetings/{meeting.id}")
    )

    # Changing only the venue: the chair is not offered, and the form says why.
    day = date_parts(london(meeting.starts_at).date())
    data = meeting_form(chair, chair_id="", day=day, venue="Room 9", version=str(meeting.version))
    refused = coordinator.post(f"/meetings/{meeting.id}/edit", data=data)
    errors = [a.get_text(strip=True) for a in page(refused).select(".govuk-error-summary a")]
    assert errors == ["Daniel Price's account is deactivated: choose another chair"]
    session.expire_all()
    assert session.get(Meeting, meeting.id).venue == "MAPPA Unit"

    other = factory.user("CHAIR", name="Ann Other", chair_trained=True)
    data.update(chair_id=str(other.id), chair_reason="Covering for Daniel Price, who has left")
    assert coordinator.post(f"/meetings/{meeting.id}/edit", data=data).status_code == 302
    session.expire_all()
    assert session.get(Meeting, meeting.id).chair_id == other.id
    assert page(coordinator.get("/home")).select_one("#leavers-panel") is None


def test_the_coordinator_hands_the_approval_to_another_chair_who_approves_for_the_chair_who_left(
    client_as, factory, session, people
):
    chair, administrator, meeting, minutes = _left_behind(factory, people, MinutesStatus.SUBMITTED)
    other = factory.user("CHAIR", name="Ann Other", email="ann.other@example.org")

    warned = page(client_as(administrator).get(f"/meetings/{meeting.id}/minutes")).select_one(
        "#approver-left"
    )
    assert "Daniel Price, who chaired this meeting, has left" in _plain(warned)
    # Until the approval is handed over, no one may approve: not another chair, nor the co-ordinator.
    other_client = client_as(other)
    assert _approving(other_client, meeting, minutes.version) == 404
    coordinator = client_as(people["coordinator"])
    assert _approving(coordinator, meeting, minutes.version) == 403

    leavers = page(coordinator.get("/home")).select_one("#leavers")
    assert _plain(leavers) == "Daniel Price: minutes of 1 meeting to approve"
    shown = coordinator.get(f"/people/{chair.id}/work-left")
    assert f"{meeting.reference}, held" in _plain(page(shown).select_one("#left-approvals"))
    handed = _hand_over(coordinator, chair, [meeting], other)
    assert handed.status_code == 302
    said = text_of(coordinator.get(handed.headers["Location"]))
    assert f"Ann Other will approve the minutes of {meeting.reference} in place of Daniel Price." in said
    assert _minutes(session, meeting).approver_id == other.id

    (told,) = _outbox(session, "ann.other@example.org")
    assert told.subject == f"Minutes of MAPPA meeting {meeting.reference} handed to you for approval"
    body = _body(told)
    assert f"/meetings/{meeting.id}/minutes" in body
    assert "Daniel Price" not in body and meeting.agenda_items[0].case.reference not in body

    assert "1 awaiting your approval" in text_of(other_client.get("/home"))
    assert meeting.reference in text_of(other_client.get("/minutes?show=awaiting-approval"))
    minutes_page = other_client.get(f"/meetings/{meeting.id}/minutes")
    assert "Ann Other, in place of Daniel Price, who has left" in text_of(minutes_page)
    # Her reading the meeting is justified in the trail by her part in it.
    viewed = session.exec(
        select(AuditEvent).where(AuditEvent.user_id == other.id, AuditEvent.action == "view")
    ).all()[-1]
    assert (viewed.justified_by, viewed.reason) == (
        "role",
        f"approving the minutes in place of the chair of {meeting.reference}",
    )
    assert page(minutes_page).select_one("#approve") is not None
    assert _approving(other_client, meeting, _minutes(session, meeting).version) == 302

    version = session.exec(select(MinutesVersion).where(MinutesVersion.minutes_id == minutes.id)).one()
    assert (version.approved_by_id, version.approval_note) == (other.id, "for Daniel Price, who has left")
    assert session.get(Meeting, meeting.id).chair_id == chair.id  # the meeting's record of its chair stands
    record = text_of(client_as(administrator).get(f"/meetings/{meeting.id}/minutes"))
    assert "By Ann Other for Daniel Price, who has left, on" in record
    assert "Approved by Ann Other for Daniel Price, who has left, on" in text_of(
        client_as(administrator).get(f"/meetings/{meeting.id}/minutes/versions/1")
    )


def test_a_correction_of_a_departed_chairs_approved_minutes_is_handed_over_too(
    client_as, factory, session, people
):
    chair, administrator, meeting, minutes = _left_behind(factory, people, MinutesStatus.APPROVED)
    drafting = client_as(administrator)
    started = drafting.post(
        f"/meetings/{meeting.id}/minutes/correct",
        data={"version": minutes.version, "reason": "The review date was wrong"},
        follow_redirects=True,
    )
    assert "Daniel Price, who would approve these minutes, has left" in text_of(started)
    minutes = _minutes(session, meeting)
    submitted = drafting.post(
        f"/meetings/{meeting.id}/minutes/submit", data={"version": minutes.version}, follow_redirects=True
    )
    assert (
        "No one can approve them until the MAPPA co-ordinator hands the approval to another chair"
        in text_of(submitted)
    )

    coordinator = client_as(people["coordinator"])
    stages = page(coordinator.get(f"/people/{chair.id}/work-left")).select_one("#left-approvals")
    assert "correction awaiting approval" in _plain(stages)
    other = factory.user("CHAIR", name="Ann Other")
    assert _hand_over(coordinator, chair, [meeting], other).status_code == 302
    approver = client_as(other)
    minutes = _minutes(session, meeting)
    assert _approving(approver, meeting, minutes.version) == 302
    session.expire_all()
    first, second = session.exec(
        select(MinutesVersion).where(MinutesVersion.minutes_id == minutes.id).order_by(MinutesVersion.number)
    ).all()
    assert (first.approved_by_id, first.approval_note) == (chair.id, "")  # as Daniel Price approved it
    assert (second.approved_by_id, second.approval_note) == (other.id, "for Daniel Price, who has left")


def test_minutes_not_begun_are_begun_to_hand_over_and_the_new_approver_is_told_when_submitted(
    client_as, factory, session, people
):
    chair, administrator, meeting, _ = _left_behind(factory, people, None)
    other = factory.user("CHAIR", name="Ann Other", email="ann.other@example.org")
    coordinator = client_as(people["coordinator"])
    assert "not begun" in text_of(coordinator.get(f"/people/{chair.id}/work-left"))
    assert _hand_over(coordinator, chair, [meeting], other).status_code == 302
    minutes = _minutes(session, meeting)
    assert (minutes.status, minutes.approver_id, len(minutes.versions)) == (MinutesStatus.DRAFT, other.id, 1)
    # The chair standing in reads and may change the draft, as the meeting's chair may.
    assert client_as(other).get(f"/meetings/{meeting.id}/minutes/edit").status_code == 200

    assert (
        client_as(administrator)
        .post(f"/meetings/{meeting.id}/minutes/submit", data={"version": minutes.version})
        .status_code
        == 302
    )
    subjects = [message.subject for message in _outbox(session, "ann.other@example.org")]
    assert subjects == [
        f"Minutes of MAPPA meeting {meeting.reference} handed to you for approval",
        f"Minutes of MAPPA meeting {meeting.reference} await your approval",
    ]


def test_the_approval_goes_only_to_an_active_chair_the_meeting_would_have_allowed(
    client_as, factory, session, people
):
    chair = people["chair"]
    level_3 = factory.held_meeting(chair=chair, level=Level.LEVEL_3)
    category_4 = factory.held_meeting(chair=chair)
    category_4.agenda_items[0].case.category = Category.CATEGORY_4
    factory.save(category_4.agenda_items[0].case)
    for meeting in (level_3, category_4):
        factory.minutes(meeting, MinutesStatus.SUBMITTED)
    level_2_only = factory.user("CHAIR", name="Ann Other")
    factory.save(ChairProfile(user_id=level_2_only.id, may_chair_level_2=True, may_chair_level_3=False))
    coordinator = client_as(factory.user("COORDINATOR", terrorism_cleared=True))

    still_here = _hand_over(coordinator, chair, [level_3], level_2_only)
    assert "Daniel Price's account is active: they approve the minutes of the meetings they chair" in text_of(
        still_here
    )
    _leave(factory, chair)
    too_junior = _hand_over(coordinator, chair, [level_3], level_2_only)
    assert (
        f"Ann Other's chair record does not allow Level 3 meetings ({level_3.reference}): choose another chair, "
        "or leave those minutes out"
    ) in text_of(too_junior)
    not_cleared = _hand_over(coordinator, chair, [category_4], level_2_only)
    assert (
        f"Ann Other is not cleared for Category 4 cases, and {category_4.reference} discussed one: choose "
        "another chair, or leave those minutes out"
    ) in text_of(not_cleared)
    # A co-ordinator not cleared is not told that the meeting discussed a Category 4 case.
    uncleared = _hand_over(client_as(people["coordinator"]), chair, [category_4], level_2_only)
    assert f"Ann Other cannot approve the minutes of {category_4.reference}: choose another chair" in text_of(
        uncleared
    )
    assert "Category 4" not in " ".join(a.get_text() for a in page(uncleared).select(".govuk-error-message"))
    nobody = _hand_over(coordinator, chair, [level_3], None)
    assert "Select the chair who will approve the minutes" in text_of(nobody)
    left_too = factory.user("CHAIR", name="Gone Too", active=False)
    assert "Select one of the options given" in text_of(_hand_over(coordinator, chair, [level_3], left_too))
    session.expire_all()
    assert [m.approver_id for m in session.exec(select(Minutes))] == [None, None]
