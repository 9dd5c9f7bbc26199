"""Shared pieces for the minutes' client tests."""

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.kept_counts import counts_stay_kept  # noqa: F401  (every test ends with the counts kept)
from tracker.minutes.models import Minutes


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "html.parser")


def text_of(response) -> str:
    return " ".join(page(response).get_text(" ").split())


@pytest.fixture
def people(factory):
    """A chair and an administrator who run the meeting, and a co-ordinator."""
    return {
        "chair": factory.user("CHAIR", name="Daniel Price"),
        "administrator": factory.user("ADMINISTRATOR", name="Aisha Karim"),
        "coordinator": factory.user("COORDINATOR", name="Helen Marsh"),
    }


@pytest.fixture
def meeting(factory, people):
    return factory.held_meeting(chair=people["chair"], administrator=people["administrator"], cases=2)


def distribute(client, session, meeting, values) -> None:
    """Distribute the minutes' current version to `values` (the distribution page's recipient values)."""
    session.expire_all()
    version = session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).one().version
    response = client.post(
        f"/meetings/{meeting.id}/minutes/distribute", data={"version": str(version), "recipients": values}
    )
    assert response.status_code == 302, text_of(response)[:2000]
