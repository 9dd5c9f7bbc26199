"""Personal feeds: the page that offers them, the secret link, and the feed Outlook fetches."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.calendar.conftest import a_meeting, a_training_session, parse
from tests.justify import disclosed
from tests.pages import page_text
from tracker.auth import rules as auth_rules
from tracker.calendar import providers, rules
from tracker.calendar.models import FeedToken
from tracker.core.models import AuditEvent
from tracker.core.timeutil import london_to_utc, today_london


def feed_addresses(response) -> tuple[str, str]:
    soup = BeautifulSoup(response.data, "html.parser")
    return soup.select_one("#feed-web-address").get_text(strip=True), soup.select_one("#feed-webcal-address")[
        "href"
    ]


def token_of(address: str) -> str:
    return address.rsplit("/", 1)[1].removesuffix(".ics")


def path_of(address: str) -> str:
    return "/calendar/feed/" + address.rsplit("/", 1)[1]


def in_days(days: int, hour: int = 10) -> datetime:
    return london_to_utc(today_london() + timedelta(days=days), time(hour))


def meeting_on(meeting_id: int, start: datetime):
    return a_meeting(
        meeting_id=meeting_id,
        reference=f"M-2026-{meeting_id:04d}",
        start=start,
        end=start + timedelta(hours=2),
    )


@pytest.fixture
def chair(factory):
    return factory.user("CHAIR", name="Dana Whitfield")


def test_the_feed_page_says_calendars_carry_references_only_and_outlook_refreshes_in_hours(client_as, chair):
    text = page_text(client_as(chair).get("/calendar/feed"))
    assert "Calendars leave the secure system" in text
    assert "the meeting reference and level, such as “MAPPA Level 2 meeting M-2026-0143”" in text
    assert "never carry the name of a person under MAPPA or any detail of a case" in text
    assert "Outlook on the web can take several hours to show a change" in text
    assert "You do not have a feed link yet." in text


def test_the_account_page_leads_to_the_feed_page(client_as, chair):
    soup = BeautifulSoup(client_as(chair).get("/account").data, "html.parser")
    row = next(r for r in soup.select(".govuk-summary-list__row") if "Calendar feed" in r.get_text())
    assert row.select_one("a")["href"] == "/calendar/feed"


def test_making_a_link_shows_it_once_as_https_and_webcal_and_keeps_only_its_hash(
    app, client_as, chair, session
):
    client = client_as(chair)
    app.config["BASE_URL"] = "https://mappa-tracker.example.gov.uk"
    try:
        response = client.post("/calendar/feed/new-link", follow_redirects=True)
    finally:
        app.config["BASE_URL"] = "http://tracker.test"
    assert response.status_code == 200
    web, webcal = feed_addresses(response)
    token = token_of(web)
    assert web == f"https://mappa-tracker.example.gov.uk/calendar/feed/{token}.ics"
    assert webcal == f"webcal://mappa-tracker.example.gov.uk/calendar/feed/{token}.ics"
    stored = session.exec(select(FeedToken).where(FeedToken.user_id == chair.id)).one()
    assert stored.token_hash == auth_rules.token_hash(token) != token

    again = page_text(client.get("/calendar/feed"))
    assert token not in again
    assert "You made your feed link on" in again
    assert "Make a new feed link" in again


def test_reloading_the_page_that_shows_a_new_link_does_not_replace_the_link(client, client_as, chair):
    signed_in = client_as(chair)
    made = signed_in.post("/calendar/feed/new-link")
    assert made.status_code == 302 and made.headers["Location"].startswith("/calendar/feed")
    shown = signed_in.get("/calendar/feed")
    assert shown.headers["Cache-Control"] == "no-store"
    web, _webcal = feed_addresses(shown)
    reloaded = page_text(signed_in.get("/calendar/feed"))
    assert token_of(web) not in reloaded and "You made your feed link on" in reloaded
    # The link the person copied still works: nothing made another one.
    assert client.get(path_of(web)).status_code == 200


def test_the_link_opens_the_persons_feed_without_signing_in(client, client_as, chair, provide):
    provide(lambda user, start, end: [meeting_on(11, in_days(7))] if user.id == chair.id else [])
    web, _webcal = feed_addresses(client_as(chair).post("/calendar/feed/new-link", follow_redirects=True))
    response = client.get(path_of(web))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    parsed = parse(response.data)
    assert parsed.icalendar["X-WR-CALNAME"] == "MAPPA Tracker (London)"
    assert [str(e["SUMMARY"]) for e in parsed.events] == ["MAPPA Level 2 meeting M-2026-0011"]
    assert parsed.vobject.vevent.summary.value == "MAPPA Level 2 meeting M-2026-0011"


def test_a_new_link_makes_the_old_one_answer_404_at_once(client, client_as, chair):
    signed_in = client_as(chair)
    old, _ = feed_addresses(signed_in.post("/calendar/feed/new-link", follow_redirects=True))
    assert client.get(path_of(old)).status_code == 200
    new, _ = feed_addresses(signed_in.post("/calendar/feed/new-link", follow_redirects=True))
    assert new != old
    assert client.get(path_of(old)).status_code == 404
    assert client.get(path_of(new)).status_code == 200


def test_stopping_the_feed_makes_its_link_answer_404(client, client_as, chair):
    signed_in = client_as(chair)
    web, _ = feed_addresses(signed_in.post("/calendar/feed/new-link", follow_redirects=True))
    response = signed_in.post("/calendar/feed/stop", follow_redirects=True)
    assert "Your calendar feed is stopped" in page_text(response)
    assert "You do not have a feed link yet." in page_text(response)
    assert client.get(path_of(web)).status_code == 404


def test_an_unknown_link_or_a_closed_account_answers_404(client, factory, session, chair):
    token = factory.feed_link(chair)
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 200
    assert client.get("/calendar/feed/not-a-real-token.ics").status_code == 404
    chair.active = False
    session.add(chair)
    session.commit()
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_the_feed_covers_a_month_back_to_a_year_ahead(client, factory, chair, provide):
    asked = []
    offered = {
        "M-2026-0001": -45,  # six weeks ago: too old
        "M-2026-0002": -20,
        "M-2026-0003": 7,
        "M-2026-0004": 330,
        "M-2026-0005": 400,  # thirteen months ahead: too far
    }

    @provide
    def everything(user, start, end):
        asked.append((start, end))
        return [meeting_on(int(ref[-4:]), in_days(days)) for ref, days in offered.items()]

    token = factory.feed_link(chair)
    parsed = parse(client.get(f"/calendar/feed/{token}.ics").data)
    assert asked == [rules.feed_window(today_london())]
    assert [str(e["SUMMARY"]).rsplit(" ", 1)[1] for e in parsed.events] == [
        "M-2026-0002",
        "M-2026-0003",
        "M-2026-0004",
    ]


def test_a_feed_gathers_every_area_and_keeps_the_latest_version_of_an_entry(client, factory, chair, provide):
    provide(lambda user, start, end: [meeting_on(21, in_days(2))])
    provide(lambda user, start, end: [a_training_session(start=in_days(3), end=in_days(3, 16))])
    provide(
        lambda user, start, end: [
            a_meeting(
                meeting_id=21, reference="M-2026-0021", start=in_days(2, 14), end=in_days(2, 16), sequence=1
            )
        ]
    )
    parsed = parse(client.get(f"/calendar/feed/{factory.feed_link(chair)}.ics").data)
    assert [(str(e["UID"]), e["SEQUENCE"]) for e in parsed.events] == [
        ("meeting-21@tracker.test", 1),
        ("training-session-7@tracker.test", 0),
    ]


def test_a_feed_costs_the_same_few_queries_however_many_entries_it_holds(
    app, client, factory, chair, provide
):
    from tracker.core.db import db

    how_many = [0]

    @provide
    def one_query_each(user, start, end):
        db.session.execute(sa.text("SELECT 1"))
        return [meeting_on(n, in_days(n % 300)) for n in range(1, how_many[0] + 1)]

    token = factory.feed_link(chair)
    statements = []

    def count(_conn, _cursor, statement, *_args):
        if "SAVEPOINT" not in statement:  # the tests' own transaction handling
            statements.append(statement)

    engine = app.extensions["db_engine"]
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        client.get(f"/calendar/feed/{token}.ics")
        few = len(statements)
        statements.clear()
        how_many[0] = 300
        body = client.get(f"/calendar/feed/{token}.ics").data
        many = len(statements)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert len(parse(body).events) == 300
    # The link and its owner, the owner's roles, the area settings, and one per provider (this test's
    # and each area's).
    assert few == many == 3 + len(providers.registered())


def test_downloading_ones_calendar_gives_a_named_file_and_records_the_export(
    client_as, chair, provide, session
):
    provide(lambda user, start, end: [meeting_on(31, in_days(5))])
    response = client_as(chair).get(disclosed("/calendar/my-calendar.ics"))
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="mappa-tracker-calendar.ics"'
    parsed = parse(response.data)
    assert parsed.icalendar["METHOD"] == "PUBLISH"
    assert "X-WR-CALNAME" not in parsed.icalendar
    assert len(parsed.events) == 1
    export = session.exec(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert [(e.user_id, e.summary) for e in export] == [(chair.id, "calendar file, 1 entries")]


def test_providers_registered_twice_are_asked_once():
    def provider(user, start, end):
        return []

    providers.register(provider)
    providers.register(provider)
    try:
        assert providers.registered().count(provider) == 1
    finally:
        providers.unregister(provider)
    assert provider not in providers.registered()


def test_a_window_without_entries_is_still_a_valid_feed(client, factory, chair):
    """RFC 5545 asks a calendar for at least one component: with no entries, the feed carries the
    definition of the time zone it names, as Outlook itself writes it, and nothing that shows."""
    raw = client.get(f"/calendar/feed/{factory.feed_link(chair)}.ics").data
    parsed = parse(raw)
    assert parsed.events == []
    assert parsed.icalendar["X-WR-TIMEZONE"] == "Europe/London"
    assert [component.name for component in parsed.icalendar.subcomponents] == ["VTIMEZONE"]
    assert parsed.icalendar.subcomponents[0]["TZID"] == "Europe/London"
    assert raw.count(b"BEGIN:") == raw.count(b"END:") == 4  # the calendar, the zone and its two rules


def test_with_nothing_to_add_no_download_is_offered_and_none_is_made(client_as, chair, provide, session):
    provide(lambda user, start, end: [])
    client = client_as(chair)
    page = BeautifulSoup(client.get("/calendar/feed").data, "html.parser")
    assert page.find("a", string="Download your calendar as a file") is None
    assert "There is nothing to download yet" in page.select_one("#nothing-to-add").get_text()
    response = client.get(disclosed("/calendar/my-calendar.ics"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/calendar/feed")
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "export")).all() == []


def test_a_meeting_one_only_audits_is_not_in_ones_calendar(app, factory, session):
    """A chair named to audit another chair's meeting may read it, but has no part in it: it is not in his
    diary (his feed, his calendar file), as the meetings he chairs or is invited to are."""
    from tracker.meetings.ics import meetings_in_calendar

    auditor = factory.user("CHAIR", name="Audrey Auditor")
    audited = factory.meeting(chair=factory.user("CHAIR"), day=today_london() + timedelta(days=3))
    factory.meeting_audit(audited, auditor)
    own = factory.meeting(chair=auditor, day=today_london() + timedelta(days=4))
    with app.test_request_context():
        listed = meetings_in_calendar(auditor, in_days(-30), in_days(365))
    assert [entry.uid for entry in listed] == [f"meeting-{own.id}@tracker.test"]
