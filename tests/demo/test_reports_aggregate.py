"""No reports page shows a person or a case, on the whole demo area: the reports are aggregates only."""

from __future__ import annotations

import io

from pypdf import PdfReader
from sqlmodel import select

from tests.justify import disclosed
from tests.pages import soup
from tracker.core.timeutil import today_london
from tracker.meetings.models import Case
from tracker.reports import rules
from tracker.reports.models import MeetingAudit


def _last_row(response, table_id) -> list[str]:
    return [c.get_text(" ", strip=True) for c in soup(response).find(id=table_id).select("tr")[-1].find_all(["th", "td"])]


# Aggregates only ---------------------------------------------------------------------------------------


def test_no_reports_page_shows_a_demo_persons_name_or_case_reference(demo, session, client_as):
    cases = session.exec(select(Case.name, Case.reference)).all()
    assert len(cases) > 800
    audit = session.exec(select(MeetingAudit)).first()
    held = session.exec(select(MeetingAudit.meeting_id)).all()
    assert held
    last_year = rules.reporting_year_of(today_london()).start_year - 1
    urls = [
        "/reports/", f"/reports/?year={last_year}", "/reports/annual-report", "/reports/annual-report?year=2024",
        "/reports/annual-report/2024.csv", f"/reports/annual-report/{last_year}.csv",
        "/reports/annual-report/2024/figures", "/reports/audits", "/reports/audits/sample",
        f"/reports/audits/{audit.id}",
    ]  # fmt: skip
    for who in ("SMB", "LAY_ADVISER", "COORDINATOR"):
        client = client_as(who)
        for url in urls:
            response = client.get(url)
            if who != "COORDINATOR" and ("audits" in url or "figures" in url):
                assert response.status_code == 403
                continue
            assert response.status_code == 200, url
            text = response.data.decode()
            for name, reference in cases:
                assert name not in text, f"{url} shows {name}"
                assert reference not in text, f"{url} shows {reference}"
    pdf = client_as("SMB").get(disclosed("/reports/annual-report/2024.pdf")).data
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert not any(name in text or reference in text for name, reference in cases)
    # The demo's 2024/25 is London's published year.
    report = client_as("SMB").get("/reports/annual-report?year=2024")
    assert _last_row(report, "table-over-the-year") == ["Total", "174", "328", "329", "831"]
    assert _last_row(report, "table-snapshot")[-1] == "11,220"
    assert _last_row(report, "table-returned-to-custody")[-1] == "81"
