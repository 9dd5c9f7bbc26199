"""Reading training pages as a person would, and uploading a file of people to enrol."""

import io
from datetime import timedelta

from bs4 import BeautifulSoup

from tracker.core.timeutil import today_london
from tracker.training.models import EnrolmentStatus, Trainee, TraineeRole


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def page_text(response) -> str:
    return soup(response).get_text(" ", strip=True)


def error_summary(response) -> list[str]:
    summary = soup(response).select_one(".govuk-error-summary")
    return [a.get_text(" ", strip=True) for a in summary.select("a")] if summary else []


def banners(response) -> list[str]:
    return [b.get_text(" ", strip=True) for b in soup(response).select(".govuk-notification-banner__content")]


def table_rows(response, caption: str) -> list[list[str]]:
    """The body rows of the table with this caption, cell by cell."""
    for table in soup(response).select("table"):
        found = table.select_one("caption")
        if found and found.get_text(strip=True) == caption:
            return [
                [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
                for row in table.select("tbody tr")
            ]
    raise AssertionError(f"no table captioned {caption!r}")


def upload_people(client, event, rows: list[str]):
    """Upload a CSV of people to enrol on `event` (each row "name,email,agency", under the header row);
    the page it leads to."""
    text = "name,email,agency\n" + "\n".join(rows) + "\n"
    return client.post(
        f"/training/events/{event.id}/upload",
        data={"file": (io.BytesIO(text.encode()), "people.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def trained_chair(factory, **fields) -> Trainee:
    """A chair who completed chair training a month ago and has no account."""
    trainee = factory.trainee(**fields)
    day = today_london() - timedelta(days=30)
    event = factory.event(days=[day - timedelta(days=1), day])
    factory.enrolment(
        event, trainee, EnrolmentStatus.COMPLETED, TraineeRole.CHAIR, completed_on=day, sessions_attended=2
    )
    return trainee
