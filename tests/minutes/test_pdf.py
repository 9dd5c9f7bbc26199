"""The PDFs of minutes, agendas and executive summaries, read back with pypdf: the marking on every page,
DRAFT across every page of a draft, page N of M, the statement, real text, metadata, and how they are
sent (audited, never cached, named for what they are)."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from sqlmodel import select

from tests.justify import disclosed
from tracker.core import settings
from tracker.core.models import AuditEvent
from tracker.core.pdf import PageFurniture, render
from tracker.minutes import pdf
from tracker.minutes.document import MeetingDetails, MinutesRecord
from tracker.minutes.models import MinutesStatus
from tracker.minutes.pdf import MARKING


def read(response) -> PdfReader:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def pages_text(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def words(text: str) -> str:
    return " ".join(text.split())


def test_approved_minutes_are_marked_on_every_page_numbered_and_searchable(client_as, factory, people):
    meeting = factory.held_meeting(
        chair=people["chair"], administrator=people["administrator"], cases=4, actions_per_case=30
    )
    factory.minutes(meeting, MinutesStatus.APPROVED)
    response = client_as(people["chair"]).get(disclosed(f"/meetings/{meeting.id}/minutes/versions/1/pdf"))
    reader = read(response)
    texts = pages_text(reader)
    total = len(texts)
    assert total > 3
    for number, text in enumerate(texts, start=1):
        assert text.count("OFFICIAL-SENSITIVE") >= 2, f"page {number} lacks the marking at top and bottom"
        assert f"Page {number} of {total}" in text
        assert meeting.reference in text
        assert "DRAFT" not in text
    everything = words(" ".join(texts))
    assert words(settings.CONFIDENTIALITY_STATEMENT.default)[:200] in everything
    for item in meeting.agenda_items:
        assert item.case.reference in everything
    for pillar in (
        "Supervision",
        "Monitoring and control",
        "Interventions and treatment",
        "Victim safety planning",
    ):
        assert everything.count(pillar) >= 4  # a heading under each case
    assert "Action 30 for" in everything
    # Each case says whether views differed, even when none were recorded.
    assert everything.count("No differing views were recorded.") == len(meeting.agenda_items)
    metadata = reader.metadata
    assert metadata.title == f"Minutes of MAPPA meeting {meeting.reference} (version 1, approved)"
    assert metadata.author.endswith("Daniel Price (chair)")
    assert "OFFICIAL-SENSITIVE" in metadata.subject


def test_the_actions_table_repeats_its_header_on_each_page_it_runs_onto(client_as, factory, people):
    meeting = factory.held_meeting(chair=people["chair"], cases=1, actions_per_case=80)
    factory.minutes(meeting, MinutesStatus.APPROVED)
    texts = pages_text(read(client_as(people["chair"]).get(disclosed(f"/meetings/{meeting.id}/minutes/versions/1/pdf"))))
    continued = [text for text in texts if re.search(r"Action (4\d|6\d) for", text)]
    assert continued
    for text in continued:
        assert re.search(r"Action\s+Pillar\s+Owner\s+Due", text), "header row not repeated"


def test_a_draft_says_draft_on_every_page(client_as, factory, people):
    meeting = factory.held_meeting(chair=people["chair"], cases=3, actions_per_case=20)
    factory.minutes(meeting, MinutesStatus.SUBMITTED)
    response = client_as(people["chair"]).get(disclosed(f"/meetings/{meeting.id}/minutes/versions/1/pdf"))
    texts = pages_text(read(response))
    assert len(texts) > 1
    assert all("DRAFT" in text and "OFFICIAL-SENSITIVE" in text for text in texts)
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{meeting.reference}-minutes-v1-draft.pdf"'
    )


def test_downloads_are_never_cached_named_for_what_they_are_and_audited(client_as, session, factory, people):
    meeting = factory.held_meeting(chair=people["chair"])
    factory.minutes(meeting, MinutesStatus.APPROVED)
    response = client_as(people["chair"]).get(disclosed(f"/meetings/{meeting.id}/minutes/versions/1/pdf"))
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{meeting.reference}-minutes-v1-approved.pdf"'
    )
    exports = session.exec(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert any(
        e.summary == f"PDF minutes of {meeting.reference}, version 1 (approved)"
        and e.object_type == "MinutesVersion"
        for e in exports
    )


def test_the_agenda_pdf_lists_the_cases_under_the_statement(client_as, session, factory, people):
    meeting = factory.meeting(chair=people["chair"], administrator=people["administrator"])
    item = factory.agenda_item(meeting)
    response = client_as(people["administrator"]).get(disclosed(f"/meetings/{meeting.id}/agenda/pdf"))
    reader = read(response)
    text = words(" ".join(pages_text(reader)))
    assert text.startswith("Agenda for MAPPA meeting") or "Agenda for MAPPA meeting" in text
    assert "OFFICIAL-SENSITIVE" in text and "Page 1 of" in text
    assert item.case.reference in text and item.case.name in text
    assert words(settings.CONFIDENTIALITY_STATEMENT.default)[:120] in text
    assert reader.metadata.title == f"Agenda for MAPPA meeting {meeting.reference}"
    assert reader.metadata.subject == "OFFICIAL-SENSITIVE: agenda of a Level 2 MAPPA meeting"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{meeting.reference}-agenda.pdf"'
    assert session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "export", AuditEvent.summary == f"PDF agenda of {meeting.reference}"
        )
    ).first()


def test_the_agenda_of_approved_minutes_names_each_case_as_they_do(
    client_as, session, factory, people, meeting
):
    """A case renamed after the meeting's minutes were approved keeps, on its agenda, the name the meeting
    knew it by (beside the category it considered); before approval the agenda names it as it is now."""
    case = meeting.agenda_items[0].case
    was = case.name
    client = client_as(people["administrator"])
    case.name = "Renamed Since"
    session.commit()
    assert "Renamed Since" in words(
        " ".join(pages_text(read(client.get(disclosed(f"/meetings/{meeting.id}/agenda/pdf")))))
    )
    case.name = was
    session.commit()
    factory.minutes(meeting, MinutesStatus.APPROVED)
    case.name = "Renamed Since"
    session.commit()
    text = words(" ".join(pages_text(read(client.get(disclosed(f"/meetings/{meeting.id}/agenda/pdf"))))))
    assert was in text and "Renamed Since" not in text


def test_the_agenda_pdf_lists_those_invited_and_never_a_walk_in(client_as, factory, people):
    """The agenda is what was circulated before the meeting: someone who walked in was not invited, so they
    are not listed under "Agencies invited" (and never as "Not replied")."""
    meeting = factory.meeting(chair=people["chair"], administrator=people["administrator"])
    factory.agenda_item(meeting)
    invited = factory.user("PRACTITIONER", name="Invited Ivy")
    factory.invitation(meeting, invited)
    walk_in = factory.agency("Walk-in Housing Trust")
    factory.invitation(meeting, agency=walk_in, walk_in=True, attendee_name="Wally Walker")
    response = client_as(people["administrator"]).get(disclosed(f"/meetings/{meeting.id}/agenda/pdf"))
    text = words(" ".join(pages_text(read(response))))
    assert "Invited Ivy" in text
    assert "Wally Walker" not in text and "Walk-in Housing Trust" not in text


def test_pdfs_are_not_found_for_people_who_may_not_see_the_meeting(client_as, factory, people):
    meeting = factory.held_meeting(chair=people["chair"])
    factory.minutes(meeting, MinutesStatus.APPROVED)
    stranger = client_as("PRACTITIONER")
    assert stranger.get(disclosed(f"/meetings/{meeting.id}/agenda/pdf")).status_code == 404
    assert stranger.get(disclosed(f"/meetings/{meeting.id}/minutes/versions/1/pdf")).status_code == 404
    case_id = meeting.agenda_items[0].case_id
    assert stranger.get(disclosed(f"/meetings/{meeting.id}/minutes/cases/{case_id}/summary/pdf")).status_code == 404
    assert client_as("SMB").get(disclosed(f"/meetings/{meeting.id}/agenda/pdf")).status_code == 403


def test_the_executive_summary_of_approved_minutes(client_as, factory, people):
    meeting = factory.held_meeting(chair=people["chair"], cases=2)
    item = meeting.agenda_items[0]
    sections = {"items": {str(item.id): {"executive_summary": "The level was kept; review in eight weeks."}}}
    factory.minutes(meeting, MinutesStatus.APPROVED, sections=sections)
    client = client_as(people["chair"])
    page = client.get(f"/meetings/{meeting.id}/minutes/cases/{item.case_id}/summary")
    assert page.status_code == 200
    assert b"The level was kept; review in eight weeks." in page.data
    other = meeting.agenda_items[1]
    assert other.case.reference.encode() not in page.data  # only this person's case
    response = client.get(disclosed(f"/meetings/{meeting.id}/minutes/cases/{item.case_id}/summary/pdf"))
    reader = read(response)
    text = words(" ".join(pages_text(reader)))
    assert "The level was kept; review in eight weeks." in text and "OFFICIAL-SENSITIVE" in text
    assert reader.metadata.subject == "OFFICIAL-SENSITIVE: executive summary of MAPPA minutes"
    assert reader.metadata.title == (
        f"Executive summary of MAPPA meeting {meeting.reference}, case {item.case.reference}"
    )
    assert other.case.reference not in text
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{meeting.reference}-{item.case.reference}-executive-summary-v1.pdf"'
    )


def test_the_executive_summary_counts_an_agency_represented_by_a_deputy_as_present(
    client_as, factory, people
):
    from tracker.auth.models import AgencySector
    from tracker.meetings.models import AttendanceStatus

    meeting = factory.held_meeting(chair=people["chair"], cases=1)
    deputised = factory.agency("Adult Social Care", AgencySector.ADULT_SOCIAL_CARE)
    absent = factory.agency("Education", AgencySector.EDUCATION)
    factory.invitation(
        meeting, agency=deputised, attendance=AttendanceStatus.APOLOGIES, deputy_name="Jo Reed"
    )
    factory.invitation(meeting, agency=absent, attendance=AttendanceStatus.ABSENT)
    factory.minutes(meeting, MinutesStatus.APPROVED)
    case_id = meeting.agenda_items[0].case_id
    client = client_as(people["chair"])
    for url in (
        f"/meetings/{meeting.id}/minutes/cases/{case_id}/summary",
        disclosed(f"/meetings/{meeting.id}/minutes/cases/{case_id}/summary/pdf"),
    ):
        response = client.get(url)
        text = (
            words(" ".join(pages_text(read(response))))
            if "/pdf" in url
            else words(response.get_data(as_text=True))
        )
        present = text.split("Agencies present", 1)[1][:200]
        assert "Adult Social Care" in present, url
        assert "Education" not in present, url


def test_there_is_no_executive_summary_before_approval(client_as, factory, people):
    meeting = factory.held_meeting(chair=people["chair"])
    factory.minutes(meeting, MinutesStatus.SUBMITTED)
    case_id = meeting.agenda_items[0].case_id
    assert (
        client_as(people["chair"]).get(f"/meetings/{meeting.id}/minutes/cases/{case_id}/summary").status_code
        == 404
    )


def test_typed_text_is_not_read_as_markup_and_accented_names_survive():
    record = {
        "meeting": {
            "reference": "M-2026-0001",
            "level": "LEVEL_2",
            "type": "REVIEW",
            "date": "Tuesday 3 March 2026",
            "time": "10:00 to 12:00",
            "place": "Room <b>4</b>",
            "chair": "Zoë Ştefănescu",
            "administrator": "",
        },
        "statement": "Statement & more",
        "area": "London",
        "attendance": [],
        "absent_agencies": [],
        "ra_not_represented": [],
        "items": [],
    }
    data = pdf.minutes_pdf(
        MinutesRecord.from_json(record),
        {"meeting": {"introductions": "Łukasz Wiśniewski & <i>not italics</i>"}},
        pdf.VersionInfo(1, "Draft", True),
    )
    text = words(" ".join(pages_text(PdfReader(io.BytesIO(data)))))
    assert "Łukasz Wiśniewski & <i>not italics</i>" in text
    assert "Zoë Ştefănescu" in text and "Room <b>4</b>" in text


def test_the_fonts_are_embedded():
    data = pdf.agenda_pdf(
        {
            "meeting": MeetingDetails(
                reference="M-2026-0001",
                level="LEVEL_2",
                type="REVIEW",
                date="Tuesday 3 March 2026",
                time="10:00 to 12:00",
                place="",
                chair="A Chair",
                administrator="",
            ),
            "online_link": "",
            "statement": "Statement",
            "area": "London",
            "items": [],
            "invited": [],
        }
    )
    reader = PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    used = set(re.findall(r"(/F\d+(?:\+\d+)?) [\d.]+ Tf", page.get_contents().get_data().decode("latin-1")))
    assert used
    fonts = page["/Resources"]["/Font"]
    for name in used:
        font = fonts[name].get_object()
        assert "DejaVuSans" in font["/BaseFont"]
        descriptor = (
            font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            if "/DescendantFonts" in font
            else font["/FontDescriptor"]
        )
        assert "/FontFile2" in descriptor.get_object(), f"{font['/BaseFont']} is not embedded"


# Layout: tables and headings across page breaks --------------------------------------------------------


def _story_pdf(story) -> list[str]:
    furniture = PageFurniture(MARKING, "running title")
    data = render(pdf.bind_headings(story), title="t", author="a", subject="s", furniture=furniture)
    return pages_text(PdfReader(io.BytesIO(data)))


def _body(text: str) -> list[str]:
    """A page's lines without the marking, running title and page number."""
    furniture = {MARKING, "running title"}
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip() and line.strip() not in furniture and not line.startswith("Page ")
    ]


def _action_rows(count: int, lines: int = 3) -> list[list[str]]:
    return [
        ["\n".join(f"Action {n} line {k}" for k in range(lines)), "Supervision", "Owner", "1 May 2026"]
        for n in range(1, count + 1)
    ]


def test_a_table_running_onto_later_pages_has_its_header_once_at_the_top_of_each():
    # Text above pushes the table down so that it meets the foot of the page at different points.
    for lead_lines in range(0, 49, 6):
        texts = _story_pdf(
            [pdf.text("\n".join(f"filler {k}" for k in range(lead_lines)))]
            + [pdf.table(["Action", "Pillar", "Owner", "Due"], _action_rows(60), [0.46, 0.17, 0.24, 0.13])]
        )
        assert len(texts) > 2
        for number, text in enumerate(texts, start=1):
            lines = _body(text)
            assert lines.count("Pillar") <= 1, f"page {number}: the header row appears twice"
            if number > 1:
                assert lines[:4] == ["Action", "Pillar", "Owner", "Due"], f"page {number} lacks the header"
                # A row is moved whole to the next page, not started at the foot of this one.
                assert lines[4].endswith("line 0"), f"page {number} starts in the middle of a row"


def test_a_row_taller_than_a_page_is_split_rather_than_failing():
    tall = [["\n".join(f"line {k}" for k in range(150)), "Supervision", "Owner", "1 May 2026"]]
    texts = _story_pdf(
        [pdf.table(["Action", "Pillar", "Owner", "Due"], _action_rows(1) + tall, [0.46, 0.17, 0.24, 0.13])]
    )
    assert len(texts) >= 3
    for text in texts:
        assert _body(text).count("Pillar") == 1
    assert "line 149" in texts[-1]


def test_a_heading_never_ends_a_page():
    for lead_lines in range(40, 62):
        texts = _story_pdf(
            [
                pdf.text("\n".join(f"filler {k}" for k in range(lead_lines))),
                pdf.heading("Differing views and how the meeting proceeded", "h3"),
                pdf.text("The housing officer disagreed.\nThe meeting proceeded."),
                pdf.heading("Actions", "h3"),
                pdf.table(["Action", "Pillar", "Owner", "Due"], _action_rows(3), [0.46, 0.17, 0.24, 0.13]),
            ]
        )
        for text in texts:
            last = _body(text)[-1]
            assert last not in ("Differing views and how the meeting proceeded", "Actions"), (
                f"with {lead_lines} lines above, a page ends with the heading {last!r}"
            )


def test_line_breaks_typed_in_a_rationale_are_kept():
    texts = _story_pdf([pdf.facts([("Rationale", "First reason.\nSecond reason.")])])
    assert _body(texts[0]) == ["Rationale", "First reason.", "Second reason."]
