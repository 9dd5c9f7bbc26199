"""Enrolling people one by one and from a CSV file, the waiting list, and withdrawing."""

import io
from datetime import timedelta

import pytest
from sqlmodel import select

from tests.pages import banners, error_summary, page_text, soup, table_rows
from tests.training.helpers import upload_people
from tracker.auth.models import AgencySector
from tracker.core.db import db
from tracker.core.models import AuditEvent
from tracker.core.timeutil import today_london
from tracker.core.types import utcnow
from tracker.training import services
from tracker.training.models import Enrolment, EnrolmentImport, EnrolmentStatus, Trainee, TraineeRole


def _enrol(client, event, **data):
    return client.post(f"/training/events/{event.id}/enrol", data=data, follow_redirects=True)


def test_a_new_person_is_enrolled_with_a_training_record_of_their_own(client_as, factory, session):
    event = factory.event()
    agency = factory.agency("Children's Social Care")
    response = _enrol(
        client_as("TRSG"), event, name="Rosa Delgado", email="Rosa@Example.org", agency_id=str(agency.id)
    )
    assert "Rosa Delgado added to the event." in banners(response)
    trainee = session.exec(select(Trainee).where(Trainee.email == "rosa@example.org")).one()
    assert trainee.user_id is None and trainee.agency_id == agency.id
    enrolment = session.exec(select(Enrolment).where(Enrolment.trainee_id == trainee.id)).one()
    assert enrolment.status is EnrolmentStatus.ENROLLED
    assert enrolment.role is TraineeRole.CHAIR  # the chair course's audience


def test_someone_with_an_account_is_matched_to_it_by_email_and_attends_in_their_role(
    client_as, factory, session
):
    admin = factory.user("ADMINISTRATOR", name="Aisha Karim", email="aisha@example.org")
    event = factory.event()
    _enrol(
        client_as("TRSG"), event, name="A. Karim", email="AISHA@example.org", agency_id=str(admin.agency_id)
    )
    trainee = session.exec(select(Trainee).where(Trainee.user_id == admin.id)).one()
    assert trainee.name == "Aisha Karim"
    enrolment = session.exec(select(Enrolment).where(Enrolment.trainee_id == trainee.id)).one()
    assert enrolment.role is TraineeRole.ADMINISTRATOR


def test_an_account_made_later_takes_over_the_training_record(factory, session):
    trainee = factory.trainee(email="later@example.org")
    user = factory.user("CHAIR", email="later@example.org")
    session.expire_all()
    assert session.get(Trainee, trainee.id).user_id == user.id


def test_enrolling_the_same_person_twice_is_refused_with_a_message(client_as, factory, session):
    event = factory.event()
    trainee = factory.trainee(name="Sam Twice")
    factory.enrolment(event, trainee)
    response = _enrol(
        client_as("TRSG"), event, name="Sam Twice", email=trainee.email, agency_id=str(trainee.agency_id)
    )
    assert error_summary(response) == ["Sam Twice is already enrolled on this event"]
    assert len(session.exec(select(Enrolment)).all()) == 1


def test_a_lay_adviser_attends_as_agency_staff_and_never_as_a_chair(client_as, factory, session):
    """Lay advisers are members of the public on the Board: on a chair course they attend as agency
    staff, never counted as chairs, whether enrolled one by one or from a file."""
    lay = factory.user("LAY_ADVISER", name="Peter Walsh", email="peter.walsh@example.org")
    event = factory.event()
    client = client_as("TRSG")
    details = {"name": "Peter Walsh", "email": lay.email, "agency_id": str(lay.agency_id)}
    response = _enrol(client, event, **details, role="CHAIR")
    assert error_summary(response) == [
        "Peter Walsh is a lay adviser: lay advisers do not chair MAPPA meetings, so they cannot attend as a "
        "chair. Choose agency staff"
    ]
    assert session.exec(select(Enrolment)).all() == []
    factory.agency("Metropolitan Police Service")
    rows = ["Peter Walsh,PETER.WALSH@example.org,Metropolitan Police Service,chair"]
    assert error_summary(upload_people(client, event, rows)) == [
        "Line 2: Peter Walsh is a lay adviser: lay advisers do not chair MAPPA meetings, so they cannot "
        "attend as a chair. Choose agency staff"
    ]

    assert "Peter Walsh added to the event." in banners(_enrol(client, event, **details))
    enrolment = session.exec(select(Enrolment)).one()
    assert enrolment.role is TraineeRole.STAFF


def test_no_one_in_an_agency_that_holds_no_case_records_attends_as_a_chair_or_administrator(
    client_as, factory, session
):
    """Chairs and administrators read case records, and an agency that holds none (the Board's lay
    advisers) has no one who may: nobody there is enrolled as either, one by one or from a file, and
    so never counted as a trained chair. They attend as agency staff."""
    lay = factory.agency("Lay Advisers", AgencySector.LAY_ADVISERS)
    event = factory.event()
    client = client_as("TRSG")
    details = {"name": "Lay Chair", "email": "lay.chair@example.org", "agency_id": str(lay.id)}
    for role, capacity in (("CHAIR", "a chair"), ("ADMINISTRATOR", "a MAPPA administrator")):
        response = _enrol(client, event, **details, role=role)
        assert error_summary(response) == [
            f"Lay Chair is in Lay Advisers, which holds no case records: {capacity} reads them, so Lay "
            f"Chair cannot attend as {capacity}. Choose agency staff"
        ]
        assert soup(response).select_one("#role-error") is not None
    assert session.exec(select(Enrolment)).all() == []
    assert session.exec(select(Trainee)).all() == []

    rows = ["Lay Chair,lay.chair@example.org,Lay Advisers,chair", "Lay Admin,lay.admin@example.org,lay advisers,administrator"]
    response = upload_people(client, event, rows)
    assert error_summary(response) == [
        "Line 2: Lay Chair is in Lay Advisers, which holds no case records: a chair reads them, so Lay Chair "
        "cannot attend as a chair. Choose agency staff",
        "Line 3: Lay Admin is in Lay Advisers, which holds no case records: a MAPPA administrator reads "
        "them, so Lay Admin cannot attend as a MAPPA administrator. Choose agency staff",
    ]
    assert "Ready" not in page_text(response)
    assert session.exec(select(Enrolment)).all() == []

    # Left to the course's audience (chairs, on a chair course), they attend as agency staff.
    assert "Lay Chair added to the event." in banners(_enrol(client, event, **details))
    assert session.exec(select(Enrolment)).one().role is TraineeRole.STAFF


def test_bad_details_are_refused_and_nothing_is_saved(client_as, factory, session):
    event = factory.event()
    client = client_as("TRSG")
    response = _enrol(client, event, name="", email="not an email", agency_id="")
    assert error_summary(response) == ["Enter an email address in the correct format, like name@example.com"]
    # Someone new, not on record under this address: their name and agency are needed.
    response = _enrol(client, event, name=" ", email="new.person@example.org", agency_id="")
    assert error_summary(response) == ["Enter the person's full name", "Select the person's agency"]
    assert session.exec(select(Trainee)).all() == []


def test_someone_on_record_is_enrolled_by_email_alone(client_as, factory, session):
    """An account holder, or someone on a training record, is enrolled by their email address: the name
    and agency are the record's, so the TRSG need not type them (and cannot get them wrong)."""
    admin = factory.user("ADMINISTRATOR", name="Aisha Karim", email="aisha@example.org")
    known = factory.trainee(name="Bola Adeyemi", email="bola@example.org")
    event = factory.event()
    client = client_as("TRSG")
    for email, name in (("AISHA@example.org", "Aisha Karim"), ("bola@example.org", "Bola Adeyemi")):
        response = _enrol(client, event, name="", email=email, agency_id="")
        assert f"{name} added to the event." in banners(response)
    trainee = session.exec(select(Trainee).where(Trainee.user_id == admin.id)).one()
    assert (trainee.name, trainee.agency_id) == ("Aisha Karim", admin.agency_id)
    enrolled = {e.trainee_id for e in session.exec(select(Enrolment).where(Enrolment.event_id == event.id))}
    assert enrolled == {trainee.id, known.id}
    assert len(session.exec(select(Trainee)).all()) == 2


def test_an_account_holder_whose_name_is_already_on_record_under_another_address_is_a_namesake(
    client_as, factory, session
):
    """The namesake check uses the account's name and agency, not the blanks typed."""
    probation = factory.agency("Probation")
    factory.trainee(name="Chris Obi", email="c.obi@old.example", agency_id=probation.id)
    factory.user("CHAIR", name="Chris Obi", email="chris.obi@probation.example", agency=probation)
    response = _enrol(client_as("TRSG"), factory.event(), name="", email="chris.obi@probation.example")
    assert "Chris Obi (Probation) is already on record with the email address c.obi@old.example" in (
        page_text(response)
    )
    assert session.exec(select(Enrolment)).all() == []


def test_a_full_event_keeps_a_waiting_list_that_moves_up_when_someone_withdraws(client_as, factory, session):
    event = factory.event(capacity=1, days=[today_london() + timedelta(days=10)])
    client = client_as("TRSG")
    agency = str(factory.agency("Test Police").id)
    _enrol(client, event, name="First Person", email="first@example.org", agency_id=agency)
    response = _enrol(client, event, name="Second Person", email="second@example.org", agency_id=agency)
    assert "Second Person added to the waiting list." in banners(response)
    _enrol(client, event, name="Third Person", email="third@example.org", agency_id=agency)
    statuses = {row[0].split(" Test")[0]: row[2] for row in table_rows(response, "People on this event")}
    assert statuses["Second Person"] == "Waiting list (number 1)"

    first = session.exec(select(Enrolment).join(Trainee).where(Trainee.name == "First Person")).one()
    # The event's page links to a page that asks first, and says the place goes to the waiting list.
    asked = client.get(f"/training/enrolments/{first.id}/withdraw")
    text = page_text(asked)
    assert "Withdraw First Person" in text
    assert "The place goes to the first person on the waiting list" in text
    session.expire_all()
    assert session.get(Enrolment, first.id).status is EnrolmentStatus.ENROLLED
    response = client.post(f"/training/enrolments/{first.id}/withdraw", follow_redirects=True)
    assert "First Person withdrawn. Moved up from the waiting list: Second Person." in banners(response)
    rows = {row[0].split(" Test")[0]: row[2] for row in table_rows(response, "People on this event")}
    assert rows == {"Second Person": "Enrolled", "Third Person": "Waiting list (number 1)"}


def test_nobody_moves_up_from_the_waiting_list_once_the_event_has_begun(client_as, factory, session):
    # The cohort ran last week and its outcomes are not yet set: a place on it is no use to anyone now.
    event = factory.event(capacity=1)
    david = factory.enrolment(event, factory.trainee(name="David Young"))
    priya = factory.enrolment(
        event, factory.trainee(name="Priya Shah"), status=EnrolmentStatus.WAITING, waiting_position=1
    )
    client = client_as("TRSG")
    text = page_text(client.get(f"/training/enrolments/{david.id}/withdraw"))
    assert "The event has begun, so the place does not go to anyone on the waiting list" in text
    assert "who is sent the sessions" not in text
    response = client.post(f"/training/enrolments/{david.id}/withdraw", follow_redirects=True)
    assert banners(response) == [
        "David Young withdrawn. The event has begun, so nobody moves up from the waiting list."
    ]
    session.expire_all()
    assert session.get(Enrolment, priya.id).status is EnrolmentStatus.WAITING
    assert session.get(Enrolment, priya.id).waiting_position == 1
    assert session.get(Enrolment, david.id).status is EnrolmentStatus.WITHDRAWN


def test_an_event_under_way_moves_nobody_up_even_with_a_session_still_to_come(client_as, factory, session):
    today = today_london()
    event = factory.event(capacity=1, days=[today - timedelta(days=1), today + timedelta(days=1)])
    leaving = factory.enrolment(event)
    waiting = factory.enrolment(event, status=EnrolmentStatus.WAITING, waiting_position=1)
    client_as("TRSG").post(f"/training/enrolments/{leaving.id}/withdraw")
    session.expire_all()
    assert session.get(Enrolment, waiting.id).status is EnrolmentStatus.WAITING


def test_someone_who_completed_cannot_be_withdrawn(client_as, factory, session):
    event = factory.event()
    done = factory.completed(event, factory.trainee(name="Done Already"))
    response = client_as("TRSG").post(f"/training/enrolments/{done.id}/withdraw", follow_redirects=True)
    assert "Done Already cannot be withdrawn: their status is Completed." in banners(response)
    session.expire_all()
    assert session.get(Enrolment, done.id).status is EnrolmentStatus.COMPLETED


# Uploads -------------------------------------------------------------------------------------------


def _people(count: int, agency: str = "Metropolitan Police Service") -> list[str]:
    return [f"Person {n},person{n}@example.org,{agency}" for n in range(1, count + 1)]


def test_a_file_with_one_bad_row_shows_the_error_and_saves_nothing_until_fixed(client_as, factory, session):
    factory.agency("Metropolitan Police Service")
    event = factory.event(capacity=30)
    client = client_as("TRSG")
    rows = _people(20)
    rows[6] = "Person 7,person7@example,Ministry of Magic"
    response = upload_people(client, event, rows)
    assert soup(response).title.get_text().startswith("Error: ")
    assert error_summary(response) == [
        "Line 8: Enter an email address in the correct format, like name@example.com",
        "Line 8: 'Ministry of Magic' is not an agency in the tracker",
    ]
    assert "20 people in people.csv, 1 with errors." in page_text(response)
    assert len(table_rows(response, "People in the file")) == 20
    assert soup(response).find("button", string=lambda s: s and s.startswith("Enrol")) is None
    staged = session.exec(select(EnrolmentImport)).one()
    assert client.post(f"/training/uploads/{staged.id}/confirm").status_code == 302
    assert session.exec(select(Enrolment)).all() == [] and session.exec(select(Trainee)).all() == []

    response = upload_people(client, event, _people(20))
    assert error_summary(response) == []
    assert "20 will have a place." in page_text(response)
    staged = session.exec(select(EnrolmentImport)).one()  # the earlier upload was replaced
    response = client.post(f"/training/uploads/{staged.id}/confirm", follow_redirects=True)
    assert "20 people enrolled from people.csv." in banners(response)
    assert len(session.exec(select(Enrolment)).all()) == 20
    assert session.exec(select(EnrolmentImport)).all() == []


def test_an_upload_beyond_the_places_puts_the_rest_on_the_waiting_list(client_as, factory, session):
    factory.agency("Metropolitan Police Service")
    event = factory.event(capacity=18)
    client = client_as("TRSG")
    response = upload_people(client, event, _people(20))
    assert "18 will have a place and 2 will join the waiting list." in page_text(response)
    staged = session.exec(select(EnrolmentImport)).one()
    response = client.post(f"/training/uploads/{staged.id}/confirm", follow_redirects=True)
    assert "20 people enrolled from people.csv. 2 of them are on the waiting list." in banners(response)


def test_one_person_put_on_the_waiting_list_by_an_upload_is_spoken_of_in_the_singular(
    client_as, factory, session
):
    factory.agency("Metropolitan Police Service")
    event = factory.event(capacity=2, days=[today_london() + timedelta(days=10)])
    client = client_as("TRSG")
    upload_people(client, event, _people(3))
    staged = session.exec(select(EnrolmentImport)).one()
    response = client.post(f"/training/uploads/{staged.id}/confirm", follow_redirects=True)
    assert "3 people enrolled from people.csv. 1 of them is on the waiting list." in banners(response)


def test_confirming_an_upload_again_says_its_people_were_enrolled_already_and_changes_nothing(
    client_as, factory, session
):
    factory.agency("Metropolitan Police Service")
    event = factory.event(capacity=30)
    client = client_as("TRSG")
    upload_people(client, event, _people(3))
    staged = session.exec(select(EnrolmentImport)).one()
    client.post(f"/training/uploads/{staged.id}/confirm", follow_redirects=True)
    trail = len(session.exec(select(AuditEvent)).all())
    again = client.post(f"/training/uploads/{staged.id}/confirm", follow_redirects=True)
    back = client.get(f"/training/uploads/{staged.id}", follow_redirects=True)  # the preview, from history
    for response in (again, back):
        assert response.request.path == f"/training/events/{event.id}"
        [said] = banners(response)
        assert said.startswith("The people in this file were enrolled from it already on ")
        assert said.endswith(": nothing has been changed.")
    assert len(session.exec(select(Enrolment)).all()) == 3 and session.exec(select(EnrolmentImport)).all() == []
    assert len(session.exec(select(AuditEvent)).all()) == trail
    # Someone else still finds no such upload.
    assert client_as("TRSG").post(f"/training/uploads/{staged.id}/confirm").status_code == 404


def test_a_confirmation_sent_at_the_same_moment_as_another_enrols_nobody_again(app, client_as, factory, session):
    factory.agency("Metropolitan Police Service")
    event = factory.event(capacity=30)
    upload_people(client_as("TRSG"), event, _people(3))
    upload_id = session.exec(select(EnrolmentImport)).one().id
    user = factory.user("TRSG")
    with app.test_request_context():
        staged = db.session.get(EnrolmentImport, upload_id)
        assert len(services.confirm_upload(staged, user)) == 3  # the other confirmation, first to the lock
        with pytest.raises(services.UploadAlreadyUsed):
            services.confirm_upload(staged, user)
        db.session.rollback()


def test_an_upload_reports_people_already_enrolled_and_repeated_lines(client_as, factory, session):
    factory.agency("Metropolitan Police Service")
    event = factory.event()
    factory.enrolment(event, factory.trainee(email="person1@example.org"))
    rows = _people(2) + ["Person 2 again,PERSON2@example.org,metropolitan police service"]
    response = upload_people(client_as("TRSG"), event, rows)
    assert error_summary(response) == [
        "Line 2: This person is already enrolled on this event",
        "Line 4: The same email address is on line 3",
    ]


def test_the_preview_counts_every_line_with_an_error_and_lists_them_in_line_order(client_as, factory):
    factory.agency("Metropolitan Police Service")
    earlier = factory.event(factory.course(title="Chair course 2023"))
    done = factory.trainee(name="Person 8", email="person8@example.org")
    factory.enrolment(earlier, done, EnrolmentStatus.COMPLETED)
    event = factory.event(days=[today_london() + timedelta(days=10)])
    rows = _people(11)
    rows[9] = "Person 10,person10@example.org,Ministry of Magic"  # line 11
    response = upload_people(client_as("TRSG"), event, rows)  # Person 8, on line 9, completed a chair course
    summary = error_summary(response)
    assert [error.split(":")[0] for error in summary] == ["Line 9", "Line 11"]
    assert "Line 9: Person 8 has already completed a chair course (Chair course 2023)" in summary[0]
    assert "11 people in people.csv, 2 with errors." in page_text(response)


def test_a_file_that_is_not_a_csv_or_is_empty_is_refused(client_as, factory, session):
    event = factory.event()
    client = client_as("TRSG")
    response = client.post(
        f"/training/events/{event.id}/upload",
        data={"file": (io.BytesIO(b"\x89PNG"), "photo.png")},
        content_type="multipart/form-data",
    )
    assert error_summary(response) == ["The selected file must be a CSV"]
    response = client.post(
        f"/training/events/{event.id}/upload",
        data={"file": (io.BytesIO(b"name,email,agency\n"), "empty.csv")},
        content_type="multipart/form-data",
    )
    assert error_summary(response) == ["The selected file is empty"]
    response = client.post(f"/training/events/{event.id}/upload", data={})
    assert error_summary(response) == ["Select a CSV file"]
    assert session.exec(select(EnrolmentImport)).all() == []


def test_an_upload_belongs_to_the_person_who_made_it(client_as, factory, session):
    event = factory.event()
    someone = factory.user("TRSG")
    staged = factory.upload(event, someone, [])
    other = client_as("TRSG")
    assert other.get(f"/training/uploads/{staged.id}").status_code == 404
    assert other.post(f"/training/uploads/{staged.id}/confirm").status_code == 404


def test_uploads_left_unconfirmed_for_a_day_are_cleared_away(client_as, factory, session):
    from datetime import timedelta

    from tracker.core.types import utcnow

    factory.agency("Metropolitan Police Service")
    event = factory.event()
    someone = factory.user("TRSG")
    old = factory.upload(event, someone, [])
    old.created_at = utcnow() - timedelta(days=2)
    factory.save(old)
    upload_people(client_as("TRSG"), event, _people(1))
    session.expire_all()
    remaining = session.exec(select(EnrolmentImport)).all()
    assert [(u.created_by_id == someone.id, len(u.rows)) for u in remaining] == [(False, 1)]


def test_the_upload_lists_the_agency_names_a_file_must_use(client_as, factory):
    factory.agency("Metropolitan Police Service")
    event = factory.event()
    page = soup(client_as("TRSG").get(f"/training/events/{event.id}/upload"))
    details = page.select_one(".govuk-details")
    assert details.select_one(".govuk-details__summary").get_text(strip=True) == "Agency names in the tracker"
    assert "Metropolitan Police Service" in [li.get_text(strip=True) for li in details.select("li")]


def test_the_preview_shows_the_role_each_person_attends_in(client_as, factory):
    factory.agency("Metropolitan Police Service")
    event = factory.event()
    client = client_as("TRSG")
    rows = [
        "Ann Chair,ann@example.org,Metropolitan Police Service,chair",
        "Bo Else,bo@example.org,Metropolitan Police Service",
    ]
    response = upload_people(client, event, rows)
    assert [row[4] for row in table_rows(response, "People in the file")] == ["Chair", "Not given"]
    # A file with errors lists the names to use beside the upload of the corrected one.
    response = upload_people(client, event, ["Cy Wrong,cy@example.org,Met Police"])
    assert "Metropolitan Police Service" in [
        li.get_text(strip=True) for li in soup(response).select(".govuk-details li")
    ]


def test_a_namesake_on_record_is_a_warning_to_confirm_not_a_second_person_made_quietly(
    client_as, factory, session
):
    """The same name (any case or spacing) and agency as someone on record under another email: the
    TRSG is asked whether it is them, and either enrols the person on record or adds a new one."""
    probation = factory.agency("Probation")
    alice = factory.trainee(name="Alice Carter", email="a.carter@probation.example", agency_id=probation.id)
    event, other = factory.event(), factory.event()
    client = client_as("TRSG")
    typed = {
        "name": "alice  CARTER",
        "email": "alice.carter@probation.example",
        "agency_id": str(probation.id),
    }

    response = _enrol(client, event, **typed)
    assert (
        "Alice Carter (Probation) is already on record with the email address a.carter@probation.example"
        in (page_text(response))
    )
    assert session.exec(select(Enrolment)).all() == []
    assert len(session.exec(select(Trainee)).all()) == 1
    warned = soup(response).select_one("input[name=warned]")["value"]

    response = _enrol(client, event, **typed, warned=warned, same_person="EXISTING")
    assert "Alice Carter added to the event." in banners(response)
    assert [e.trainee_id for e in session.exec(select(Enrolment))] == [alice.id]
    assert len(session.exec(select(Trainee)).all()) == 1

    response = _enrol(client, other, **typed, warned=warned, same_person="NEW")
    assert [b for b in banners(response) if b.endswith("added to the event.")]
    assert len(session.exec(select(Trainee)).all()) == 2


def test_nobody_is_enrolled_on_an_event_whose_outcomes_are_set(client_as, factory, session):
    """Its sessions are over and its waiting list closed: the enrol form and the upload refuse beside
    the field, an upload checked before the outcomes were set enrols nobody, and the event's page
    offers neither."""
    factory.agency("Metropolitan Police Service")
    event = factory.event(title="Cohort 7")
    client = client_as("TRSG")
    staged_early = upload_people(client, event, _people(2))
    assert error_summary(staged_early) == []
    staged = session.exec(select(EnrolmentImport)).one()
    event.closed_at = utcnow()
    session.commit()
    refusal = "The outcomes of Cohort 7 are set, so nobody can be enrolled on it: enrol them on another event"
    trainee = factory.trainee(name="Late Comer")

    response = _enrol(client, event, name=trainee.name, email=trainee.email, agency_id=str(trainee.agency_id))
    assert error_summary(response) == [refusal]
    assert error_summary(upload_people(client, event, _people(2))) == [refusal]
    confirmed = client.post(f"/training/uploads/{staged.id}/confirm", follow_redirects=True)
    assert f"{refusal}. Nobody has been enrolled." in page_text(confirmed)
    assert session.exec(select(Enrolment)).all() == []

    page = client.get(f"/training/events/{event.id}")
    assert "Enrol a person" not in page_text(page) and "Enrol people from a CSV file" not in page_text(page)
    sent_back = client.get(f"/training/events/{event.id}/enrol", follow_redirects=True)
    assert f"{refusal}." in page_text(sent_back)
