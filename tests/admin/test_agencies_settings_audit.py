"""Agencies, area settings and searching the audit trail."""

from sqlmodel import select

from tests.pages import soup
from tracker.auth.models import Agency, AgencySector
from tracker.core import settings as area_settings
from tracker.core.models import AuditEvent, Setting


def errors(response) -> list[str]:
    summary = soup(response).select_one(".govuk-error-summary")
    return [a.get_text(strip=True) for a in summary.select("a")] if summary else []


def test_an_admin_adds_a_duty_to_cooperate_agency(client_as, factory, session):
    client = client_as(factory.user("SYSTEM_ADMIN"))
    response = client.post(
        "/admin/agencies/new", data={"name": "Borough Education Service", "sector": "EDUCATION"}
    )
    assert response.headers["Location"] == "/admin/agencies"
    agency = session.exec(select(Agency).where(Agency.name == "Borough Education Service")).one()
    assert agency.sector is AgencySector.EDUCATION and not agency.is_responsible_authority
    listing = soup(client.get("/admin/agencies")).get_text(" ", strip=True)
    assert "Borough Education Service Education No, duty to co-operate Active" in listing


def test_an_agency_needs_a_unique_name_and_a_sector(client_as, factory, session):
    factory.agency("Borough Police", AgencySector.POLICE)
    client = client_as(factory.user("SYSTEM_ADMIN"))
    response = client.post("/admin/agencies/new", data={"name": "Borough Police", "sector": ""})
    assert errors(response) == ["There is already an agency with this name", "Select the agency's sector"]
    other_case = client.post("/admin/agencies/new", data={"name": " borough POLICE ", "sector": "POLICE"})
    assert errors(other_case) == ["There is already an agency with this name"]
    spaced = client.post("/admin/agencies/new", data={"name": "Borough  Police", "sector": "POLICE"})
    assert errors(spaced) == ["There is already an agency with this name"]  # looks the same on every page


def test_an_agency_with_work_left_is_not_made_inactive_and_the_field_says_what_to_move(
    client_as, factory, session
):
    """An inactive agency drops out of the invitation, lead-agency and distribution lists, so one that
    still leads a case still managed, owns an open action or has an active account stays active; the
    message sits beside the "active" box. Exited cases, closed actions and inactive accounts do not count."""
    from tracker.meetings.models import ActionStatus, CaseStatus

    probation = factory.agency("Probation Service (London)", AgencySector.PROBATION)
    case = factory.case(lead_agency_id=probation.id)
    factory.case(lead_agency_id=probation.id, status=CaseStatus.EXITED)
    action = factory.action(factory.agenda_item(factory.meeting(), case), owner_agency_id=probation.id)
    person = factory.user("PRACTITIONER", agency=probation)
    client = client_as(factory.user("SYSTEM_ADMIN"))
    form = {"name": probation.name, "sector": "PROBATION", "secure_mailbox": ""}
    refused = client.post(f"/admin/agencies/{probation.id}/edit", data=form)
    message = (
        "Probation Service (London) cannot be made inactive: it still leads 1 case still managed, owns 1 "
        "open action and has 1 active account. Move those to another agency first (or deactivate the accounts)"
    )
    assert errors(refused) == [message]
    assert soup(refused).select_one("#active-error").get_text(" ", strip=True) == f"Error: {message}"
    session.expire_all()
    assert session.get(Agency, probation.id).active
    case.status, action.status, person.active = CaseStatus.EXITED, ActionStatus.DONE, False
    factory.save(case, action, person)
    assert client.post(f"/admin/agencies/{probation.id}/edit", data=form).status_code == 302
    session.expire_all()
    assert not session.get(Agency, probation.id).active


def test_police_probation_and_prisons_are_the_responsible_authority():
    assert {s for s in AgencySector if s.is_responsible_authority} == {
        AgencySector.POLICE,
        AgencySector.PROBATION,
        AgencySector.PRISONS,
    }


def test_settings_show_their_defaults_and_keep_only_changes(client_as, factory, session, app_context):
    client = client_as(factory.user("SYSTEM_ADMIN"))
    page = soup(client.get("/admin/settings"))
    assert page.select_one("#area_name")["value"] == "London"
    values = dict(area_settings.all_values())
    values["area_name"] = "Thameside"
    response = client.post("/admin/settings", data={k: v for k, v in values.items() if v is not False})
    assert response.headers["Location"] == "/admin/settings"
    stored = {row.key: row.value for row in session.exec(select(Setting))}
    assert stored == {"area_name": '"Thameside"'}
    assert "MAPPA Thameside" in soup(client.get("/home")).get_text()


def test_the_trail_names_each_setting_changed_and_its_value(client_as, factory, session, app_context):
    """A retention period or a reason list changed must be traceable: each entry names the setting (its key
    as the object's id) and the value it was given, or had when it went back to its default."""
    client = client_as(factory.user("SYSTEM_ADMIN"))
    values = {k: v for k, v in dict(area_settings.all_values()).items() if v is not False}
    client.post("/admin/settings", data={**values, "area_name": "Thameside"})
    client.post("/admin/settings", data={**values, "area_name": "Riverside"})
    client.post("/admin/settings", data={**values, "area_name": "Riverside"})  # saved again unchanged
    client.post("/admin/settings", data=values)
    entries = session.exec(
        select(AuditEvent).where(AuditEvent.object_type == "Setting").order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.object_id, e.summary) for e in entries] == [
        ("create", "area_name", 'area_name = "Thameside"'),
        ("update", "area_name", 'area_name = "Riverside"; changed: updated_at, value'),
        ("delete", "area_name", 'area_name back to its default (was "Riverside")'),
    ]


def test_a_setting_left_empty_is_refused_and_nothing_changes(client_as, factory, session, app_context):
    client = client_as(factory.user("SYSTEM_ADMIN"))
    values = dict(area_settings.all_values())
    values["area_name"] = ""
    response = client.post("/admin/settings", data={k: v for k, v in values.items() if v is not False})
    assert errors(response) == ["Enter the area name"]
    assert session.exec(select(Setting)).all() == []


def test_a_number_setting_takes_zero_where_allowed_and_says_what_is_wrong_otherwise(
    client_as, factory, session, app_context
):
    client = client_as(factory.user("SYSTEM_ADMIN"))
    values = {k: v for k, v in dict(area_settings.all_values()).items() if v is not False}
    refused = client.post(
        "/admin/settings",
        data={
            **values,
            "review_interval_weeks_level_2": "0",
            "initial_meeting_working_days_level_3": "abc",
            "review_interval_weeks_level_3": "",
        },
    )
    assert errors(refused) == [
        "Initial meeting after referral, Level 3 (working days) must be a whole number",
        "Longest interval between reviews, Level 2 (weeks) must be between 1 and 52",
        "Enter the longest interval between reviews, Level 3 (weeks)",
    ]
    assert session.exec(select(Setting)).all() == []
    no_reminder = client.post("/admin/settings", data={**values, "calendar_reminder_minutes": "0"})
    assert no_reminder.status_code == 302
    assert {row.key: row.value for row in session.exec(select(Setting))} == {"calendar_reminder_minutes": "0"}


def test_changes_are_recorded_in_the_audit_trail_with_who_and_what(client_as, factory, session):
    admin = factory.user("SYSTEM_ADMIN", email="auditor.admin@example.org")
    client = client_as(admin)
    client.post("/admin/agencies/new", data={"name": "Borough Education Service", "sector": "EDUCATION"})
    agency = session.exec(select(Agency).where(Agency.name == "Borough Education Service")).one()
    event = session.exec(
        select(AuditEvent).where(AuditEvent.object_type == "Agency", AuditEvent.object_id == str(agency.id))
    ).one()
    assert (event.action, event.actor, event.user_id) == ("create", admin.email, admin.id)
    assert event.summary == "Borough Education Service"
    client.post(
        f"/admin/agencies/{agency.id}/edit",
        data={"name": "Borough Schools", "sector": "EDUCATION", "active": "y"},
    )
    update = session.exec(
        select(AuditEvent).where(AuditEvent.object_id == str(agency.id), AuditEvent.action == "update")
    ).one()
    assert update.summary == "Borough Schools; changed: name"


def test_the_audit_trail_is_searched_by_person_object_and_date(client_as, factory, session):
    coordinator = factory.user("COORDINATOR")
    someone = factory.user("CHAIR", name="Yusuf Demir", email="yusuf.demir@example.org")
    client_as(someone).get("/home")
    from tracker.core.models import AuditEvent as Event

    session.add(
        Event(actor=someone.email, user_id=someone.id, action="view", object_type="Meeting", object_id="7")
    )
    session.add(Event(actor="other@example.org", action="view", object_type="Meeting", object_id="8"))
    session.commit()
    client = client_as(coordinator)
    by_person = soup(client.get("/admin/audit?person=yusuf"))
    rows = [tr.get_text(" ", strip=True) for tr in by_person.select("tbody tr")]
    assert len(rows) == 1 and "yusuf.demir@example.org view Meeting 7" in rows[0]
    by_object = soup(client.get("/admin/audit?object_type=Meeting&object_id=8"))
    assert [tr.select("td")[1].get_text() for tr in by_object.select("tbody tr")] == ["other@example.org"]


def test_an_impossible_date_range_says_so(client_as, factory):
    client = client_as(factory.user("COORDINATOR"))
    response = client.get(
        "/admin/audit?date_from=5&date_from=3&date_from=2026&date_to=1&date_to=3&date_to=2026"
    )
    assert "The 'to' date must be the same as or after the 'from' date" in soup(response).get_text()
    assert "Nothing matches this search." in soup(response).get_text()


def test_a_from_date_with_no_day_gets_a_message_and_is_not_ignored(client_as, factory):
    """The day is the date's first box: a "from" date without it once listed everything, as if no date
    were given, while other bad dates got a message."""
    client = client_as(factory.user("COORDINATOR"))
    response = client.get("/admin/audit?date_from=&date_from=12&date_from=2026")
    assert errors(response) == ["From must include a day"]
    assert "Nothing matches this search." in soup(response).get_text()
    assert errors(client.get("/admin/audit?date_to=&date_to=&date_to=2026")) == [
        "To must include a day and month"
    ]


def test_a_search_with_a_date_half_given_offers_no_csv_and_exports_none(client_as, factory, session):
    """The CSV is for data protection requests: a search the page could not read must not hand over an
    empty file as if nothing matched (nor one from part of the date)."""
    from tests.justify import disclosed
    from tracker.core.models import AuditEvent

    client = client_as(factory.user("COORDINATOR"))
    half = "date_from=1&date_from=&date_from=2026"
    page = soup(client.get(f"/admin/audit?{half}"))
    assert page.select_one("#audit-csv") is None
    exported = client.get(disclosed(f"/admin/audit.csv?{half}"))
    assert exported.status_code == 302 and "/admin/audit?" in exported.location
    assert errors(client.get(exported.location)) == ["From must include a month"]
    assert not session.exec(select(AuditEvent).where(AuditEvent.action == "export")).all()
    whole = soup(client.get("/admin/audit?date_from=1&date_from=12&date_from=2026"))
    link = whole.select_one("#audit-csv")["href"]
    assert "date_from=1&date_from=12&date_from=2026" in link


def audit_rows(client, query: str) -> str:
    page = soup(client.get(f"/admin/audit?{query}"))
    return " | ".join(tr.get_text(" ", strip=True) for tr in page.select("tbody tr"))


def test_the_audit_trail_shows_case_entries_only_to_those_who_may_see_the_case(client_as, factory):
    from tracker.meetings.models import Category

    terrorism = factory.case(category=Category.CATEGORY_4, reference="LDN-2026-0908")
    other = factory.case(reference="LDN-2026-0911")
    cleared_chair = factory.user("CHAIR", terrorism_cleared=True)
    restricted_meeting = factory.meeting(cleared_chair, reference="M-2026-0908")
    factory.agenda_item(restricted_meeting, terrorism)
    factory.agenda_item(restricted_meeting, other)
    factory.agenda_item(factory.meeting(reference="M-2026-0909"), other)
    assert client_as(cleared_chair).get(f"/cases/{terrorism.id}").status_code == 200  # a view, recorded
    queries = ["object_type=Case", "object_type=Meeting", "object_type=AgendaItem", "action=view", ""]

    admin = client_as(factory.user("SYSTEM_ADMIN"))  # reads the trail, no case data
    seen = " ".join(audit_rows(admin, query) for query in queries)
    for reference in ("LDN-2026-0908", "LDN-2026-0911", "M-2026-0908", "M-2026-0909"):
        assert reference not in seen
    assert "Test Person" in audit_rows(admin, "object_type=User")  # entries about no case still show
    assert audit_rows(admin, f"object_type=Case&object_id={terrorism.id}") == "Nothing matches this search."

    uncleared = client_as(factory.user("COORDINATOR"))
    seen = " ".join(audit_rows(uncleared, query) for query in queries)
    assert "LDN-2026-0911" in seen and "M-2026-0909" in seen
    assert "LDN-2026-0908" not in seen and "M-2026-0908" not in seen

    cleared = client_as(factory.user("COORDINATOR", terrorism_cleared=True))
    seen = " ".join(audit_rows(cleared, query) for query in queries)
    for reference in ("LDN-2026-0908", "LDN-2026-0911", "M-2026-0908", "M-2026-0909"):
        assert reference in seen
    assert f"view Case {terrorism.id} LDN-2026-0908" in audit_rows(cleared, "action=view")


def test_a_new_secure_mailbox_waits_for_a_second_admin_and_the_old_one_is_told(client_as, factory, session, smtp_server):
    """An agency's invitations and links to minutes go to its secure mailbox: one admin alone must not be
    able to divert them to an address he reads. The new mailbox waits for a second admin (not the one who
    asked); once confirmed, the old mailbox is told. Taking the mailbox away needs no second admin."""
    from tracker.auth.models import Agency, GrantOutcome, MailboxChange

    housing = factory.agency("Borough Housing", secure_mailbox="housing@borough.example.org")
    sam = client_as(factory.user("SYSTEM_ADMIN", name="Sam Admin"))
    form = {"name": housing.name, "sector": housing.sector.name, "secure_mailbox": "mine@example.org", "active": "y"}
    saved = sam.post(f"/admin/agencies/{housing.id}/edit", data=form, follow_redirects=True)
    text = saved.get_data(as_text=True)
    assert "The new secure mailbox (mine@example.org) will take effect once another system admin confirms it" in text
    session.expire_all()
    assert session.get(Agency, housing.id).secure_mailbox == "housing@borough.example.org"
    change = session.exec(select(MailboxChange).where(MailboxChange.agency_id == housing.id)).one()
    # The admin who asked cannot confirm it; saving the agency's other details leaves it waiting.
    page = sam.get(f"/admin/agencies/{housing.id}/edit").get_data(as_text=True)
    assert "You asked for this: another system admin confirms it" in page
    sam.post(f"/admin/mailbox-changes/{change.id}/confirm")
    form["secure_mailbox"] = "housing@borough.example.org"
    form["name"] = "Borough Housing Services"
    sam.post(f"/admin/agencies/{housing.id}/edit", data=form)
    session.expire_all()
    assert session.get(Agency, housing.id).secure_mailbox == "housing@borough.example.org"
    assert session.get(MailboxChange, change.id).outcome is GrantOutcome.WAITING

    bea = client_as(factory.user("SYSTEM_ADMIN", name="Bea Second"))
    assert bea.post(f"/admin/mailbox-changes/{change.id}/confirm").status_code == 302
    session.expire_all()
    assert session.get(Agency, housing.id).secure_mailbox == "mine@example.org"
    [message] = [received.message for received in smtp_server.received]
    assert message["To"] == "housing@borough.example.org"
    assert "mine@example.org" in message.get_content() and "Bea Second" in message.get_content()

    form["secure_mailbox"] = ""
    sam.post(f"/admin/agencies/{housing.id}/edit", data=form)
    session.expire_all()
    assert session.get(Agency, housing.id).secure_mailbox == ""


def test_a_second_admin_refuses_a_new_secure_mailbox_saying_why_and_the_asker_is_told(
    client_as, factory, session, delivered
):
    """As with access another admin asked for, refusing a new secure mailbox asks why: an empty reason is
    refused on the form and changes nothing; the agency keeps its mailbox, the trail keeps the reason, and
    the admin who asked is emailed who refused it and why. The asker withdraws with no reason."""
    from tracker.auth.models import Agency, GrantOutcome, MailboxChange
    from tracker.core.models import AuditEvent

    housing = factory.agency("Refused Housing", secure_mailbox="housing@refused.example.org")
    sam = factory.user("SYSTEM_ADMIN", name="Sam Asker", email="sam.asker@example.org")
    form = {"name": housing.name, "sector": housing.sector.name, "secure_mailbox": "mine@example.org", "active": "y"}
    assert client_as(sam).post(f"/admin/agencies/{housing.id}/edit", data=form).status_code == 302
    change = session.exec(select(MailboxChange).where(MailboxChange.agency_id == housing.id)).one()
    bea = client_as(factory.user("SYSTEM_ADMIN", name="Bea Second"))
    url = f"/admin/mailbox-changes/{change.id}/refuse"
    assert f'href="{url}"' in bea.get(f"/admin/agencies/{housing.id}/edit").get_data(as_text=True)
    assert "Why are you refusing it?" in bea.get(url).get_data(as_text=True)

    empty = bea.post(url, data={"reason": "  "})
    assert empty.status_code == 200 and "Enter why you are refusing the request" in empty.get_data(as_text=True)
    session.expire_all()
    assert session.get(MailboxChange, change.id).outcome is GrantOutcome.WAITING

    refused = bea.post(url, data={"reason": "Not the agency's group mailbox"}, follow_redirects=True)
    assert "Sam Asker, who asked for it, has been emailed your reason" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(MailboxChange, change.id).outcome is GrantOutcome.REFUSED
    assert session.get(Agency, housing.id).secure_mailbox == "housing@refused.example.org"
    entry = session.exec(select(AuditEvent).where(AuditEvent.action == "access refused")).one()
    assert entry.reason == "Not the agency's group mailbox"
    [message] = [m for m in delivered if m["To"] == "sam.asker@example.org"]
    body = " ".join(message.get_content().split())
    assert "Bea Second, a second system admin, refused it" in body and "Not the agency's group mailbox" in body
    assert "still go to housing@refused.example.org" in body
